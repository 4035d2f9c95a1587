package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Allocation per operation, JMH's secondary metric {@code gc.alloc.rate.norm} (B/op, from
 * {@code -prof gc}), checked by gate when both runs have it for a benchmark: a growth beyond
 * the allowance (bytes, or a fraction of the baseline) and of at least {@value #NOISE} byte
 * fails. The sub-byte floor absorbs JMH's measurement noise on code that allocates nothing.
 */
public final class Allocation {

    static final String METRIC = "gc.alloc.rate.norm";
    static final double NOISE = 1;

    /** An allowed growth: {@code bytes} per operation, or {@code fraction} of the baseline. */
    public record Allowance(double bytes, double fraction) {

        /** {@code 64}, {@code 64B} (bytes) or {@code 10%} (of the baseline). */
        public static Allowance parse(String text) {
            String t = text.trim();
            try {
                if (t.endsWith("%")) {
                    double p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                    if (Double.isFinite(p) && p >= 0) {
                        return new Allowance(Double.NaN, p / 100);
                    }
                } else {
                    double b = Double.parseDouble(t.endsWith("B") ? t.substring(0, t.length() - 1).trim() : t);
                    if (Double.isFinite(b) && b >= 0) {
                        return new Allowance(b, Double.NaN);
                    }
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new IllegalArgumentException("'" + text + "' is not an allocation allowance: give bytes (64 or 64B) or a percentage (10%)");
        }

        double limit(double baseline) {
            return Math.max(NOISE, Double.isNaN(bytes) ? baseline * fraction : bytes);
        }
    }

    /** One benchmark's bytes per operation in both runs. */
    public record Row(BenchmarkKey key, double baseline, double current, boolean failed) {
    }

    private Allocation() {
    }

    /**
     * gc.alloc.rate.norm per benchmark of a run (empty when it was run without -prof gc, or has
     * no jmh.json); of a pooled input, the mean of its runs' scores where every run has one.
     */
    public static Map<BenchmarkKey, Double> read(RunInput input) {
        Map<BenchmarkKey, Double> sum = new LinkedHashMap<>();
        Map<BenchmarkKey, Integer> count = new LinkedHashMap<>();
        List<Path> sources = !input.sources().isEmpty() ? input.sources() : input.folder() == null ? List.of() : List.of(input.folder());
        for (Path source : sources) {
            readOne(Files.isRegularFile(source) ? source : source.resolve(RunFolder.JMH_JSON)).forEach((key, bytes) -> {
                sum.merge(key, bytes, Double::sum);
                count.merge(key, 1, Integer::sum);
            });
        }
        Map<BenchmarkKey, Double> bytes = new LinkedHashMap<>();
        sum.forEach((key, total) -> {
            if (count.get(key) == sources.size()) {
                bytes.put(key, total / sources.size());
            }
        });
        return bytes;
    }

    private static Map<BenchmarkKey, Double> readOne(Path file) {
        Map<BenchmarkKey, Double> bytes = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return bytes;
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode node : root) {
            JsonNode score = node.path("secondaryMetrics").path(METRIC).path("score");
            if (score.isNumber()) {
                Map<String, String> params = new LinkedHashMap<>();
                node.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                bytes.put(BenchmarkKey.of(node.path("benchmark").asText(), node.path("mode").asText(), params), score.asDouble());
            }
        }
        return bytes;
    }

    /** The benchmarks both runs measured allocation for, each judged against the allowance. */
    public static List<Row> check(RunInput baseline, RunInput current, Allowance allowance) {
        Map<BenchmarkKey, Double> base = read(baseline);
        Map<BenchmarkKey, Double> now = read(current);
        List<Row> rows = new ArrayList<>();
        base.forEach((key, b) -> {
            Double c = now.get(key);
            if (c != null) {
                rows.add(new Row(key, b, c, c - b > allowance.limit(b)));
            }
        });
        return rows;
    }
}
