package dev.absorb.results;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a row's samples are: forks when every input has several, iterations otherwise. */
class ComparisonSamplesTest {

    private static final BenchmarkKey KEY = BenchmarkKey.of("x.K.m", "avgt", Map.of());

    /** Forks whose iterations sit within 0.1 % of each fork's level (one fork's luck, as JMH sees it). */
    private static double[][] forks(double... levels) {
        double[][] forks = new double[levels.length][];
        for (int f = 0; f < levels.length; f++) {
            forks[f] = new double[] {levels[f] * 1.001, levels[f], levels[f] * 0.999};
        }
        return forks;
    }

    private static Comparison.Row compare(double[][] baseline, double[][] current) {
        RunInput a = new RunInput("A", null, List.of(new JmhRow(KEY, "ns/op", baseline)), null, null);
        RunInput b = new RunInput("B", null, List.of(new JmhRow(KEY, "ns/op", current)), null, null);
        return Comparison.of(List.of(a, b), 0.05).rows().get(0);
    }

    @Test
    void severalForksOnEachSideAreComparedByTheirMedians() {
        // the same five fork levels, shuffled: the runs are alike, though no two forks are
        Comparison.Row row = compare(forks(100, 130, 100, 125, 104), forks(131, 101, 124, 103, 99));

        assertEquals(Comparison.Samples.FORK_MEDIANS, row.samples());
        assertEquals(5, row.scores().get(0).n(), "one sample per fork");
        assertEquals(104, row.scores().get(0).median(), "the median of the fork medians");
        assertFalse(row.ratios().get(1).significant(0.05), "fork luck is not a difference");
    }

    @Test
    void forksThatDifferAllTheWayAreSignificant() {
        Comparison.Row row = compare(forks(100, 101, 99, 102, 100), forks(120, 121, 119, 122, 120));

        assertTrue(row.ratios().get(1).significant(0.05));
        assertEquals(1.2, row.ratios().get(1).ratio(), 0.01);
    }

    @Test
    void aSingleForkOnEitherSideLeavesOnlyIterations() {
        // one fork each: its 3 tight iterations are all there is, and one fork's luck looks significant
        Comparison.Row single = compare(forks(100), forks(104));
        assertEquals(Comparison.Samples.ITERATIONS, single.samples());
        assertEquals(3, single.scores().get(0).n());

        Comparison.Row mixed = compare(forks(100, 104), forks(103));
        assertEquals(Comparison.Samples.ITERATIONS, mixed.samples());
        assertEquals(6, mixed.scores().get(0).n(), "every iteration of both forks");
    }
}
