package dev.absorb.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A stand-in for {@code compare}'s statistics until it lands: per benchmark (matched by name,
 * mode and parameters), the ratio of the mean of the compared run's raw samples to the base
 * run's, as a time ratio (throughputs inverted, so above 1 is always slower), with a 95 %
 * percentile-bootstrap interval: both sides resampled with replacement
 * {@value #RESAMPLES} times, forks and iterations pooled. Significant when the interval excludes
 * 1. The generator is {@link java.util.Random}, whose sequence the Java SE spec fixes, seeded
 * anew for every row, so a row's interval depends on its samples alone and is the same on every
 * JVM. Fewer than two samples on a side: no interval, not significant.
 */
final class BootstrapRatio {

    static final int RESAMPLES = 2000;
    static final long SEED = 20260601L;
    static final double CONFIDENCE = 0.95;

    private BootstrapRatio() {
    }

    /** Rows of {@code compared} that {@code base} has too, in the compared run's order. */
    static List<RatioRow> compare(List<JmhResult> base, List<JmhResult> compared) {
        Map<String, JmhResult> baseByKey = new HashMap<>();
        base.forEach(r -> baseByKey.put(key(r), r));
        List<RatioRow> rows = new ArrayList<>();
        for (JmhResult other : compared) {
            JmhResult reference = baseByKey.get(key(other));
            if (reference != null) {
                rows.add(row(other.rowName(), reference, other));
            }
        }
        return List.copyOf(rows);
    }

    /** Names of the rows only one of the two runs has (base's first), so none is dropped silently. */
    static List<String> unmatched(List<JmhResult> base, List<JmhResult> compared) {
        List<String> baseKeys = base.stream().map(BootstrapRatio::key).toList();
        List<String> comparedKeys = compared.stream().map(BootstrapRatio::key).toList();
        List<String> names = new ArrayList<>();
        base.stream().filter(r -> !comparedKeys.contains(key(r))).forEach(r -> names.add(r.rowName() + " (base run only)"));
        compared.stream().filter(r -> !baseKeys.contains(key(r))).forEach(r -> names.add(r.rowName() + " (compared run only)"));
        return names;
    }

    static RatioRow row(String name, JmhResult base, JmhResult other) {
        double[] a = samplesOrScore(base);
        double[] b = samplesOrScore(other);
        boolean throughput = base.higherIsBetter();
        double ratio = timeRatio(mean(a), mean(b), throughput);
        if (a.length < 2 || b.length < 2) {
            return new RatioRow(name, ratio, Double.NaN, Double.NaN, false);
        }
        Random random = new Random(SEED);
        double[] ratios = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            ratios[i] = timeRatio(resampledMean(a, random), resampledMean(b, random), throughput);
        }
        Arrays.sort(ratios);
        double low = percentile(ratios, (1 - CONFIDENCE) / 2);
        double high = percentile(ratios, 1 - (1 - CONFIDENCE) / 2);
        return new RatioRow(name, ratio, low, high, low > 1 || high < 1);
    }

    private static double timeRatio(double baseMean, double otherMean, boolean throughput) {
        return throughput ? baseMean / otherMean : otherMean / baseMean;
    }

    /** JMH's raw samples; a result without rawData falls back to its score, one "sample". */
    private static double[] samplesOrScore(JmhResult result) {
        return result.samples().length > 0 ? result.samples() : new double[] {result.score()};
    }

    private static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    private static double resampledMean(double[] x, Random random) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[random.nextInt(x.length)];
        }
        return sum / x.length;
    }

    /** The sorted sample's quantile q, by linear interpolation between order statistics (type 7 of Hyndman–Fan, R's default). */
    static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static String key(JmhResult result) {
        // Sorted: two JMH files may list the same parameters in different orders.
        return result.benchmark() + '|' + result.mode() + '|' + new TreeMap<>(result.params());
    }
}
