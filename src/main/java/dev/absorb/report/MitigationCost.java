package dev.absorb.report;

import dev.absorb.results.JmhRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data of one format's cost plot: each non-default recipe's time relative to the default
 * recipe (see {@link CostRatio}) against the class count, with JMH's error band. One benchmark
 * method is shown: {@code fused} (loss and gradient, what a training step runs) when the run has
 * it, else the format's first method. A line is one recipe, plus any other parameter that takes
 * several values (e.g. {@code gap=4}, {@code gap=90}).
 */
record MitigationCost(String format, String method, List<Line> lines) {

    static final String PREFERRED_METHOD = "fused";
    static final String CLASSES_PARAM = "classes";

    /** One line: class counts ascending, ratios and errors (NaN: none). */
    record Line(String label, String recipe, double[] classes, double[] ratio, double[] error) {
    }

    /** Null when no non-default recipe of the format has a ratio with a class count. */
    static MitigationCost of(List<CostRatio> ratios, String format) {
        List<CostRatio> ofFormat = ratios.stream()
                .filter(r -> r.format().equals(format) && !r.isDefault() && classesOf(r.result()) > 0).toList();
        if (ofFormat.isEmpty()) {
            return null;
        }
        String method = ofFormat.stream().anyMatch(r -> r.result().method().equals(PREFERRED_METHOD))
                ? PREFERRED_METHOD : ofFormat.get(0).result().method();
        List<CostRatio> shown = ofFormat.stream().filter(r -> r.result().method().equals(method)).toList();
        Set<String> varying = varyingParams(shown);
        Map<String, List<CostRatio>> byLine = new LinkedHashMap<>();
        for (CostRatio r : shown) {
            StringBuilder label = new StringBuilder(r.recipe());
            r.result().params().forEach((k, v) -> {
                if (varying.contains(k)) {
                    label.append(", ").append(k).append('=').append(v);
                }
            });
            byLine.computeIfAbsent(label.toString(), k -> new ArrayList<>()).add(r);
        }
        List<Line> lines = new ArrayList<>();
        byLine.forEach((label, points) -> {
            List<CostRatio> sorted = points.stream()
                    .sorted((a, b) -> Integer.compare(classesOf(a.result()), classesOf(b.result()))).toList();
            lines.add(new Line(label, sorted.get(0).recipe(),
                    sorted.stream().mapToDouble(r -> classesOf(r.result())).toArray(),
                    sorted.stream().mapToDouble(CostRatio::ratio).toArray(),
                    sorted.stream().mapToDouble(CostRatio::error).toArray()));
        });
        return new MitigationCost(format, method, List.copyOf(lines));
    }

    /** The class count parameter, or −1 where there is none (or it is not a positive integer). */
    static int classesOf(JmhRow result) {
        try {
            return Integer.parseInt(result.params().getOrDefault(CLASSES_PARAM, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Parameters other than recipe and classes that take more than one value among these results. */
    private static Set<String> varyingParams(List<CostRatio> ratios) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (CostRatio r : ratios) {
            r.result().params().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
        }
        Set<String> varying = new LinkedHashSet<>();
        values.forEach((k, v) -> {
            if (!k.equals(CostRatio.RECIPE_PARAM) && !k.equals(CLASSES_PARAM) && v.size() > 1) {
                varying.add(k);
            }
        });
        return varying;
    }
}
