package dev.absorb.report;

import dev.absorb.results.CurveRecord;
import dev.absorb.results.JmhRow;
import dev.absorb.results.RunEnvironment;
import dev.absorb.results.ThresholdRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one run folder holds. {@code benchmarks} is null when there is no jmh.json and
 * {@code environment} null when there is no env.json; {@code curves} is empty when curves.csv is
 * missing and {@code thresholds} when thresholds.csv is.
 */
record Run(Path folder, List<ThresholdRecord> thresholds, boolean hasCurves, List<CurveRecord> curves,
           List<JmhRow> benchmarks, RunEnvironment environment, boolean incomplete) {

    static final String FLAT = "flat";
    static final String FIRST = "first";

    String name() {
        return folder.toAbsolutePath().normalize().getFileName().toString();
    }

    boolean hasThresholds() {
        return !thresholds.isEmpty();
    }

    boolean hasBenchmarks() {
        return benchmarks != null;
    }

    /** How tables and plots name the run: JDK and CPU from env.json, else the folder's name. */
    String label() {
        String label = environment == null ? "" : EnvironmentText.shortLabel(environment);
        return label.isEmpty() ? name() : label;
    }

    /** The formats of the sweep, in the order thresholds.csv first names them (the sweep's order). */
    List<String> formats() {
        Set<String> formats = new LinkedHashSet<>();
        thresholds.forEach(t -> formats.add(t.format()));
        return new ArrayList<>(formats);
    }

    /** The recipes of one format, in file order. */
    List<String> recipes(String format) {
        Set<String> recipes = new LinkedHashSet<>();
        thresholds.stream().filter(t -> t.format().equals(format)).forEach(t -> recipes.add(t.recipe()));
        return new ArrayList<>(recipes);
    }

    List<Integer> classCounts() {
        Set<Integer> counts = new TreeSet<>();
        thresholds.forEach(t -> counts.add(t.classes()));
        return new ArrayList<>(counts);
    }

    /** The family the summary and the plots show: flat (DESIGN.md §5's plainest case) if swept, else the first. */
    String headlineFamily() {
        return preferred(thresholds.stream().map(ThresholdRecord::family).toList(), FLAT);
    }

    /** The target position the summary and plots show: first if swept, else the first in the file. */
    String headlineTarget() {
        return preferred(thresholds.stream().map(ThresholdRecord::target).toList(), FIRST);
    }

    /** The headline family and target's rows of one recipe, by class count. */
    List<ThresholdRecord> headlineRows(String recipe) {
        String family = headlineFamily();
        String target = headlineTarget();
        return thresholds.stream()
                .filter(t -> t.recipe().equals(recipe) && t.family().equals(family) && t.target().equals(target))
                .sorted((a, b) -> Integer.compare(a.classes(), b.classes()))
                .toList();
    }

    private static String preferred(List<String> values, String preferred) {
        return values.contains(preferred) || values.isEmpty() ? preferred : values.get(0);
    }
}
