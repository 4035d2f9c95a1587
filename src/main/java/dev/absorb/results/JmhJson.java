package dev.absorb.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON that JMH writes with {@code -rf json}: an array of results, each with
 * {@code benchmark}, {@code mode}, {@code params} and a {@code primaryMetric} holding
 * {@code rawData} (one array of iteration scores per fork) and {@code scoreUnit}. Sample mode
 * keeps {@code rawDataHistogram} instead (per fork, per iteration, [value, count] pairs); an
 * iteration's score is then its histogram's mean, which is what JMH reports for it.
 *
 * <p>Any file that does not have this shape — not JSON, cut short, another JSON document, an
 * empty array (what JMH writes when every fork failed) — is rejected with an
 * {@link IllegalArgumentException} naming the file and the problem.
 */
public final class JmhJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JmhJson() {
    }

    /** The rows of one JMH JSON file, and the JVM JMH says ran them ("unknown" if it does not say). */
    public record Contents(List<JmhRow> rows, String jvm) {
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static Contents read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new IllegalArgumentException(file + " is not JMH JSON: " + e.getOriginalMessage()
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ReadFailure.of(file, e);
        }
        if (root == null || !root.isArray()) {
            throw notJmh(file, "expected an array of benchmark results");
        }
        if (root.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no benchmark results (JMH writes [] when every fork failed; run it with -foe true to see why)");
        }
        List<JmhRow> rows = new ArrayList<>();
        Set<BenchmarkKey> seen = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JmhRow row = row(file, i, root.get(i));
            if (!seen.add(row.key())) {
                throw new IllegalArgumentException(file + ": " + row.key() + " appears twice");
            }
            rows.add(row);
        }
        JsonNode first = root.get(0);
        String jvm = first.hasNonNull("vmName") && first.hasNonNull("jdkVersion")
                ? first.get("vmName").asText() + " " + first.path("vmVersion").asText(first.get("jdkVersion").asText())
                : "unknown";
        return new Contents(List.copyOf(rows), jvm);
    }

    private static JmhRow row(Path file, int index, JsonNode node) {
        String where = "result " + (index + 1);
        String benchmark = text(file, where, node, "benchmark");
        where = benchmark;
        String mode = text(file, where, node, "mode");
        try {
            Direction.ofMode(mode);
        } catch (IllegalArgumentException e) {
            throw notJmh(file, benchmark + ": " + e.getMessage());
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode paramsNode = node.path("params");
        if (!paramsNode.isMissingNode() && !paramsNode.isNull()) {
            if (!paramsNode.isObject()) {
                throw notJmh(file, benchmark + ": 'params' is not an object");
            }
            paramsNode.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        BenchmarkKey key = BenchmarkKey.of(benchmark, mode, params);
        JsonNode metric = node.path("primaryMetric");
        if (!metric.isObject()) {
            throw notJmh(file, key + " has no 'primaryMetric'");
        }
        String unit = text(file, key.toString(), metric, "scoreUnit");
        double[][] forks = metric.has("rawData") ? rawData(file, key, metric.get("rawData"))
                : metric.has("rawDataHistogram") ? histogramMeans(file, key, metric.get("rawDataHistogram"))
                : null;
        if (forks == null) {
            throw notJmh(file, key + " has neither 'primaryMetric.rawData' nor 'rawDataHistogram'");
        }
        if (forks.length == 0) {
            throw notJmh(file, key + " has no samples");
        }
        if (Arrays.stream(forks).anyMatch(f -> f.length == 0)) {
            throw notJmh(file, key + " has a fork without samples");
        }
        for (double[] fork : forks) {
            for (double s : fork) {
                // Ratios and their logarithms need positive scores (a 0 ops/s iteration has no time per op).
                if (!(s > 0 && s < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException(file + ": " + key + " has a sample that is not a positive number (" + s + ")");
                }
            }
        }
        return new JmhRow(key, unit, forks, optionalNumber(file, key, metric.get("score")),
                optionalNumber(file, key, metric.get("scoreError")));
    }

    private static double[][] rawData(Path file, BenchmarkKey key, JsonNode forks) {
        List<double[]> result = new ArrayList<>();
        for (JsonNode fork : arrayOf(file, key, forks, "rawData")) {
            List<Double> values = new ArrayList<>();
            for (JsonNode iteration : arrayOf(file, key, fork, "rawData")) {
                values.add(number(file, key, iteration));
            }
            result.add(values.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return result.toArray(double[][]::new);
    }

    private static double[][] histogramMeans(Path file, BenchmarkKey key, JsonNode forks) {
        List<double[]> result = new ArrayList<>();
        for (JsonNode fork : arrayOf(file, key, forks, "rawDataHistogram")) {
            List<Double> values = new ArrayList<>();
            for (JsonNode iteration : arrayOf(file, key, fork, "rawDataHistogram")) {
                double sum = 0;
                double count = 0;
                for (JsonNode pair : arrayOf(file, key, iteration, "rawDataHistogram")) {
                    if (!pair.isArray() || pair.size() != 2) {
                        throw notJmh(file, key + ": 'rawDataHistogram' holds something other than [value, count] pairs");
                    }
                    double value = number(file, key, pair.get(0));
                    double n = number(file, key, pair.get(1));
                    sum += value * n;
                    count += n;
                }
                values.add(sum / count);
            }
            result.add(values.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return result.toArray(double[][]::new);
    }

    private static JsonNode arrayOf(Path file, BenchmarkKey key, JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw notJmh(file, key + ": '" + field + "' is not an array of arrays");
        }
        return node;
    }

    private static double number(Path file, BenchmarkKey key, JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            // JMH writes NaN and infinities as strings
            try {
                return Double.parseDouble(node.asText());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw notJmh(file, key + ": a sample is not a number (" + node + ")");
    }

    /** A number JMH may leave out; NaN then. */
    private static double optionalNumber(Path file, BenchmarkKey key, JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : number(file, key, node);
    }

    private static String text(Path file, String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw notJmh(file, where + " has no '" + field + "'");
        }
        return value.asText();
    }

    private static IllegalArgumentException notJmh(Path file, String problem) {
        return new IllegalArgumentException(file + " is not JMH JSON: " + problem);
    }
}
