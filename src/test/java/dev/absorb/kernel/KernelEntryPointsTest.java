package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every entry point of the {@link Kernel} facade gives the same evaluation, whichever kernel
 * {@link Kernels#of} picks: doubles (a whole row, or the prefix of a longer array), the forward
 * pass alone, floats, and storage codes where the format has them.
 */
class KernelEntryPointsTest {

    @ParameterizedTest
    @ValueSource(strings = {"bf16", "fp16/grad=complement", "e4m3/round=sr", "fp32", "fp64", "fp64/grad=zerosum",
            "bf16/acc=fp64", "e5m2/algo=online/round=srh", "e8m3fn", "fp64/algo=online"})
    void everyEntryPointGivesTheSameEvaluation(String text) {
        Recipe recipe = Recipe.parse(text);
        Kernel kernel = Kernels.of(recipe);
        Format format = recipe.format();
        Rounding toFormat = Rounding.nearest(format);
        SplittableRandom random = new SplittableRandom(text.hashCode());
        for (int n : new int[] {1, 9, 100}) {
            double[] z = new double[n];
            for (int j = 0; j < n; j++) {
                z[j] = toFormat.round(random.nextGaussian() * 3, 0);
            }
            int y = random.nextInt(n);
            double[] expectedGradient = new double[n];
            Evaluation expected = kernel.evaluate(z, y, expectedGradient);
            String where = text + " C=" + n;

            double[] longer = new double[n + 5];
            System.arraycopy(z, 0, longer, 0, n);
            double[] gradient = new double[n];
            assertEquals(expected, kernel.evaluate(longer, n, y, gradient), where + " prefix");
            assertSameBits(expectedGradient, gradient, where + " prefix");
            assertEquals(expected, kernel.evaluate(longer, n, y, (double[]) null), where + " forward");

            float[] floats = new float[n];
            for (int j = 0; j < n; j++) {
                floats[j] = (float) z[j];
            }
            if (!format.fitsFloat()) {
                assertThrows(IllegalArgumentException.class, () -> kernel.evaluate(floats, n, y, new float[n]), where);
                continue;
            }
            float[] floatGradient = new float[n];
            assertEquals(expected, kernel.evaluate(floats, n, y, floatGradient), where + " floats");
            assertEquals(expected, kernel.evaluate(floats, n, y, (float[]) null), where + " floats forward");
            for (int j = 0; j < n; j++) {
                SameEvaluation.assertSameBits(expectedGradient[j], floatGradient[j], where + " floats g[" + j + "]");
            }
            checkCodes(kernel, format, floats, n, y, expected, floatGradient, where);
        }
    }

    /** The storage-typed entry point of the format's width gives the float evaluation; the other width is refused. */
    private static void checkCodes(Kernel kernel, Format format, float[] z, int n, int y, Evaluation expected,
                                   float[] expectedGradient, String where) {
        if (!VectorCodec.supports(format)) {
            assertThrows(IllegalArgumentException.class, () -> kernel.evaluate(new short[n], n, y, new short[n]), where);
            assertThrows(IllegalArgumentException.class, () -> kernel.evaluate(new byte[n], n, y, new byte[n]), where);
            return;
        }
        long[] codes = new long[n];
        Evaluation actual;
        if (VectorCodec.storageWidth(format) == Byte.SIZE) {
            byte[] stored = new byte[n];
            byte[] grad = new byte[n];
            for (int j = 0; j < n; j++) {
                stored[j] = (byte) format.encode(z[j]);
            }
            actual = kernel.evaluate(stored, n, y, grad);
            assertEquals(expected, kernel.evaluate(stored, n, y, null), where + " byte forward");
            for (int j = 0; j < n; j++) {
                codes[j] = grad[j] & 0xFF;
            }
            assertThrows(IllegalArgumentException.class, () -> kernel.evaluate(new short[n], n, y, new short[n]), where);
        } else {
            short[] stored = new short[n];
            short[] grad = new short[n];
            for (int j = 0; j < n; j++) {
                stored[j] = (short) format.encode(z[j]);
            }
            actual = kernel.evaluate(stored, n, y, grad);
            assertEquals(expected, kernel.evaluate(stored, n, y, null), where + " short forward");
            for (int j = 0; j < n; j++) {
                codes[j] = grad[j] & 0xFFFF;
            }
            assertThrows(IllegalArgumentException.class, () -> kernel.evaluate(new byte[n], n, y, new byte[n]), where);
        }
        assertEquals(expected, actual, where + " codes");
        for (int j = 0; j < n; j++) {
            assertEquals(format.encode(expectedGradient[j]), codes[j], where + " code of g[" + j + "]");
        }
    }

    private static void assertSameBits(double[] expected, double[] actual, String where) {
        for (int j = 0; j < expected.length; j++) {
            SameEvaluation.assertSameBits(expected[j], actual[j], where + " g[" + j + "]");
        }
    }
}
