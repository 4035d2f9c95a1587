package dev.absorb.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every lane of {@link VectorExp} equals the scalar {@link ExpPoly} bit for bit. */
class VectorExpTest {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    @Test
    void floatLanesMatchTheScalarPolynomialOnEveryTwentyThirdFloatAndTheSpecialValues() {
        float[] in = new float[FLOATS.length()];
        float[] out = new float[FLOATS.length()];
        int filled = 0;
        // A stride co-prime with the lane count walks every bit pattern class: all exponents,
        // both signs, NaNs, infinities and subnormals.
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 23 * 4099) {
            in[filled++] = Float.intBitsToFloat((int) bits);
            if (filled == in.length) {
                checkFloats(in, out);
                filled = 0;
            }
        }
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -104f, 89f,
                -103.97208f, 88.72284f, 88.72283f, -87.33655f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE};
        for (float s : specials) {
            java.util.Arrays.fill(in, s);
            checkFloats(in, out);
        }
    }

    @Test
    void floatLanesMatchOnEveryFloatOfMagnitude64To128WhereTheModeratePathEnds() {
        // Vectors with every lane in [−87, 87] take VectorExp's one-multiply scaling, the others
        // the clamped two-multiply one: every float of exponent 6, both signs, runs through
        // both sides of that boundary (87) and of the clamps (89, 104).
        float[] in = new float[FLOATS.length()];
        float[] out = new float[FLOATS.length()];
        int filled = 0;
        for (int sign = 0; sign < 2; sign++) {
            for (int bits = Float.floatToIntBits(64f); bits < Float.floatToIntBits(128f); bits++) {
                in[filled++] = Float.intBitsToFloat(bits | sign << 31);
                if (filled == in.length) {
                    checkFloats(in, out);
                    filled = 0;
                }
            }
        }
    }

    @Test
    void floatLanesMatchOnDenseRandomInputsInTheUsefulRange() {
        SplittableRandom random = new SplittableRandom(1);
        float[] in = new float[FLOATS.length()];
        float[] out = new float[FLOATS.length()];
        for (int i = 0; i < 200_000; i++) {
            for (int l = 0; l < in.length; l++) {
                in[l] = (float) random.nextDouble(-110, 95);
            }
            checkFloats(in, out);
        }
    }

    /**
     * The range scan answers for every element, wherever it lies: one value just outside
     * [−87, 87] (or NaN) at each position of an array that fills the scan's four maxima and its
     * tail, and a window [from, to) that leaves out a value outside it.
     */
    @Test
    void theModerateScanSeesEveryElement() {
        int width = VectorWidth.FLOATS.length();
        int n = 9 * width;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 2 == 0 ? 87f : -87f) * (i % 7) / 6f;
        }
        assertTrue(VectorExp.moderate(x, 0, n));
        for (float outside : new float[] {Math.nextUp(87f), -Math.nextUp(87f), Float.NaN, Float.NEGATIVE_INFINITY}) {
            for (int i = 0; i < n; i++) {
                float kept = x[i];
                x[i] = outside;
                assertFalse(VectorExp.moderate(x, 0, n), "element " + i + " = " + outside);
                int from = (i / width + 1) * width;
                if (from < n) {
                    assertTrue(VectorExp.moderate(x, from, n), "window from " + from + " past element " + i);
                }
                x[i] = kept;
            }
        }
    }

    @Test
    void doubleLanesMatchTheScalarPolynomial() {
        SplittableRandom random = new SplittableRandom(2);
        double[] in = new double[DOUBLES.length()];
        double[] out = new double[DOUBLES.length()];
        double[] specials = {0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -746, 710,
                -745.1332191019412, 709.782712893384, -708.3964185322641, Double.MIN_VALUE};
        for (double s : specials) {
            java.util.Arrays.fill(in, s);
            checkDoubles(in, out);
        }
        for (int i = 0; i < 200_000; i++) {
            for (int l = 0; l < in.length; l++) {
                in[l] = i % 2 == 0 ? random.nextDouble(-750, 712) : Double.longBitsToDouble(random.nextLong());
            }
            checkDoubles(in, out);
        }
    }

    private static void checkFloats(float[] in, float[] out) {
        VectorExp.exp(FloatVector.fromArray(FLOATS, in, 0)).intoArray(out, 0);
        for (int l = 0; l < in.length; l++) {
            float x = in[l];
            assertEquals(Float.floatToIntBits(ExpPoly.exp(x)), Float.floatToIntBits(out[l]), () -> "exp(" + x + ")");
        }
    }

    private static void checkDoubles(double[] in, double[] out) {
        VectorExp.exp(DoubleVector.fromArray(DOUBLES, in, 0)).intoArray(out, 0);
        for (int l = 0; l < in.length; l++) {
            double x = in[l];
            assertEquals(Double.doubleToLongBits(ExpPoly.exp(x)), Double.doubleToLongBits(out[l]), () -> "exp(" + x + ")");
        }
    }
}
