package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The narrow formats' fused path ({@code SimdKernel.fusedNarrow}): which recipes take it, and
 * its edges against the scalar reference bit for bit — the target in every position of chunks
 * and tails (grad=complement sums Σ_{j≠y} in the loop that sums S), and the forward pass alone.
 * SimdKernelTest covers every recipe on random logits.
 */
class SimdKernelFusedNarrowTest {

    private static final List<String> FUSED = List.of("bf16", "fp16", "e4m3", "e5m2", "bf16/acc=fp32", "fp16/acc=fp32",
            "e4m3/compute=fp32/acc=fp32", "bf16/grad=lse", "bf16/grad=div", "fp16/grad=complement", "e4m3/grad=complement",
            "bf16/grad=complement", "e4m3/grad=zerosum", "fp16/algo=naive", "bf16/exp=jdk", "tf32", "fp32", "fp32/grad=lse");

    @Test
    void theRneRecipesOfFormatsUpToElevenBitsRunFused() {
        for (String text : FUSED) {
            assertTrue(new SimdKernel(Recipe.parse(text)).isFused(), text);
        }
        // Long rounding paths, several accumulators, log1p, sr and kahan keep their loops per operation.
        for (String text : List.of("bf16/round=rtz", "fp16/sat=on", "bf16/lanes=16", "bf16/lanes=4", "bf16/lse=log1p",
                "bf16/round=sr", "bf16/acc=kahan", "fp16/compute=fp32", "bf16/acc=fp32/grad=complement")) {
            assertFalse(new SimdKernel(Recipe.parse(text)).isFused(), text);
        }
    }

    @Test
    void everyTargetPositionMatchesTheScalarReference() {
        SplittableRandom random = new SplittableRandom(42);
        for (String text : FUSED) {
            Recipe recipe = Recipe.parse(text);
            ScalarKernel scalar = new ScalarKernel(recipe);
            SimdKernel simd = new SimdKernel(recipe);
            Rounding toFormat = Rounding.nearest(recipe.format());
            for (int classes : new int[] {1, 7, 8, 9, 16, 23, 24, 25}) {
                double[] z = new double[classes];
                for (int j = 0; j < classes; j++) {
                    z[j] = toFormat.round(random.nextGaussian() * 3, 0);
                }
                for (int y = 0; y < classes; y++) {
                    SameEvaluation.assertSameEvaluation(recipe, scalar, simd, z, y);
                }
            }
        }
    }

    @Test
    void theForwardPassAloneGivesTheFusedPassesLseAndLoss() {
        SplittableRandom random = new SplittableRandom(7);
        for (String text : FUSED) {
            Recipe recipe = Recipe.parse(text);
            SimdKernel simd = new SimdKernel(recipe);
            Rounding toFormat = Rounding.nearest(recipe.format());
            for (int classes : new int[] {5, 8, 1003}) {
                float[] z = new float[classes];
                for (int j = 0; j < classes; j++) {
                    z[j] = (float) toFormat.round(random.nextGaussian() * 3, 0);
                }
                int y = random.nextInt(classes);
                Evaluation fused = simd.evaluate(z, classes, y, new float[classes]);
                Evaluation forward = simd.evaluate(z, classes, y, null);
                SameEvaluation.assertSameBits(fused.lse(), forward.lse(), text + " C=" + classes + " lse");
                SameEvaluation.assertSameBits(fused.loss(), forward.loss(), text + " C=" + classes + " loss");
            }
        }
    }
}
