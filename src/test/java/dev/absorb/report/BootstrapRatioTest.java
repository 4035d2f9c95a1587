package dev.absorb.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapRatioTest {

    private static final double[] NOISY = {101, 97, 103, 99, 100, 98, 102, 104, 96, 100};

    @Test
    void theSameSamplesGiveRatioOneAndNoSignificance() {
        RatioRow row = BootstrapRatio.row("r", time(NOISY), time(NOISY));

        assertEquals(1.0, row.ratio());
        assertTrue(row.ciLow() < 1 && row.ciHigh() > 1, row.toString());
        assertFalse(row.significant());
    }

    @Test
    void aTwentyPercentSlowdownIsSignificantAndInsideItsInterval() {
        double[] slower = new double[NOISY.length];
        for (int i = 0; i < NOISY.length; i++) {
            slower[i] = NOISY[i] * 1.2;
        }

        RatioRow row = BootstrapRatio.row("r", time(NOISY), time(slower));

        assertEquals(1.2, row.ratio(), 1e-12);
        assertTrue(row.ciLow() > 1.15 && row.ciLow() < 1.2 && row.ciHigh() > 1.2 && row.ciHigh() < 1.25, row.toString());
        assertTrue(row.significant());
    }

    @Test
    void throughputIsInvertedSoAboveOneIsSlower() {
        double[] half = new double[NOISY.length];
        for (int i = 0; i < NOISY.length; i++) {
            half[i] = NOISY[i] / 2;
        }

        RatioRow row = BootstrapRatio.row("r", throughput(NOISY), throughput(half));

        assertEquals(2.0, row.ratio(), 1e-12);
        assertTrue(row.significant());
    }

    @Test
    void theIntervalIsTheSameEveryTime() {
        double[] other = {110, 95, 120, 101, 99};

        assertEquals(BootstrapRatio.row("r", time(NOISY), time(other)), BootstrapRatio.row("r", time(NOISY), time(other)));
    }

    @Test
    void oneSampleGivesNoInterval() {
        RatioRow row = BootstrapRatio.row("r", time(new double[] {100}), time(NOISY));

        assertFalse(row.hasInterval());
        assertFalse(row.significant());
        assertEquals(1.0, row.ratio());
    }

    @Test
    void rowsAreMatchedByNameModeAndParametersInAnyOrder() {
        JmhResult a = new JmhResult("x.K.m", "avgt", Map.of("gap", "4", "recipe", "bf16"), 1, 0, "ns/op", NOISY);
        JmhResult onlyInBase = new JmhResult("x.K.m", "avgt", Map.of("gap", "8", "recipe", "bf16"), 1, 0, "ns/op", NOISY);
        LinkedHashMap<String, String> reordered = new LinkedHashMap<>();
        reordered.put("recipe", "bf16");
        reordered.put("gap", "4");
        JmhResult b = new JmhResult("x.K.m", "avgt", reordered, 1, 0, "ns/op", NOISY);
        JmhResult otherMode = new JmhResult("x.K.m", "thrpt", Map.of("gap", "4", "recipe", "bf16"), 1, 0, "ops/s", NOISY);

        List<RatioRow> rows = BootstrapRatio.compare(List.of(a, onlyInBase), List.of(b, otherMode));

        assertEquals(1, rows.size());
        assertEquals(2, BootstrapRatio.unmatched(List.of(a, onlyInBase), List.of(b, otherMode)).size());
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        double[] sorted = {1, 2, 3, 4, 5};

        assertEquals(1.0, BootstrapRatio.percentile(sorted, 0));
        assertEquals(3.0, BootstrapRatio.percentile(sorted, 0.5));
        assertEquals(4.6, BootstrapRatio.percentile(sorted, 0.9), 1e-12);
        assertEquals(5.0, BootstrapRatio.percentile(sorted, 1));
    }

    private static JmhResult time(double[] samples) {
        return new JmhResult("x.K.m", "avgt", Map.of(), 0, 0, "ns/op", samples);
    }

    private static JmhResult throughput(double[] samples) {
        return new JmhResult("x.K.m", "thrpt", Map.of(), 0, 0, "ops/s", samples);
    }
}
