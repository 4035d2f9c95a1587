package dev.absorb.bench;

import dev.absorb.format.Format;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain loop does the recipe's job: where its one accumulator and Math.exp cannot move the
 * result much (partial sums in fp32 or wider), its lse, loss and gradient are the reference
 * kernel's up to a few roundings of K and FORMAT, for every recipe key; and what it stores is
 * a value of each format the recipe names.
 */
class PlainRecipeLoopTest {

    private static final int CLASSES = 1003;

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fp64", "fp32/algo=online", "fp32/algo=naive", "fp32/acc=kahan",
            "fp32/grad=lse", "fp32/grad=div", "fp32/grad=complement", "fp32/grad=zerosum", "fp32/grad=center",
            "fp32/lse=log1p", "fp32/lse=log1p/grad=div", "fp32/algo=online/lse=log1p/grad=div", "fp32/algo=online/grad=complement", "bf16/compute=fp32/acc=fp32/norm=stablemax", "bf16/acc=fp32/grad=center", "fp32/norm=stablemax", "fp32/norm=stablemax/grad=complement", "fp32/norm=stablemax/grad=zerosum",
            "fp32/cap=30", "fp32/round=sr", "fp32/round=rtz", "fp32/sat=on/ftz=on", "fp32/lanes=1",
            "bf16/acc=fp32", "bf16/acc=fp64", "bf16/compute=fp32/acc=fp32", "bf16/acc=fp32/round=sr",
            "bf16/acc=fp32/round=srh", "fp16/acc=fp32", "fp16/acc=fp32/grad=complement", "e4m3/acc=fp32",
            "e5m2/acc=fp32/grad=zerosum", "e4m3fnuz/acc=fp32", "e3m2/acc=fp32/sat=on", "bf16/acc=fp32/algo=online",
            "bf16/acc=fp32/lse=log1p", "bf16/acc=fp32/norm=stablemax", "bf16/acc=fp32/cap=30", "fp16/acc=fp32/grad=center",
            "fp32/grad=recip", "fp32/grad=recipfma", "bf16/acc=fp32/grad=recip", "bf16/acc=fp32/sumexp=fp32",
            "jax:fp32", "jax:bf16", "jax:fp16"})
    void doesTheRecipesJob(String text) {
        // given
        Recipe recipe = Recipe.parse(text);
        Logits input = Logits.of("gauss", CLASSES, 4, recipe.format());
        double[] expectedGradient = new double[CLASSES];
        Evaluation expected = new ScalarKernel(recipe).evaluate(input.values(), input.target(), expectedGradient);
        PlainRecipeLoop plain = new PlainRecipeLoop(recipe);
        double[] gradient = new double[CLASSES];
        // when
        Evaluation forward = plain.forward(input.values(), input.target());
        Evaluation fused = plain.fused(input.values(), input.target(), gradient);
        // then
        assertEquals(forward, fused, "the forward pass is the fused one's");
        // A few roundings of K, plus what C additions in A may drift apart (directed rounding and
        // sr drift with the summation order, and the plain loop has one accumulator, not eight).
        double k = unitRoundoff(recipe.computeFormat());
        double f = unitRoundoff(recipe.format());
        double sum = CLASSES * unitRoundoff(recipe.accumulatorFormat());
        assertEquals(expected.lse(), fused.lse(), 8 * k * Math.abs(expected.lse()) + sum, "lse");
        assertEquals(expected.loss(), fused.loss(), 8 * k * Math.abs(expected.lse()) + sum, "loss");
        for (int j = 0; j < CLASSES; j++) {
            double tolerance = (8 * (k + f) + sum) * Math.abs(expectedGradient[j]) + (8 * k + sum) * Math.abs(expectedGradient[input.target()]) / CLASSES;
            assertEquals(expectedGradient[j], gradient[j], tolerance, "g_" + j);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bf16", "fp16/compute=fp32", "e4m3", "e4m3/round=sr", "e5m2/sat=on/ftz=on", "e3m4/acc=fp32"})
    void storesValuesOfTheRecipesFormats(String text) {
        // given
        Recipe recipe = Recipe.parse(text);
        Logits input = Logits.of("gauss", CLASSES, 4, recipe.format());
        double[] gradient = new double[CLASSES];
        // when
        Evaluation e = new PlainRecipeLoop(recipe).fused(input.values(), input.target(), gradient);
        // then: lse and loss are values of K, every gradient entry a value of FORMAT
        assertRepresentable(recipe.computeFormat(), e.lse());
        assertRepresentable(recipe.computeFormat(), e.loss());
        for (double g : gradient) {
            assertRepresentable(recipe.format(), g);
        }
        assertTrue(gradient[input.target()] < 0, "g_y = p_y - 1 < 0 at gap 4");
    }

    @Test
    void centerRestoresTheZeroSumWhereTheStandardGradientLostIt() {
        // given: bf16 at gap 20, where p_y rounds to 1 and g_y to 0 while the others stay positive
        Logits input = Logits.of("flat", CLASSES, 20, Format.of("bf16"));
        double[] standard = new double[CLASSES];
        double[] centered = new double[CLASSES];
        // when
        new PlainRecipeLoop(Recipe.parse("bf16/acc=fp32")).fused(input.values(), input.target(), standard);
        new PlainRecipeLoop(Recipe.parse("bf16/acc=fp32/grad=center")).fused(input.values(), input.target(), centered);
        // then
        assertEquals(0.0, standard[input.target()], "absorbed");
        assertEquals(1.0, residual(standard), 1e-9, "nothing cancels");
        assertTrue(residual(centered) < 0.01, "centered: " + residual(centered));
    }

    /** |Σ g| / Σ |g| (in double: exact enough for a ratio near 0 or 1). */
    private static double residual(double[] g) {
        double sum = 0;
        double magnitude = 0;
        for (double x : g) {
            sum += x;
            magnitude += Math.abs(x);
        }
        return Math.abs(sum) / magnitude;
    }

    private static void assertRepresentable(Format format, double x) {
        assertEquals(x, format.decode(format.encode(x)), () -> x + " is not a value of " + format.name());
    }

    private static double unitRoundoff(Format format) {
        return Math.scalb(1.0, -format.mantissaBits());
    }
}
