package dev.absorb.report;

import dev.absorb.results.JmhRow;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's comparison rows: compare's statistics, as time ratios. */
class ComparedRunTest {

    private static final double[] NOISY = {101, 97, 103, 99, 100, 98, 102, 104, 96, 100};

    @Test
    void theSameSamplesGiveRatioOneAndNoSignificance() {
        RatioRow row = only(time(NOISY), time(NOISY));

        assertEquals(1.0, row.ratio());
        assertTrue(row.ciLow() < 1 && row.ciHigh() > 1, row.toString());
        assertFalse(row.significant());
    }

    @Test
    void aTwentyPercentSlowdownIsSignificantAndInsideItsInterval() {
        RatioRow row = only(time(NOISY), time(scaled(NOISY, 1.2)));

        assertEquals(1.2, row.ratio(), 1e-12);
        assertTrue(row.ciLow() > 1.1 && row.ciLow() < 1.2 && row.ciHigh() > 1.2 && row.ciHigh() < 1.3, row.toString());
        assertTrue(row.significant());
    }

    @Test
    void throughputIsInvertedSoAboveOneIsSlower() {
        RatioRow row = only(throughput(NOISY), throughput(scaled(NOISY, 0.5)));

        assertEquals(2.0, row.ratio(), 1e-12);
        assertTrue(row.ciLow() < 2 && row.ciHigh() > 2, row.toString());
        assertTrue(row.significant());
    }

    @Test
    void oneSampleGivesNoIntervalAndNoSignificance() {
        RatioRow row = only(time(new double[] {100}), time(NOISY));

        assertFalse(row.hasInterval());
        assertFalse(row.significant());
        assertEquals(1.0, row.ratio());
    }

    @Test
    void rowsAreMatchedByNameModeAndParametersInAnyOrder() {
        JmhRow a = RunFixtures.row("x.K.m", "avgt", Map.of("gap", "4", "recipe", "bf16"), 1, 0, "ns/op", new double[][] {NOISY});
        JmhRow onlyInBase = RunFixtures.row("x.K.m", "avgt", Map.of("gap", "8", "recipe", "bf16"), 1, 0, "ns/op", new double[][] {NOISY});
        LinkedHashMap<String, String> reordered = new LinkedHashMap<>();
        reordered.put("recipe", "bf16");
        reordered.put("gap", "4");
        JmhRow b = RunFixtures.row("x.K.m", "avgt", reordered, 1, 0, "ns/op", new double[][] {NOISY});
        JmhRow otherMode = RunFixtures.row("x.K.m", "thrpt", Map.of("gap", "4", "recipe", "bf16"), 1, 0, "ops/s", new double[][] {NOISY});

        ComparedRun.Ratios ratios = ComparedRun.ratios(List.of(a, onlyInBase), List.of(b, otherMode));

        assertEquals(1, ratios.rows().size());
        assertEquals("K.m gap=4 recipe=bf16", ratios.rows().get(0).row());
        assertEquals(List.of("K.m gap=8 recipe=bf16 (base run only)", "K.m gap=4 recipe=bf16 (compared run only)"), ratios.unmatched());
    }

    @Test
    void runsWithNothingInCommonGiveNoRowsAndListEveryRow() {
        JmhRow a = RunFixtures.row("x.K.m", "avgt", Map.of(), 1, 0, "ns/op", new double[][] {NOISY});
        JmhRow b = RunFixtures.row("x.K.other", "avgt", Map.of(), 1, 0, "ns/op", new double[][] {NOISY});

        ComparedRun.Ratios ratios = ComparedRun.ratios(List.of(a), List.of(b));

        assertTrue(ratios.rows().isEmpty());
        assertEquals(List.of("K.m (base run only)", "K.other (compared run only)"), ratios.unmatched());
    }

    private static RatioRow only(JmhRow base, JmhRow compared) {
        List<RatioRow> rows = ComparedRun.ratios(List.of(base), List.of(compared)).rows();
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static double[] scaled(double[] x, double factor) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * factor;
        }
        return y;
    }

    private static JmhRow time(double[] samples) {
        return RunFixtures.row("x.K.m", "avgt", Map.of(), 0, 0, "ns/op", new double[][] {samples});
    }

    private static JmhRow throughput(double[] samples) {
        return RunFixtures.row("x.K.m", "thrpt", Map.of(), 0, 0, "ops/s", new double[][] {samples});
    }
}
