package dev.absorb.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A run's JMH results in the formats of the history tools teams run: Bencher Metric Format and
 * github-action-benchmark's custom tools. Each row's value is the median of its samples (every
 * iteration of every fork), its range the smallest and largest sample; names are the benchmark
 * with its parameters in name order, e.g. {@code KernelBenchmark.forward [classes=10 recipe=bf16]}.
 */
public final class Export {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The tools. */
    public enum Target {
        BENCHER("bencher"), GITHUB_ACTION_BENCHMARK("github-action-benchmark");

        private final String name;

        Target(String name) {
            this.name = name;
        }

        public static Target of(String text) {
            for (Target t : values()) {
                if (t.name.equals(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown target '" + text + "'; valid: bencher, github-action-benchmark");
        }
    }

    private Export() {
    }

    /**
     * The rows of {@code input} (only those of {@code mode} when it is not null) for {@code target}.
     *
     * @throws IllegalArgumentException when no row is left, or, for github-action-benchmark,
     *         when the rows mix throughput (bigger is better) with time (smaller is better): the
     *         action takes one direction per file
     */
    public static String write(RunInput input, Target target, String mode) {
        List<JmhRow> rows = input.rows().stream().filter(r -> mode == null || r.key().mode().equals(mode)).toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(input.source() + " has no benchmark" + (mode == null ? "" : " in mode " + mode));
        }
        return target == Target.BENCHER ? bencher(rows) : githubActionBenchmark(rows);
    }

    /** customBiggerIsBetter for thrpt, customSmallerIsBetter for avgt, sample and ss. */
    public static String githubActionTool(List<JmhRow> rows) {
        return rows.get(0).direction() == Direction.HIGHER_IS_BETTER ? "customBiggerIsBetter" : "customSmallerIsBetter";
    }

    private static String bencher(List<JmhRow> rows) {
        ObjectNode root = MAPPER.createObjectNode();
        for (JmhRow r : rows) {
            ObjectNode benchmark = root.has(name(r)) ? (ObjectNode) root.get(name(r)) : root.putObject(name(r));
            ObjectNode measure = benchmark.putObject(r.direction() == Direction.HIGHER_IS_BETTER ? "throughput" : "latency");
            double[] s = r.samples().clone();
            java.util.Arrays.sort(s);
            measure.put("value", median(s));
            measure.put("lower_value", s[0]);
            measure.put("upper_value", s[s.length - 1]);
        }
        return write(root);
    }

    private static String githubActionBenchmark(List<JmhRow> rows) {
        List<String> modes = rows.stream().map(r -> r.key().mode()).distinct().collect(Collectors.toList());
        if (rows.stream().map(JmhRow::direction).distinct().count() > 1) {
            throw new IllegalArgumentException("the run mixes modes " + String.join(", ", modes)
                    + " (thrpt: bigger is better; avgt, sample, ss: smaller is better) and github-action-benchmark takes one "
                    + "direction per file; export each with --mode");
        }
        ArrayNode root = MAPPER.createArrayNode();
        for (JmhRow r : rows) {
            double[] s = r.samples().clone();
            java.util.Arrays.sort(s);
            ObjectNode n = root.addObject();
            n.put("name", name(r) + (modes.size() > 1 ? " (" + r.key().mode() + ")" : ""));
            n.put("unit", r.unit());
            n.put("value", median(s));
            n.put("range", String.format(Locale.ROOT, "%s .. %s", s[0], s[s.length - 1]));
            n.put("extra", r.key().mode() + ", " + r.forkCount() + " forks, " + s.length + " samples; tool "
                    + githubActionTool(rows));
        }
        return write(root);
    }

    private static String name(JmhRow r) {
        return r.key().benchmark() + (r.key().params().isEmpty() ? "" : " [" + r.key().paramText() + "]");
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String write(Object root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
