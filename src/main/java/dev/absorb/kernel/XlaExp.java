package dev.absorb.kernel;

/**
 * XLA:CPU's own float exp, bit for bit as jaxlib 0.10.2 runs it: what a jitted JAX exp computes on
 * fp32 (and, widened to fp32 and rounded back, on bf16 and fp16) wherever XLA emits the exp itself
 * rather than handing it to YNNPACK ({@link YnnpackExp}). Half of {@code exp=xla}.
 *
 * <h2>Method</h2>
 * XLA's {@code GenerateVF32Exp} (Cephes' expf), as its LLVM build contracts it into fused
 * multiply-adds; every step is an operation Java defines exactly:
 * <ol>
 *   <li>x is clamped to [−87.8, 88.8] (a NaN passes through).</li>
 *   <li>n = floor(fma(x, log2 e, 1/2)), clamped to [−127, 127].</li>
 *   <li>r = x − n·ln 2 in two fma steps, ln 2 split as Cephes' C1 + C2 (C1 = 0.693359375 has 9
 *   significant bits, so the first step is exact).</li>
 *   <li>p = a degree-5 polynomial in r by Horner, each step one fma; y = fma(p, r·r, r) + 1.</li>
 *   <li>y · 2^n with 2^n built in the exponent field: n = −127 gives the bit pattern 0, so +0.</li>
 * </ol>
 * XLA:CPU runs with the x86 flags FTZ and DAZ set: a subnormal input counts as 0 (e^x = 1), and a
 * result below 2^−126 (tininess after rounding) is flushed to +0, so this exp never returns a
 * subnormal. No intermediate step can be subnormal for a normal input, so those two are all the
 * flags change.
 *
 * <h2>Special values</h2>
 * NaN gives NaN. −inf and every x below about −87.34 give +0; +inf and every x above about 88.72
 * give +inf.
 *
 * <h2>Verification</h2>
 * Equal to jax.jit(jnp.exp) on every float bit pattern but the NaNs (compared outside the tests
 * through hashes of each block of 2^24 outputs; NaN gives NaN). XlaExpTest checks a golden file
 * that JAX wrote (scripts/jax-golden/expf.py): both signs, the clamp edges, the inputs where the
 * result is not correctly rounded. Without the fma contraction 1,064,192 inputs of [−104, 0]
 * differ.
 *
 * <h2>References</h2>
 * openxla/xla, xla/backends/cpu/codegen/polynomial_approximations.cc: {@code GenerateVF32Exp}.
 * Later XLA versions split ln 2 differently and clamp n to [−127, 128]; the constants here are
 * those of jaxlib 0.10.2's machine code.
 */
final class XlaExp {

    static final float LOWER = -87.8f;
    static final float UPPER = 88.8f;
    /** Cephes' LOG2EF, log2 e rounded to float. */
    private static final float LOG2E = Float.intBitsToFloat(0x3FB8AA3B);
    /** Cephes' split of ln 2: C1 = 0.693359375 (exact), C2 = ln 2 − C1 rounded to float. */
    private static final float C1 = Float.intBitsToFloat(0x3F318000);
    private static final float C2 = Float.intBitsToFloat(0xB95E8083);
    /** Cephes' expf polynomial, highest degree first. */
    private static final float P0 = Float.intBitsToFloat(0x39506967);
    private static final float P1 = Float.intBitsToFloat(0x3AB743CE);
    private static final float P2 = Float.intBitsToFloat(0x3C088908);
    private static final float P3 = Float.intBitsToFloat(0x3D2AA9C1);
    private static final float P4 = Float.intBitsToFloat(0x3E2AAAAA);
    private static final float P5 = 0.5f;

    private XlaExp() {
    }

    static float exp(float x) {
        float a = Math.abs(x) < Float.MIN_NORMAL ? 0f : x; // DAZ
        // Compares, not Math.max/min: XLA's selects keep a NaN.
        if (a < LOWER) {
            a = LOWER;
        }
        if (a > UPPER) {
            a = UPPER;
        }
        float n = (float) Math.floor(Math.fma(a, LOG2E, 0.5f));
        if (n < -127f) {
            n = -127f;
        }
        if (n > 127f) {
            n = 127f;
        }
        float r = Math.fma(-n, C1, a);
        r = Math.fma(-n, C2, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(r, p, P2);
        p = Math.fma(r, p, P3);
        p = Math.fma(r, p, P4);
        p = Math.fma(r, p, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        // (int) NaN is 0 in Java; the NaN is still in y.
        float scale = Float.intBitsToFloat(((int) n + 127) << 23);
        return flushToZero(y, scale);
    }

    /**
     * y · scale for a power of two (or zero) {@code scale}, flushed as x86 FTZ flushes: the product
     * is exact in double, so it is below 2^−126 after rounding to 24 bits exactly when it is below
     * 2^−126 as it stands.
     */
    static float flushToZero(float y, float scale) {
        double product = (double) y * scale;
        return Math.abs(product) < Float.MIN_NORMAL ? Math.copySign(0f, (float) product) : (float) product;
    }
}
