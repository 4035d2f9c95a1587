package dev.absorb.scan;

import org.apache.commons.statistics.descriptive.NaNPolicy;
import org.apache.commons.statistics.descriptive.Quantile;

import java.util.Arrays;

/**
 * Quantiles of the rows' logit gaps: the smallest, 1 %, 10 %, median, 90 %, 99 % and largest,
 * interpolated linearly between order statistics (Hyndman–Fan 7, numpy's default); rows whose gap
 * is NaN (NaN logits) are left out and counted.
 */
public record GapQuantiles(double min, double p01, double p10, double p50, double p90, double p99, double max,
                           long nanGaps) {

    static final double[] PROBABILITIES = {0, 0.01, 0.1, 0.5, 0.9, 0.99, 1};
    static final String[] NAMES = {"min", "p01", "p10", "p50", "p90", "p99", "max"};

    static GapQuantiles of(double[] gaps, int n) {
        double[] values = Arrays.copyOf(gaps, n);
        long nan = Arrays.stream(values).filter(Double::isNaN).count();
        if (nan == n) {
            return new GapQuantiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, nan);
        }
        double[] q = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7).with(NaNPolicy.EXCLUDE)
                .withCopy(false).evaluate(values, PROBABILITIES);
        return new GapQuantiles(q[0], q[1], q[2], q[3], q[4], q[5], q[6], nan);
    }

    double[] values() {
        return new double[] {min, p01, p10, p50, p90, p99, max};
    }
}
