package dev.absorb.kernel;

/**
 * glibc's {@code expf} ({@code exp=glibc}), bit for bit as its x86-64 FMA build computes it: the
 * exp that PyTorch's generic ("default") CPU kernels call lane by lane.
 *
 * <h2>Method</h2>
 * glibc 2.28+'s {@code __expf} (from ARM's optimized-routines): x·32/ln 2 = k + r with k an
 * integer (ties to even, by adding 1.5·2^52) and |r| ≤ 1/2, in double; exp(x) = 2^(k/32)·2^(r/32)
 * with 2^(k/32) built from a 32-entry table of 2^(i/32) whose exponent field takes k/32, and
 * 2^(r/32) ≈ c0·r³ + c1·r² + c2·r + 1; the double result is rounded once to float. The FMA build
 * (sysdeps/x86_64/fpu/multiarch/e_expf-fma.c) lets GCC contract four steps into fma, including
 * r = z − k into fma(32/ln 2, x, −k): without that contraction two inputs of the 2^32 differ.
 *
 * <h2>Special values</h2>
 * As glibc: NaN gives NaN, −inf gives +0, +inf gives +inf; x &gt; 0x1.62e42ep6 overflows to +inf
 * and x &lt; −0x1.9fe368p6 underflows to +0.
 *
 * <h2>Accuracy</h2>
 * glibc documents 0.502 ulp; it is not correctly rounded (over [−104, 0] it differs from the
 * correctly rounded exp on 97,052 inputs). Checked against glibc 2.36's expf on every float
 * (GlibcExpTest's golden file was written by that expf; docs/presets.md).
 *
 * <h2>References</h2>
 * glibc sysdeps/ieee754/flt-32/e_expf.c and e_exp2f_data.c; ARM optimized-routines math/expf.c.
 */
final class GlibcExp {

    private static final int TABLE_BITS = 5;
    private static final int N = 1 << TABLE_BITS;
    /** 32/ln 2, and 1.5·2^52, whose addition rounds z to an integer (ties to even) in the low bits. */
    private static final double INV_LN2_N = 0x1.71547652b82fep+0 * N;
    private static final double SHIFT = 0x1.8p+52;
    /** The cubic for 2^(r/32), its coefficients scaled by powers of 1/32. */
    private static final double C0 = 0x1.c6af84b912394p-5 / N / N / N;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / N / N;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / N;
    /** The bits of 2^(i/32) (correctly rounded) minus i·2^52/32, so that adding k·2^52/32 scales by 2^(k/32). */
    private static final long[] TABLE = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
        0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
        0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
        0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
        0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
        0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
        0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L,
    };
    private static final int TOP12_88 = Float.floatToRawIntBits(88.0f) >>> 20;

    private GlibcExp() {
    }

    static float exp(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (((bits >>> 20) & 0x7ff) >= TOP12_88) { // |x| >= 88, inf or NaN
            if (x == Float.NEGATIVE_INFINITY) {
                return 0f;
            }
            if (Float.isNaN(x) || Float.isInfinite(x)) {
                return x + x;
            }
            if (x > 0x1.62e42ep6f) {
                return Float.POSITIVE_INFINITY;
            }
            if (x < -0x1.9fe368p6f) {
                return 0f;
            }
        }
        double xd = x;
        double z = INV_LN2_N * xd;
        double kd = z + SHIFT;
        long ki = Double.doubleToRawLongBits(kd);
        kd -= SHIFT;
        double r = Math.fma(INV_LN2_N, xd, -kd); // the FMA build's contraction of z - kd
        long t = TABLE[(int) (ki & (N - 1))] + (ki << (52 - TABLE_BITS));
        double s = Double.longBitsToDouble(t);
        double c = Math.fma(C0, r, C1);
        double y = Math.fma(C2, r, 1.0);
        y = Math.fma(c, r * r, y);
        return (float) (y * s);
    }
}
