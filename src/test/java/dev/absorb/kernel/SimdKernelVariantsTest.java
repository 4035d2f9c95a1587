package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SimdKernel} against {@link ScalarKernel}, bit for bit, for the variants that
 * used to run on the scalar kernel only: algo=online, grad=center, norm=stablemax and cap, each
 * with the formats fp32, bf16, fp16, e4m3, e5m2 and e2m1 (MX fp4), lanes 1, 8, 16 and 64, class
 * counts around the vector width, on random logits of every family and on special values.
 */
class SimdKernelVariantsTest {

    private static final List<String> FORMATS = List.of("fp32", "bf16", "fp16", "e4m3", "e5m2", "e2m1", "e3m2");
    private static final List<String> VARIANTS = List.of("algo=online", "grad=center", "norm=stablemax", "cap=30", "cap=2.5");
    private static final List<String> LANES = List.of("lanes=1", "", "lanes=16", "lanes=64");
    /** Other keys combined with the variants (the default first). */
    private static final List<String> WITH = List.of("", "acc=fp32", "compute=fp32", "grad=complement", "grad=zerosum",
            "lse=log1p", "round=rtz", "acc=kahan", "round=sr/seed=5", "ftz=on", "sat=on/round=rup", "compute=fp32/ftz=on", "grad=center/algo=online/cap=30");
    private static final int[] CLASSES = {1, 7, 8, 9, 15, 17, 1000};

    static Stream<Recipe> recipes() {
        List<Recipe> recipes = new ArrayList<>();
        for (String format : FORMATS) {
            for (String variant : VARIANTS) {
                for (String lanes : LANES) {
                    for (String with : WITH) {
                        StringBuilder text = new StringBuilder(format).append('/').append(variant);
                        if (!lanes.isEmpty()) {
                            text.append('/').append(lanes);
                        }
                        if (!with.isEmpty()) {
                            text.append('/').append(with);
                        }
                        Recipe recipe;
                        try {
                            recipe = Recipe.parse(text.toString());
                        } catch (IllegalArgumentException invalid) {
                            continue; // e.g. compute=fp32 on fp32
                        }
                        if (SimdPlan.supports(recipe)) {
                            recipes.add(recipe);
                        }
                    }
                }
            }
        }
        return recipes.stream().distinct();
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void matchesTheScalarReferenceBitForBit(Recipe recipe) {
        SameEvaluation.assertMatchesTheScalarReference(recipe, CLASSES, 5);
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void specialValuesMatchTheScalarReference(Recipe recipe) {
        double inf = Double.POSITIVE_INFINITY;
        double[][] cases = {
                {0, Double.NaN, 1, 2, 3, 4, 5, 6, 7, 8},
                {0, inf, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                {0, -inf, 1, 2},
                {-inf, -inf, -inf},
                {inf, inf},
                {-0.0, 0.0, -0.0},
                // −inf first in some partials and later in others (online's empty partials).
                {-inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, 3, -inf, -inf, -inf, -inf, -inf, -inf, -inf, 1},
                {2, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, 5},
                {-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, -1e30, 1e30},
        };
        SameEvaluation.assertMatchesTheScalarReferenceOn(recipe, cases);
    }

    @Test
    void kernelsPicksTheSimdKernelForTheVariantsWhereTheirProductsAreExactInFloat() {
        for (String text : List.of("bf16/algo=online", "fp32/algo=online", "fp16/algo=online", "e4m3/algo=online/lanes=64",
                "bf16/algo=online/acc=fp32", "bf16/grad=center", "e4m3/grad=center", "fp32/norm=stablemax", "bf16/norm=stablemax",
                "fp16/norm=stablemax/grad=complement", "bf16/cap=30", "fp16/cap=30", "bf16/norm=stablemax/cap=30/round=sr")) {
            assertTrue(Kernels.of(Recipe.parse(text)) instanceof SimdKernel, text);
        }
        // Run here bit for bit, but the product s·ε or c·t takes VectorRounding's long (boxed) path.
        for (String text : List.of("tf32/algo=online", "bf16/algo=online/round=rtz", "tf32/cap=30")) {
            Recipe recipe = Recipe.parse(text);
            assertTrue(SimdPlan.supports(recipe), text);
            assertEquals(KernelPlan.Choice.SCALAR, Kernels.plan(recipe).kernel(), text);
        }
        for (String text : List.of("bf16/algo=online/round=sr", "fp16/algo=online/round=srh")) {
            assertFalse(SimdPlan.supports(Recipe.parse(text)), text);
        }
    }

    @Property(tries = 300)
    void anyVariantAnyLogitsMatchTheScalarReference(@ForAll("recipeTexts") String text, @ForAll("seeds") long seed) {
        Recipe recipe = Recipe.parse(text);
        assertTrue(SimdPlan.supports(recipe), text);
        SplittableRandom random = new SplittableRandom(seed);
        int classes = 1 + random.nextInt(random.nextBoolean() ? 20 : 300);
        double[] z = SimdKernelTest.logits(random.nextInt(5), classes, random, Rounding.nearest(recipe.format()));
        SameEvaluation.assertSameEvaluation(recipe, new ScalarKernel(recipe), new SimdKernel(recipe), z, random.nextInt(classes));
    }

    @Provide
    Arbitrary<String> recipeTexts() {
        return Combinators.combine(
                Arbitraries.of("fp32", "bf16", "fp16", "e4m3", "e5m2", "e2m1", "tf32"),
                Arbitraries.of("algo=online", "algo=twopass", "algo=naive"),
                Arbitraries.of("grad=center", "grad=standard", "grad=complement", "grad=zerosum", "grad=div"),
                Arbitraries.of("norm=stablemax", "norm=softmax"),
                Arbitraries.of("cap=30", "cap=none", "cap=1"),
                Arbitraries.of("lanes=1", "lanes=2", "lanes=8", "lanes=16", "lanes=64"),
                Arbitraries.of("acc=fp32", "compute=fp32", "round=rne", "round=rup"))
                .as((format, algo, grad, norm, cap, lanes, other) -> {
                    String text = String.join("/", format, algo, grad, norm, cap, lanes, other);
                    return format.equals("fp32") && !other.startsWith("round=rne") ? text.replace("/" + other, "") : text;
                })
                .filter(SimdKernelVariantsTest::isRecipe); // e.g. stablemax takes algo=twopass only
    }

    private static boolean isRecipe(String text) {
        try {
            Recipe.parse(text);
            return true;
        } catch (IllegalArgumentException invalid) {
            return false;
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
