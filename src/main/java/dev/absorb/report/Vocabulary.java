package dev.absorb.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Vocabulary sizes of well-known models (their published configs; see the project's reference
 * notes), so the summary can say which class counts matter and name them.
 */
final class Vocabulary {

    private static final Map<Integer, String> MODELS = new TreeMap<>(Map.of(
            32000, "Llama 2, Mistral 7B",
            50257, "GPT-2",
            50304, "GPT-2 padded",
            128256, "Llama 3",
            129280, "DeepSeek-V3",
            151936, "Qwen2/2.5 small",
            152064, "Qwen2/2.5",
            256000, "Gemma 1/2",
            262144, "Gemma 3"));

    private Vocabulary() {
    }

    /** The models with this vocabulary size, or null. */
    static String models(int classes) {
        return MODELS.get(classes);
    }

    /** The class counts the summary shows: those that are a known vocabulary size, else the largest one. */
    static List<Integer> headline(List<Integer> classCounts) {
        List<Integer> known = classCounts.stream().filter(MODELS::containsKey).sorted().toList();
        if (!known.isEmpty() || classCounts.isEmpty()) {
            return known;
        }
        return List.of(classCounts.stream().max(Integer::compare).orElseThrow());
    }
}
