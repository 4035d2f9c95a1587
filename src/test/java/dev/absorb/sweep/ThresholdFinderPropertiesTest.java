package dev.absorb.sweep;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the threshold finder reports beyond what {@link ThresholdFinderBruteForceTest} checks
 * against an exhaustive scan: the {@code predicted} column, the search range {@code gap_max},
 * which rows have {@code delta_ovf}, the empty NFI window of the stable-gradient formulations,
 * and the curve points. The exhaustive test covers a few recipes; the invariants here run over
 * many more (every formulation key), because they are cheap.
 */
class ThresholdFinderPropertiesTest {

    private static ThresholdRow find(String recipe, Family family, int classes, TargetPosition target) {
        return find(new Configuration(Recipe.parse(recipe), family, classes, target), SweepSettings.DEFAULT);
    }

    private static ThresholdRow find(Configuration c, SweepSettings settings) {
        return new ThresholdFinder(c, settings).find().row();
    }

    // ---- predicted ----------------------------------------------------------------------------

    /**
     * predicted = ln(C−1) + p·ln 2 (DESIGN.md §5), and it must be the same double on every JVM and
     * CPU (DESIGN.md §4: "Every number the tools print is … the same on every JVM and CPU"): so it
     * is StrictMath's value, not Math.log's, which may be a platform intrinsic within 1 ulp.
     */
    @Test
    void predictedIsLnOfCMinus1PlusPLn2BitForBit() {
        List<Integer> classes = new ArrayList<>();
        for (int c = 2; c <= 2000; c++) {
            classes.add(c);
        }
        classes.addAll(List.of(32000, 50257, 128256, 256000, 1 << 24));
        for (String format : List.of("fp64", "fp32", "tf32", "bf16", "fp16", "e5m2", "e4m3", "e2m1", "e6m9")) {
            Recipe recipe = Recipe.parse(format);
            int p = recipe.format().precision();
            for (int c : classes) {
                double expected = StrictMath.log(c - 1) + p * StrictMath.log(2);
                double actual = new Configuration(recipe, Family.FLAT, c, TargetPosition.FIRST).predicted();
                assertEquals(expected, actual, () -> format + " C=" + c);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "fp32, 24", "bf16, 8", "fp16, 11", "tf32, 11", "e4m3, 4", "e5m2, 3", "e2m1, 2", "fp64, 53",
        "bf16/grad=complement/acc=fp32/round=sr, 8"})
    void predictedUsesTheStorageFormatsSignificantBits(String recipe, int p) {
        // C = 2: ln 1 = 0, so predicted is p·ln 2 alone; the formulation does not enter.
        Configuration c = new Configuration(Recipe.parse(recipe), Family.GAUSS, 2, TargetPosition.LAST);
        assertEquals(p * StrictMath.log(2), c.predicted());
    }

    /** By hand: fp32 at C = 2 absorbs exactly at the first fp32 value ≥ 24·ln 2 (S = 1 + e^−Δ rounds to 1). */
    @Test
    void fp32TwoClassesAbsorbsAtThePrediction() {
        ThresholdRow row = find("fp32", Family.FLAT, 2, TargetPosition.FIRST);
        double predicted = row.configuration().predicted();
        float firstAbove = (float) predicted;
        if (firstAbove < predicted) {
            firstAbove = Math.nextUp(firstAbove);
        }
        assertEquals(firstAbove, row.deltaAbs());
        assertEquals(16.63553237915039, row.deltaAbs());
    }

    // ---- gap_max: the documented search range -------------------------------------------------

    /**
     * U = min(max finite, ln2·(m_K − emin_K + 1) + 1) with K the compute format (fp32 under
     * stochastic rounding), for naive also at least ln(max_K) + 1; the top edge rounded up to a
     * representable gap (docs/decisions.md "Search range and resolution").
     */
    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16", "fp16", "tf32", "e5m2", "e4m3", "e3m4", "e2m1", "fp64",
        "bf16/compute=fp32/acc=fp32", "fp16/compute=fp32", "e4m3/round=sr", "fp16/round=srh", "bf16/round=sr",
        "fp32/algo=naive", "fp16/algo=naive", "bf16/algo=naive", "e4m3/algo=naive", "fp16/compute=fp32/algo=naive",
        "fp64/algo=naive", "e5m2/norm=stablemax", "bf16/norm=stablemax"})
    void gapMaxIsTheDocumentedUpperEdge(String text) {
        // given
        Recipe recipe = Recipe.parse(text);
        Format format = recipe.format();
        Format compute = recipe.computeFormat();
        double u;
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            u = format.maxFinite();
        } else {
            Format vanishes = recipe.round().isStochastic() && !compute.isFp64() ? Format.FP32 : compute;
            u = StrictMath.log(2) * (vanishes.mantissaBits() - vanishes.minExponent() + 1) + 1;
            if (recipe.algo() == Recipe.Algo.NAIVE) {
                u = Math.max(u, StrictMath.log(compute.maxFinite()) + 1);
            }
            u = Math.min(format.maxFinite(), u);
        }
        double expected = format.isFp64() ? u
                : Math.min(format.maxFinite(), new Rounding(format, RoundingMode.RUP, false, false).round(u, 0));

        // when
        ThresholdRow row = find(new Configuration(recipe, Family.FLAT, 10, TargetPosition.FIRST), SweepSettings.DEFAULT);

        // then
        assertEquals(expected, row.gapMax(), text);
    }

    /**
     * The search never takes z_y past max finite. The gap is added to the largest other logit
     * (the offset; the largest Gaussian draw), so when U is capped at max finite (small-range
     * formats under compute=fp32, sr, naive, StableMax) a level above 0 used to push the top grid
     * edges to z_y = inf (IEEE) or NaN (fn/fnuz): gap_max printed as {@code Infinity} or empty,
     * curve rows with gap {@code Infinity}, and g_y turning NaN at the top made delta_abs_stable
     * vanish and non_monotone true for every such row.
     */
    @Test
    void zyStaysFiniteUpToGapMax() {
        for (String format : List.of("e3m4", "e3m2", "e2m3", "e2m1", "e4m3b11fnuz", "e4m3", "e4m3fnuz", "e5m2", "fp16")) {
            for (String variant : List.of("", "/compute=fp32/acc=fp32", "/round=sr", "/algo=naive", "/norm=stablemax")) {
                Recipe recipe = Recipe.parse(format + variant);
                for (double offset : new double[] {0, 1, 3.5, -2}) {
                    SweepSettings settings = new SweepSettings(32, 4, 5, offset);
                    for (Family family : Family.values()) {
                        for (int classes : List.of(2, 10)) {
                            Configuration c = new Configuration(recipe, family, classes, TargetPosition.FIRST);
                            SweepResult result = new ThresholdFinder(c, settings).find();
                            String what = c + " o=" + offset;
                            double gapMax = result.row().gapMax();
                            assertTrue(Double.isFinite(gapMax) && gapMax >= 0, what + ": gap_max " + gapMax);
                            for (CurvePoint p : result.curve()) {
                                assertTrue(Double.isFinite(p.gap()), what + ": curve gap " + p.gap());
                            }
                            double[] z = new double[classes];
                            family.fill(z, 0, 0, offset, recipe.format(), settings.seed());
                            double others = Double.NEGATIVE_INFINITY;
                            for (int j = 1; j < classes; j++) {
                                others = Math.max(others, z[j]);
                            }
                            assertTrue(others + gapMax <= recipe.format().maxFinite(), what + ": z_y = " + others + " + " + gapMax);
                        }
                    }
                }
            }
        }
    }

    /** The case that showed it: e3m4 under sr, offset 1: U = 105 is capped at max finite 15.5, and 1 + 15.5 overflows. */
    @Test
    void e3m4SrWithOffsetSearchesUpToTheLargestFiniteZy() {
        Configuration c = new Configuration(Recipe.parse("e3m4/round=sr"), Family.FLAT, 10, TargetPosition.FIRST);
        ThresholdRow row = find(c, new SweepSettings(128, 4, 0, 1));
        assertEquals(14.5, row.gapMax(), "z_y = 1 + 14.5 = 15.5, e3m4's max finite");
        assertEquals(row.deltaAbs(), row.deltaAbsStable());
        assertFalse(row.nonMonotone());
    }

    // ---- delta_ovf ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16", "fp16", "e4m3", "e5m2", "fp64", "bf16/algo=online", "fp16/lse=log1p",
        "fp16/grad=complement", "e4m3/acc=kahan", "bf16/round=sr", "fp16/grad=lse", "bf16/norm=stablemax",
        "fp16/cap=30", "e5m2/sat=on", "bf16/compute=fp32/acc=fp32"})
    void deltaOvfOnlyForNaive(String recipe) {
        for (Family family : Family.values()) {
            for (int classes : List.of(2, 100)) {
                ThresholdRow row = find(recipe, family, classes, TargetPosition.LAST);
                assertTrue(Double.isNaN(row.deltaOvf()), recipe + " " + family + " C=" + classes + ": delta_ovf " + row.deltaOvf());
            }
        }
    }

    /**
     * algo=naive computes exp(z_j) without the max shift: lse stops being finite once exp(Δ + o)
     * overflows the compute format, near ln(max_K) − o, so delta_ovf is there (and moves with the
     * offset: the absolute level matters, DESIGN.md §5).
     */
    @ParameterizedTest
    @ValueSource(strings = {"fp32/algo=naive", "bf16/algo=naive", "fp16/algo=naive", "e4m3/algo=naive", "e5m2/algo=naive",
        "fp16/compute=fp32/acc=fp32/algo=naive", "fp16/algo=naive/grad=complement"})
    void naiveOverflowsNearLnMaxMinusOffset(String text) {
        Recipe recipe = Recipe.parse(text);
        double lnMax = StrictMath.log(recipe.computeFormat().maxFinite());
        for (double offset : new double[] {0, 2}) {
            SweepSettings settings = new SweepSettings(128, 4, 0, offset);
            for (Family family : List.of(Family.FLAT, Family.RUNNERUP)) {
                ThresholdRow row = find(new Configuration(recipe, family, 10, TargetPosition.FIRST), settings);
                double ovf = row.deltaOvf();
                assertFalse(Double.isNaN(ovf), text + " " + family + " o=" + offset + " has delta_ovf");
                // exp(z_y) overflows K near ln max: z_y at delta_ovf is not far below, and the
                // representable gap just below delta_ovf (lse still finite) is not far above.
                Format format = recipe.format();
                double z = ovf + offset;
                double zBelow = format.decode(format.encode(ovf) - 1) + offset;
                assertTrue(z >= lnMax - 1, text + " o=" + offset + ": z_y at overflow " + z + " vs ln max " + lnMax);
                assertTrue(zBelow <= lnMax + 1, text + " o=" + offset + ": z_y below overflow " + zBelow + " vs ln max " + lnMax);
                for (double other : new double[] {row.deltaAbs(), row.deltaAbsStable(), row.deltaUf()}) {
                    assertTrue(Double.isNaN(other) || other < ovf, "thresholds searched below delta_ovf: " + other + " < " + ovf);
                }
            }
        }
    }

    /**
     * S = Σ exp(z_j) without the max shift overflows e3m4 (max 15.5) at gap 0 once C is large
     * enough: delta_ovf is 0 and nothing is searched below it (this used to crash the sweep with
     * an ArrayIndexOutOfBoundsException on the empty grid below delta_ovf).
     */
    @ParameterizedTest
    @CsvSource({"e3m4/algo=naive, 100", "e4m3b11fnuz/algo=naive, 100", "e3m4/algo=naive/grad=complement, 300"})
    void naiveOverflowingAtGapZero(String recipe, int classes) {
        // (runnerup puts all but one rival 8 below: its S stays finite at gap 0)
        for (Family family : List.of(Family.FLAT, Family.GAUSS)) {
            ThresholdRow row = find(recipe, family, classes, TargetPosition.FIRST);
            String what = row.configuration().toString();
            assertEquals(0.0, row.deltaOvf(), what + ": lse is not finite at gap 0");
            assertTrue(Double.isNaN(row.deltaAbs()) && Double.isNaN(row.deltaAbsStable()) && Double.isNaN(row.deltaUf()),
                    what + ": nothing below delta_ovf");
            assertFalse(row.nonMonotone());
            assertTrue(Double.isNaN(row.lseRelErr()), what + ": no finite lse on the curve");
        }
    }

    // ---- the NFI window -----------------------------------------------------------------------

    private static final List<String> NFI_FORMATS = List.of("fp32", "bf16", "fp16", "e5m2", "e4m3", "e4m3fnuz", "e3m4", "e2m3");

    /** Every format × variant × family × C ∈ {2, 30}, target last; found on two threads. */
    private static List<ThresholdRow> rows(List<String> variants) {
        List<Recipe> recipes = new ArrayList<>();
        for (String format : NFI_FORMATS) {
            for (String variant : variants) {
                recipes.add(Recipe.parse(format + "/" + variant));
            }
        }
        List<Configuration> cs = Sweep.configurations(recipes, List.of(Family.values()), List.of(2, 30), List.of(TargetPosition.LAST));
        List<ThresholdRow> rows = new ArrayList<>();
        for (SweepResult r : Sweep.run(cs, SweepSettings.DEFAULT, 2, done -> { })) {
            rows.add(r.row());
        }
        return rows;
    }

    /**
     * grad=zerosum: g_y = −Σ_{j≠y} g_j summed exactly over non-negative stored entries, so g_y == 0
     * exactly when every other entry is 0 (and is NaN when one is): the two predicates are the
     * same, so delta_abs = delta_uf, and where g_y == 0 does not switch back, delta_abs_stable too;
     * the NFI window is empty (README: "absorb only where exp underflows and every other gradient
     * entry is gone too … the NFI window is empty"). (It can switch back: e3m4 with C = 300 and
     * algo=online overflows S to inf at small gaps, every g_j = 1/inf = 0, and at larger gaps the
     * online rescaling inf·0 makes everything NaN: g_y is then neither 0 nor a number.)
     */
    @Test
    void zerosumHasNoNfiWindow() {
        List<ThresholdRow> rows = rows(List.of("grad=zerosum", "grad=zerosum/compute=fp32/acc=fp32", "grad=zerosum/algo=online",
                "grad=zerosum/acc=kahan", "grad=zerosum/lanes=1"));
        int absorbing = 0;
        for (ThresholdRow row : rows) {
            String what = row.configuration().toString();
            assertEquals(row.deltaUf(), row.deltaAbs(), what + ": delta_abs = delta_uf");
            if (!row.nonMonotone()) {
                assertEquals(row.deltaUf(), row.deltaAbsStable(), what + ": delta_abs_stable = delta_uf");
            }
            assertFalse(row.nfiWidth() > 0, what + ": empty NFI window");
            absorbing += Double.isNaN(row.deltaAbs()) ? 0 : 1;
        }
        assertTrue(absorbing > rows.size() / 2, "most rows absorb inside the search range: " + absorbing + " of " + rows.size());
    }

    /**
     * grad=complement: g_y = −rd(S₋/S) with S₋ ≥ every e_j, j ≠ y, so under a monotone rounding g_y
     * is 0 only where every other entry is 0 too: wherever delta_abs exists, delta_uf exists and is
     * not above it (the NFI window [delta_abs, delta_uf) is empty). It may be below: with
     * compute=fp32, an e_j/S that is tiny in fp32 is stored as 0 while S₋/S, the sum of many, is not.
     */
    @Test
    void complementHasNoNfiWindow() {
        List<ThresholdRow> rows = rows(List.of("grad=complement", "grad=complement/compute=fp32/acc=fp32", "grad=complement/acc=fp32",
                "grad=complement/algo=online", "grad=complement/lanes=1", "grad=complement/ftz=on"));
        int absorbing = 0;
        for (ThresholdRow row : rows) {
            String what = row.configuration().toString();
            if (!Double.isNaN(row.deltaAbs())) {
                assertFalse(Double.isNaN(row.deltaUf()), what + ": g_y = 0 only after every g_j = 0");
                assertTrue(row.deltaUf() <= row.deltaAbs(), what + ": delta_uf " + row.deltaUf() + " <= delta_abs " + row.deltaAbs());
                assertEquals(0.0, row.nfiWidth(), what + ": empty NFI window");
                absorbing++;
            }
        }
        assertTrue(absorbing > rows.size() / 2, "most rows absorb inside the search range: " + absorbing + " of " + rows.size());
    }

    /**
     * The contrast the tool exists to show (README): the default gradient of fp32, bf16 and fp16
     * absorbs g_y long before the other entries underflow — a non-empty NFI window — and the
     * cures move delta_abs up to the underflow gap.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16", "fp16"})
    void standardGradientHasAnNfiWindowAndTheCuresCloseIt(String format) {
        for (int classes : List.of(2, 1000)) {
            ThresholdRow standard = find(format, Family.FLAT, classes, TargetPosition.FIRST);
            ThresholdRow complement = find(format + "/grad=complement", Family.FLAT, classes, TargetPosition.FIRST);
            ThresholdRow zerosum = find(format + "/grad=zerosum", Family.FLAT, classes, TargetPosition.FIRST);
            assertTrue(standard.deltaAbs() < standard.deltaUf(), format + " C=" + classes + ": window [" + standard.deltaAbs()
                    + ", " + standard.deltaUf() + ")");
            assertTrue(standard.nfiWidth() > 0);
            assertEquals(standard.deltaUf(), complement.deltaAbs(), "complement absorbs where the others underflow");
            assertEquals(standard.deltaUf(), zerosum.deltaAbs(), "zerosum absorbs where the others underflow");
        }
    }

    // ---- invariants over many formulations ----------------------------------------------------

    static List<Configuration> manyConfigurations() {
        List<Configuration> cs = new ArrayList<>();
        List<String> variants = List.of("", "acc=fp32", "compute=fp32/acc=fp32", "acc=fp64", "acc=kahan", "lse=log1p",
                "grad=lse", "grad=div", "grad=complement", "grad=zerosum", "grad=center", "round=sr/seed=3", "round=srh",
                "round=rtz", "round=rup", "round=rdn", "round=rna", "round=rto", "sat=on", "ftz=on", "lanes=1", "lanes=64",
                "algo=online", "algo=naive", "exp=jdk", "norm=stablemax", "cap=30", "cap=5/grad=complement");
        List<String> formats = List.of("bf16", "fp16", "e4m3", "e5m2", "e2m3");
        int i = 0;
        for (String variant : variants) {
            for (String format : formats) {
                Recipe recipe = Recipe.parse(variant.isEmpty() ? format : format + "/" + variant);
                Family family = Family.values()[i % 3];
                int classes = List.of(2, 3, 17, 64).get(i / 3 % 4);
                TargetPosition target = TargetPosition.values()[i % 2 == 0 ? 0 : 1 + i / 2 % 2];
                cs.add(new Configuration(recipe, family, classes, target));
                i++;
            }
        }
        return cs;
    }

    /**
     * For every configuration: thresholds lie in [0, gap_max]; delta_abs ≤ delta_abs_stable;
     * they differ only with non_monotone; a stable start implies a first hit; for flat and
     * runnerup (offset 0: the stored gap is z_y) each threshold is a representable gap at which
     * the predicate holds while it fails at the representable gap just below — re-evaluated here
     * with the kernel, independently of the finder's cache.
     */
    @Test
    void rowInvariantsAndExactTransitions() {
        for (Configuration c : manyConfigurations()) {
            String what = c.toString();
            ThresholdRow row = find(c, SweepSettings.DEFAULT);
            double[] all = {row.deltaAbs(), row.deltaAbsStable(), row.deltaUf(), row.deltaOvf()};
            for (double gap : all) {
                assertTrue(Double.isNaN(gap) || gap >= 0 && gap <= row.gapMax(), what + ": " + gap + " in [0, gap_max]");
            }
            if (!Double.isNaN(row.deltaAbsStable())) {
                assertFalse(Double.isNaN(row.deltaAbs()), what + ": stable start without a first hit");
                assertTrue(row.deltaAbs() <= row.deltaAbsStable(), what + ": delta_abs <= delta_abs_stable");
            }
            boolean same = Double.compare(row.deltaAbs(), row.deltaAbsStable()) == 0;
            if (!same) {
                assertTrue(row.nonMonotone(), what + ": delta_abs != delta_abs_stable must be flagged non_monotone");
            }
            if (c.family() != Family.GAUSS) {
                assertTransition(c, row.deltaAbs(), true, what + " delta_abs");
                assertTransition(c, row.deltaAbsStable(), true, what + " delta_abs_stable");
                assertTransition(c, row.deltaUf(), false, what + " delta_uf");
            }
        }
    }

    /** At {@code gap} the predicate holds, at the representable gap below it does not. */
    private static void assertTransition(Configuration c, double gap, boolean targetPredicate, String what) {
        if (Double.isNaN(gap)) {
            return;
        }
        Format format = c.recipe().format();
        assertEquals(gap, Rounding.nearest(format).round(gap, 0), what + " is a value of " + format);
        assertTrue(predicate(c, gap, targetPredicate), what + " = " + gap + ": holds there");
        if (gap > 0) {
            double below = format.decode(format.encode(gap) - 1);
            assertFalse(predicate(c, below, targetPredicate), what + " = " + gap + ": fails at " + below);
        }
    }

    private static boolean predicate(Configuration c, double gap, boolean targetPredicate) {
        int y = c.target().index(c.classes(), 0);
        double[] z = new double[c.classes()];
        double[] g = new double[c.classes()];
        assertEquals(gap, c.family().fill(z, y, gap, 0, c.recipe().format(), 0), "stored gap = parameter");
        new ScalarKernel(c.recipe()).evaluate(z, y, g);
        if (targetPredicate) {
            return g[y] == 0;
        }
        for (int j = 0; j < g.length; j++) {
            if (j != y && g[j] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * curves.csv gets every 4th grid edge: 33 points from gap 0 up to gap_max, ascending, for the
     * same configuration; lse_rel_err is the largest relative lse error among them.
     */
    @Test
    void curvePointsAndLseRelErr() {
        for (Configuration c : manyConfigurations()) {
            SweepResult result = new ThresholdFinder(c, SweepSettings.DEFAULT).find();
            List<CurvePoint> curve = result.curve();
            String what = c.toString();
            assertTrue(curve.size() >= 2 && curve.size() <= 33, what + ": " + curve.size() + " points");
            if (c.recipe().format().storageBits() == 16 && c.recipe().norm() == Recipe.Norm.SOFTMAX) {
                assertEquals(33, curve.size(), what + ": 129 distinct edges, every 4th");
            }
            double[] z = new double[c.classes()];
            int y = c.target().index(c.classes(), 0);
            assertEquals(c.family().fill(z, y, 0, 0, c.recipe().format(), 0), curve.get(0).gap(), what + ": first point at gap 0");
            assertEquals(result.row().gapMax(), curve.get(curve.size() - 1).gap(), what + ": last point at gap_max");
            double worst = Double.NaN;
            for (int i = 0; i < curve.size(); i++) {
                CurvePoint p = curve.get(i);
                assertEquals(c, p.configuration());
                if (i > 0) {
                    // gauss stores z_y = rd(max + gap): two gap parameters may give one stored gap
                    boolean ascending = c.family() == Family.GAUSS ? p.gap() >= curve.get(i - 1).gap() : p.gap() > curve.get(i - 1).gap();
                    assertTrue(ascending, what + ": ascending gaps");
                }
                double e = p.lseRelativeError();
                if (!Double.isNaN(e)) {
                    worst = Double.isNaN(worst) ? e : Math.max(worst, e);
                }
            }
            assertEquals(worst, result.row().lseRelErr(), what + ": lse_rel_err is the curve's largest");
        }
    }
}
