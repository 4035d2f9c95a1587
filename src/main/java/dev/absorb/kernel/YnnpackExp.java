package dev.absorb.kernel;

/**
 * YNNPACK's float exp, bit for bit as jaxlib 0.10.2 runs it on x86 (its FMA3 kernel): what a jitted
 * JAX cross-entropy computes for fp32 rows of 4096 or more classes, where XLA:CPU hands the max,
 * the subtraction, the exp and the row sum to YNNPACK. The other half of {@code exp=xla}
 * ({@link XlaExp}).
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>x is clamped to [−88.0296936, 88.7228394] (a NaN passes through).</li>
 *   <li>z = round(x · log2 e) by the magic number 1.5·2^23: the product is rounded to float
 *   first, then to an integer, ties to even.</li>
 *   <li>r = x − z·ln 2 in two fma steps, ln 2 split as 0x1.62e4p−1 + 0x1.7f7d1cp−20.</li>
 *   <li>e^r − 1 ≈ r + r²·(E(r²) + r·O(r²)): even and odd halves of a minimax polynomial, each by
 *   Horner in r² with fma, joined by two more fma.</li>
 *   <li>s = 2^z from the bits of z + 8388735 shifted into the exponent field (z = −127 gives +0,
 *   z = 128 gives +inf, which is returned as it is); the result is fma(p, s, s).</li>
 * </ol>
 * As in XLA's own exp, FTZ and DAZ are set: a subnormal input counts as 0 and a result below
 * 2^−126 after rounding is flushed to +0 (without the flush, 45,427 inputs of [−104, 0] differ).
 *
 * <h2>Special values</h2>
 * NaN gives NaN, −inf and every x below about −87.34 give +0, +inf gives +inf.
 *
 * <h2>Verification</h2>
 * Measured through JAX as exp(x − max x) over rows whose max is 0, so for x ≤ 0 and NaN only, the
 * arguments this exp ever gets in a softmax: equal on every float from −0 down to −inf (compared
 * outside the tests through hashes of each block of 2^24 outputs) and on NaN. For x &gt; 0 the
 * steps above are those of the machine code, unmeasured. XlaExpTest checks a golden file that JAX
 * wrote (scripts/jax-golden/expf.py).
 *
 * <h2>References</h2>
 * google/XNNPACK, ynnpack/kernels/unary/exp.py ({@code exp_fp32}) defines YNNPACK's exp; the
 * version in jaxlib 0.10.2 (its x86 FMA3 kernel, read from libjax_common.so) is the polynomial
 * above, not the rational approximation of later versions. openxla/xla,
 * xla/backends/cpu/ynn_support.cc: {@code IsInstructionPreferredByYnn} (4096 elements or more)
 * and the fp32 elementwise operations XLA:CPU gives YNNPACK.
 */
final class YnnpackExp {

    private static final float LOWER = Float.intBitsToFloat(0xC2B00F34);
    private static final float UPPER = Float.intBitsToFloat(0x42B17218);
    private static final float LOG2E = Float.intBitsToFloat(0x3FB8AA3B);
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUND = 12582912f;
    /** 2^23 + 127: z + BIAS has z + 127 in its low mantissa bits, which the shift puts in the exponent. */
    private static final float BIAS = 8388735f;
    private static final float MINUS_LN2_HI = Float.intBitsToFloat(0xBF317200);
    private static final float MINUS_LN2_LO = Float.intBitsToFloat(0xB5BFBE8E);
    /** Even half, in r²: E3·r⁶ + E2·r⁴ + E1·r² + E0. */
    private static final float E3 = Float.intBitsToFloat(0xB85127E0);
    private static final float E2 = Float.intBitsToFloat(0x3AB93CAC);
    private static final float E1 = Float.intBitsToFloat(0x3D2AA994);
    private static final float E0 = Float.intBitsToFloat(0x3EFFFFFE);
    /** Odd half, in r²: O2·r⁴ + O1·r² + O0. */
    private static final float O2 = Float.intBitsToFloat(0x396ECCE9);
    private static final float O1 = Float.intBitsToFloat(0x3C08629E);
    private static final float O0 = Float.intBitsToFloat(0x3E2AAAD2);

    private YnnpackExp() {
    }

    static float exp(float x) {
        float a = Math.abs(x) < Float.MIN_NORMAL ? 0f : x; // DAZ
        a = Math.min(Math.max(a, LOWER), UPPER); // Math.max and min keep a NaN, as the kernel does
        float z = (a * LOG2E + ROUND) - ROUND;
        float r = Math.fma(z, MINUS_LN2_HI, a);
        r = Math.fma(z, MINUS_LN2_LO, r);
        float scale = Float.intBitsToFloat(Float.floatToRawIntBits(z + BIAS) << 23);
        float r2 = r * r;
        float even = Math.fma(r2, E3, E2);
        even = Math.fma(r2, even, E1);
        even = Math.fma(r2, even, E0);
        float odd = Math.fma(r2, O2, O1);
        odd = Math.fma(r2, odd, O0);
        float p = Math.fma(r, odd, even);
        p = Math.fma(r2, p, r);
        if (Float.isInfinite(scale)) {
            return scale;
        }
        // fma(p, s, s) = s·(1 + p) rounded once, and scaling by s commutes with rounding to 24 bits.
        return XlaExp.flushToZero(1f + p, scale);
    }
}
