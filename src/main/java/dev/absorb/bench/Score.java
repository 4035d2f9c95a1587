package dev.absorb.bench;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One row of a JMH result: a benchmark (without the package), its params, and its primary score
 * with JMH's error (the half-width of its 99.9 % interval; NaN with fewer than two iterations).
 *
 * @param params sorted by name
 */
public record Score(String benchmark, Map<String, String> params, double score, double error, String unit) {

    public Score {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /** {@code classes=1000 gap=4 recipe=bf16}, or empty. */
    public String paramsText() {
        return paramsText(params);
    }

    /** Params as {@code name=value} separated by spaces, in the map's order. */
    static String paramsText(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** What identifies the row across runs: the benchmark and its params. */
    public String key() {
        return params.isEmpty() ? benchmark : benchmark + " " + paramsText();
    }
}
