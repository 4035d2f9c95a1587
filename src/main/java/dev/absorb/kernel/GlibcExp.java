package dev.absorb.kernel;

import static dev.absorb.kernel.Ieee754.DOUBLE_FRACTION_BITS;

/**
 * glibc's {@code expf} ({@code exp=glibc}), bit for bit as glibc 2.36 computes it on x86-64 with
 * FMA: the exp that PyTorch's generic ("default") CPU kernels call lane by lane through
 * {@code std::exp(float)}.
 *
 * <h2>What it computes</h2>
 * e^x for a float x, rounded to float the way glibc's {@code __expf} rounds it: an error of at most
 * 0.502 ulp, so usually but not always the correctly rounded result. Over [−104, 0] glibc differs
 * from the correctly rounded exp on 97,052 inputs; this class reproduces those too, which is its
 * point: a correctly rounded exp would put a few logits' gradients one ulp away from PyTorch's.
 *
 * <h2>Method</h2>
 * glibc's algorithm since 2.27 (sysdeps/ieee754/flt-32/e_expf.c, from ARM's optimized-routines),
 * entirely in double after one exact widening of x:
 * <ol>
 *   <li>z = x·32/ln 2 is split as k + r with k an integer and |r| ≤ 1/2: adding 1.5·2^52 pushes
 *   z's fraction out of the significand, rounding to nearest even, and leaves k in the low bits;
 *   subtracting 1.5·2^52 again gives k as a double, and r = z − k.</li>
 *   <li>2^(k/32) is built without a multiply: the table holds the bits of 2^(i/32) minus
 *   i·2^52/32, so adding k·2^52/32 to entry k mod 32 puts ⌊k/32⌋ into the exponent field.</li>
 *   <li>2^(r/32) ≈ C0·r³ + C1·r² + C2·r + 1, evaluated as (C0·r + C1)·r² + (C2·r + 1).</li>
 *   <li>The product s·p is rounded once, from double to float; subnormal results included.</li>
 * </ol>
 * The multiarch FMA build (sysdeps/x86_64/fpu/multiarch/e_expf-fma.c, compiled with -mfma -mavx2,
 * which glibc's ifunc picks on any CPU with FMA and AVX2) lets GCC contract five of these steps into
 * fused multiply-adds. The Math.fma calls below are exactly those: they were read off the
 * disassembly of this machine's libm.so.6 (Debian 2.36-9+deb12u14), not guessed from the C.
 * Only one of them changes any result: without r = fma(32/ln 2, x, −k) two inputs of the 2^32
 * differ (e.g. 0x1.04845ep5), because x·32/ln 2 rounded to double loses bits that r then needs.
 * The other four (k's rounding and the three polynomial steps) are kept for fidelity.
 *
 * <h2>Special values</h2>
 * As glibc: NaN gives NaN (x + x, so a signalling NaN comes back quiet), −inf gives +0, +inf
 * gives +inf. x &gt; 0x1.62e42ep6 (≈ 88.72, ln of 2^128) overflows to +inf; x &lt; −0x1.9fe368p6
 * (≈ −103.97, ln of 2^−150) underflows to +0; x &lt; −0x1.9d1d9ep6 (≈ −103.28, ln of 2^−149)
 * returns the smallest subnormal directly, as glibc's errno path does (the general path would
 * give the same bits). glibc also sets errno and the FP exception flags; Java has neither.
 *
 * <h2>Verification</h2>
 * Equal to glibc 2.36's expf on all 2^32 float inputs, NaNs included (compared exhaustively, in C
 * against a transliteration and in Java through per-block hashes of every output). GlibcExpTest
 * checks a golden file written by the real expf (scripts/glibc-expf-golden).
 *
 * <h2>References</h2>
 * glibc 2.36 sysdeps/ieee754/flt-32/e_expf.c, e_exp2f_data.c and math_config.h;
 * sysdeps/x86_64/fpu/multiarch/e_expf.c and e_expf-fma.c; ARM optimized-routines math/expf.c
 * (Szabolcs Nagy, 2017).
 */
final class GlibcExp {

    private static final int TABLE_BITS = 5;
    private static final int N = 1 << TABLE_BITS;
    /** 32/ln 2: glibc scales ln 2's reciprocal (correctly rounded) by N, which is exact. */
    private static final double INV_LN2_N = 0x1.71547652b82fep+0 * N;
    /** 1.5·2^52: adding it rounds a |z| &lt; 2^51 to an integer held in the low significand bits. */
    private static final double SHIFT = 0x1.8p+52;
    /** The cubic for 2^(r/32), fitted for 2^(r/32) on |r| ≤ 1/2; scaling by 1/N^j is exact. */
    private static final double C0 = 0x1.c6af84b912394p-5 / N / N / N;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / N / N;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / N;
    /**
     * Bits of 2^(i/32) correctly rounded to double, minus i·2^52/32, so that adding k·2^52/32 for
     * k ≡ i (mod 32) yields 2^(k/32): entry 0 is 1.0, and the subtraction only touches the
     * exponent and top mantissa bits the addition restores.
     */
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
    /** Sign-less top 12 bits (exponent and first mantissa bit) of 88 and of inf: one compare screens |x| ≥ 88. */
    private static final int ABSTOP_88 = Float.floatToRawIntBits(88.0f) >>> 20;
    private static final int ABSTOP_INF = Float.floatToRawIntBits(Float.POSITIVE_INFINITY) >>> 20;
    /** Above this e^x rounds to inf (ln 2^128 rounded down to float). */
    private static final float OVERFLOW = 0x1.62e42ep6f;
    /** Below this e^x &lt; 2^−150 rounds to 0. */
    private static final float UNDERFLOW = -0x1.9fe368p6f;
    /** Below this e^x &lt; 2^−149, where glibc returns 0x1.4p−75f squared, the smallest subnormal. */
    private static final float MAY_UNDERFLOW = -0x1.9d1d9ep6f;

    private GlibcExp() {
    }

    static float exp(float x) {
        int bits = Float.floatToRawIntBits(x);
        int abstop = (bits >>> 20) & 0x7ff;
        if (abstop >= ABSTOP_88) {
            // Rare inputs, screened by one integer compare as in glibc, then sorted out.
            if (bits == Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)) {
                return 0f;
            }
            if (abstop >= ABSTOP_INF) {
                return x + x; // +inf stays +inf; a NaN stays NaN
            }
            if (x > OVERFLOW) {
                return Float.POSITIVE_INFINITY;
            }
            if (x < UNDERFLOW) {
                return 0f;
            }
            if (x < MAY_UNDERFLOW) {
                return Float.MIN_VALUE;
            }
        }
        double xd = x;
        // The FMA build contracts z + SHIFT, with z = x·32/ln 2, into one fma: k is rounded from
        // the exact product. (Rounding z first never changes k here, but this is what runs.)
        double kd = Math.fma(INV_LN2_N, xd, SHIFT);
        long ki = Double.doubleToRawLongBits(kd);
        kd -= SHIFT; // exact: k as a double
        // r = z − k, contracted too: exact product minus k, rounded once. This one matters.
        double r = Math.fma(INV_LN2_N, xd, -kd);
        // kd's significand field is 2^51 + k, so ki's low 5 bits are k mod 32 (the table index),
        // and shifting left by 52 − 5 drops the rest of SHIFT and adds k/32 to the exponent field.
        long t = TABLE[(int) (ki & (N - 1))] + (ki << (DOUBLE_FRACTION_BITS - TABLE_BITS));
        double s = Double.longBitsToDouble(t);
        double c = Math.fma(C0, r, C1);
        double r2 = r * r;
        double y = Math.fma(C2, r, 1.0);
        y = Math.fma(c, r2, y);
        return (float) (y * s); // the only rounding to float
    }
}
