package dev.absorb.report;

import dev.absorb.results.ThresholdRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The choices the report's summary makes, as data: the class counts it shows, and per format the
 * default recipe's thresholds there and the recipes that remove absorption, cheapest first.
 *
 * <p>A recipe <em>removes absorption</em> when, in every configuration the run swept (every
 * family, class count and target), its NFI window [delta_abs, delta_uf) is empty and its gradient
 * is not already all zero at gap 0 (delta_uf = 0: the format cannot hold p_j ≈ 1/C, so "no
 * window" would mean "no gradient"). Its cost is the geometric mean, over the benchmark's class
 * counts and other parameters, of its time relative to the format's default (see
 * {@link CostRatio}); the benchmark is {@link MitigationCost}'s choice.
 */
record ReportSummary(List<Integer> classes, List<FormatSummary> formats) {

    /**
     * @param headline the default recipe's row at each of the summary's class counts (null where not swept)
     * @param removing recipes that remove absorption: those with a cost, cheapest first, then the rest in sweep order
     * @param cost geometric-mean relative time of each recipe that has one
     * @param costMethod the JMH method the costs come from; null without benchmarks
     * @param recipeCount how many recipes of this format the run swept
     */
    record FormatSummary(String format, List<ThresholdRecord> headline, List<String> removing, Map<String, Double> cost,
                         String costMethod, int recipeCount) {

        /** The format's default recipe already removes absorption: no mitigation is needed. */
        boolean defaultSuffices() {
            return removing.contains(format);
        }

        /** The cheapest recipe that removes absorption, or null when none does or no cost was measured for any. */
        String cheapest() {
            return removing.isEmpty() || !cost.containsKey(removing.get(0)) ? null : removing.get(0);
        }
    }

    static ReportSummary of(Run run) {
        List<Integer> classes = Vocabulary.headline(run.classCounts());
        List<CostRatio> ratios = run.hasBenchmarks() ? CostRatio.of(run.benchmarks()) : List.of();
        List<FormatSummary> formats = new ArrayList<>();
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
            formats.add(new FormatSummary(format, Collections.unmodifiableList(headline), List.copyOf(removing),
                    cost, method, recipes.size()));
        }
        return new ReportSummary(classes, List.copyOf(formats));
    }

    static boolean removesAbsorption(Run run, String recipe) {
        return run.thresholds().stream().filter(t -> t.recipe().equals(recipe))
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
