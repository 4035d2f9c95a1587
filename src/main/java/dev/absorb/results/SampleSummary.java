package dev.absorb.results;

import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.distribution.BinomialDistribution;

import java.util.Arrays;

/**
 * One input's score for one row: the median of its samples (fork medians or iterations: {@link Comparison.Samples}) with a
 * distribution-free confidence interval, [x₍k₎, x₍n+1−k₎] for the largest k with
 * P(Binomial(n, ½) ≤ k − 1) ≤ (1 − confidence)/2 (the order-statistic interval: it assumes
 * nothing about the shape of the samples, which for timings is skewed and has outliers). Its
 * true coverage is at least the confidence asked for. Below 6 samples no such 95 % interval
 * exists (even [min, max] covers only 1 − 2·½ⁿ), so {@link #hasInterval()} is false and the
 * tables print "n/a". docs/decisions.md "compare: statistics".
 */
public record SampleSummary(double median, double low, double high, int n) {

    static SampleSummary of(double[] samples, double confidence) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = Median.withDefaults().withCopy(true).evaluate(sorted);
        if (n < 2) {
            return new SampleSummary(median, Double.NaN, Double.NaN, n);
        }
        BinomialDistribution ranks = BinomialDistribution.of(n, 0.5);
        double tail = (1 - confidence) / 2;
        int k = 0;
        while (ranks.cumulativeProbability(k) <= tail) {
            k++;
        }
        // now P(X <= k - 1) <= tail < P(X <= k): the k-th smallest and k-th largest bound the median
        if (k == 0) {
            return new SampleSummary(median, Double.NaN, Double.NaN, n);
        }
        return new SampleSummary(median, sorted[k - 1], sorted[n - k], n);
    }

    public boolean hasInterval() {
        return !Double.isNaN(low);
    }
}
