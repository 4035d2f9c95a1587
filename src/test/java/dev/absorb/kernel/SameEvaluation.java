package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that two kernels give the same evaluation bit for bit: lse, loss and every gradient entry. */
final class SameEvaluation {

    private SameEvaluation() {
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
