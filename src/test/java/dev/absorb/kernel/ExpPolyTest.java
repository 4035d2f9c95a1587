package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/**
 * ExpPoly's accuracy against the bounds its Javadoc documents: float &lt; 0.94 ulp over
 * [−104, 89] (0.9387 measured over every float there), double &lt; 1 ulp (0.87 measured on random
 * inputs). Both are faithful: the result is one of the two neighbours of e^x.
 *
 * <h2>The float reference</h2>
 * {@code StrictMath.exp} in double (fdlibm: error &lt; 1 double ulp, on every JVM). The error is
 * measured against that double, not against a float rounded from it: |ExpPoly(x) − ref| in
 * units of the float spacing at ref. The reference's own error is below 2^-29 of a float ulp
 * (double has 29 more bits), so a measured 0.9387 means 0.9387 ± 2e-9 ulp: far inside the
 * margin to 0.94. Rounding the reference to float first would not be safe to 1 ulp: when e^x
 * is within 2^-29 ulp of a float midpoint, fdlibm's double may land on the wrong side.
 *
 * <h2>The double reference</h2>
 * e^x in 60-digit BigDecimal (BigMath.exp), so the measured error is exact to far below an ulp.
 */
class ExpPolyTest {

    /** The documented bounds (ExpPoly's Javadoc, "Accuracy"). */
    static final double FLOAT_MAX_ULPS = 0.94;
    static final double DOUBLE_MAX_ULPS = 1.0;

    /** The float spacing at |v| (subnormals included), for v a double. */
    static double floatUlp(double v) {
        int exponent = Math.max(Math.getExponent(Math.abs(v)), Float.MIN_EXPONENT);
        return Math.scalb(1.0, exponent - 23);
    }

    /** |ExpPoly(x) − e^x| in float ulps at e^x, e^x from StrictMath in double; NaN past overflow. */
    static double floatError(float x) {
        double reference = StrictMath.exp(x);
        if (reference > Float.MAX_VALUE) {
            return Double.NaN;
        }
        return Math.abs(ExpPoly.exp(x) - reference) / floatUlp(reference);
    }

    /**
     * A dense sample of [−104, 89]: every 127th float code of either sign (about 18 million
     * inputs, spread like the floats: most near 0), plus a uniform grid of 2^20 points.
     */
    @Test
    void floatErrorIsBelowTheDocumentedBoundOnADenseSample() {
        double worst = 0;
        float worstX = 0;
        int lowest = Float.floatToRawIntBits(-104f);
        int highest = Float.floatToRawIntBits(89f);
        for (long code = 0x80000000L; code <= Integer.toUnsignedLong(lowest); code += 127) {
            float x = Float.intBitsToFloat((int) code);
            double e = floatError(x);
            if (e > worst) {
                worst = e;
                worstX = x;
            }
        }
        for (int code = 0; code <= highest; code += 127) {
            float x = Float.intBitsToFloat(code);
            double e = floatError(x);
            if (e > worst) { // NaN (overflow) compares false
                worst = e;
                worstX = x;
            }
        }
        for (int i = 0; i <= 1 << 20; i++) {
            float x = (float) (-104 + 193.0 * i / (1 << 20));
            double e = floatError(x);
            if (e > worst) {
                worst = e;
                worstX = x;
            }
        }
        float at = worstX;
        double max = worst;
        assertTrue(max < FLOAT_MAX_ULPS, () -> "ExpPoly(" + at + ") is " + max + " ulp off");
        // and the sample reaches into the tail (the exhaustive maximum, 0.9387, is checked below)
        assertTrue(max > 0.85, () -> "sample max only " + max);
    }

    @Test
    void theWorstFloatInputFoundByAnExhaustiveScan() {
        // Every float in [−104, 89] was scanned once (41 s): the maximum error is at this input.
        double e = floatError(0x1.ab05d2p4f); // 26.688921
        assertTrue(e > 0.938 && e < FLOAT_MAX_ULPS, "error " + e);
    }

    @Test
    void floatSpecialValuesAndRangeEnds() {
        assertTrue(Float.isNaN(ExpPoly.exp(Float.NaN)));
        assertEquals(0.0f, ExpPoly.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, ExpPoly.exp(Float.POSITIVE_INFINITY));
        assertEquals(1.0f, ExpPoly.exp(0.0f));
        assertEquals(1.0f, ExpPoly.exp(-0.0f));
        // overflow: ln(Float.MAX_VALUE) = 88.7228391; e^88.72283 is finite, e^88.7229 is not
        assertTrue(ExpPoly.exp(88.72283f) < Float.POSITIVE_INFINITY);
        assertEquals(Float.POSITIVE_INFINITY, ExpPoly.exp(88.7229f));
        assertEquals(Float.POSITIVE_INFINITY, ExpPoly.exp(1e30f));
        // underflow: e^-103.5 = 1.1e-45 rounds to the smallest subnormal 1.4e-45; e^-104 = 6.8e-46 to 0
        assertEquals(Float.MIN_VALUE, ExpPoly.exp(-103.5f));
        assertEquals(0.0f, ExpPoly.exp(-104f));
        assertEquals(0.0f, ExpPoly.exp(-1e30f));
        // subnormal results are rounded once (no double rounding through a normal intermediate)
        for (float x = -103.9f; x < -87.3f; x += 0.01f) {
            float xx = x;
            assertTrue(floatError(x) < FLOAT_MAX_ULPS, () -> "subnormal e^" + xx);
        }
    }

    /** Doubles: 2000 random inputs over the range and near 0, against BigDecimal. */
    @Test
    void doubleErrorIsBelowOneUlp() {
        SplittableRandom random = new SplittableRandom(2024);
        double worst = 0;
        double worstX = 0;
        for (int i = 0; i < 2000; i++) {
            double x;
            switch (i % 4) {
                case 0: x = random.nextDouble(-745.1, 709.78); break;
                case 1: x = random.nextDouble(-1, 1); break;
                case 2: x = random.nextDouble(-40, 40); break;
                default: x = random.nextDouble(-745.1, -708); break; // subnormal results
            }
            BigDecimal exact = BigMath.exp(x);
            int quantum = Math.max(BigMath.floorLog2(exact), -1022) - 52;
            double e = new BigDecimal(ExpPoly.exp(x)).subtract(exact).abs().multiply(BigMath.pow2(-quantum)).doubleValue();
            if (e > worst) {
                worst = e;
                worstX = x;
            }
        }
        double max = worst;
        double at = worstX;
        assertTrue(max < DOUBLE_MAX_ULPS, () -> "ExpPoly(" + at + ") is " + max + " ulp off");
    }

    @Test
    void doubleSpecialValuesAndRangeEnds() {
        assertTrue(Double.isNaN(ExpPoly.exp(Double.NaN)));
        assertEquals(0.0, ExpPoly.exp(Double.NEGATIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, ExpPoly.exp(Double.POSITIVE_INFINITY));
        assertEquals(1.0, ExpPoly.exp(0.0));
        // ln(Double.MAX_VALUE) = 709.782712893384
        assertTrue(ExpPoly.exp(709.78) < Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, ExpPoly.exp(709.79));
        // e^-744.5 = 4.8e-324 rounds to the smallest subnormal; e^-746 to 0
        assertEquals(Double.MIN_VALUE, ExpPoly.exp(-744.5));
        assertEquals(0.0, ExpPoly.exp(-746.0));
    }

    @Test
    void theKernelUsesExpPolyForExpEqualsPoly() {
        // fp32/lse=log1p with z = (0, x): m = 0, s = e_1 = ExpPoly(x), lse = 0 + fl32(log1p(s)).
        for (float x : new float[] {-1f, -5.5f, -20f, -80f}) {
            double[] g = new double[2];
            Evaluation e = new ScalarKernel(Recipe.parse("fp32/lse=log1p")).evaluate(new double[] {0, x}, 0, g);
            assertEquals((float) StrictMath.log1p(ExpPoly.exp(x)), e.lse(), "x = " + x);
        }
    }
}
