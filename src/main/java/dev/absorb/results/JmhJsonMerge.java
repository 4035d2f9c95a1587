package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.util.ListStatistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several JMH JSON files of the same benchmarks (one per fork, run at different times) as one
 * file, as JMH would have listed them had it run every fork itself: per benchmark, mode and
 * params, the forks' {@code rawData} (or {@code rawDataHistogram}) concatenated in file order,
 * {@code forks} their count, and the score, error, confidence interval and percentiles worked
 * out again over every iteration with JMH's own statistics (99.9 % intervals, as JMH's). The
 * secondary metrics are pooled the same way. Everything else is the first file's.
 */
public final class JmhJsonMerge {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double CONFIDENCE = 0.999;
    private static final double[] PERCENTILES = {0.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999, 100.0};

    private JmhJsonMerge() {
    }

    /**
     * The merged JSON text of {@code files}, each checked as JMH JSON first.
     *
     * @throws IllegalArgumentException naming a file that is not JMH JSON
     */
    public static String merge(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no JMH JSON to merge");
        }
        Map<BenchmarkKey, ObjectNode> merged = new LinkedHashMap<>();
        for (Path file : files) {
            JmhJson.read(file); // the shape, checked with its one-line messages
            for (JsonNode result : MAPPER.readTree(Files.readString(file))) {
                BenchmarkKey key = key(result);
                ObjectNode into = merged.get(key);
                if (into == null) {
                    merged.put(key, result.deepCopy());
                } else {
                    append(into.path("primaryMetric"), result.path("primaryMetric"));
                    JsonNode secondaries = result.path("secondaryMetrics");
                    secondaries.fields().forEachRemaining(e -> {
                        JsonNode target = into.path("secondaryMetrics").get(e.getKey());
                        if (target != null) {
                            append(target, e.getValue());
                        }
                    });
                }
            }
        }
        ArrayNode out = MAPPER.createArrayNode();
        for (ObjectNode result : merged.values()) {
            restate((ObjectNode) result.get("primaryMetric"));
            result.path("secondaryMetrics").forEach(m -> restate((ObjectNode) m));
            result.put("forks", forks(result.get("primaryMetric")));
            out.add(result);
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
    }

    private static BenchmarkKey key(JsonNode result) {
        Map<String, String> params = new LinkedHashMap<>();
        result.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        return BenchmarkKey.of(result.path("benchmark").asText(), result.path("mode").asText(), params);
    }

    private static void append(JsonNode into, JsonNode from) {
        for (String field : List.of("rawData", "rawDataHistogram")) {
            if (into.get(field) instanceof ArrayNode target && from.get(field) instanceof ArrayNode source) {
                source.forEach(fork -> target.add(fork.deepCopy()));
            }
        }
    }

    private static int forks(JsonNode metric) {
        return metric.has("rawData") ? metric.get("rawData").size() : metric.path("rawDataHistogram").size();
    }

    /** Score, error, interval and percentiles over every iteration of every fork, as JMH states them. */
    private static void restate(ObjectNode metric) {
        List<Double> values = new ArrayList<>();
        if (metric.has("rawData")) {
            metric.get("rawData").forEach(fork -> fork.forEach(it -> values.add(number(it))));
        } else if (metric.has("rawDataHistogram")) {
            for (JsonNode fork : metric.get("rawDataHistogram")) {
                for (JsonNode iteration : fork) {
                    double sum = 0;
                    double count = 0;
                    for (JsonNode pair : iteration) {
                        sum += number(pair.get(0)) * number(pair.get(1));
                        count += number(pair.get(1));
                    }
                    values.add(sum / count);
                }
            }
        }
        if (values.isEmpty()) {
            return;
        }
        ListStatistics stats = new ListStatistics(values.stream().mapToDouble(Double::doubleValue).toArray());
        put(metric, "score", stats.getMean());
        put(metric, "scoreError", stats.getMeanErrorAt(CONFIDENCE));
        ArrayNode interval = metric.putArray("scoreConfidence");
        for (double bound : stats.getConfidenceIntervalAt(CONFIDENCE)) {
            add(interval, bound);
        }
        ObjectNode percentiles = metric.putObject("scorePercentiles");
        for (double p : PERCENTILES) {
            put(percentiles, Double.toString(p), stats.getPercentile(p));
        }
    }

    private static double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : Double.parseDouble(node.asText());
    }

    /** JMH writes NaN and infinities as strings. */
    private static void put(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.put(field, Double.toString(value));
        }
    }

    private static void add(ArrayNode node, double value) {
        if (Double.isFinite(value)) {
            node.add(value);
        } else {
            node.add(Double.toString(value));
        }
    }
}
