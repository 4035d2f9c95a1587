package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The scalar kernel against {@link PlainKernel}, DESIGN.md §4 re-implemented as straightforward
 * double code (fp64 natively, fp32 by a float cast after every operation, bf16 by a float cast
 * then bf16's rounding), on random logits. §4 makes every number exact — one rounding per
 * operation, a fixed summation order, exp by ExpPoly or Math.exp, log by StrictMath — so the
 * comparison is bit for bit, with no tolerance.
 */
class ScalarKernelVsPlainTest {

    private static final String[] GRADS = {"standard", "lse", "div", "complement", "zerosum", "center"};

    /** Variants valid on every format here (round=rne, no acc=fp64 for float formats). */
    private static final String[] VARIANTS = {
        "", "lanes=1", "lanes=2", "lanes=64", "algo=online", "algo=online/lanes=1", "algo=online/lanes=4",
        "algo=naive", "algo=naive/lanes=1", "lse=log1p", "lse=log1p/lanes=1", "algo=online/lse=log1p",
        "acc=kahan", "acc=kahan/lanes=1", "exp=jdk/lanes=1", "exp=jdk/algo=online"};

    /** Wider compute and accumulator formats under bf16. */
    private static final String[] BF16_VARIANTS = {
        "compute=fp32", "acc=fp32", "compute=fp32/acc=fp32", "compute=fp32/lanes=1", "acc=fp32/algo=online"};

    private static final int[] CLASSES = {2, 3, 7, 8, 9, 64, 301};

    static List<String> recipes() {
        List<String> out = new ArrayList<>();
        for (String format : new String[] {"fp64", "fp32", "bf16"}) {
            List<String> variants = new ArrayList<>(Arrays.asList(VARIANTS));
            if (format.equals("bf16")) {
                variants.addAll(Arrays.asList(BF16_VARIANTS));
            }
            for (String variant : variants) {
                for (String grad : GRADS) {
                    String text = format + (variant.isEmpty() ? "" : "/" + variant) + "/grad=" + grad;
                    out.add(Recipe.parse(text).toString());
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void bitForBitOnRandomLogits(String text) {
        Recipe recipe = Recipe.parse(text);
        ScalarKernel kernel = new ScalarKernel(recipe);
        PlainKernel plain = new PlainKernel(recipe);
        PlainKernel.Fmt f = PlainKernel.Fmt.of(recipe.format().name());
        SplittableRandom random = new SplittableRandom(text.hashCode());
        for (int trial = 0; trial < 2 * CLASSES.length; trial++) {
            // given
            int n = CLASSES[trial % CLASSES.length];
            int y = random.nextInt(n);
            double[] z = PlainKernel.logits(random, n, y, f);
            double[] g = new double[n];
            double[] expected = new double[n];

            // when
            Evaluation e = kernel.evaluate(z, y, g);
            double[] lseLoss = plain.evaluate(z, y, expected);

            // then
            String where = text + ", C=" + n + ", y=" + y + (n <= 16 ? ", z=" + Arrays.toString(z) : "");
            assertBits(lseLoss[0], e.lse(), "lse, " + where);
            assertBits(lseLoss[1], e.loss(), "loss, " + where);
            for (int j = 0; j < n; j++) {
                assertBits(expected[j], g[j], "g[" + j + "], " + where);
            }
        }
    }

    /** Same double, bit for bit (tells −0 from +0). */
    static void assertBits(double expected, double actual, String message) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                () -> message + ": expected " + expected + " (" + Double.toHexString(expected) + ") but was " + actual
                        + " (" + Double.toHexString(actual) + ")");
    }
}
