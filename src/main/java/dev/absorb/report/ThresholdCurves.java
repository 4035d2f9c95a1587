package dev.absorb.report;

import dev.absorb.results.ThresholdRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data of one format's threshold plot: delta_abs against the class count, one line per
 * recipe (headline family and target), where absorption opens an NFI window, and the first-order model's ln(C−1) + p·ln 2 from the
 * {@code predicted} column.
 *
 * @param classes the class counts of the x axis, ascending
 * @param predicted the model at each class count (NaN where the CSV has none)
 */
record ThresholdCurves(String format, String family, String target, int[] classes, List<Line> lines, double[] predicted) {

    /**
     * One recipe: delta_abs at each class count where its NFI window is not empty (NaN where it
     * is: no absorption up to gap_max, or g_y becomes 0 only with every other entry, as with
     * grad=complement at exp's underflow; or not swept), and the non_monotone flags.
     */
    record Line(String recipe, double[] deltaAbs, boolean[] nonMonotone) {
    }

    static ThresholdCurves of(Run run, String format) {
        List<String> recipes = run.recipes(format);
        int[] classes = recipes.stream().flatMap(r -> run.headlineRows(r).stream()).mapToInt(ThresholdRecord::classes)
                .distinct().sorted().toArray();
        double[] predicted = new double[classes.length];
        Arrays.fill(predicted, Double.NaN);
        List<Line> lines = new ArrayList<>();
        for (String recipe : recipes) {
            double[] deltaAbs = new double[classes.length];
            boolean[] nonMonotone = new boolean[classes.length];
            Arrays.fill(deltaAbs, Double.NaN);
            for (ThresholdRecord row : run.headlineRows(recipe)) {
                int i = Arrays.binarySearch(classes, row.classes());
                deltaAbs[i] = row.absorbs() ? row.deltaAbs() : Double.NaN;
                nonMonotone[i] = row.nonMonotone();
                if (Double.isNaN(predicted[i])) {
                    predicted[i] = row.predicted();
                }
            }
            lines.add(new Line(recipe, deltaAbs, nonMonotone));
        }
        return new ThresholdCurves(format, run.headlineFamily(), run.headlineTarget(), classes, List.copyOf(lines), predicted);
    }
}
