package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The scalar kernel on tiny inputs whose every step is worked out by hand from DESIGN.md §4 (two
 * classes, three, four). bf16 cases are the informative ones: its 8-bit significand makes each
 * rounding visible. The derivations in the comments were checked with 200-bit arithmetic; every
 * rounding of an exp or log result there is at least 0.04 bf16 ulps away from a tie, so the fp32
 * evaluation of exp and log (≤ 1 fp32 ulp = 2^-16 bf16 ulps of error) cannot move any bf16
 * result. Exact ties arise only from + − ÷ of representable values, and go to even (noted where
 * they occur).
 *
 * <p>Notation: rd rounds to nearest even in bf16 (8 significant bits: spacing 2^-7 in [1, 2),
 * 2^-8 in [0.5, 1), 2^-9 in [0.25, 0.5), ...). The default summation (lanes=8) adds e_j into
 * partial j, then folds: with C ≤ 8 every partial holds one term and the fold adds them
 * exactly as long as the sums are representable, which they are below.
 */
class ScalarKernelHandTest {

    private static final double LN2 = 0.6931471805599453; // the double nearest ln 2

    private static Result run(String recipe, double[] z, int y) {
        double[] g = new double[z.length];
        Evaluation e = new ScalarKernel(Recipe.parse(recipe)).evaluate(z, y, g);
        return new Result(e.lse(), e.loss(), g);
    }

    private record Result(double lse, double loss, double[] g) {
    }

    // ---- C = 2, z = (0, 0): S = 2, lse = ln 2, p = 1/2 -------------------------------------------

    @Test
    void fp64TwoEqualLogits() {
        // S = 1 + 1 = 2, r = log 2 (StrictMath: the double nearest ln 2), lse = 0 + r, loss = lse − 0;
        // p = exp(0 − r) = ½·exp(ln 2 − r) = ½(1 + 2.3e-17), and ½ is the nearest double.
        Result r = run("fp64", new double[] {0, 0}, 0);
        assertEquals(LN2, r.lse);
        assertEquals(LN2, r.loss);
        assertArrayEquals(new double[] {-0.5, 0.5}, r.g);
    }

    @Test
    void fp32TwoEqualLogits() {
        // r = ln 2 rounded to fp32 = 0x1.62e43p-1 = 0.6931471824645996; exp(−r) = ½(1 − 1.9e-9),
        // 0.03 fp32 ulps below ½ (the spacing below ½ is 2^-25): p = ½.
        Result r = run("fp32", new double[] {0, 0}, 1);
        assertEquals(0x1.62e43p-1, r.lse);
        assertEquals(0.6931471824645996, r.lse);
        assertEquals(r.lse, r.loss);
        assertArrayEquals(new double[] {0.5, -0.5}, r.g);
    }

    @Test
    void bf16TwoEqualLogits() {
        // r = rd(ln 2 = 0.693147) = 177·2^-8 = 0.69140625; exp(−0.69140625) = 0.50087 → rd = 128·2^-8 = ½;
        // g_y = rd(½ − 1) = −½.
        for (String grad : new String[] {"standard", "lse", "div", "complement", "zerosum", "center"}) {
            Result r = run("bf16/grad=" + grad, new double[] {0, 0}, 0);
            assertEquals(0.69140625, r.lse, grad);
            assertEquals(0.69140625, r.loss, grad);
            assertArrayEquals(new double[] {-0.5, 0.5}, r.g, grad);
        }
    }

    // ---- C = 2, z = (1, 0) in bf16 ----------------------------------------------------------------

    @Test
    void bf16OneAndZero() {
        // m = 1, d = (0, −1), e = (1, rd(e^-1 = 0.367879)) = (1, 188·2^-9 = 0.3671875);
        // S = rd(1.3671875) = 175·2^-7 exactly; r = rd(ln 1.3671875 = 0.312750) = 160·2^-9 = 0.3125;
        // lse = rd(1 + 0.3125) = 1.3125, loss = rd(1.3125 − 1) = 0.3125.
        // p_0 = rd(exp(−0.3125) = 0.731616) = 187·2^-8 = 0.73046875, g_0 = rd(0.73046875 − 1) = −0.26953125;
        // p_1 = rd(exp(−1.3125) = 0.269146) = 138·2^-9 = 0.26953125.
        for (String algo : new String[] {"twopass", "online", "online/lanes=1", "twopass/lanes=1"}) {
            Result r = run("bf16/algo=" + algo, new double[] {1, 0}, 0);
            assertEquals(1.3125, r.lse, algo);
            assertEquals(0.3125, r.loss, algo);
            assertArrayEquals(new double[] {-0.26953125, 0.26953125}, r.g, algo);
        }
        // The target at the smaller logit: loss = rd(1.3125 − 0), g = (p_0, p_1 − 1).
        Result r = run("bf16", new double[] {1, 0}, 1);
        assertEquals(1.3125, r.loss);
        assertArrayEquals(new double[] {0.73046875, rd8(0.26953125 - 1)}, r.g);
        assertEquals(-0.73046875, r.g[1]); // 0.73046875 = 187·2^-8 is representable
    }

    @Test
    void bf16OnlineWithTheMaxSecond() {
        // lanes=1, z = (0, 1): the running max moves from 0 to 1 at j = 1:
        // s = rd(rd(1·ε(0 − 1)) + ε(1 − 1)) = rd(0.3671875 + 1) = 1.3671875, the same S as two-pass.
        Result r = run("bf16/algo=online/lanes=1", new double[] {0, 1}, 1);
        assertEquals(1.3125, r.lse);
        assertEquals(0.3125, r.loss);
        assertArrayEquals(new double[] {0.26953125, -0.26953125}, r.g);
    }

    // ---- C = 3, z = (0, 0, 0): S = 3, p = 1/3 ---------------------------------------------------

    @Test
    void bf16ThreeEqualLogitsEveryGradient() {
        // S = 3, r = rd(ln 3 = 1.098612) = 141·2^-7 = 1.1015625 = lse = loss.
        double[] z = {0, 0, 0};

        // standard: p = rd(exp(−1.1015625) = 0.332367) = 170·2^-9 = 0.33203125,
        // g_y = rd(0.33203125 − 1 = −0.66796875) (171·2^-8, exact). The sum is −2^-8, not 0.
        Result standard = run("bf16", z, 0);
        assertEquals(1.1015625, standard.lse);
        assertEquals(1.1015625, standard.loss);
        assertArrayEquals(new double[] {-0.66796875, 0.33203125, 0.33203125}, standard.g);

        // div: p = rd(1/3) = 171·2^-9 = 0.333984375; p_y − 1 = −0.666015625 = −170.5·2^-8 is a tie,
        // which rne takes to the even 170·2^-8 = 0.6640625.
        Result div = run("bf16/grad=div", z, 0);
        assertArrayEquals(new double[] {-0.6640625, 0.333984375, 0.333984375}, div.g);

        // complement: g_y = −rd(S₋/S = 2/3 = 170.67·2^-8) = −171·2^-8 = −0.66796875: the sum is 0.
        Result complement = run("bf16/grad=complement", z, 0);
        assertArrayEquals(new double[] {-0.66796875, 0.333984375, 0.333984375}, complement.g);

        // zerosum: g_y = −(0.333984375 + 0.333984375) = −0.66796875, representable.
        Result zerosum = run("bf16/grad=zerosum", z, 0);
        assertArrayEquals(new double[] {-0.66796875, 0.333984375, 0.333984375}, zerosum.g);

        // lse: g_j = rd(exp(rd(z_j − lse))) − [j=y], the same numbers as standard here (m = 0).
        assertArrayEquals(standard.g, run("bf16/grad=lse", z, 0).g);

        // center: the standard gradient sums to −2^-8, so its mean −2^-8/3 is subtracted from
        // each entry, then rounded: rd(0.33203125 + 0.0013021) = rd(170.67·2^-9) = 0.333984375 and
        // rd(−0.66796875 + 0.0013021) = rd(−170.67·2^-8) = −0.66796875.
        Result center = run("bf16/grad=center", z, 0);
        assertArrayEquals(new double[] {-0.66796875, 0.333984375, 0.333984375}, center.g);
    }

    /**
     * grad=recip and recipfma, in float arithmetic by hand: lanes=1 sums in index order, r = 1/S,
     * then r·e_j rounded and 1 subtracted (recip), or r·e_y − 1 rounded once (recipfma).
     */
    @Test
    void fp32ReciprocalGradients() {
        double[] z = {2, 0.5, -1.25};
        float e0 = ExpPoly.exp(0f);
        float e1 = ExpPoly.exp(-1.5f);
        float e2 = ExpPoly.exp(-3.25f);
        float r = 1f / ((e0 + e1) + e2);
        assertArrayEquals(new double[] {r * e0, r * e1 - 1f, r * e2}, run("fp32/lanes=1/grad=recip", z, 1).g);
        assertArrayEquals(new double[] {r * e0, Math.fma(r, e1, -1f), r * e2}, run("fp32/lanes=1/grad=recipfma", z, 1).g);
    }

    /**
     * sumexp=fp32: bf16 rounds the exps for the gradient, but S adds them as fp32 values. Here that
     * moves the stored S by one bf16 ulp: with the rounded exps every entry differs.
     */
    @Test
    void bf16SumOfUnroundedExps() {
        double[] z = {0, -0.015625, -0.125};
        float e1 = ExpPoly.exp(-0.015625f);
        float e2 = ExpPoly.exp(-0.125f);
        Rounding bf16 = Rounding.nearest(Format.of("bf16"));
        double s = bf16.round((1f + e1) + e2, 0); // acc=fp32, lanes=1, then rowsum=bf16
        double r = bf16.round(1 / s, 0);
        double[] expected = {bf16.round(r - 1, 0), bf16.round(r * bf16.round(e1, 0), 0), bf16.round(r * bf16.round(e2, 0), 0)};
        assertArrayEquals(expected, run("bf16/acc=fp32/rowsum=bf16/sumexp=fp32/grad=recip/lanes=1", z, 0).g);
        assertArrayEquals(new double[] {-0.65234375, 0.341796875, 0.306640625},
                run("bf16/acc=fp32/rowsum=bf16/grad=recip/lanes=1", z, 0).g);
    }

    @Test
    void bf16ComputeFp32SubtractsOneBeforeRoundingToBf16() {
        // compute=fp32: r = ln 3 in fp32 = 1.0986123085021973 = lse = loss (K values, not bf16);
        // p = exp(−r) in fp32 = 0x1.555556p-2 (see fp32ThreeEqualLogits), g_j = rd(p) = rd(170.67·2^-9)
        // = 0.333984375; g_y = rd(fl32(p − 1) = −0.66666663) = rd(−170.67·2^-8) = −0.66796875:
        // the sum is 0, where compute=bf16 gives −2^-8 (DESIGN.md §4, the order of the subtraction).
        Result r = run("bf16/compute=fp32", new double[] {0, 0, 0}, 0);
        assertEquals(1.0986123085021973, r.lse);
        assertEquals(1.0986123085021973, r.loss);
        assertArrayEquals(new double[] {-0.66796875, 0.333984375, 0.333984375}, r.g);
    }

    @Test
    void fp32ThreeEqualLogits() {
        // r = ln 3 rounded to fp32 = 1.0986123085021973 (0.33 ulp from a tie); exp(−r) =
        // (1/3)(1 − 1.98e-8) = 0.33333332673 lies between the floats 0x1.555554p-2 (0.45 ulp below)
        // and 0x1.555556p-2 (0.55 ulp above). ExpPoly is faithful, not correctly rounded (< 0.94 ulp,
        // see ExpPolyTest), and gives the upper one: p = 0x1.555556p-2 = 11184811·2^-25.
        // g_y = p − 1 = −22369621·2^-25 needs 25 bits: a tie, to even −11184810·2^-24 = −0x1.555554p-1.
        assertEquals(0x1.555556p-2, ExpPoly.exp(-0x1.193ea8p0f));
        Result r = run("fp32", new double[] {0, 0, 0}, 0);
        assertEquals(0x1.193ea8p0, r.lse);
        assertEquals(1.0986123085021973, r.lse);
        assertArrayEquals(new double[] {-0x1.555554p-1, 0x1.555556p-2, 0x1.555556p-2}, r.g);
    }

    @Test
    void fp64ThreeEqualLogitsWithinTwoUlps() {
        // Not exact by hand: r = log 3 is within 1 ulp (StrictMath), exp(−r) = (1/3)·exp(ln 3 − r)
        // is off 1/3 by at most ulp(ln 3)/2 relative (0.67 ulp of 1/3) plus ExpPoly's < 1 ulp.
        Result r = run("fp64", new double[] {0, 0, 0}, 2);
        assertEquals(Math.log(3), r.lse, Math.ulp(1.0986));
        assertEquals(r.lse, r.loss);
        assertEquals(1.0 / 3, r.g[0], 2 * Math.ulp(1.0 / 3));
        assertEquals(r.g[0], r.g[1]);
        assertEquals(-2.0 / 3, r.g[2], 2 * Math.ulp(2.0 / 3));
    }

    // ---- C = 4 --------------------------------------------------------------------------------

    @Test
    void fp64AndFp32FourEqualLogits() {
        // S = 4, r = log 4 = 2·log 2 exactly in both formats; exp(−r) = ¼·exp(ln 4 − r) is 0.2 ulp
        // (fp64) and 0.06 ulp (fp32) away from ¼: p = ¼, g_y = −¾.
        Result r64 = run("fp64", new double[] {0, 0, 0, 0}, 3);
        assertEquals(2 * LN2, r64.lse);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, -0.75}, r64.g);
        Result r32 = run("fp32", new double[] {0, 0, 0, 0}, 3);
        assertEquals(2 * 0x1.62e43p-1, r32.lse);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, -0.75}, r32.g);
    }

    @Test
    void bf16FourLogitsOneAhead() {
        // z = (2, 0, 0, 0), y = 0: e = (1, rd(e^-2 = 0.135335) = 139·2^-10 = 0.1357421875 ×3);
        // partial sums 1 and three times 0.1357421875; fold 8→4 adds zeros; fold 4→2:
        // rd(1 + 0.1357421875) = rd(145.37·2^-7) = 1.1328125 and rd(0.1357421875 + 0.1357421875) =
        // 0.271484375; fold 2→1: rd(1.404296875 = 179.75·2^-7) = 180·2^-7 = 1.40625.
        // r = rd(ln 1.40625 = 0.340927) = 175·2^-9 = 0.341796875; lse = rd(2.341796875) = 150·2^-6 = 2.34375,
        // loss = rd(2.34375 − 2) = 0.34375.
        // standard: p_0 = rd(exp(−0.341796875) = 0.710480) = 182·2^-8 = 0.7109375, g_0 = rd(−0.2890625) exact;
        // p_j = rd(exp(rd(−2 − 0.341796875) = −2.34375) = 0.095967 = 196.54·2^-11) = 0.09619140625.
        double[] z = {2, 0, 0, 0};
        Result standard = run("bf16", z, 0);
        assertEquals(2.34375, standard.lse);
        assertEquals(0.34375, standard.loss);
        assertArrayEquals(new double[] {-0.2890625, 0.09619140625, 0.09619140625, 0.09619140625}, standard.g);

        // div: p_j = rd(0.1357421875 / 1.40625 = 0.096528) = 198·2^-11 = 0.0966796875; p_0 = rd(1/1.40625 =
        // 0.711111) = 182·2^-8, g_0 = −0.2890625 again.
        Result div = run("bf16/grad=div", z, 0);
        assertArrayEquals(new double[] {-0.2890625, 0.0966796875, 0.0966796875, 0.0966796875}, div.g);

        // complement: S₋ leaves partial 0 empty; the folds give rd(e_2 + rd(e_1 + e_3)) = rd(0.4072265625 =
        // 208.5·2^-9) = 208·2^-9 (tie to even) = 0.40625; g_0 = −rd(0.40625/1.40625 = 0.288889) =
        // −148·2^-9 = −0.2890625.
        Result complement = run("bf16/grad=complement", z, 0);
        assertArrayEquals(new double[] {-0.2890625, 0.0966796875, 0.0966796875, 0.0966796875}, complement.g);
    }

    // ---- lse=log1p and algo=naive -------------------------------------------------------------

    @Test
    void log1pKeepsATermThatLogLoses() {
        // fp32, z = (0, −20): e_1 = exp(−20) = 2.06e-9 < 2^-25, so S = rd(1 + e_1) = 1 and r = log 1 = 0:
        // lse = 0 exactly. log1p leaves the max out: s = e_1, r = log1p(e_1) = e_1(1 − e_1/2 + …),
        // which rounds back to e_1, so lse = e_1 (Blanchard, Higham and Higham).
        double e1 = ExpPoly.exp(-20f);
        assertEquals(StrictMath.exp(-20), e1, Math.ulp((float) e1));
        assertEquals(0.0, run("fp32", new double[] {0, -20}, 0).lse);
        assertEquals(e1, run("fp32/lse=log1p", new double[] {0, -20}, 0).lse);
        assertEquals(e1, run("fp32/lse=log1p/algo=online", new double[] {0, -20}, 0).lse);
    }

    @Test
    void naiveOverflowsWhereTwoPassDoesNot() {
        // bf16, z = (100, 0): without the max shift e_0 = rd(e^100 = 2.7e43) = inf (bf16 max 3.39e38),
        // so S = inf, lse = inf, loss = inf − 0 = inf, g_0 = rd(exp(100 − inf)) − 1 = −1, g_1 = exp(−inf) = 0.
        Result naive = run("bf16/algo=naive", new double[] {100, 0}, 0);
        assertEquals(Double.POSITIVE_INFINITY, naive.lse);
        assertEquals(Double.POSITIVE_INFINITY, naive.loss);
        assertArrayEquals(new double[] {-1, 0}, naive.g);
        // Two-pass: e = (1, rd(e^-100) = rd(3.72e-44)): bf16's smallest subnormal is 2^-133 = 9.2e-41,
        // so e_1 = 0, S = 1, lse = 100, loss = 0, g = (0, 0): the gradient is gone entirely.
        Result twopass = run("bf16", new double[] {100, 0}, 0);
        assertEquals(100.0, twopass.lse);
        assertEquals(0.0, twopass.loss);
        assertArrayEquals(new double[] {0, 0}, twopass.g);
        // naive on small logits equals two-pass exactly when the max is 0 (no shift either way)
        Result small = run("bf16/algo=naive", new double[] {0, 0, 0}, 0);
        assertArrayEquals(run("bf16", new double[] {0, 0, 0}, 0).g, small.g);
    }

    @Test
    void oneClass() {
        // C = 1: S = e_0 = 1, lse = z_0, loss = 0, g_0 = 1 − 1 = 0 (complement: −(0/1) = −0).
        Result r = run("bf16", new double[] {3}, 0);
        assertEquals(3.0, r.lse);
        assertEquals(0.0, r.loss);
        assertEquals(0.0, r.g[0]);
        assertTrue(run("bf16/grad=complement", new double[] {3}, 0).g[0] == 0.0);
    }

    /** Nearest-even rounding to bf16 (8 significant bits) of a float-representable value, by its bits. */
    static double rd8(double x) {
        int bits = Float.floatToRawIntBits((float) x);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }
}
