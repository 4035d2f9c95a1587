package dev.absorb.results;

import org.apache.commons.statistics.descriptive.Median;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code --normalize-to BENCHMARK}: every score of a run divided by an in-run baseline of the
 * same run, so runs on different CPUs (or JVMs) compare by how their kernels relate to a plain
 * loop measured alongside them. The baseline is named by its full name or a suffix that ends at
 * a dot ({@code plainForwardFloat}, {@code KernelBenchmark.plainForwardFloat}). For each row
 * the baseline row is the one with the same mode whose parameters agree on every parameter the
 * two share, or else the baseline's only row in that mode.
 *
 * <p>The division is per sample: iteration i of fork f of the row by iteration i of fork f of
 * its baseline, so the baseline's own noise (and its fork's luck) enters the normalised
 * samples and the intervals stay honest. Where the two have different forks or iteration
 * counts, each sample is divided by the baseline's median iteration instead. The baseline's own rows (all 1) are dropped.
 * docs/decisions.md "compare: --normalize-to".
 */
final class Normalization {

    private Normalization() {
    }

    static RunInput apply(RunInput input, String baselineName) {
        String name = resolve(input, baselineName);
        List<JmhRow> baselineRows = input.rows().stream()
                .filter(r -> r.key().benchmark().equals(name)).collect(Collectors.toList());
        List<JmhRow> normalised = new ArrayList<>();
        for (JmhRow row : input.rows()) {
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

    private static JmhRow baselineFor(RunInput input, JmhRow row, List<JmhRow> baselineRows) {
        List<JmhRow> sameMode = baselineRows.stream()
                .filter(b -> b.key().mode().equals(row.key().mode())).collect(Collectors.toList());
        List<JmhRow> agreeing = sameMode.stream()
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

    private static JmhRow divide(JmhRow row, JmhRow baseline, String baselineLabel) {
        double toRowUnit = ScoreUnit.factor(baseline.unit(), row.unit());
        double[][] forks = row.forks();
        double[][] base = baseline.forks();
        boolean sameShape = base.length == forks.length
                && IntStream.range(0, forks.length).allMatch(f -> base[f].length == forks[f].length);
        double median = Median.withDefaults().withCopy(true).evaluate(baseline.samples());
        double[][] normalised = new double[forks.length][];
        for (int f = 0; f < forks.length; f++) {
            normalised[f] = new double[forks[f].length];
            for (int i = 0; i < forks[f].length; i++) {
                normalised[f][i] = forks[f][i] / ((sameShape ? base[f][i] : median) * toRowUnit);
            }
        }
        return new JmhRow(row.key(), "×" + baselineLabel, normalised);
    }

    /** The last two parts of a JMH name ({@code Class.method}), which is how tables show it. */
    static String shortName(String benchmark) {
        int last = benchmark.lastIndexOf('.');
        int previous = last <= 0 ? -1 : benchmark.lastIndexOf('.', last - 1);
        return benchmark.substring(previous + 1);
    }
}
