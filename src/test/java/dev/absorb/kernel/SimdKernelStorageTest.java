package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage-typed entry points of {@link SimdKernel} against its float[] one: the same lse and
 * loss bit for bit, and every gradient code equal to Format.encode of the float gradient.
 */
class SimdKernelStorageTest {

    private static final int[] CLASSES = {1, 7, 8, 9, 33, 1000};

    static Stream<Recipe> recipes() {
        List<Recipe> all = new ArrayList<>();
        for (String format : List.of("bf16", "fp16", "e4m3", "e5m2", "e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz", "e3m4",
                "e3m2", "e2m3", "e2m1", "e5m3")) {
            for (String variant : List.of("", "/acc=fp32", "/grad=complement", "/compute=fp32/grad=lse", "/round=sr",
                    "/lse=log1p/lanes=16", "/sat=on")) {
                Recipe r = Recipe.parse(format + variant);
                if (SimdPlan.supports(r)) {
                    all.add(r);
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void storageCodesGiveTheFloatEvaluationAndItsGradientCodes(Recipe recipe) {
        Format format = recipe.format();
        SimdKernel onFloats = new SimdKernel(recipe);
        SimdKernel onCodes = new SimdKernel(recipe);
        Rounding toFormat = Rounding.nearest(format);
        SplittableRandom random = new SplittableRandom(recipe.toString().hashCode());
        for (int classes : CLASSES) {
            for (int kind = 0; kind < 3; kind++) {
                int[] codes = logitCodes(kind, classes, format, toFormat, random);
                int y = random.nextInt(classes);
                float[] z = new float[classes];
                for (int j = 0; j < classes; j++) {
                    double v = format.decode(codes[j]);
                    z[j] = Double.isNaN(v) ? Float.NaN : (float) v;
                }
                float[] g = new float[classes];
                Evaluation expected = onFloats.evaluate(z, classes, y, g);
                Evaluation forward = onFloats.evaluate(z, classes, y, null);
                String where = recipe + " C=" + classes + " kind=" + kind + " y=" + y;

                int[] gradientCodes = new int[classes];
                Evaluation actual;
                Evaluation actualForward;
                if (VectorCodec.storageWidth(format) == Byte.SIZE) {
                    byte[] stored = new byte[classes];
                    byte[] grad = new byte[classes];
                    for (int j = 0; j < classes; j++) {
                        stored[j] = (byte) codes[j];
                    }
                    actual = onCodes.evaluate(stored, classes, y, grad);
                    actualForward = onCodes.evaluate(stored, classes, y, null);
                    for (int j = 0; j < classes; j++) {
                        gradientCodes[j] = grad[j] & 0xFF;
                    }
                } else {
                    short[] stored = new short[classes];
                    short[] grad = new short[classes];
                    for (int j = 0; j < classes; j++) {
                        stored[j] = (short) codes[j];
                    }
                    actual = onCodes.evaluate(stored, classes, y, grad);
                    actualForward = onCodes.evaluate(stored, classes, y, null);
                    for (int j = 0; j < classes; j++) {
                        gradientCodes[j] = grad[j] & 0xFFFF;
                    }
                }
                assertSameBits(expected.lse(), actual.lse(), where + " lse");
                assertSameBits(expected.loss(), actual.loss(), where + " loss");
                assertSameBits(forward.lse(), actualForward.lse(), where + " forward lse");
                assertSameBits(forward.loss(), actualForward.loss(), where + " forward loss");
                for (int j = 0; j < classes; j++) {
                    assertEquals(format.encode(g[j]), gradientCodes[j], where + " g[" + j + "] = " + g[j]);
                }
            }
        }
    }

    @Test
    void refusesAFormatOfTheWrongWidth() {
        SimdKernel bf16 = new SimdKernel(Recipe.parse("bf16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bf16.evaluate(new byte[8], 8, 0, new byte[8]));
        assertEquals("bf16 (16 bits) is not stored in byte[] (formats of at most 8 bits): use the short[] entry point", e.getMessage());
        SimdKernel e4m3 = new SimdKernel(Recipe.parse("e4m3"));
        assertThrows(IllegalArgumentException.class, () -> e4m3.evaluate(new short[8], 8, 0, new short[8]));
        SimdKernel fp32 = new SimdKernel(Recipe.parse("fp32"));
        e = assertThrows(IllegalArgumentException.class, () -> fp32.evaluate(new short[8], 8, 0, null));
        assertTrue(e.getMessage().contains("use float[] values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e4m3.evaluate(new byte[8], 9, 0, new byte[9]));
        assertThrows(IllegalArgumentException.class, () -> e4m3.evaluate(new byte[8], 8, 8, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> e4m3.evaluate(new byte[8], 8, 0, new byte[7]));
    }

    /**
     * Codes of gauss logits with the target gap, of a runner-up, or random codes (NaN, ±inf and
     * subnormal codes included).
     */
    private static int[] logitCodes(int kind, int classes, Format format, Rounding toFormat, SplittableRandom random) {
        int[] codes = new int[classes];
        double gap = random.nextDouble(0, 12);
        int all = 1 << format.storageBits();
        for (int j = 0; j < classes; j++) {
            if (kind == 2) {
                codes[j] = random.nextInt(all);
                continue;
            }
            double v = kind == 0 ? random.nextGaussian() : j == 0 ? gap : j == 1 ? gap - random.nextDouble(0, 2) : -random.nextDouble(0, 5);
            codes[j] = (int) format.encode(toFormat.round(v, 0));
        }
        return codes;
    }

    private static void assertSameBits(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), () -> what + ": expected NaN, got " + actual);
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                    () -> what + ": expected " + expected + ", got " + actual);
        }
    }
}
