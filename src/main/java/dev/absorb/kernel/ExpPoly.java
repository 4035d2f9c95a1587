package dev.absorb.kernel;

import static dev.absorb.kernel.Ieee754.DOUBLE_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.DOUBLE_FRACTION_BITS;
import static dev.absorb.kernel.Ieee754.FLOAT_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * absorb's own exp ({@code exp=poly}), built only from operations whose results IEEE 754 and the
 * Java spec define exactly — add, multiply, fma, exact conversions and exponent-field
 * construction — so every JVM and CPU, scalar or SIMD, gets the same bits (DESIGN.md §4).
 *
 * <h2>Method</h2>
 * Cody–Waite reduction x = n·ln2 + r with n = rint(x·log2 e) by the magic-number trick (no float
 * to int conversion of a rounded value is needed, which JDK 17's vector F2I compiles badly), r
 * from two fma steps with ln2 split into hi + lo, then a Taylor polynomial of e^r on
 * |r| ≤ ln2/2 by Horner with fma (degree 7 in float: truncation ≤ 5e-9 relative; degree 13 in
 * double: ≤ 4e-18), then scaling by 2^n in two exact-or-once-rounded multiplies by powers of two,
 * so subnormal results are rounded once.
 *
 * <h2>Special values</h2>
 * NaN gives NaN, −inf gives +0, +inf gives +inf. The input is clamped to [−104, 89] (float) or
 * [−746, 710] (double), beyond which the result is 0 or inf anyway.
 *
 * <h2>Accuracy</h2>
 * Not correctly rounded, but faithful: the result is always one of the two neighbours of e^x.
 * <ul>
 *   <li>float: error &lt; 0.94 ulp over [−104, 89]. Measured over every float input there against
 *   {@code StrictMath.exp} in double: at most 0.9387 ulp, at x = 26.688921 (0x1.ab05d2p4).</li>
 *   <li>double: error &lt; 1 ulp. Measured on 3·10^5 random inputs over the whole range (and
 *   near 0, and in the subnormal results) against e^x in 60-digit BigDecimal: at most 0.87 ulp.</li>
 * </ul>
 * ulp is the spacing of the format at e^x, subnormals included. ExpPolyTest asserts both bounds
 * on a dense sample. Thresholds only need the result to be the same everywhere, which it is.
 */
final class ExpPoly {

    /** The float clamp: below it e^x rounds to 0, above it to inf (float exp and its lanes alike). */
    static final float MIN_ARGUMENT_F = -104f;
    static final float MAX_ARGUMENT_F = 89f;
    /** The double clamp, likewise. */
    static final double MIN_ARGUMENT = -746.0;
    static final double MAX_ARGUMENT = 710.0;

    static final float LOG2E_F = 0x1.715476p0f;
    static final float MAGIC_F = 0x1.8p23f;
    /** ln 2 split so that n·LN2_HI_F is exact for |n| ≤ 2^11 (its low 12 bits are zero). */
    static final float LN2_HI_F = 0x1.62e400p-1f;
    static final float LN2_LO_F = 0x1.7f7d1cp-20f;
    /** 1/k! rounded to float. */
    static final float C7 = 1f / 5040;
    static final float C6 = 1f / 720;
    static final float C5 = 1f / 120;
    static final float C4 = 1f / 24;
    static final float C3 = 1f / 6;
    static final float C2 = 0.5f;

    static final double LOG2E = 0x1.71547652b82fep0;
    static final double MAGIC = 0x1.8p52;
    /** fdlibm's split of ln 2: LN2_HI has 32 trailing zero bits. */
    static final double LN2_HI = 0x1.62e42feep-1;
    static final double LN2_LO = 0x1.a39ef35793c76p-33;
    /** 1/k! correctly rounded to double, k = 13 … 2: the degree-13 Taylor polynomial's coefficients. */
    static final double F13 = inverseFactorial(13);
    static final double F12 = inverseFactorial(12);
    static final double F11 = inverseFactorial(11);
    static final double F10 = inverseFactorial(10);
    static final double F9 = inverseFactorial(9);
    static final double F8 = inverseFactorial(8);
    static final double F7 = inverseFactorial(7);
    static final double F6 = inverseFactorial(6);
    static final double F5 = inverseFactorial(5);
    static final double F4 = inverseFactorial(4);
    static final double F3 = inverseFactorial(3);
    static final double F2 = inverseFactorial(2);

    private ExpPoly() {
    }

    static float exp(float x) {
        float xc = Math.min(Math.max(x, MIN_ARGUMENT_F), MAX_ARGUMENT_F);
        float n = (xc * LOG2E_F + MAGIC_F) - MAGIC_F;
        float r = Math.fma(n, -LN2_HI_F, xc);
        r = Math.fma(n, -LN2_LO_F, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int ni = (int) n;
        int half = ni >> 1;
        return p * powerOfTwo(half) * powerOfTwo(ni - half);
    }

    static double exp(double x) {
        double xc = Math.min(Math.max(x, MIN_ARGUMENT), MAX_ARGUMENT);
        double n = (xc * LOG2E + MAGIC) - MAGIC;
        double r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        double p = Math.fma(F13, r, F12);
        p = Math.fma(p, r, F11);
        p = Math.fma(p, r, F10);
        p = Math.fma(p, r, F9);
        p = Math.fma(p, r, F8);
        p = Math.fma(p, r, F7);
        p = Math.fma(p, r, F6);
        p = Math.fma(p, r, F5);
        p = Math.fma(p, r, F4);
        p = Math.fma(p, r, F3);
        p = Math.fma(p, r, F2);
        p = Math.fma(p, r, 1.0);
        p = Math.fma(p, r, 1.0);
        int ni = (int) n;
        int half = ni >> 1;
        return p * powerOfTwo((long) half) * powerOfTwo((long) (ni - half));
    }

    /** 1/k!: the exact rational to 34 significant digits, then the nearest double. */
    private static double inverseFactorial(int k) {
        java.math.BigDecimal factorial = java.math.BigDecimal.ONE;
        for (int i = 2; i <= k; i++) {
            factorial = factorial.multiply(java.math.BigDecimal.valueOf(i));
        }
        return java.math.BigDecimal.ONE.divide(factorial, java.math.MathContext.DECIMAL128).doubleValue();
    }

    private static float powerOfTwo(int e) {
        return Float.intBitsToFloat((e + FLOAT_EXPONENT_BIAS) << FLOAT_FRACTION_BITS);
    }

    private static double powerOfTwo(long e) {
        return Double.longBitsToDouble((e + DOUBLE_EXPONENT_BIAS) << DOUBLE_FRACTION_BITS);
    }
}
