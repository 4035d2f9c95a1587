package dev.absorb.results;

import org.apache.commons.statistics.descriptive.Median;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code --normalize-to BENCHMARK}: every score of a run divided by an in-run baseline of the
 * same run, so runs on different CPUs (or JVMs) compare by how their kernels relate to a plain
 * loop measured alongside them. The baseline is named by its full name or a suffix that ends at
 * a dot ({@code scalarLoopForward}, {@code KernelBenchmark.scalarLoopForward}). For each row
 * the baseline row is the one with the same mode whose parameters agree on every parameter the
 * two share, or else the baseline's only row in that mode.
 *
 * <p>The division is per sample: sample i of the row by sample i of its baseline (fork by
 * fork, iteration by iteration), so the baseline's own noise enters the normalised samples
 * and the intervals stay honest. Where the two have different sample counts, each sample is
 * divided by the baseline's median instead. The baseline's own rows (all 1) are dropped.
 * docs/decisions.md "compare: --normalize-to".
 */
final class Normalization {

    private Normalization() {
    }

    static RunInput apply(RunInput input, String baselineName) {
        String name = resolve(input, baselineName);
        List<BenchmarkRun> baselineRows = input.rows().stream()
                .filter(r -> r.key().benchmark().equals(name)).collect(Collectors.toList());
        List<BenchmarkRun> normalised = new ArrayList<>();
        for (BenchmarkRun row : input.rows()) {
            if (!row.key().benchmark().equals(name)) {
                normalised.add(divide(row, baselineFor(input, row, baselineRows), shortName(name)));
            }
        }
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("--normalize-to " + baselineName + ": " + input.label() + " (" + input.source()
                    + ") has no benchmark besides the baseline " + name);
        }
        return input.withRows(normalised);
    }

    /** The one benchmark name that is baselineName or ends with "." + baselineName. */
    private static String resolve(RunInput input, String baselineName) {
        TreeSet<String> names = input.rows().stream().map(r -> r.key().benchmark()).collect(Collectors.toCollection(TreeSet::new));
        List<String> matches = names.stream()
                .filter(n -> n.equals(baselineName) || n.endsWith("." + baselineName)).collect(Collectors.toList());
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("--normalize-to " + baselineName + ": no such benchmark in " + input.label()
                    + " (" + input.source() + "); valid: "
                    + names.stream().map(Normalization::shortName).distinct().collect(Collectors.joining(", ")));
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("--normalize-to " + baselineName + " names several benchmarks in " + input.label()
                    + ": " + String.join(", ", matches) + "; give more of the name");
        }
        return matches.get(0);
    }

    private static BenchmarkRun baselineFor(RunInput input, BenchmarkRun row, List<BenchmarkRun> baselineRows) {
        List<BenchmarkRun> sameMode = baselineRows.stream()
                .filter(b -> b.key().mode().equals(row.key().mode())).collect(Collectors.toList());
        List<BenchmarkRun> agreeing = sameMode.stream()
                .filter(b -> agree(b.key().params(), row.key().params())).collect(Collectors.toList());
        if (agreeing.size() == 1) {
            return agreeing.get(0);
        }
        if (agreeing.isEmpty() && sameMode.size() == 1) {
            return sameMode.get(0);
        }
        String problem = agreeing.isEmpty() ? "no row of the baseline" : agreeing.size() + " rows of the baseline";
        throw new IllegalArgumentException("--normalize-to: " + problem + " in " + input.label() + " (" + input.source()
                + ") fit " + row.key() + "; the baseline has "
                + (sameMode.isEmpty() ? "no row in mode " + row.key().mode()
                        : sameMode.stream().map(b -> "[" + b.key().paramText() + "]").collect(Collectors.joining(", "))));
    }

    /** True when the two parameter sets have the same value for every name they share. */
    private static boolean agree(Map<String, String> a, Map<String, String> b) {
        return a.entrySet().stream().allMatch(e -> !b.containsKey(e.getKey()) || b.get(e.getKey()).equals(e.getValue()));
    }

    private static BenchmarkRun divide(BenchmarkRun row, BenchmarkRun baseline, String baselineLabel) {
        double toRowUnit = ScoreUnit.factor(baseline.unit(), row.unit());
        double[] samples = row.samples().clone();
        double[] base = baseline.samples();
        if (base.length == samples.length) {
            for (int i = 0; i < samples.length; i++) {
                samples[i] /= base[i] * toRowUnit;
            }
        } else {
            double median = Median.withDefaults().withCopy(true).evaluate(base) * toRowUnit;
            for (int i = 0; i < samples.length; i++) {
                samples[i] /= median;
            }
        }
        return new BenchmarkRun(row.key(), "×" + baselineLabel, samples);
    }

    /** The last two parts of a JMH name ({@code Class.method}), which is how tables show it. */
    static String shortName(String benchmark) {
        int last = benchmark.lastIndexOf('.');
        int previous = last <= 0 ? -1 : benchmark.lastIndexOf('.', last - 1);
        return benchmark.substring(previous + 1);
    }
}
