package dev.absorb.report;

import dev.absorb.results.CurveRecord;
import dev.absorb.results.ThresholdRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The data of one format's curve plot: |g_y| and the zero-sum residual against the gap, one line
 * per recipe, at the run's largest class count (the vocabulary-sized case) for the headline family
 * and target; each recipe's delta_abs, and the NFI window of the format's default recipe.
 *
 * <p>A value of 0 (or a missing cell) is NaN here: a log scale cannot show 0, so the line stops
 * where g_y becomes exactly 0 and delta_abs marks where that happens.
 *
 * @param nfiFrom start of the default recipe's NFI window (its delta_abs); NaN when it has none
 * @param nfiTo end of the window: delta_uf, or gap_max when the other entries never all vanish
 */
record GradientCurves(String format, int classes, String family, String target, List<Line> lines, double nfiFrom,
                      double nfiTo) {

    /**
     * One recipe: gaps, |g_y| and residual at each (NaN where 0 or missing), its delta_abs (NaN:
     * none) and whether its own NFI window is non-empty (false when g_y dies only with the rest).
     */
    record Line(String recipe, double[] gaps, double[] gradient, double[] residual, double deltaAbs, boolean window) {
    }

    boolean hasWindow() {
        return !Double.isNaN(nfiFrom);
    }

    /** Null when curves.csv holds no point of this format at the headline family and target. */
    static GradientCurves of(Run run, String format) {
        String family = run.headlineFamily();
        String target = run.headlineTarget();
        List<String> recipes = run.recipes(format);
        int classes = run.curves().stream()
                .filter(c -> recipes.contains(c.recipe()) && c.family().equals(family) && c.target().equals(target))
                .mapToInt(CurveRecord::classes).max().orElse(-1);
        if (classes < 0) {
            return null;
        }
        List<Line> lines = new ArrayList<>();
        double nfiFrom = Double.NaN;
        double nfiTo = Double.NaN;
        for (String recipe : recipes) {
            List<CurveRecord> points = run.curves().stream()
                    .filter(c -> c.recipe().equals(recipe) && c.classes() == classes && c.family().equals(family)
                            && c.target().equals(target))
                    .sorted((a, b) -> Double.compare(a.gap(), b.gap()))
                    .toList();
            if (points.isEmpty()) {
                continue;
            }
            ThresholdRecord threshold = run.headlineRows(recipe).stream().filter(t -> t.classes() == classes).findFirst()
                    .orElse(null);
            double deltaAbs = threshold == null ? Double.NaN : threshold.deltaAbs();
            lines.add(new Line(recipe, points.stream().mapToDouble(CurveRecord::gap).toArray(),
                    points.stream().mapToDouble(p -> positiveOrNaN(Math.abs(p.gradientTarget()))).toArray(),
                    points.stream().mapToDouble(p -> positiveOrNaN(p.zeroSumResidual())).toArray(), deltaAbs,
                    threshold != null && threshold.absorbs()));
            if (threshold != null && threshold.isDefaultRecipe() && threshold.absorbs()) {
                nfiFrom = threshold.deltaAbs();
                nfiTo = Double.isNaN(threshold.deltaUf()) ? threshold.gapMax() : threshold.deltaUf();
            }
        }
        return lines.isEmpty() ? null : new GradientCurves(format, classes, family, target, List.copyOf(lines), nfiFrom, nfiTo);
    }

    private static double positiveOrNaN(double x) {
        return x > 0 ? x : Double.NaN;
    }
}
