package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.sweep.Family;
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
 * {@link SimdKernel64} against {@link ScalarKernel}, bit for bit: lse, loss and every gradient
 * entry (NaN as NaN), for every recipe key value it runs, on the sweep's families and on random
 * doubles, for class counts around the vector width and every lane count, and on special values.
 */
class SimdKernel64Test {

    /** Smaller than lanes, not multiples of the width, one less / one more than a multiple. */
    private static final int[] CLASSES = {1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 63, 64, 65, 1000};

    static Stream<Recipe> recipes() {
        List<String> variants = new ArrayList<>(List.of("", "algo=naive", "acc=kahan", "acc=fp64",
                "grad=lse", "grad=div", "grad=complement", "grad=zerosum", "grad=center", "lse=log1p",
                "sat=on", "ftz=on", "sat=on/ftz=on", "exp=jdk",
                "acc=kahan/grad=complement/lse=log1p", "acc=kahan/ftz=on", "acc=kahan/algo=naive/grad=div",
                "grad=zerosum/sat=on/ftz=on", "grad=center/ftz=on", "grad=lse/exp=jdk/ftz=on",
                "algo=naive/grad=zerosum/exp=jdk", "grad=complement/lse=log1p/sat=on"));
        for (int lanes : Recipe.LANES) {
            variants.add("lanes=" + lanes);
            variants.add("lanes=" + lanes + "/acc=kahan");
            variants.add("lanes=" + lanes + "/grad=complement/lse=log1p");
            variants.add("lanes=" + lanes + "/ftz=on/grad=zerosum");
        }
        return variants.stream().map(v -> Recipe.parse(v.isEmpty() ? "fp64" : "fp64/" + v)).distinct();
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void matchesTheScalarReferenceBitForBit(Recipe recipe) {
        assertTrue(SimdKernel64.supports(recipe), recipe::toString);
        ScalarKernel scalar = new ScalarKernel(recipe);
        SimdKernel64 simd = new SimdKernel64(recipe);
        SplittableRandom random = new SplittableRandom(recipe.toString().hashCode());
        for (int classes : CLASSES) {
            for (int kind = 0; kind < 5; kind++) {
                int y = random.nextInt(classes);
                compare(recipe, scalar, simd, logits(kind, classes, y, random), y);
            }
        }
    }

    @Test
    void specialValuesMatchTheScalarReference() {
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        double max = Double.MAX_VALUE;
        double[][] cases = {
                {0, nan, 1, 2, 3, 4, 5, 6, 7, 8},
                {0, inf, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                {inf, 1, 2, 3, 4, 5, 6, 7, 8, 9, inf},
                {0, -inf, 1, 2, -inf, 3},
                {-inf, -inf, -inf},
                {-inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf},
                {inf, inf},
                {-0.0, 0.0, -0.0, 0.0, -0.0},
                // huge gaps: z − m overflows to −inf (−max with sat), exps and probabilities underflow
                {max, -max, 0, -max, max, 1e300, -1e300, 0, 5},
                {800, 0, 0, 0, 0, 0, 0, 0, 0},
                // subnormal results: exp(−708 … −745) and probabilities below the smallest normal
                {0, -708.5, -720, -740, -744.9, -745.2, -1000, -709, -710, -711},
                {740, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
                {Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 0, 0},
        };
        for (String text : List.of("fp64", "fp64/sat=on", "fp64/ftz=on", "fp64/sat=on/ftz=on", "fp64/algo=naive",
                "fp64/algo=naive/sat=on", "fp64/lse=log1p", "fp64/lse=log1p/lanes=1", "fp64/grad=complement/lanes=16",
                "fp64/grad=zerosum", "fp64/grad=zerosum/ftz=on", "fp64/grad=lse", "fp64/grad=div/ftz=on",
                "fp64/grad=center", "fp64/acc=kahan", "fp64/acc=kahan/lanes=4/sat=on", "fp64/exp=jdk/ftz=on")) {
            Recipe recipe = Recipe.parse(text);
            ScalarKernel scalar = new ScalarKernel(recipe);
            SimdKernel64 simd = new SimdKernel64(recipe);
            for (double[] z : cases) {
                for (int y = 0; y < z.length; y++) {
                    compare(recipe, scalar, simd, z, y);
                }
            }
        }
    }

    @Test
    void theForwardPassGivesTheFusedPassesLseAndLoss() {
        Recipe recipe = Recipe.parse("fp64/grad=complement/lanes=16");
        SimdKernel64 simd = new SimdKernel64(recipe);
        SplittableRandom random = new SplittableRandom(3);
        for (int classes : CLASSES) {
            int y = random.nextInt(classes);
            double[] z = logits(1, classes, y, random);
            Evaluation forward = simd.evaluate(z, classes, y, null);
            Evaluation fused = simd.evaluate(z, y, new double[classes]);
            SameEvaluation.assertSameBits(fused.lse(), forward.lse(), "lse C=" + classes);
            SameEvaluation.assertSameBits(fused.loss(), forward.loss(), "loss C=" + classes);
        }
    }

    @Test
    void runsFp64SoftmaxOnlyAndKernelsRoutesItHere() {
        for (String text : List.of("fp64/algo=online", "fp64/norm=stablemax", "fp64/cap=30", "fp32", "bf16/acc=fp64")) {
            assertFalse(SimdKernel64.supports(Recipe.parse(text)), text);
            assertFalse(Kernels.of(Recipe.parse(text)) instanceof SimdKernel64, text);
        }
        assertTrue(Kernels.of(Recipe.parse("fp64")) instanceof SimdKernel64);
        assertTrue(Kernels.of(Recipe.parse("fp64/acc=kahan/grad=center/exp=jdk")) instanceof SimdKernel64);
        assertTrue(Kernels.of(Recipe.parse("fp64/algo=online")) instanceof ScalarKernel);
        assertFalse(SimdPlan.supports(Recipe.parse("fp64")), "the float kernel never runs fp64");
    }

    /** Random recipes (any combination of the keys it runs) on random logits with special values mixed in. */
    @Property(tries = 300)
    void anyRecipeAnyLogitsMatchTheScalarReference(@ForAll("recipeTexts") String text, @ForAll("seeds") long seed) {
        Recipe recipe = Recipe.parse(text);
        SplittableRandom random = new SplittableRandom(seed);
        int classes = 1 + random.nextInt(random.nextBoolean() ? 20 : 300);
        int y = random.nextInt(classes);
        double[] z = logits(random.nextInt(5), classes, y, random);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.MIN_VALUE, -745.0};
        for (int k = random.nextInt(3); k > 0; k--) {
            z[random.nextInt(classes)] = random.nextInt(4) == 0 ? specials[random.nextInt(specials.length)] : -random.nextDouble(700, 760);
        }
        compare(recipe, new ScalarKernel(recipe), new SimdKernel64(recipe), z, y);
    }

    /**
     * The zerosum gradient's exact sum (integer significands per exponent) equals the reference's
     * ExactSum.toNearest on entries of every sign and magnitude, subnormals, ties and cancellation
     * included, and on the special entries it hands to the reference.
     */
    @Property(tries = 400)
    void theBucketedExactSumIsTheReferences(@ForAll("seeds") long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(random.nextBoolean() ? 40 : 5000);
        double[] x = new double[n];
        int style = random.nextInt(7);
        for (int j = 0; j < n; j++) {
            switch (style) {
                case 0: x[j] = random.nextDouble(); break;                                        // probabilities
                case 1: x[j] = Math.scalb(random.nextDouble(), -random.nextInt(1080)); break;     // down to subnormals
                case 2: x[j] = Math.scalb(random.nextDouble(-1, 1), random.nextInt(-1074, 880)); break;
                case 3: x[j] = (random.nextBoolean() ? 1 : -1) * Math.scalb(1.0, random.nextInt(-1074, 60)); break;
                case 4: x[j] = j % 2 == 0 ? 1.0 : -1.0; break;                                    // cancels to zero
                case 5: x[j] = -0.0; break;                                                       // the reference's −0
                default: x[j] = Double.longBitsToDouble(random.nextLong()); break;                 // anything, NaN included
            }
        }
        if (style == 3 && n > 2) {
            x[0] = 1.0; // with tiny terms: sums near ties of 1's ulp
            x[1] = 0x1p-53;
        }
        int skip = random.nextInt(n + 1) - 1;
        ExactSum reference = new ExactSum();
        for (int j = 0; j < n; j++) {
            if (j != skip) {
                reference.add(x[j]);
            }
        }
        SimdKernel64 kernel = new SimdKernel64(Recipe.parse("fp64/grad=zerosum"));
        SameEvaluation.assertSameBits(reference.toNearest(), kernel.exactSumWithout(x, n, skip), "sum of " + n + " style " + style);
        SameEvaluation.assertSameBits(reference.toNearest(), kernel.exactSumWithout(x, n, skip), "again: the buckets are left empty");
    }

    @Provide
    Arbitrary<String> recipeTexts() {
        return Combinators.combine(
                Arbitraries.of("twopass", "naive"),
                Arbitraries.of("fp64", "kahan"),
                Arbitraries.of("standard", "lse", "div", "complement", "zerosum", "center"),
                Arbitraries.of("log", "log1p"),
                Arbitraries.of(Recipe.LANES),
                Arbitraries.of("poly", "jdk"),
                Arbitraries.of("off", "on"),
                Arbitraries.of("off", "on")
        ).as((algo, acc, grad, lse, lanes, exp, sat, ftz) ->
                "fp64/algo=" + algo + "/acc=" + acc + "/grad=" + grad + "/lse=" + (algo.equals("naive") ? "log" : lse)
                        + "/lanes=" + lanes + "/exp=" + exp + "/sat=" + sat + "/ftz=" + ftz);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /** The sweep's families with a random gap and offset, or random doubles of every magnitude. */
    private static double[] logits(int kind, int classes, int y, SplittableRandom random) {
        double[] z = new double[classes];
        if (kind < Family.values().length) {
            double gap = random.nextInt(4) == 0 ? random.nextDouble(700, 800) : random.nextDouble(0, 60);
            double offset = random.nextBoolean() ? 0 : random.nextDouble(-50, 50);
            Family.values()[kind].fill(z, y, gap, offset, Format.FP64, random.nextLong());
        } else if (kind == Family.values().length) {
            for (int j = 0; j < classes; j++) {
                z[j] = random.nextGaussian() * 5;
            }
        } else {
            for (int j = 0; j < classes; j++) {
                z[j] = random.nextDouble(-1, 1) * Math.scalb(1.0, random.nextInt(-20, 12));
            }
        }
        return z;
    }

    private static void compare(Recipe recipe, ScalarKernel scalar, SimdKernel64 simd, double[] z, int y) {
        SameEvaluation.assertSameEvaluation(recipe, scalar, simd, z, y);
    }
}
