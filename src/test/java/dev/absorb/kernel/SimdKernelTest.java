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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SimdKernel} against {@link ScalarKernel}, bit for bit: lse, loss and every gradient
 * entry, for every recipe key value the SIMD kernel runs, on flat, Gaussian and runner-up logits
 * and on special values, for class counts around every vector width and lane count.
 */
class SimdKernelTest {

    private static final int[] CLASSES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 129, 1000, 1025};

    static Stream<Recipe> recipes() {
        List<String> formats = new ArrayList<>();
        for (Format f : Format.named()) {
            if (!f.isFp64()) {
                formats.add(f.name());
            }
        }
        formats.add("e5m3");
        formats.add("e3m3fn");
        List<String> variants = List.of("", "algo=naive", "acc=fp32", "compute=fp32", "compute=fp32/acc=fp32",
                "grad=lse", "grad=div", "grad=complement", "grad=zerosum", "lse=log1p",
                "round=rna", "round=rtz", "round=rup", "round=rdn", "round=rto", "sat=on", "ftz=on", "sat=on/ftz=on",
                "lanes=1", "lanes=2", "lanes=4", "lanes=16", "lanes=32", "lanes=64",
                "grad=complement/lse=log1p/lanes=16", "round=rtz/acc=fp32/grad=zerosum",
                "acc=kahan", "acc=kahan/lanes=1", "acc=kahan/lanes=4", "acc=kahan/lanes=32", "acc=kahan/compute=fp32",
                "acc=kahan/grad=complement/lse=log1p", "acc=kahan/round=rdn",
                "round=sr", "round=sr/seed=7", "round=sr/compute=fp32/acc=fp32", "round=sr/acc=fp32",
                "round=sr/grad=complement/lse=log1p", "round=sr/lanes=16", "round=sr/lanes=2", "round=sr/grad=zerosum",
                "round=sr/grad=lse", "round=sr/grad=div/sat=on/ftz=on", "round=sr/algo=naive", "round=sr/compute=fp32",
                "round=srh", "round=srh/seed=3/acc=fp32", "round=srh/grad=complement/lanes=16", "round=srh/lanes=2",
                "round=srh/compute=fp32/norm=stablemax/lanes=16",
                "round=srh/grad=div/sat=on/ftz=on",
                // The framework keys (Presets): exp, the fold's shape, and what is stored to FORMAT.
                "exp=sleef", "exp=sleef/compute=fp32/grad=lse", "hsum=serial", "short=serial/lanes=16",
                "unroll=2/lanes=16", "unroll=4/lanes=32/hsum=serial", "unroll=2/lanes=32/short=serial/acc=fp32",
                "acc=fp32/rowsum={F}", "compute=fp32/logp={F}", "acc=fp32/rowsum={F}/grad=complement/short=serial",
                "acc=fp32/compute=fp32/rowsum={F}/logp={F}/lanes=32/unroll=2/short=serial/exp=sleef",
                "acc=fp32/compute=fp32/rowsum={F}/logp={F}/lanes=16/unroll=2/hsum=serial/grad=center",
                "round=sr/acc=fp32/rowsum={F}/compute=fp32/logp={F}/lanes=16/unroll=2/short=serial",
                "round=rtz/compute=fp32/logp={F}/sat=on", "acc=kahan/hsum=serial/lanes=16/unroll=2",
                "round=sr/hsum=serial/lanes=4", "acc=fp32/rowsum={F}/grad=div/exp=sleef");
        List<Recipe> recipes = new ArrayList<>();
        for (String f : formats) {
            for (String v : variants) {
                Recipe r;
                try {
                    r = Recipe.parse(v.isEmpty() ? f : f + "/" + v.replace("{F}", f));
                } catch (IllegalArgumentException invalid) {
                    continue; // e.g. compute=fp32 on fp32 is just fp32
                }
                if (SimdPlan.supports(r)) {
                    recipes.add(r);
                }
            }
        }
        for (Presets.Preset p : Presets.all()) {
            Recipe r = Recipe.parse(p.name());
            if (SimdPlan.supports(r)) {
                recipes.add(r);
            }
        }
        return recipes.stream().distinct();
    }

    /**
     * Every deterministic mode × sat × ftz × an accumulator or compute format other than the
     * format (non-narrow sums and quotients, Kahan), on formats of each kind: the staged paths.
     */
    static Stream<Recipe> stagedRecipes() {
        List<Recipe> recipes = new ArrayList<>();
        for (String f : List.of("bf16", "fp16", "e4m3", "e5m2", "tf32", "e5m12", "e2m3", "e4m3fnuz")) {
            for (String mode : List.of("rne", "rna", "rtz", "rup", "rdn", "rto")) {
                for (String flags : List.of("", "/sat=on", "/ftz=on", "/sat=on/ftz=on")) {
                    for (String other : List.of("acc=fp32", "acc=fp32/grad=div", "acc=fp32/grad=complement/lanes=16",
                            "acc=kahan", "acc=kahan/lanes=16/grad=div", "compute=fp32/acc=fp32/grad=div", "grad=lse")) {
                        Recipe r;
                        try {
                            r = Recipe.parse(f + "/round=" + mode + flags + "/" + other);
                        } catch (IllegalArgumentException invalid) {
                            continue; // e.g. a format this build does not name
                        }
                        if (SimdPlan.supports(r)) {
                            recipes.add(r);
                        }
                    }
                }
            }
        }
        return recipes.stream().distinct();
    }

    @ParameterizedTest
    @MethodSource("stagedRecipes")
    void stagedPathsMatchTheScalarReferenceBitForBit(Recipe recipe) {
        SameEvaluation.assertMatchesTheScalarReference(recipe, new int[] {1, 3, 7, 9, 17, 31, 33, 65, 129, 1025}, 4);
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void matchesTheScalarReferenceBitForBit(Recipe recipe) {
        SameEvaluation.assertMatchesTheScalarReference(recipe, CLASSES, 4);
    }

    @Test
    void specialValuesMatchTheScalarReference() {
        for (String text : List.of("fp32", "bf16", "fp16/lse=log1p", "e4m3/grad=complement", "bf16/algo=naive", "bf16/grad=lse", "tf32/lanes=16", "bf16/lse=log1p", "bf16/grad=center/cap=30", "fp16/grad=zerosum/lanes=16",
                "bf16/round=sr", "fp32/round=sr/lse=log1p", "fp16/round=srh",
                "bf16/round=rtz", "e4m3/round=rup/sat=on/ftz=on", "fp16/round=rdn/grad=div", "bf16/acc=fp32/grad=div/sat=on", "bf16/round=rto/acc=kahan", "e5m12/round=rup/acc=kahan/grad=div",
                "e5m2/round=rna/grad=complement/lse=log1p", "fp32/sat=on/ftz=on")) {
            Recipe recipe = Recipe.parse(text);
            double[][] cases = {
                    {0, Double.NaN, 1, 2, 3, 4, 5, 6, 7, 8},
                    {0, Double.POSITIVE_INFINITY, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                    {0, Double.NEGATIVE_INFINITY, 1, 2},
                    {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                    {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                    {-0.0, 0.0, -0.0},
                    {-1e38, 1e38, 0, 3},
            };
            SameEvaluation.assertMatchesTheScalarReferenceOn(recipe, cases);
        }
    }

    /**
     * NaN logits whose payload reaches below the format's grid (floats that are NaN but no bf16 or
     * tf32 encoding; evaluate(float[]) accepts them): the raw-bits subtraction must not round
     * them, as its trick would carry such a NaN to infinity or to zero. lse, loss and every
     * gradient entry match the scalar reference (NaN), forward and fused, at the first position,
     * inside a full chunk and in the tail.
     */
    @Test
    void nanLogitsWithPayloadsBelowTheGridMatchTheScalarReference() {
        for (String text : List.of("bf16", "bf16/grad=lse", "bf16/algo=naive", "bf16/algo=online", "tf32")) {
            Recipe recipe = Recipe.parse(text);
            ScalarKernel scalar = new ScalarKernel(recipe);
            SimdKernel simd = new SimdKernel(recipe);
            for (int payload : new int[] {0x7F80_0001, 0x7FBF_FFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0xFF80_7FFF}) {
                for (int at : new int[] {0, 5, 16}) {
                    int n = 17;
                    float[] z = new float[n];
                    double[] zd = new double[n];
                    for (int j = 0; j < n; j++) {
                        z[j] = j == at ? Float.intBitsToFloat(payload) : j * 0.25f;
                        zd[j] = z[j];
                    }
                    int y = 3;
                    double[] expectedGrad = new double[n];
                    Evaluation expected = scalar.evaluate(zd, y, expectedGrad);
                    float[] grad = new float[n];
                    Evaluation fused = simd.evaluate(z, n, y, grad);
                    Evaluation forward = simd.evaluate(z, n, y, null);
                    String where = text + " z[" + at + "] = NaN 0x" + Integer.toHexString(payload);
                    SameEvaluation.assertSameBits(expected.lse(), fused.lse(), where + " lse");
                    SameEvaluation.assertSameBits(expected.loss(), fused.loss(), where + " loss");
                    SameEvaluation.assertSameBits(expected.lse(), forward.lse(), where + " forward lse");
                    for (int j = 0; j < n; j++) {
                        SameEvaluation.assertSameBits(expectedGrad[j], grad[j], where + " g[" + j + "]");
                    }
                }
            }
        }
    }

    /**
     * The kernel takes VectorExp's moderate path when a bound says every input of exp is in
     * [−87, 87]: logits whose spread crosses that bound, and the −87.68 where it would stop being
     * exact, float by float (below and above, for the
     * shifted exps, the gradient's d_j − r and z_j − lse, and naive's unshifted z_j).
     */
    @Test
    void logitsAcrossTheModerateExpBoundMatchTheScalarReference() {
        for (String text : List.of("fp32", "fp32/grad=lse", "fp32/algo=naive", "fp32/lanes=16", "bf16", "bf16/acc=fp32",
                "fp16/compute=fp32/acc=fp32", "e4m3/grad=lse", "bf16/algo=naive",
                // fp32 under sr rounds no float value, except to flush a subnormal exp or saturate an infinite one
                "fp32/round=sr/ftz=on", "fp32/round=sr/sat=on/algo=naive/grad=div", "fp32/round=srh/ftz=on/grad=lse")) {
            KernelsOf k = KernelsOf.recipe(text);
            Recipe recipe = k.recipe();
            Rounding toFormat = Rounding.nearest(recipe.format());
            SplittableRandom random = new SplittableRandom(text.hashCode());
            // Every float within 64 ulps of −87, and every 16th float out to −89: past −87.68,
            // 2^n is subnormal and one multiply would no longer give the same bits.
            List<Float> values = new ArrayList<>();
            for (float v = -86.9f; v >= -89f; v = Math.nextDown(v)) {
                int ulps = Float.floatToIntBits(v) - Float.floatToIntBits(-87f);
                if (Math.abs(ulps) <= 64 || ulps % 16 == 0) {
                    values.add(v);
                }
            }
            for (float v : values) {
                double[] below = new double[17];
                double[] above = new double[17];
                for (int j = 2; j < below.length; j++) {
                    below[j] = toFormat.round(random.nextGaussian(), 0);
                    above[j] = below[j];
                }
                below[1] = toFormat.round(v, 0);
                above[0] = toFormat.round(-v, 0);
                for (int y = 0; y < 2; y++) {
                    k.compare(below, y);
                    k.compare(above, y);
                }
            }
        }
    }

    /**
     * Under sr a difference z_j − m (or d_j − r, z_j − lse) is rounded from the float difference
     * where every one of a loop's is a float, and from the exact sum otherwise: a logit near 2^20
     * (or the format's top) and one at its least subnormals (their difference needs more than 24
     * bits) send the loops to the second path, and the gradient's loops may take either.
     */
    @Test
    void stochasticDifferencesThatAreNotFloatsMatchTheScalarReference() {
        for (String text : List.of("bf16/round=sr", "fp32/round=sr/grad=lse", "fp16/round=srh/compute=fp32", "e5m2/round=sr/grad=complement")) {
            KernelsOf k = KernelsOf.recipe(text);
            Recipe recipe = k.recipe();
            Rounding toFormat = Rounding.nearest(recipe.format());
            SplittableRandom random = new SplittableRandom(text.hashCode());
            for (int classes : new int[] {7, 8, 33, 100, 1100}) {
                double[] z = new double[classes];
                for (int j = 0; j < classes; j++) {
                    z[j] = toFormat.round(random.nextGaussian(), 0);
                }
                double big = Math.min(0x1p20, recipe.format().maxFinite() / 4);
                z[random.nextInt(classes)] = toFormat.round(big * (1 + random.nextDouble()), 0);
                z[random.nextInt(classes)] = toFormat.round(recipe.format().minSubnormal() * (1 + 3 * random.nextDouble()), 0);
                k.compare(z, random.nextInt(classes));
            }
        }
    }

    @Test
    void declinesWhatItDoesNotRunSoKernelsFallsBackToTheScalarReference() {
        for (String text : List.of("bf16/round=srh/acc=kahan", "bf16/round=sr/acc=kahan", "bf16/algo=online/round=sr", "bf16/acc=fp64",
                "fp16/algo=online/round=srh", "fp32/round=rtz", "e8m3fn", "e8m3fn/round=sr")) {
            Recipe recipe = Recipe.parse(text);
            assertFalse(SimdPlan.supports(recipe), text);
            assertTrue(Kernels.of(recipe) instanceof ScalarKernel, text);
        }
    }

    @Test
    void recipesOnTheShortPathsStageNothingAndLongOnesDo() {
        // Staging costs a scalar pass per operation: a short-path recipe that stages (as fused
        // bf16/acc=fp32 did, through the quotient flag, without dividing) runs 4x slower.
        for (String text : List.of("fp32", "bf16", "fp16", "e4m3", "bf16/acc=fp32", "fp16/acc=fp32", "e4m3/acc=fp32",
                "bf16/grad=center", "bf16/grad=complement", "bf16/lse=log1p")) {
            assertFalse(new SimdPlan(Recipe.parse(text)).staged(), text);
        }
        for (String text : List.of("bf16/round=rtz", "bf16/acc=fp32/grad=div", "fp16/sat=on", "bf16/ftz=on")) {
            assertTrue(new SimdPlan(Recipe.parse(text)).staged(), text);
        }
    }

    /**
     * Every recipe the SIMD kernel runs is routed to it: the long rounding paths are staged and
     * no longer box, so no supported recipe is left on the scalar kernel (the recipes of both
     * recipe lists, the default ones and those that used to take the boxed long paths).
     */
    @Test
    void kernelsRoutesEverySupportedRecipeToTheSimdKernel() {
        List<Recipe> all = new ArrayList<>();
        recipes().forEach(all::add); // both lists hold only recipes the lanes run
        stagedRecipes().forEach(all::add);
        for (String text : List.of("fp32", "bf16", "fp16", "e4m3", "e5m2", "tf32", "bf16/round=sr", "bf16/round=rtz",
                "fp16/round=rup", "fp16/sat=on", "e4m3/ftz=on", "fp32/sat=on", "bf16/acc=fp32/grad=div",
                "bf16/acc=fp32/grad=complement", "e5m12", "fp16/acc=kahan/round=rtz")) {
            Recipe recipe = Recipe.parse(text);
            assertTrue(SimdPlan.supports(recipe), text);
            all.add(recipe);
        }
        for (Recipe recipe : all) {
            assertTrue(SimdPlan.runsUnboxed(recipe), recipe::toString);
            assertTrue(Kernels.of(recipe) instanceof SimdKernel, recipe::toString);
        }
    }

    /**
     * Logits of the format: kind 0 flat with a gap, 1 Gaussian, 2 runner-up, 3 random codes of the
     * format, 4 wide Gaussian (for cap). Shared with SimdKernelVariantsTest.
     */
    static double[] logits(int kind, int classes, SplittableRandom random, Rounding toFormat) {
        double[] z = new double[classes];
        double gap = random.nextDouble(0, 40);
        for (int j = 0; j < classes; j++) {
            double v;
            switch (kind) {
                case 0: v = j == 0 ? gap : 0; break;
                case 1: v = random.nextGaussian() * 2 + 3; break;
                case 2: v = j == 0 ? gap : j == 1 ? gap - random.nextDouble(0, 2) : -random.nextDouble(0, 5); break;
                case 3: v = toFormat.format().decode(random.nextLong(toFormat.format().maxFiniteCode() + 1)) * (random.nextBoolean() ? 1 : -1); break;
                default: v = random.nextGaussian() * 40;
            }
            z[j] = toFormat.round(v, 0);
        }
        return z;
    }

    /**
     * The fused pass, and the forward pass alone on a kernel that only ever runs forward passes
     * (so scratch arrays that the forward pass does not fill hold no values for these logits).
     */
    /** A recipe's scalar reference, its SIMD kernel, and a second SIMD kernel that only runs forward passes. */
    private record KernelsOf(Recipe recipe, ScalarKernel scalar, SimdKernel simd, SimdKernel forwardOnly) {
        static KernelsOf recipe(String text) {
            Recipe recipe = Recipe.parse(text);
            return new KernelsOf(recipe, new ScalarKernel(recipe), new SimdKernel(recipe), new SimdKernel(recipe));
        }

        void compare(double[] z, int y) {
            SameEvaluation.assertSameBothWays(recipe, scalar, simd, forwardOnly, z, y);
        }
    }
}
