package dev.absorb.report;

import dev.absorb.accuracy.AccuracyResult;
import dev.absorb.results.ThresholdRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The choices the report's summary makes, as data: the class counts it shows, and per format the
 * default recipe's thresholds there and the recipes that remove absorption, cheapest first, and
 * of those the cures: the ones that also stay accurate.
 *
 * <p>A recipe <em>removes absorption</em> when, in every configuration the run swept (every
 * family, class count and target), its NFI window [delta_abs, delta_uf) is empty and its gradient
 * is not already all zero at gap 0 (delta_uf = 0: the format cannot hold p_j ≈ 1/C, so "no
 * window" would mean "no gradient"). Its cost is the geometric mean, over the benchmark's class
 * counts and other parameters, of its time relative to the format's default (see
 * {@link CostRatio}); the benchmark is {@link MitigationCost}'s choice. A recipe is a <em>cure</em>
 * when it removes absorption and stays within the accuracy bounds of docs/accuracy.md in every
 * configuration of the run ({@link RunAccuracy}): a recipe that removes absorption by breaking the
 * gradient (a stagnating bf16 sum) is no cure.
 */
record ReportSummary(List<Integer> classes, List<FormatSummary> formats, Map<String, AccuracyResult> accuracy) {

    /**
     * @param headline the default recipe's row at each of the summary's class counts (null where not swept)
     * @param removing recipes that remove absorption: those with a cost, cheapest first, then the rest in sweep order
     * @param cost geometric-mean relative time of each recipe that has one
     * @param costMethod the JMH method the costs come from; null without benchmarks
     * @param recipeCount how many recipes of this format the run swept
     * @param accuracy the accuracy of each recipe in {@code removing}
     */
    record FormatSummary(String format, List<ThresholdRecord> headline, List<String> removing, Map<String, Double> cost,
                         String costMethod, int recipeCount, Map<String, AccuracyResult> accuracy) {

        /** The recipes that remove absorption and stay accurate, in the order of {@code removing}. */
        List<String> cures() {
            return removing.stream().filter(r -> accurate(accuracy, r)).toList();
        }

        /** The recipes that remove absorption but break accuracy (or could not be checked). */
        List<String> inaccurate() {
            return removing.stream().filter(r -> !accurate(accuracy, r)).toList();
        }

        /** The format's default recipe already cures: no mitigation is needed. */
        boolean defaultSuffices() {
            return cures().contains(format);
        }

        /** The cheapest cure, or null when there is none or no cost was measured for any. */
        String cheapest() {
            List<String> cures = cures();
            return cures.isEmpty() || !cost.containsKey(cures.get(0)) ? null : cures.get(0);
        }
    }

    static boolean accurate(Map<String, AccuracyResult> accuracy, String recipe) {
        AccuracyResult result = accuracy.get(recipe);
        return result != null && result.accurate();
    }

    static ReportSummary of(Run run) {
        List<Integer> classes = Vocabulary.headline(run.classCounts());
        List<CostRatio> ratios = run.hasBenchmarks() ? CostRatio.of(run.benchmarks()) : List.of();
        List<FormatSummary> formats = new ArrayList<>();
        List<String> removingAll = run.thresholds().stream().map(ThresholdRecord::recipe).distinct()
                .filter(r -> removesAbsorption(run, r)).toList();
        Map<String, AccuracyResult> accuracy = RunAccuracy.of(run, removingAll);
        for (String format : run.formats()) {
            List<ThresholdRecord> headline = new ArrayList<>();
            for (int c : classes) {
                headline.add(run.headlineRows(format).stream().filter(t -> t.classes() == c).findFirst().orElse(null));
            }
            MitigationCost plotted = MitigationCost.of(ratios, format);
            String method = plotted == null ? null : plotted.method();
            Map<String, Double> cost = method == null ? Map.of() : geometricMeans(ratios, format, method);
            List<String> recipes = run.recipes(format);
            List<String> removing = new ArrayList<>(recipes.stream().filter(r -> removesAbsorption(run, r)).toList());
            // Stable sort: recipes without a cost keep the sweep's order after those with one.
            removing.sort(Comparator.comparingDouble(r -> cost.getOrDefault(r, Double.POSITIVE_INFINITY)));
            Map<String, AccuracyResult> ofFormat = new LinkedHashMap<>();
            removing.stream().filter(accuracy::containsKey).forEach(r -> ofFormat.put(r, accuracy.get(r)));
            formats.add(new FormatSummary(format, Collections.unmodifiableList(headline), List.copyOf(removing),
                    cost, method, recipes.size(), Collections.unmodifiableMap(ofFormat)));
        }
        return new ReportSummary(classes, List.copyOf(formats), accuracy);
    }

    /**
     * Whether the recipe, swept in the run, never absorbs and keeps a gradient at gap 0. A
     * training setup (smooth, zloss, scale, gradfmt: {@link TrainingSetups}) changes the loss, not
     * the kernel, and is never counted as a cure.
     */
    static boolean removesAbsorption(Run run, String recipe) {
        return !TrainingSetups.isTrainingSetup(recipe) && run.thresholds().stream().filter(t -> t.recipe().equals(recipe))
                .allMatch(t -> !t.absorbs() && !(t.deltaUf() == 0));
    }

    /** Per recipe of the format (the default included, at 1), the geometric mean of its ratios for one method. */
    static Map<String, Double> geometricMeans(List<CostRatio> ratios, String format, String method) {
        Map<String, List<Double>> logs = new LinkedHashMap<>();
        for (CostRatio r : ratios) {
            if (r.format().equals(format) && r.result().method().equals(method) && r.ratio() > 0) {
                logs.computeIfAbsent(r.recipe(), k -> new ArrayList<>()).add(Math.log(r.ratio()));
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        logs.forEach((recipe, l) -> means.put(recipe, Math.exp(l.stream().mapToDouble(Double::doubleValue).average().orElseThrow())));
        return Collections.unmodifiableMap(means);
    }
}
