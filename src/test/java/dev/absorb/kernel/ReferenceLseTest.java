package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ReferenceLse against log-sum-exp in 60-digit BigDecimal ({@link BigMath}). Its Javadoc promises
 * "a few fp64 ulps". Read precisely, that is ulps of the parts: lse = m + r is one rounded
 * addition of the exact max m and r = log1p(s), and r carries a few ulps of its own (each exp
 * within an ulp, the shift z_j − m rounded, log1p within an ulp). So the test asserts
 * <pre>  |ReferenceLse − lse| ≤ ulp(lse) + 4·ulp(r)</pre>
 * with lse and r exact. Relative to lse alone there is no such bound: z = (−ln 2, −ln 2) has
 * lse = 2.3e-17 (the double nearest ln 2 is below ln 2), which m + r gives as 0.
 */
class ReferenceLseTest {

    private static final Recipe SOFTMAX = Recipe.parse("fp64");

    /** lse of doubles, exactly (to 60 digits): m + log(Σ exp(z_j − m)), all in BigDecimal. */
    static BigDecimal[] exactLseAndR(double[] z) {
        double m = Arrays.stream(z).max().orElseThrow();
        BigDecimal bm = new BigDecimal(m);
        BigDecimal sum = BigDecimal.ZERO;
        for (double zj : z) {
            if (zj != Double.NEGATIVE_INFINITY) {
                sum = sum.add(BigMath.exp(new BigDecimal(zj).subtract(bm)), BigMath.MC);
            }
        }
        BigDecimal r = BigMath.log(sum);
        return new BigDecimal[] {bm.add(r, BigMath.MC), r};
    }

    static double ulp(BigDecimal x) {
        return Math.ulp(x.doubleValue());
    }

    static void assertClose(double[] z, double reference, BigDecimal lse, BigDecimal r, double extra) {
        double error = new BigDecimal(reference).subtract(lse).abs().doubleValue();
        double bound = ulp(lse) + 4 * ulp(r) + extra;
        String shown = z.length <= 8 ? Arrays.toString(z) : z.length + " logits";
        assertTrue(error <= bound, () -> shown + ": reference " + reference + ", exact " + lse.round(new java.math.MathContext(25))
                + ", error " + error + " > " + bound);
    }

    static List<double[]> vectors() {
        List<double[]> out = new ArrayList<>();
        out.add(new double[] {0, 0});
        out.add(new double[] {0, -20});
        out.add(new double[] {1, 0, -1, 0.5});
        out.add(new double[] {1000, 999, -1000});
        out.add(new double[] {-745, -746, -800});
        out.add(new double[] {0, -800}); // exp underflows in double: lse = 0 + e^-800 rounds to 0
        out.add(new double[] {700, 700, 700, 700});
        out.add(new double[] {-Math.log(2), -Math.log(2)}); // lse = 2.3e-17, cancellation in m + r
        out.add(new double[] {1e-300, -1e-300});
        out.add(new double[] {3, Double.NEGATIVE_INFINITY, 2}); // −inf: probability 0
        out.add(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0});
        SplittableRandom random = new SplittableRandom(42);
        for (double sigma : new double[] {0.01, 1, 30}) {
            double[] z = new double[300];
            for (int j = 0; j < z.length; j++) {
                z[j] = sigma * (random.nextDouble() * 2 - 1) * 3;
            }
            out.add(z);
        }
        double[] flat = new double[2000]; // C = 2000 equal logits: lse = ln 2000
        out.add(flat);
        return out;
    }

    @Test
    void softmaxAgainstBigDecimal() {
        for (double[] z : vectors()) {
            BigDecimal[] exact = exactLseAndR(z);
            assertClose(z, ReferenceLse.of(SOFTMAX, z), exact[0], exact[1], 0);
        }
    }

    @Test
    void cancellationIsAbsoluteNotRelative() {
        double[] z = {-Math.log(2), -Math.log(2)};
        BigDecimal lse = exactLseAndR(z)[0];
        assertTrue(lse.doubleValue() > 2e-17 && lse.doubleValue() < 3e-17, lse.toString());
        assertEquals(0.0, ReferenceLse.of(SOFTMAX, z));
    }

    /**
     * Soft-capping: x_j = c·tanh(z_j/c), evaluated in double by the reference (a few ulps of c in
     * each x_j), exactly here; the bound gets 4·ulp(c) on top.
     */
    @Test
    void cappedLogitsAgainstBigDecimal() {
        for (double c : new double[] {30, 5}) {
            Recipe recipe = Recipe.parse("fp64/cap=" + (int) c);
            for (double[] z : vectors()) {
                if (Arrays.stream(z).anyMatch(Double::isInfinite)) {
                    continue;
                }
                double[] x = new double[z.length];
                BigDecimal bc = new BigDecimal(c);
                List<BigDecimal> capped = new ArrayList<>();
                for (int j = 0; j < z.length; j++) {
                    BigDecimal t = BigMath.tanh(new BigDecimal(z[j]).divide(bc, BigMath.MC));
                    capped.add(bc.multiply(t, BigMath.MC));
                    x[j] = capped.get(j).doubleValue();
                }
                // the exact lse of the exactly capped logits
                BigDecimal m = capped.stream().max(BigDecimal::compareTo).orElseThrow();
                BigDecimal sum = BigDecimal.ZERO;
                for (BigDecimal xj : capped) {
                    sum = sum.add(BigMath.exp(xj.subtract(m)), BigMath.MC);
                }
                BigDecimal r = BigMath.log(sum);
                assertClose(z, ReferenceLse.of(recipe, z), m.add(r, BigMath.MC), r, 4 * Math.ulp(c));
            }
        }
    }

    /** StableMax: log Σ s(z_j), s(x) = x + 1 for x ≥ 0, 1/(1 − x) otherwise. Its bound is absolute. */
    @Test
    void stablemaxAgainstBigDecimal() {
        Recipe recipe = Recipe.parse("fp64/norm=stablemax");
        for (double[] z : vectors()) {
            if (Arrays.stream(z).anyMatch(Double::isInfinite)) {
                continue;
            }
            BigDecimal sum = BigDecimal.ZERO;
            for (double zj : z) {
                BigDecimal x = new BigDecimal(zj);
                sum = sum.add(zj >= 0 ? x.add(BigDecimal.ONE) : BigDecimal.ONE.divide(BigDecimal.ONE.subtract(x), BigMath.MC),
                        BigMath.MC);
            }
            BigDecimal lse = BigMath.log(sum);
            // No max shift and no log1p here: lse = log S with S's terms within half an ulp each
            // and S rounded to odd, so S is within 3 units of 2^-53 relative, which log turns into
            // an absolute error: 4·2^-53 on top of log's own ulp (z = (0, −20): S = 1 + 1/21, lse =
            // 0.0465, error 5e-17 = 7 ulps of lse, 0.45·2^-53).
            double error = new BigDecimal(ReferenceLse.of(recipe, z)).subtract(lse).abs().doubleValue();
            double bound = ulp(lse) + 4 * 0x1p-53;
            assertTrue(error <= bound, () -> z.length + " logits: error " + error + " > " + bound);
        }
    }

    @Test
    void specialValues() {
        assertTrue(Double.isNaN(ReferenceLse.of(SOFTMAX, new double[] {0, Double.NaN})));
        assertTrue(Double.isNaN(ReferenceLse.of(SOFTMAX, new double[] {Double.NaN, 0})));
        assertTrue(Double.isNaN(ReferenceLse.of(SOFTMAX, new double[] {Double.NEGATIVE_INFINITY, Double.NaN})));
        assertTrue(Double.isNaN(ReferenceLse.of(SOFTMAX, new double[] {Double.POSITIVE_INFINITY, 0})));
        assertEquals(0.0, ReferenceLse.of(SOFTMAX, new double[] {0, Double.NEGATIVE_INFINITY}));
        // the exact lse of all −inf is −inf (the reference is not a kernel: it need not be NaN)
        assertEquals(Double.NEGATIVE_INFINITY,
                ReferenceLse.of(SOFTMAX, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}));
    }

    @Test
    void theReferenceIgnoresTheRecipesFormat() {
        // The reference is fp64 whatever the recipe: only cap and norm change the function.
        double[] z = {1.5, -2.25, 0.125};
        assertEquals(ReferenceLse.of(SOFTMAX, z), ReferenceLse.of(Recipe.parse("bf16/algo=online/lanes=1"), z));
        assertEquals(ReferenceLse.of(Recipe.parse("fp64/cap=30"), z), ReferenceLse.of(Recipe.parse("e4m3/cap=30"), z));
    }
}
