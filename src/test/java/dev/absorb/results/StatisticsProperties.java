package dev.absorb.results;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics of compare and gate: the median's order-statistic interval, and the
 * Hodges–Lehmann ratio whose interval is the inverted Mann–Whitney U test.
 */
class StatisticsProperties {

    /** Lognormal-ish timings: a base time, noise of a few percent, now and then an outlier. */
    private static double[] timings(long seed, int n, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double noise = Math.exp(0.05 * gaussian(random));
            x[i] = scale * noise * (random.nextInt(10) == 0 ? 1.5 : 1);
        }
        return x;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Property
    void theIntervalExcludesOneExactlyWhenTheTestRejects(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int n,
                                                         @ForAll @IntRange(min = 2, max = 12) int m,
                                                         @ForAll @DoubleRange(min = 0.8, max = 1.3) double shift) {
        double[] baseline = timings(seed, n, 1000);
        double[] current = timings(seed + 1, m, 1000 * shift);
        RatioEstimate r = RatioEstimate.of(baseline, current, 0.05);
        boolean excludesOne = r.low() > 1 || r.high() < 1;
        assertEquals(r.significant(0.05), excludesOne, r.toString());
        assertTrue(r.low() <= r.ratio() && r.ratio() <= r.high(), r.toString());
        assertEquals(MannWhitneyUTest.withDefaults().test(current, baseline).getPValue(), r.p(), 1e-12,
                "the p-value is the library's (the U test is invariant under the log)");
    }

    @Property
    void scalingTheCurrentRunScalesTheRatioAndItsInterval(@ForAll long seed, @ForAll @IntRange(min = 2, max = 10) int n,
                                                          @ForAll @DoubleRange(min = 0.5, max = 2) double factor) {
        double[] baseline = timings(seed, n, 1000);
        double[] current = timings(seed + 1, n, 1000);
        double[] scaled = Arrays.stream(current).map(x -> x * factor).toArray();
        RatioEstimate a = RatioEstimate.of(baseline, current, 0.05);
        RatioEstimate b = RatioEstimate.of(baseline, scaled, 0.05);
        assertEquals(a.ratio() * factor, b.ratio(), 1e-9 * b.ratio());
        if (a.hasInterval()) {
            assertEquals(a.low() * factor, b.low(), 1e-9 * b.low());
            assertEquals(a.high() * factor, b.high(), 1e-9 * b.high());
        }
    }

    @Property
    void theMedianIntervalCoversTheMedianAndIsTwoOrderStatistics(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int n) {
        double[] x = timings(seed, n, 1000);
        SampleSummary s = SampleSummary.of(x, 0.95);
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        assertEquals(n, s.n());
        assertEquals(n >= 6, s.hasInterval(), "a 95 % order-statistic interval needs 6 samples");
        if (s.hasInterval()) {
            assertTrue(s.low() <= s.median() && s.median() <= s.high());
            int k = Arrays.binarySearch(sorted, s.low());
            assertEquals(sorted[n - 1 - k], s.high(), "symmetric order statistics");
        }
    }

    @Test
    void medianIntervalsFromTheBinomialTable() {
        double[] ten = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
        // P(Bin(10, 1/2) <= 1) = 11/1024 <= 0.025 < P(<= 2) = 56/1024: the 2nd smallest and 2nd largest
        SampleSummary s = SampleSummary.of(ten, 0.95);
        assertEquals(5.5, s.median());
        assertEquals(2, s.low());
        assertEquals(9, s.high());
        // six samples: 1/64 <= 0.025, so [min, max]
        SampleSummary six = SampleSummary.of(new double[] {3, 1, 2, 6, 5, 4}, 0.95);
        assertEquals(1, six.low());
        assertEquals(6, six.high());
        assertFalse(SampleSummary.of(new double[] {1, 2, 3, 4, 5}, 0.95).hasInterval());
        assertFalse(SampleSummary.of(new double[] {7}, 0.95).hasInterval());
        assertEquals(7, SampleSummary.of(new double[] {7}, 0.95).median());
    }

    @Test
    void hodgesLehmannOfCompletelySeparatedSamples() {
        // every log ratio log(current_j / baseline_i); with 6 + 6 the exact 95 % interval runs from
        // the 6th smallest to the 6th largest of the 36 (critical U = 5), and p is 2 / C(12, 6)
        double[] baseline = {100, 101, 102, 103, 104, 105};
        double[] current = {120, 121, 122, 123, 124, 125};
        RatioEstimate r = RatioEstimate.of(baseline, current, 0.05);
        double[] logRatios = new double[36];
        int k = 0;
        for (double c : current) {
            for (double b : baseline) {
                logRatios[k++] = Math.log(c) - Math.log(b);
            }
        }
        Arrays.sort(logRatios);
        assertEquals(Math.exp((logRatios[17] + logRatios[18]) / 2), r.ratio(), 1e-12);
        assertEquals(Math.exp(logRatios[5]), r.low(), 1e-12);
        assertEquals(Math.exp(logRatios[30]), r.high(), 1e-12);
        assertEquals(2.0 / 924, r.p(), 1e-12);
    }

    @Test
    void theSmallestPossiblePValue() {
        assertEquals(0.1, RatioEstimate.minimumP(3, 3), 1e-15);
        assertEquals(2.0 / 70, RatioEstimate.minimumP(4, 4), 1e-15);
        assertEquals(2.0 / 924, RatioEstimate.minimumP(6, 6), 1e-15);
        assertEquals(1, RatioEstimate.minimumP(1, 1));
        // and the test really cannot go below it: 3 + 3 completely separated
        assertEquals(0.1, RatioEstimate.of(new double[] {1, 2, 3}, new double[] {10, 20, 30}, 0.05).p(), 1e-12);
    }

    @Test
    void oneSampleEachHasNoInterval() {
        RatioEstimate r = RatioEstimate.of(new double[] {100}, new double[] {120}, 0.05);
        assertEquals(1.2, r.ratio(), 1e-12);
        assertFalse(r.hasInterval());
        assertFalse(r.significant(0.05));
    }

    @Provide
    Arbitrary<Double> unused() {
        return Arbitraries.doubles();
    }
}
