package dev.absorb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the scores out of a JMH JSON result file ({@code -rf json}), and prints them readably. */
public final class Scores {

    private Scores() {
    }

    /**
     * Every benchmark of a JMH JSON file, in file order.
     *
     * @throws IOException if the file cannot be read or is not JSON
     * @throws IllegalArgumentException if it is JSON but not a JMH result list
     */
    public static List<Score> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + " is not a JMH JSON result (expected a list of benchmarks)");
        }
        List<Score> scores = new ArrayList<>();
        for (JsonNode b : root) {
            JsonNode metric = b.path("primaryMetric");
            if (!b.path("benchmark").isTextual() || !metric.isObject()) {
                throw new IllegalArgumentException(file + " is not a JMH JSON result (an entry without benchmark or primaryMetric)");
            }
            Map<String, String> params = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = b.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.put(p.getKey(), p.getValue().asText());
            }
            scores.add(new Score(JmhPlan.shortName(b.get("benchmark").asText()), params, number(metric.path("score")),
                    number(metric.path("scoreError")), metric.path("scoreUnit").asText()));
        }
        return scores;
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        try {
            return Double.parseDouble(node.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** {@code 80510 ± 1234}, or the score alone where there is no error. */
    public static String scoreText(double score, double error) {
        return Double.isFinite(error) ? readable(score) + " ± " + readable(error) : readable(score);
    }

    /** Four significant digits, without an exponent: 80510, 2.515, 0.0006123. */
    public static String readable(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        if (x == 0) {
            return "0";
        }
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
