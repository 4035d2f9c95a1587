package dev.absorb.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Short labels for a list of row names made of space-separated words
 * ("KernelBenchmark.fused classes=32000 gap=4 recipe=bf16"): words every row has are dropped from
 * the labels and said once instead, so what tells the rows apart is what a reader sees.
 */
final class RowLabels {

    private RowLabels() {
    }

    static List<String> shorten(List<String> names) {
        Set<String> common = commonWords(names);
        List<String> labels = new ArrayList<>();
        for (String name : names) {
            List<String> kept = Arrays.stream(name.split(" ")).filter(w -> !common.contains(w)).toList();
            labels.add(kept.isEmpty() ? name : String.join(" ", kept));
        }
        return labels;
    }

    /** The words every name has, in the first name's order, joined by spaces ("" when none or one name). */
    static String shared(List<String> names) {
        return names.size() < 2 ? "" : String.join(" ", commonWords(names));
    }

    private static Set<String> commonWords(List<String> names) {
        Set<String> common = new LinkedHashSet<>();
        if (names.size() < 2) {
            return common;
        }
        common.addAll(Arrays.asList(names.get(0).split(" ")));
        for (String name : names) {
            common.retainAll(Arrays.asList(name.split(" ")));
        }
        return common;
    }
}
