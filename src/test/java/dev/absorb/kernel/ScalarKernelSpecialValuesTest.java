package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.absorb.format.Rounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * NaN, +inf and −inf logits, as ScalarKernel's Javadoc and docs/decisions.md ("Special logits")
 * define them: NaN or +inf anywhere makes lse, loss and every gradient entry NaN; a −inf logit has
 * probability 0; every logit −inf gives NaN; the kernel never throws on logit values. Checked
 * for every algo (twopass, online, naive), lse=log and log1p, every gradient form, several
 * lane counts and formats.
 *
 * <p>−inf is a logit only in formats with infinities: elsewhere it is not a value of the format,
 * and z_j − m rounds like any other result (NaN in fn/fnuz formats, −max in MX formats), so
 * those formats only take part in the NaN, +inf and all −inf checks.
 */
class ScalarKernelSpecialValuesTest {

    private static final String[] GRADS = {"standard", "lse", "div", "complement", "zerosum", "center"};

    static List<String> recipes() {
        List<String> out = new ArrayList<>();
        for (String format : new String[] {"fp64", "fp32", "bf16"}) {
            for (String algo : new String[] {"twopass", "online", "naive"}) {
                for (String lse : new String[] {"log", "log1p"}) {
                    if (algo.equals("naive") && lse.equals("log1p")) {
                        continue; // rejected combination
                    }
                    for (String grad : GRADS) {
                        // lanes matter for online's partials that see only −inf
                        for (String lanes : algo.equals("online") ? new String[] {"1", "8"} : new String[] {"8"}) {
                            out.add(Recipe.parse(format + "/algo=" + algo + "/lse=" + lse + "/grad=" + grad
                                    + "/lanes=" + lanes).toString());
                        }
                    }
                }
            }
        }
        out.add("bf16/compute=fp32/acc=fp32/algo=online");
        out.add("fp16/acc=kahan");
        out.add("fp16/algo=online/grad=complement/lanes=2");
        out.add("fp16/algo=naive/grad=zerosum");
        out.add("bf16/round=sr/seed=3/algo=online/lse=log1p");
        out.add("bf16/round=rtz/grad=complement");
        out.add("fp16/sat=on/ftz=on");
        out.add("e4m3/algo=online");
        out.add("e5m2fnuz/grad=div");
        out.add("e2m1/grad=zerosum");
        out.add("jax:fp32");
        out.add("jax:bf16");
        out.add("jax:fp16/grad=complement");
        out.add("fp32/sum=xla/exp=xla/lse=log1p/grad=recip");
        out.add("bf16/sum=xla/acc=fp32/grad=recipfma/round=sr/seed=5");
        return out;
    }

    private static final int[] CLASSES = {1, 2, 3, 40};

    /** Finite logits of the recipe's format, max ≥ 0, the target ahead by a random gap. */
    private static double[] finiteLogits(Recipe recipe, SplittableRandom random, int n, int y) {
        Rounding rd = Rounding.nearest(recipe.format());
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
            z[j] = rd.round(random.nextDouble(-3, 3) + (j == y ? random.nextDouble(0, 6) : 0), 0);
        }
        z[y] = Math.abs(z[y]);
        return z;
    }

    private static Evaluation run(Recipe recipe, double[] z, int y, double[] g) {
        return assertDoesNotThrow(() -> new ScalarKernel(recipe).evaluate(z, y, g), recipe + " " + Arrays.toString(z));
    }

    private static void assertAllNaN(Recipe recipe, double[] z, int y) {
        double[] g = new double[z.length];
        Evaluation e = run(recipe, z, y, g);
        String where = recipe + ", y=" + y + ", z=" + Arrays.toString(z);
        assertTrue(Double.isNaN(e.lse()), () -> "lse " + e.lse() + ", " + where);
        assertTrue(Double.isNaN(e.loss()), () -> "loss " + e.loss() + ", " + where);
        for (int j = 0; j < z.length; j++) {
            int jj = j;
            assertTrue(Double.isNaN(g[j]), () -> "g[" + jj + "] = " + g[jj] + ", " + where);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void nanAnywhereMakesEverythingNaN(String text) {
        Recipe recipe = Recipe.parse(text);
        SplittableRandom random = new SplittableRandom(text.hashCode());
        for (int n : CLASSES) {
            for (int position : new int[] {0, n - 1, random.nextInt(n)}) {
                int y = random.nextInt(n);
                double[] z = finiteLogits(recipe, random, n, y);
                z[position] = Double.NaN;
                assertAllNaN(recipe, z, y);
                // also next to −inf logits
                if (n > 2) {
                    z[(position + 1) % n] = Double.NEGATIVE_INFINITY;
                    assertAllNaN(recipe, z, y);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void plusInfinityAnywhereMakesEverythingNaN(String text) {
        Recipe recipe = Recipe.parse(text);
        // MX formats: +inf is not a value of the format (rounding saturates it)
        assumeTrue(recipe.format().specials() != dev.absorb.format.Format.Specials.NONE, "+inf is a value of the format");
        SplittableRandom random = new SplittableRandom(text.hashCode());
        for (int n : CLASSES) {
            for (int position : new int[] {0, n - 1, random.nextInt(n)}) {
                int y = random.nextInt(n);
                double[] z = finiteLogits(recipe, random, n, y);
                z[position] = Double.POSITIVE_INFINITY;
                assertAllNaN(recipe, z, y);
                if (n > 1) {
                    // two +inf logits, and +inf with −inf
                    z[(position + 1) % n] = Double.POSITIVE_INFINITY;
                    assertAllNaN(recipe, z, y);
                    z[(position + 1) % n] = Double.NEGATIVE_INFINITY;
                    assertAllNaN(recipe, z, y);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void everyLogitMinusInfinityGivesNaN(String text) {
        Recipe recipe = Recipe.parse(text);
        for (int n : CLASSES) {
            double[] z = new double[n];
            Arrays.fill(z, Double.NEGATIVE_INFINITY);
            assertAllNaN(recipe, z, 0);
            assertAllNaN(recipe, z, n - 1);
        }
    }

    /**
     * A −inf logit has probability 0: the evaluation equals the one where that logit is replaced
     * by −max (a finite logit whose exp underflows to 0 in every format here), bit for bit, and
     * its gradient entry is 0 (center excepted: it subtracts the mean from every entry).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void minusInfinityHasProbabilityZero(String text) {
        Recipe recipe = Recipe.parse(text);
        assumeTrue(recipe.format().hasInfinity() && recipe.format().maxFinite() >= 1e4,
                "−inf is a value of the format, and −max underflows exp");
        double stand = -recipe.format().maxFinite();
        SplittableRandom random = new SplittableRandom(text.hashCode());
        for (int n : CLASSES) {
            if (n < 2) {
                continue;
            }
            for (int trial = 0; trial < 3; trial++) {
                // given: some non-target logits −inf (never all of them: the max stays finite)
                int y = random.nextInt(n);
                double[] finite = finiteLogits(recipe, random, n, y);
                double[] withInf = finite.clone();
                int count = 1 + random.nextInt(Math.max(1, n - 2));
                for (int i = 0; i < count; i++) {
                    int j = random.nextInt(n);
                    if (j != y) {
                        withInf[j] = Double.NEGATIVE_INFINITY;
                        finite[j] = stand;
                    }
                }

                // when
                double[] g = new double[n];
                double[] gFinite = new double[n];
                Evaluation e = run(recipe, withInf, y, g);
                Evaluation eFinite = run(recipe, finite, y, gFinite);

                // then
                String where = text + ", y=" + y + ", z=" + Arrays.toString(withInf);
                ScalarKernelVsPlainTest.assertBits(eFinite.lse(), e.lse(), "lse, " + where);
                ScalarKernelVsPlainTest.assertBits(eFinite.loss(), e.loss(), "loss, " + where);
                for (int j = 0; j < n; j++) {
                    ScalarKernelVsPlainTest.assertBits(gFinite[j], g[j], "g[" + j + "], " + where);
                    if (withInf[j] == Double.NEGATIVE_INFINITY && recipe.grad() != Recipe.Gradient.CENTER) {
                        assertEquals(0.0, g[j], "g[" + j + "], " + where);
                    }
                }
                assertTrue(Double.isFinite(e.lse()), where);
            }
        }
    }

    /**
     * A −inf target: probability 0, so the loss is lse − (−inf) = +inf as rounded to K (max with
     * sat=on), and g_y = 0 − 1 = −1.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void minusInfinityAtTheTarget(String text) {
        Recipe recipe = Recipe.parse(text);
        // Else −inf is not a value of the format (see everyLogitMinusInfinityGivesNaN).
        assumeTrue(recipe.format().hasInfinity(), "−inf is a value of the format");
        SplittableRandom random = new SplittableRandom(text.hashCode());
        for (int n : new int[] {2, 3, 40}) {
            int y = random.nextInt(n);
            double[] z = finiteLogits(recipe, random, n, y);
            z[y] = Double.NEGATIVE_INFINITY;
            double[] g = new double[n];
            Evaluation e = run(recipe, z, y, g);
            String where = text + ", y=" + y + ", z=" + Arrays.toString(z);
            assertTrue(Double.isFinite(e.lse()), where);
            double infinity = recipe.roundingTo(recipe.computeFormat()).round(Double.POSITIVE_INFINITY, 0);
            ScalarKernelVsPlainTest.assertBits(infinity, e.loss(), "loss, " + where);
            boolean exact = recipe.grad() == Recipe.Gradient.STANDARD || recipe.grad() == Recipe.Gradient.LSE
                    || recipe.grad() == Recipe.Gradient.DIV
                    // S₋ = S when e_y = 0, but online's S is not the two-pass sum S₋ is
                    || recipe.grad() == Recipe.Gradient.COMPLEMENT && recipe.algo() != Recipe.Algo.ONLINE;
            if (exact) {
                assertEquals(-1.0, g[y], where);
            } else {
                // zerosum and center: sums of rounded entries; online complement: two sums
                assertEquals(-1.0, g[y], 0.01, where);
            }
            for (double gj : g) {
                assertFalse(Double.isNaN(gj), where);
            }
        }
    }

    /** Recipes outside the matrix above: soft-capping, StableMax. Only "never throws" is documented. */
    @Test
    void neverThrowsOnSpecialLogits() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        double[][] vectors = {{nan, 0}, {inf, 0}, {-inf, 0}, {-inf, -inf}, {inf, -inf}, {nan, inf, -inf}, {inf}, {-inf}, {nan}};
        for (String text : new String[] {"bf16/cap=30", "fp32/cap=30/algo=online", "bf16/norm=stablemax",
                "fp32/norm=stablemax/grad=complement", "fp64/cap=5/lse=log1p", "e2m1/norm=stablemax"}) {
            Recipe recipe = Recipe.parse(text);
            for (double[] z : vectors) {
                for (int y = 0; y < z.length; y++) {
                    Evaluation e = run(recipe, z, y, new double[z.length]);
                    if (Double.isNaN(z[0])) {
                        assertTrue(Double.isNaN(e.lse()), text + " " + Arrays.toString(z));
                    }
                }
            }
        }
    }
}
