package dev.absorb.kernel;

import dev.absorb.format.Rounding;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that two kernels give the same evaluation bit for bit: lse, loss and every gradient entry. */
final class SameEvaluation {

    private SameEvaluation() {
    }

    /**
     * The SIMD kernel against the scalar reference, bit for bit, on random logits of the first
     * {@code kinds} kinds ({@link SimdKernelTest#logits}) at each class count, a random target
     * each, seeded by the recipe: the whole evaluation, and the forward pass alone on a kernel
     * that only ever runs forward (scratch arrays that pass does not fill hold nothing of these logits).
     */
    static void assertMatchesTheScalarReference(Recipe recipe, int[] classCounts, int kinds) {
        ScalarKernel scalar = new ScalarKernel(recipe);
        SimdKernel simd = new SimdKernel(recipe);
        SimdKernel forwardOnly = new SimdKernel(recipe);
        Rounding toFormat = Rounding.nearest(recipe.format());
        SplittableRandom random = new SplittableRandom(recipe.toString().hashCode());
        for (int classes : classCounts) {
            for (int kind = 0; kind < kinds; kind++) {
                double[] z = SimdKernelTest.logits(kind, classes, random, toFormat);
                int y = random.nextInt(classes);
                assertSameBothWays(recipe, scalar, simd, forwardOnly, z, y);
            }
        }
    }

    /**
     * The SIMD kernel against the scalar reference on each row, rounded to the recipe's format, at
     * every target: the whole evaluation and the forward pass alone.
     */
    static void assertMatchesTheScalarReferenceOn(Recipe recipe, double[][] rows) {
        ScalarKernel scalar = new ScalarKernel(recipe);
        SimdKernel simd = new SimdKernel(recipe);
        SimdKernel forwardOnly = new SimdKernel(recipe);
        Rounding toFormat = Rounding.nearest(recipe.format());
        for (double[] z : rows) {
            double[] stored = new double[z.length];
            for (int j = 0; j < z.length; j++) {
                stored[j] = toFormat.round(z[j], 0);
            }
            for (int y = 0; y < z.length; y++) {
                assertSameBothWays(recipe, scalar, simd, forwardOnly, stored, y);
            }
        }
    }

    /** The whole evaluation against the scalar reference, then the forward pass alone on forwardOnly. */
    static void assertSameBothWays(Recipe recipe, ScalarKernel scalar, SimdKernel simd, SimdKernel forwardOnly, double[] z, int y) {
        assertSameForward(recipe, assertSameEvaluation(recipe, scalar, simd, z, y), forwardOnly, z, y);
    }

    /** Returns the reference's evaluation. */
    static Evaluation assertSameEvaluation(Recipe recipe, Kernel reference, Kernel kernel, double[] z, int y) {
        int n = z.length;
        double[] expected = new double[n];
        double[] actual = new double[n];
        Evaluation e = reference.evaluate(z, y, expected);
        Evaluation a = kernel.evaluate(z, y, actual);
        String where = recipe + " C=" + n + " y=" + y;
        assertSameBits(e.lse(), a.lse(), where + " lse");
        assertSameBits(e.loss(), a.loss(), where + " loss");
        for (int j = 0; j < n; j++) {
            assertSameBits(expected[j], actual[j], where + " g[" + j + "]");
        }
        return e;
    }

    /** The forward pass alone (no gradient array) gives the reference's lse and loss. */
    static void assertSameForward(Recipe recipe, Evaluation expected, SimdKernel simd, double[] z, int y) {
        float[] logits = new float[z.length];
        for (int j = 0; j < z.length; j++) {
            logits[j] = (float) z[j];
        }
        Evaluation forward = simd.evaluate(logits, z.length, y, null);
        String where = recipe + " C=" + z.length + " y=" + y + " forward";
        assertSameBits(expected.lse(), forward.lse(), where + " lse");
        assertSameBits(expected.loss(), forward.loss(), where + " loss");
    }

    /** The same bits, or both NaN. */
    static void assertSameBits(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), () -> what + ": expected NaN, got " + actual);
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                    () -> what + ": expected " + expected + ", got " + actual);
        }
    }
}
