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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SimdKernel} against {@link ScalarKernel}, bit for bit, with the mitigation keys
 * (smooth, zloss, scale, gradfmt) alone and combined, with the formats and the keys that change
 * their paths (compute, acc, the gradient forms they take, rounding modes, sr, lanes, online),
 * at class counts around the vector width, on random logits and on special values.
 */
class SimdKernelMitigationsTest {

    private static final List<String> FORMATS = List.of("fp32", "bf16", "fp16", "e4m3", "e5m2", "e3m2");
    private static final List<String> MITIGATIONS = List.of("smooth=0.1", "smooth=1", "zloss=0.0001", "zloss=0.5",
            "scale=65536", "scale=0.0078125", "scale=3", "gradfmt=fp32", "gradfmt=bf16", "gradfmt=e4m3",
            "smooth=0.1/zloss=0.0001", "smooth=0.05/scale=1024/gradfmt=fp16",
            "chunk=1", "chunk=7", "chunk=16", "chunk=100", "chunk=4/smooth=0.1", "chunk=3/grad=zerosum", "chunk=9/grad=center",
            "chunk=5/cap=30");
    private static final List<String> WITH = List.of("", "acc=fp32", "compute=fp32", "grad=lse", "grad=div", "round=rtz",
            "round=sr/seed=3", "round=srh/seed=9", "lanes=1", "lanes=64", "algo=online", "acc=kahan", "ftz=on", "sat=on/round=rup",
            "compute=fp32/acc=fp32");
    private static final int[] CLASSES = {1, 2, 7, 8, 9, 17, 1000};

    static Stream<Recipe> recipes() {
        List<Recipe> recipes = new ArrayList<>();
        for (String format : FORMATS) {
            for (String mitigation : MITIGATIONS) {
                for (String with : WITH) {
                    String text = format + "/" + mitigation + (with.isEmpty() ? "" : "/" + with);
                    Recipe recipe;
                    try {
                        recipe = Recipe.parse(text);
                    } catch (IllegalArgumentException invalid) {
                        continue; // e.g. compute=fp32 on fp32, kahan with online
                    }
                    if (SimdPlan.supports(recipe)) {
                        recipes.add(recipe);
                    }
                }
            }
        }
        return recipes.stream().distinct();
    }

    @Test
    void theMatrixCoversEveryFormatAndMitigation() {
        List<Recipe> all = recipes().toList();
        for (String format : FORMATS) {
            for (String mitigation : MITIGATIONS) {
                if (mitigation.equals("gradfmt=" + format)) {
                    continue; // the default: the recipe is the format's own
                }
                assertTrue(all.stream().anyMatch(r -> r.toString().startsWith(format + "/")
                        && r.toString().contains(mitigation.split("/")[0])), format + "/" + mitigation);
            }
        }
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
                {-0.0, 0.0, -0.0},
                {40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                {-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, -1e30, 1e30},
        };
        SameEvaluation.assertMatchesTheScalarReferenceOn(recipe, cases);
    }

    @Property(tries = 300)
    void anyMitigationAnyLogitsMatchTheScalarReference(@ForAll("recipeTexts") String text, @ForAll("seeds") long seed) {
        Recipe recipe = Recipe.parse(text);
        assertTrue(SimdPlan.supports(recipe), text);
        SplittableRandom random = new SplittableRandom(seed);
        int classes = 1 + random.nextInt(random.nextBoolean() ? 20 : 3000);
        double[] z = SimdKernelTest.logits(random.nextInt(5), classes, random, Rounding.nearest(recipe.format()));
        SameEvaluation.assertSameEvaluation(recipe, new ScalarKernel(recipe), new SimdKernel(recipe), z, random.nextInt(classes));
    }

    @Test
    void withoutSmoothingOrZlossTheDefaultsKeepTheBaseRecipesBits() {
        // scale=1 and gradfmt=FORMAT are the defaults: the recipe is the base recipe itself.
        assertEquals(Recipe.parse("bf16"), Recipe.parse("bf16/scale=1/gradfmt=bf16/smooth=0/zloss=0"));
        // A power-of-two scale where nothing overflows or underflows: the base gradient times s, exactly.
        Recipe base = Recipe.parse("fp32");
        Recipe scaled = Recipe.parse("fp32/scale=1024");
        double[] z = {3, 1, 0.5, -2, 0, 1.25, 2, -1};
        double[] g = new double[z.length];
        double[] gs = new double[z.length];
        new ScalarKernel(base).evaluate(z, 2, g);
        Kernels.of(scaled).evaluate(z, 2, gs);
        for (int j = 0; j < z.length; j++) {
            assertEquals(g[j] * 1024, gs[j], 0.0, "j=" + j);
        }
    }

    @Test
    void oneChunkIsTheTwoPassSumAndSmallerChunksChangeIt() {
        SplittableRandom random = new SplittableRandom(17);
        Rounding toBf16 = Rounding.nearest(Recipe.parse("bf16").format());
        double[] z = SimdKernelTest.logits(1, 4096, random, toBf16);
        double[] g = new double[z.length];
        double[] gc = new double[z.length];
        Evaluation whole = new ScalarKernel(Recipe.parse("bf16")).evaluate(z, 5, g);
        Evaluation one = new ScalarKernel(Recipe.parse("bf16/chunk=4096")).evaluate(z, 5, gc);
        assertEquals(whole.lse(), one.lse(), 0.0);
        for (int j = 0; j < z.length; j++) {
            assertEquals(g[j], gc[j], 0.0, "j=" + j);
        }
        // bf16 partial sums stagnate: chunks of 256 add less to each partial before the merge.
        Evaluation chunked = new ScalarKernel(Recipe.parse("bf16/chunk=256")).evaluate(z, 5, gc);
        assertTrue(chunked.lse() != whole.lse(), whole.lse() + " vs " + chunked.lse());
    }

    @Test
    void storageCodesRefuseAGradientStoredInAnotherFormat() {
        Kernel kernel = Kernels.of(Recipe.parse("bf16/gradfmt=fp32"));
        short[] z = new short[16];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernel.evaluate(z, 16, 0, new short[16]));
        assertTrue(e.getMessage().contains("use float[] values"), e.getMessage());
    }

    @Test
    void fp64RecipesWithMitigationsRunOnTheReferenceAndSayWhy() {
        KernelPlan plan = Kernels.plan(Recipe.parse("fp64/smooth=0.1"));
        assertEquals(KernelPlan.Choice.SCALAR, plan.kernel());
        assertTrue(plan.reason().contains("smooth"), plan.reason());
    }

    @Provide
    Arbitrary<String> recipeTexts() {
        return Combinators.combine(
                Arbitraries.of("fp32", "bf16", "fp16", "e4m3", "e5m2", "e2m1", "tf32"),
                Arbitraries.of("smooth=0.1", "smooth=0.3", "smooth=0"),
                Arbitraries.of("zloss=0.0001", "zloss=0.01", "zloss=0"),
                Arbitraries.of("scale=1", "scale=8", "scale=65536", "scale=0.25"),
                Arbitraries.of("gradfmt=fp32", "gradfmt=bf16", "gradfmt=fp16", "gradfmt=e5m2", "chunk=1", "chunk=13",
                        "chunk=64", "chunk=1000"),
                Arbitraries.of("grad=standard", "grad=lse", "grad=div"),
                Arbitraries.of("lanes=1", "lanes=8", "lanes=16", "lanes=64"),
                Arbitraries.of("acc=fp32", "compute=fp32", "round=rne", "round=rup", "round=sr/seed=11"))
                .as((format, smooth, zloss, scale, gradfmt, grad, lanes, other) -> {
                    String text = String.join("/", format, smooth, zloss, scale, gradfmt, grad, lanes, other);
                    return format.equals("fp32") && !other.startsWith("round=") ? text.replace("/" + other, "") : text;
                })
                .filter(SimdKernelMitigationsTest::runsOnLanes);
    }

    private static boolean runsOnLanes(String text) {
        try {
            return SimdPlan.supports(Recipe.parse(text));
        } catch (IllegalArgumentException invalid) {
            return false;
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
