package dev.absorb.safe;

import dev.absorb.kernel.Recipe;
import dev.absorb.results.JmhRow;
import dev.absorb.results.JmhJson;
import dev.absorb.results.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What recipes cost in one run folder: the time per call (ns/op) of {@code KernelBenchmark.fused}
 * (loss and gradient, what a training step runs) for each recipe the run benchmarked, at the class
 * count nearest the one asked for (on a log scale; the smaller on a tie), the first such result in
 * the file where several remain (other gaps or families).
 *
 * @param folder  the run folder the costs come from; null when there is none
 * @param costs   per canonical recipe text, its cost
 */
public record RecipeCosts(Path folder, Map<String, Cost> costs) {

    static final String BENCHMARK = "KernelBenchmark.fused";
    static final String JMH = RunFolder.JMH_JSON;

    /** One recipe's cost: JMH's score and error in ns/op, at this class count. */
    public record Cost(double nanos, double error, int classes) {
    }

    static final RecipeCosts NONE = new RecipeCosts(null, Map.of());

    /**
     * The latest run folder under {@code root} that holds a jmh.json with KernelBenchmark.fused
     * results; folders are named by their UTC start time, so the latest sorts last. NONE when
     * {@code root} does not exist or holds no such folder.
     */
    public static RecipeCosts latest(Path root, int classes) throws IOException {
        if (!Files.isDirectory(root)) {
            return NONE;
        }
        List<Path> folders;
        try (Stream<Path> list = Files.list(root)) {
            folders = list.filter(p -> Files.isRegularFile(p.resolve(JMH))).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path folder : folders) {
            RecipeCosts costs;
            try {
                costs = of(folder, classes);
            } catch (IllegalArgumentException unreadable) {
                continue;
            }
            if (!costs.costs().isEmpty()) {
                return costs;
            }
        }
        return NONE;
    }

    /**
     * The costs in one run folder's jmh.json (empty when it has no KernelBenchmark.fused result).
     *
     * @throws IllegalArgumentException if the folder has no jmh.json or it is not JMH JSON
     */
    public static RecipeCosts of(Path folder, int classes) {
        Path file = folder.resolve(JMH);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--results: " + folder + " holds no " + JMH);
        }
        Map<String, List<JmhRow>> byRecipe = new LinkedHashMap<>();
        for (JmhRow run : JmhJson.read(file).rows()) {
            String recipe = run.key().params().get("recipe");
            String classesParam = run.key().params().get("classes");
            if (!run.key().benchmark().endsWith(BENCHMARK) || recipe == null || classesParam == null
                    || !run.unit().equals("ns/op")) {
                continue;
            }
            try {
                Integer.parseInt(classesParam);
                byRecipe.computeIfAbsent(Recipe.parse(recipe).toString(), k -> new ArrayList<>()).add(run);
            } catch (IllegalArgumentException notOurs) {
                // a recipe or class count this absorb does not read: no cost for it
            }
        }
        Map<String, Cost> costs = new LinkedHashMap<>();
        byRecipe.forEach((recipe, runs) -> {
            JmhRow best = null;
            for (JmhRow run : runs) {
                if (best == null || distance(run, classes) < distance(best, classes)) {
                    best = run;
                }
            }
            costs.put(recipe, new Cost(best.score(), best.scoreError(), classesOf(best)));
        });
        return new RecipeCosts(folder, costs);
    }

    private static int classesOf(JmhRow run) {
        return Integer.parseInt(run.key().params().get("classes"));
    }

    /** |log(c / classes)|, plus a small tie-breaker toward fewer classes. */
    private static double distance(JmhRow run, int classes) {
        int c = classesOf(run);
        return Math.abs(Math.log((double) c / classes)) + (c < classes ? 0 : 1e-9);
    }
}
