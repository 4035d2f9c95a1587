package dev.absorb.accuracy;

import dev.absorb.format.Format;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.GradientSummary;
import dev.absorb.sweep.TargetPosition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccuracyCheckTest {

    private static final int LLAMA3 = 128256;

    @Test
    void theAllowancesAreFixedUnlessTheFormatsOwnRoundingIsLarger() {
        assertEquals(new AccuracyBounds(0.05, 0.01, 0.01), AccuracyBounds.of(Format.of("bf16")));
        assertEquals(new AccuracyBounds(0.05, 0.01, 0.01), AccuracyBounds.of(Format.FP64));
        assertEquals(new AccuracyBounds(0.0625, 0.0625, 0.0625), AccuracyBounds.of(Format.of("e4m3")));
        assertEquals(new AccuracyBounds(0.25, 0.25, 0.25), AccuracyBounds.of(Format.of("e2m1")));
    }

    @Test
    void bf16ComplementAtLlama3AndGapZeroBreaksTheGradient() {
        // given: 8 bf16 partial sums of 128256 ones stagnate at 256 each, S = 2048
        Recipe recipe = Recipe.parse("bf16/grad=complement");
        double[] z = new double[LLAMA3];

        // when
        Accuracy a = new AccuracyProbe(recipe).measure(z, 0);

        // then: the figures docs/accuracy.md quotes, and the sweep's own residual for the same gradient
        double[] g = new double[LLAMA3];
        Kernels.of(recipe).evaluate(z, 0, g);
        assertEquals(GradientSummary.of(g, LLAMA3, 0).zeroSumResidual(), a.zeroSumResidual(), 1e-15);
        assertEquals(0.969, a.zeroSumResidual(), 5e-4);
        assertEquals(0.352, a.lseRelativeError(), 5e-4);
        assertEquals(LLAMA3 / 2048.0 / 2 - 0.5, a.gradientError(), 0.01, "p_j = 1/2048 instead of 1/128256");
        assertTrue(a.storageError() < 1.0 / 256 && a.storageResidual() < 1.0 / 256, "bf16 holds this gradient");
    }

    @Test
    void bf16ComplementIsNotAccurateAndSaysWhy() {
        AccuracyResult result = AccuracyCheck.run(Recipe.parse("bf16/grad=complement"), Family.FLAT, LLAMA3,
                TargetPosition.FIRST, 93, 0, 0);

        assertFalse(result.accurate());
        assertTrue(result.failure().contains("zero-sum residual 0.969 > 0.0107 at C = 128256, gap 0"), result.failure());
        assertTrue(result.failure().contains("lse relative error 0.352 > 0.011 at C = 128256, gap 0"), result.failure());
    }

    @Test
    void fp32PartialSumsMakeTheSameFormulationAccurate() {
        AccuracyResult result = AccuracyCheck.run(Recipe.parse("bf16/acc=fp32/grad=complement"), Family.FLAT, LLAMA3,
                TargetPosition.LAST, 93, 0, 0);

        assertTrue(result.accurate(), result.failure());
        assertNull(result.failure());
        assertEquals(AccuracyCheck.POINTS, result.points());
        // bf16 has fp32's range: it holds the gradient at every gap but the last, 93, where
        // p_j = e^−93 ≈ 4e-41 lies among the subnormals (below 2^−126), two of them apart.
        assertEquals(AccuracyCheck.POINTS - 1, result.gradientHeld());
        assertTrue(result.residual().largest().value() < 0.005, result.figures());
    }

    @Test
    void anFp64RecipeIsExactToRoundingAndPasses() {
        AccuracyResult result = AccuracyCheck.run(Recipe.parse("fp64/grad=zerosum"), Family.GAUSS, 1000,
                TargetPosition.RANDOM, 700, 5, 0);

        assertTrue(result.accurate(), result.failure());
        assertTrue(result.gradient().largest().value() < 1e-12, result.figures());
        assertTrue(result.residual().largest().value() < 1e-15, result.figures());
    }

    @Test
    void whereTheFormatCannotHoldTheGradientNoRecipeIsAccurate() {
        // e2m1's smallest nonzero value is 1/2: at C = 1000 every p_j rounds to 0, at every gap.
        AccuracyResult result = AccuracyCheck.run(Recipe.parse("e2m1/acc=fp32/compute=fp32"), Family.FLAT, 1000,
                TargetPosition.FIRST, 6, 0, 0);

        assertEquals(0, result.gradientHeld());
        assertFalse(result.accurate());
        assertEquals("the format cannot hold the gradient at any gap checked", result.failure());
    }

    @Test
    void theGapRangeStopsWhereTheTargetLogitWouldOverflowTheFormat() {
        // e4m3b11fnuz's largest value is 30: gaps up to 30 only, never a NaN logit.
        AccuracyResult result = AccuracyCheck.run(Recipe.parse("e4m3b11fnuz/acc=fp32/compute=fp32/grad=complement"),
                Family.FLAT, 2, TargetPosition.FIRST, 1000, 0, 0);

        assertTrue(result.lse().largest().gap() <= 30, result.lse().largest().where());
        assertFalse(Double.isNaN(result.lse().largest().gap()));
    }

    @Test
    void aCheckIsRememberedAndTheWorstOfSeveralIsTheWorstOfEach() {
        Recipe recipe = Recipe.parse("bf16/grad=complement");
        AccuracyResult small = AccuracyCheck.run(recipe, Family.FLAT, 10, TargetPosition.FIRST, 93, 0, 0);
        AccuracyResult large = AccuracyCheck.run(recipe, Family.FLAT, 32000, TargetPosition.FIRST, 93, 0, 0);

        assertSame(small, AccuracyCheck.run(recipe, Family.FLAT, 10, TargetPosition.FIRST, 93, 0, 0));
        AccuracyResult both = AccuracyResult.worstOf(List.of(small, large));
        assertEquals(small.points() + large.points(), both.points());
        assertEquals(Math.max(small.residual().largest().value(), large.residual().largest().value()),
                both.residual().largest().value());
        assertEquals(32000, both.gradient().worst().classes());
        assertThrows(IllegalArgumentException.class, () -> AccuracyResult.worstOf(List.of()));
        assertThrows(IllegalArgumentException.class, () -> AccuracyCheck.run(recipe, Family.FLAT, 10, TargetPosition.FIRST,
                Double.NaN, 0, 0));
    }
}
