package dev.absorb.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The comparison of several runs against the first: rows matched by benchmark, mode and
 * parameters; per row each input's median with its interval and, for every input after the
 * first, the ratio to the first with its interval and p-value ({@link SampleSummary},
 * {@link RatioEstimate}); a geometric-mean row per mode; and every row that is not in the
 * first input or in only one input, so nothing is dropped silently.
 *
 * <p>A row's samples are its forks' medians when every input ran it in at least two forks, and
 * its iterations otherwise ({@link Samples}).
 */
public final class Comparison {

    /**
     * What the statistics of a row count as one sample. Iterations of one fork share its JIT
     * decisions and memory layout, so they agree more closely than two runs do, and a test on
     * them takes that fork's luck for a real difference (measured: docs/decisions.md "compare:
     * statistics"). Forks are independent, so when every input has several, each fork's median
     * iteration is one sample; with a single fork the iterations are all there is.
     */
    public enum Samples {
        FORK_MEDIANS("fork medians"),
        ITERATIONS("iterations");

        private final String text;

        Samples(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }

        static Samples of(List<JmhRow> runs) {
            return runs.stream().allMatch(r -> r.forkCount() >= 2) ? FORK_MEDIANS : ITERATIONS;
        }

        double[] of(JmhRow run) {
            return this == FORK_MEDIANS ? run.forkMedians() : run.samples();
        }
    }

    /**
     * One row: scores.get(i) is input i's summary, null where input i lacks the row;
     * ratios.get(i) is input i against input 0 (null for i = 0 and where input i lacks it);
     * samples says what a sample is.
     */
    public record Row(BenchmarkKey key, String unit, Samples samples, List<SampleSummary> scores, List<RatioEstimate> ratios) {

        public Direction direction() {
            return Direction.ofMode(key.mode());
        }
    }

    /** A row that has no baseline (not in the first input) or that only one input has. */
    public record Unmatched(BenchmarkKey key, List<String> presentIn) {
    }

    /**
     * Geometric means over the rows of one mode that every input has: of each input's medians
     * (NaN when the rows' units differ) and of each input's ratios to the first (NaN for input 0).
     */
    public record GeoMean(String mode, int rows, List<Double> scores, List<Double> ratios) {
    }

    private final List<RunInput> inputs;
    private final double alpha;
    private final List<Row> rows;
    private final List<Unmatched> unmatched;
    private final List<GeoMean> geoMeans;

    private Comparison(List<RunInput> inputs, double alpha, List<Row> rows, List<Unmatched> unmatched, List<GeoMean> geoMeans) {
        this.inputs = inputs;
        this.alpha = alpha;
        this.rows = rows;
        this.unmatched = unmatched;
        this.geoMeans = geoMeans;
    }

    /**
     * Compares inputs 1… against input 0.
     *
     * @throws IllegalArgumentException when an input has no row in common with the first, or a
     *         row's units do not convert into the first input's
     */
    public static Comparison of(List<RunInput> inputs, double alpha) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("give at least two inputs to compare");
        }
        List<Map<BenchmarkKey, JmhRow>> byKey = inputs.stream().map(Comparison::index).collect(Collectors.toList());
        for (int i = 1; i < inputs.size(); i++) {
            // a sweep-only folder (gate --thresholds) has no benchmark at all: nothing to match
            boolean empty = byKey.get(0).isEmpty() || byKey.get(i).isEmpty();
            if (!empty && Collections.disjoint(byKey.get(0).keySet(), byKey.get(i).keySet())) {
                throw new IllegalArgumentException("no benchmark in common: " + describe(inputs.get(0)) + " and " + describe(inputs.get(i))
                        + " share no benchmark with the same mode and parameters");
            }
        }
        Set<BenchmarkKey> all = new LinkedHashSet<>();
        byKey.forEach(m -> all.addAll(m.keySet()));

        List<Row> rows = new ArrayList<>();
        List<Unmatched> unmatched = new ArrayList<>();
        for (BenchmarkKey key : all) {
            List<String> presentIn = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (byKey.get(i).containsKey(key)) {
                    presentIn.add(inputs.get(i).label());
                }
            }
            JmhRow base = byKey.get(0).get(key);
            if (base == null || presentIn.size() == 1) {
                unmatched.add(new Unmatched(key, List.copyOf(presentIn)));
                continue;
            }
            rows.add(row(key, base, inputs, byKey, alpha));
        }
        return new Comparison(List.copyOf(inputs), alpha, List.copyOf(rows), List.copyOf(unmatched), geoMeans(rows, inputs.size()));
    }

    private static Row row(BenchmarkKey key, JmhRow base, List<RunInput> inputs,
                           List<Map<BenchmarkKey, JmhRow>> byKey, double alpha) {
        List<SampleSummary> scores = new ArrayList<>();
        List<RatioEstimate> ratios = new ArrayList<>();
        Samples kind = Samples.of(byKey.stream().map(m -> m.get(key)).filter(Objects::nonNull).collect(Collectors.toList()));
        double[] baseSamples = kind.of(base);
        for (int i = 0; i < inputs.size(); i++) {
            JmhRow run = byKey.get(i).get(key);
            if (run == null) {
                scores.add(null);
                ratios.add(null);
                continue;
            }
            double factor;
            try {
                factor = ScoreUnit.factor(run.unit(), base.unit());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage() + " (" + inputs.get(0).label() + " has "
                        + base.unit() + ", " + inputs.get(i).label() + " has " + run.unit() + ")");
            }
            double[] samples = kind.of(run);
            for (int s = 0; s < samples.length; s++) {
                samples[s] *= factor;
            }
            scores.add(SampleSummary.of(samples, 1 - alpha));
            ratios.add(i == 0 ? null : RatioEstimate.of(baseSamples, samples, alpha));
        }
        return new Row(key, base.unit(), kind, Collections.unmodifiableList(scores), Collections.unmodifiableList(ratios));
    }

    private static List<GeoMean> geoMeans(List<Row> rows, int inputCount) {
        Map<String, List<Row>> byMode = new LinkedHashMap<>();
        for (Row row : rows) {
            if (!row.scores().contains(null)) {
                byMode.computeIfAbsent(row.key().mode(), m -> new ArrayList<>()).add(row);
            }
        }
        List<GeoMean> result = new ArrayList<>();
        byMode.forEach((mode, group) -> {
            boolean oneUnit = group.stream().map(Row::unit).distinct().count() == 1;
            List<Double> scores = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < inputCount; i++) {
                int input = i;
                scores.add(oneUnit ? geoMean(group.stream().mapToDouble(r -> r.scores().get(input).median()).toArray()) : Double.NaN);
                ratios.add(i == 0 ? Double.NaN : geoMean(group.stream().mapToDouble(r -> r.ratios().get(input).ratio()).toArray()));
            }
            result.add(new GeoMean(mode, group.size(), List.copyOf(scores), List.copyOf(ratios)));
        });
        return List.copyOf(result);
    }

    private static double geoMean(double[] values) {
        double sumOfLogs = 0;
        for (double v : values) {
            sumOfLogs += Math.log(v);
        }
        return Math.exp(sumOfLogs / values.length);
    }

    private static Map<BenchmarkKey, JmhRow> index(RunInput input) {
        Map<BenchmarkKey, JmhRow> map = new LinkedHashMap<>();
        input.rows().forEach(r -> map.put(r.key(), r));
        return map;
    }

    private static String describe(RunInput input) {
        return input.label() + " (" + input.sourceText() + ")";
    }

    public List<RunInput> inputs() {
        return inputs;
    }

    public double alpha() {
        return alpha;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Unmatched> unmatched() {
        return unmatched;
    }

    public List<GeoMean> geoMeans() {
        return geoMeans;
    }
}
