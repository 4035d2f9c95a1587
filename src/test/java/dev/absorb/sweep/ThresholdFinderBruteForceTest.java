package dev.absorb.sweep;

import dev.absorb.format.Format;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threshold finder against an exhaustive scan: every representable non-negative gap code
 * from 0 up to the row's {@code gap_max} is evaluated with the scalar kernel, and the thresholds
 * are read off the scan directly.
 *
 * <p>Where the scanned predicate switches at most once, the finder must report exactly the scan's
 * transitions. Where it switches more often, the finder's grid (docs/decisions.md, "Search range
 * and resolution") may step over bands narrower than a cell; then the documented behaviour is
 * checked instead: every reported threshold is an exact transition between adjacent codes,
 * delta_abs is not below the scan's first hit, delta_abs_stable not above the scan's stable
 * start, and a grid fine enough to have every code from just below the first hit as an edge
 * finds exactly what the scan finds, non_monotone included.
 *
 * <p>Found this way: {@code algo=naive} on fp16 and bf16 flickers around its absorption
 * threshold (exp(Δ) is rounded to the format before the log, so p_y alternates between 1 and
 * 1 − ulp over bands a few codes wide); with the default 128 cells the finder reports
 * non_monotone=false and a delta_abs_stable below gaps where g_y is still non-zero.
 */
class ThresholdFinderBruteForceTest {

    private static final List<String> VARIANTS = List.of(
            "", "grad=complement", "compute=fp32/acc=fp32", "lanes=1", "algo=online", "algo=naive");

    /** The predicates of one configuration at every gap code from 0 up to gap_max. */
    record Scan(double[] parameters, double[] gaps, boolean[] absorbed, boolean[] othersZero, boolean[] lseFinite) {

        static Scan of(Configuration c, SweepSettings settings, double gapMax) {
            Format format = c.recipe().format();
            ScalarKernel kernel = new ScalarKernel(c.recipe());
            int y = c.target().index(c.classes(), settings.seed());
            double[] z = new double[c.classes()];
            double[] grad = new double[c.classes()];
            c.family().fill(z, y, 0, settings.offset(), format, settings.seed());
            List<double[]> rows = new ArrayList<>();
            // The stored gap is non-decreasing in the gap parameter: stop once it passes gap_max.
            for (long code = 0; code <= format.maxFiniteCode(); code++) {
                double parameter = format.decode(code);
                double gap = c.family().setGap(z, y, parameter, settings.offset(), format);
                if (gap > gapMax) {
                    break;
                }
                Evaluation e = kernel.evaluate(z, y, grad);
                boolean othersZero = true;
                for (int j = 0; j < z.length; j++) {
                    othersZero &= j == y || grad[j] == 0;
                }
                rows.add(new double[] {parameter, gap, grad[y] == 0 ? 1 : 0, othersZero ? 1 : 0, Double.isFinite(e.lse()) ? 1 : 0});
            }
            int n = rows.size();
            Scan s = new Scan(new double[n], new double[n], new boolean[n], new boolean[n], new boolean[n]);
            for (int i = 0; i < n; i++) {
                double[] r = rows.get(i);
                s.parameters[i] = r[0];
                s.gaps[i] = r[1];
                s.absorbed[i] = r[2] == 1;
                s.othersZero[i] = r[3] == 1;
                s.lseFinite[i] = r[4] == 1;
            }
            return s;
        }

        int size() {
            return gaps.length;
        }

        /** Codes below the first non-finite lse (all of them if lse stays finite). */
        int searchLimit() {
            int i = first(lseFinite, size(), false);
            return i < 0 ? size() : i;
        }

        static int first(boolean[] p, int limit, boolean value) {
            for (int i = 0; i < limit; i++) {
                if (p[i] == value) {
                    return i;
                }
            }
            return -1;
        }

        /** Start of the all-true run that reaches the limit; -1 if p is false just below the limit. */
        static int stable(boolean[] p, int limit) {
            if (limit == 0 || !p[limit - 1]) {
                return -1;
            }
            int i = limit - 1;
            while (i > 0 && p[i - 1]) {
                i--;
            }
            return i;
        }

        static int switches(boolean[] p, int limit) {
            int n = 0;
            for (int i = 1; i < limit; i++) {
                n += p[i] != p[i - 1] ? 1 : 0;
            }
            return n;
        }

        double gapAt(int i) {
            return i < 0 ? Double.NaN : gaps[i];
        }

        /** The first code whose stored gap is {@code gap}. */
        int indexOf(double gap) {
            for (int i = 0; i < size(); i++) {
                if (gaps[i] == gap) {
                    return i;
                }
            }
            throw new AssertionError(gap + " is not a scanned stored gap");
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String format : List.of("e4m3", "e5m2", "e2m3", "fp16", "bf16")) {
            boolean small = Format.of(format).storageBits() <= 8;
            List<Integer> classes = small ? List.of(2, 3, 10, 100) : List.of(2, 10, 100);
            List<Family> families = small ? List.of(Family.FLAT, Family.GAUSS, Family.RUNNERUP) : List.of(Family.FLAT);
            for (String variant : VARIANTS) {
                Recipe recipe = Recipe.parse(variant.isEmpty() ? format : format + "/" + variant);
                for (Family family : families) {
                    for (int c : classes) {
                        for (TargetPosition target : List.of(TargetPosition.FIRST, TargetPosition.LAST)) {
                            cases.add(Arguments.of(new Configuration(recipe, family, c, target)));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void finderAgreesWithExhaustiveScan(Configuration c) {
        // given
        SweepSettings settings = SweepSettings.DEFAULT;
        ThresholdRow row = new ThresholdFinder(c, settings).find().row();
        Scan scan = Scan.of(c, settings, row.gapMax());

        // then: overflow is a first hit of a predicate that never switches back (naive only)
        int limit = scan.searchLimit();
        assertEquals(scan.gapAt(limit == scan.size() ? -1 : limit), row.deltaOvf(), "delta_ovf");
        for (int i = limit; i < scan.size(); i++) {
            assertTrue(!scan.lseFinite[i], "lse stays non-finite past delta_ovf, also at " + scan.gaps[i]);
        }
        if (c.recipe().algo() != Recipe.Algo.NAIVE) {
            assertEquals(scan.size(), limit, "lse is finite everywhere without algo=naive");
        }

        int absSwitches = Scan.switches(scan.absorbed, limit);
        int first = Scan.first(scan.absorbed, limit, true);
        int stable = Scan.stable(scan.absorbed, limit);
        if (absSwitches <= 1) {
            assertEquals(scan.gapAt(first), row.deltaAbs(), "delta_abs");
            assertEquals(scan.gapAt(stable), row.deltaAbsStable(), "delta_abs_stable");
            assertEquals(false, row.nonMonotone(), "non_monotone");
        } else {
            assertDocumentedCoarseBehaviour(scan, scan.absorbed, limit, row.deltaAbs(), row.deltaAbsStable());
            assertFineGridFindsEverything(c, scan, limit, first, stable);
        }

        int ufSwitches = Scan.switches(scan.othersZero, limit);
        int uf = Scan.first(scan.othersZero, limit, true);
        if (ufSwitches <= 1) {
            assertEquals(scan.gapAt(uf), row.deltaUf(), "delta_uf");
        } else {
            assertDocumentedCoarseBehaviour(scan, scan.othersZero, limit, row.deltaUf(), Double.NaN);
        }
    }

    /**
     * The default grid on a non-monotone predicate: each reported gap is a transition (true there,
     * false at the code before), the first hit is not before the scan's, the stable start not after.
     */
    private static void assertDocumentedCoarseBehaviour(Scan scan, boolean[] p, int limit, double firstHit, double stableStart) {
        int first = Scan.first(p, limit, true);
        int stable = Scan.stable(p, limit);
        for (double reported : new double[] {firstHit, stableStart}) {
            if (!Double.isNaN(reported)) {
                int i = scan.indexOf(reported);
                assertTrue(p[i] && (i == 0 || !p[i - 1]), reported + " is an exact transition");
            }
        }
        if (first >= 0) {
            assertTrue(!Double.isNaN(firstHit) && firstHit >= scan.gaps[first], "first hit " + firstHit + " not before " + scan.gaps[first]);
        }
        if (!Double.isNaN(stableStart)) {
            assertTrue(stable >= 0 && stableStart <= scan.gaps[stable], "stable start " + stableStart + " not after " + scan.gapAt(stable));
        }
    }

    /**
     * With cells no wider than the code spacing of the gap parameter just below the first hit,
     * every code from there up is a grid edge (edges are rounded down to codes): nothing is
     * stepped over any more.
     */
    private static void assertFineGridFindsEverything(Configuration c, Scan scan, int limit, int first, int stable) {
        double spacing = scan.parameters[first - 1] - scan.parameters[first - 2];
        double cellsNeeded = Math.ceil(2 * scan.parameters[scan.size() - 1] / spacing);
        assertTrue(cellsNeeded <= 1 << 16, "a fine grid of " + cellsNeeded + " cells is affordable");
        int cells = (int) cellsNeeded;
        SweepSettings fine = new SweepSettings(cells, 1 << 20, SweepSettings.DEFAULT.seed(), SweepSettings.DEFAULT.offset());
        ThresholdRow row = new ThresholdFinder(c, fine).find().row();
        assertEquals(scan.gapAt(first), row.deltaAbs(), "delta_abs on " + cells + " cells");
        assertEquals(scan.gapAt(stable), row.deltaAbsStable(), "delta_abs_stable on " + cells + " cells");
        assertTrue(row.nonMonotone(), "non_monotone on " + cells + " cells");
    }

    /** The case that shows the coarse grid's blind spot, pinned so a change to the grid is noticed. */
    @Test
    void naiveFp16FlickersInsideOneCellAtTheDefaultGrid() {
        Configuration c = new Configuration(Recipe.parse("fp16/algo=naive"), Family.FLAT, 2, TargetPosition.FIRST);
        ThresholdRow row = new ThresholdFinder(c, SweepSettings.DEFAULT).find().row();
        Scan scan = Scan.of(c, SweepSettings.DEFAULT, row.gapMax());
        int limit = scan.searchLimit();

        assertTrue(Scan.switches(scan.absorbed, limit) > 1, "the scan switches g_y == 0 on and off");
        assertEquals(false, row.nonMonotone(), "the default grid does not see it (documented)");
        int stable = Scan.stable(scan.absorbed, limit);
        assertTrue(row.deltaAbsStable() < scan.gaps[stable], "reported stable start is below the true one");
        assertTrue(scan.gaps[stable] - scan.gaps[Scan.first(scan.absorbed, limit, true)] < row.gapMax() / 128 * 3,
                "the flickering region spans only a few cells");
    }
}
