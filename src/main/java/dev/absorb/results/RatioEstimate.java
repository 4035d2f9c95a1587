package dev.absorb.results;

import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * How one input's scores relate to the baseline's for one row: the ratio current / baseline
 * with its confidence interval, and the p-value of a two-sided Mann–Whitney U test.
 *
 * <p>Everything happens on log scores, so a ratio is a shift: the ratio is the Hodges–Lehmann
 * estimate exp(median of all log(current_j) − log(baseline_i))), and its interval is the set
 * of ratios r for which the U test of current / r against baseline does not reject at
 * {@code alpha} — the textbook interval that belongs to the U test (Hollander & Wolfe,
 * "Nonparametric Statistical Methods", §4.3). So the interval excludes 1 exactly when p &lt;
 * alpha (without tied samples), and a table never says "significant" beside an interval
 * that contains 1.
 *
 * <p>The test is Apache Commons Statistics' {@link MannWhitneyUTest}: exact p-values below 50
 * samples a side when no sample is tied, else the normal approximation with tie and
 * continuity corrections. It is rank-based, so one outlier iteration (a GC, another job on
 * the machine) moves it little, and it is what Go's benchstat uses. With n and m samples the
 * smallest two-sided p it can give is 2 / C(n+m, n): 0.1 at 3 + 3, 0.029 at 4 + 4, 0.0022 at
 * 6 + 6; {@link #minimumP} says whether alpha is reachable at all. docs/decisions.md
 * "compare: statistics".
 */
public record RatioEstimate(double ratio, double low, double high, double p) {

    static RatioEstimate of(double[] baseline, double[] current, double alpha) {
        double[] y = logs(baseline);
        double[] x = logs(current);
        double[] shifts = new double[x.length * y.length];
        int k = 0;
        for (double xj : x) {
            for (double yi : y) {
                shifts[k++] = xj - yi;
            }
        }
        Arrays.sort(shifts);
        double center = Median.withDefaults().withCopy(true).evaluate(shifts);
        MannWhitneyUTest test = MannWhitneyUTest.withDefaults();
        double p = test.test(x, y).getPValue();

        // Test inversion over the gaps between distinct shifts: in a gap the U statistic is
        // constant, and the p-value rises towards the gap where half the shifts lie above and
        // falls after it, so two binary searches find the accepted range.
        double[] distinct = Arrays.stream(shifts).distinct().toArray();
        int gaps = distinct.length + 1;
        int peak = peakGap(shifts, distinct);
        double[] pOfGap = new double[gaps];
        Arrays.fill(pOfGap, Double.NaN);
        IntPredicate accepted = g -> {
            if (Double.isNaN(pOfGap[g])) {
                pOfGap[g] = test.withMu(gapPoint(distinct, g)).test(x, y).getPValue();
            }
            return pOfGap[g] >= alpha;
        };
        double low;
        double high;
        if (!accepted.test(peak)) {
            // only with ties: no gap is accepted, the interval shrinks to the estimate
            low = center;
            high = center;
        } else {
            int first = firstTrue(0, peak, accepted);
            int last = lastTrue(peak, gaps - 1, accepted);
            low = first == 0 ? Double.NEGATIVE_INFINITY : distinct[first - 1];
            high = last == gaps - 1 ? Double.POSITIVE_INFINITY : distinct[last];
        }
        return new RatioEstimate(Math.exp(center), Math.exp(low), Math.exp(high), p);
    }

    /** False where the interval is unbounded (too few samples for the confidence asked). */
    public boolean hasInterval() {
        return low > 0 && high < Double.POSITIVE_INFINITY;
    }

    public boolean significant(double alpha) {
        return p < alpha;
    }

    /** The smallest two-sided p-value the exact U test can give with n and m samples, 2 / C(n+m, n). */
    public static double minimumP(int n, int m) {
        // C(n+m, n) as a product of ratios, in double: past 1e300 the answer is 0 anyway
        double combinations = 1;
        for (int i = 1; i <= Math.min(n, m); i++) {
            combinations = combinations * (Math.max(n, m) + i) / i;
        }
        return Math.min(1, 2 / combinations);
    }

    private static double[] logs(double[] samples) {
        return Arrays.stream(samples).map(Math::log).toArray();
    }

    /** A shift inside gap g: below every shift (g = 0), between distinct[g−1] and distinct[g], or above all. */
    private static double gapPoint(double[] distinct, int g) {
        if (g == 0) {
            return distinct[0] - 1;
        }
        if (g == distinct.length) {
            return distinct[distinct.length - 1] + 1;
        }
        return distinct[g - 1] + (distinct[g] - distinct[g - 1]) / 2;
    }

    /** The gap with about as many shifts above it as below: there U is nearest n·m/2 and p largest. */
    private static int peakGap(double[] sortedShifts, double[] distinct) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        int below = 0;
        for (int g = 0; g <= distinct.length; g++) {
            if (g > 0) {
                double value = distinct[g - 1];
                while (below < sortedShifts.length && sortedShifts[below] <= value) {
                    below++;
                }
            }
            double distance = Math.abs(below - (sortedShifts.length - below));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = g;
            }
        }
        return best;
    }

    /** The first g in [from, to] with test(g) true, given false…false true…true and test(to) true. */
    private static int firstTrue(int from, int to, IntPredicate test) {
        while (from < to) {
            int mid = (from + to) >>> 1;
            if (test.test(mid)) {
                to = mid;
            } else {
                from = mid + 1;
            }
        }
        return from;
    }

    /** The last g in [from, to] with test(g) true, given true…true false…false and test(from) true. */
    private static int lastTrue(int from, int to, IntPredicate test) {
        while (from < to) {
            int mid = (from + to + 1) >>> 1;
            if (test.test(mid)) {
                from = mid;
            } else {
                to = mid - 1;
            }
        }
        return from;
    }
}
