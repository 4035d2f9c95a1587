package dev.absorb.report;

import dev.absorb.results.AtomicFile;
import dev.absorb.results.RunFolder;
import dev.absorb.results.JmhRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code absorb report}: reads a run folder (and any runs to compare it with), draws the plots
 * into {@code plots/} and writes {@code report.md}, last, so the page never links a plot that is
 * not there yet. Every input is read and checked before the first file is written.
 */
public final class Report {

    /** What was written: the report and every plot file. */
    public record Written(Path report, List<Path> plots) {
    }

    private Report() {
    }

    /**
     * @param folder the run to report on; report.md and plots/ go there
     * @param compareWith runs whose JMH results are compared with this run's (time ratios against it)
     * @throws IllegalArgumentException (before anything is written) when a folder is missing, holds
     *     no results, a file in it is not what it should be, or a run is still going in it
     */
    public static Written write(Path folder, List<Path> compareWith) throws IOException {
        // Plots are drawn on an image in memory; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
        Run run = RunReader.read(folder);
        RunFolder.Owner owner = RunFolder.owner(folder);
        if (owner != null && owner.live()) {
            // a run folder belongs to the process that runs in it
            throw new IllegalArgumentException(folder + " is in use by " + owner.text() + "; report it when that run has finished");
        }
        List<Run> others = new ArrayList<>();
        for (Path other : compareWith) {
            others.add(RunReader.read(other));
        }

        Palette palette = Palette.of(recipesOf(run));
        Map<String, List<Figure>> figures = new LinkedHashMap<>();
        List<CostRatio> ratios = run.hasBenchmarks() ? CostRatio.of(run.benchmarks()) : List.of();
        for (String format : formatsOf(run, ratios)) {
            List<Figure> list = new ArrayList<>();
            if (run.formats().contains(format)) {
                list.add(Charts.thresholds(ThresholdCurves.of(run, format), palette));
                GradientCurves curves = GradientCurves.of(run, format);
                if (curves != null) {
                    list.add(Charts.curves(curves, palette));
                }
            }
            MitigationCost cost = MitigationCost.of(ratios, format);
            if (cost != null) {
                list.add(Charts.cost(cost, palette));
            }
            if (!list.isEmpty()) {
                figures.put(format, list);
            }
        }
        List<ComparedRun> comparisons = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        for (Run other : others) {
            if (!run.hasBenchmarks() || !other.hasBenchmarks()) {
                notCompared.add("`" + other.folder() + "`: " + (run.hasBenchmarks() ? "it" : "this run") + " has no `jmh.json`");
            } else {
                ComparedRun comparison = ComparedRun.of(run, other);
                if (comparison.rows().isEmpty()) {
                    notCompared.add("`" + other.folder() + "`: no benchmark with the same name, mode and parameters as in this run");
                } else {
                    comparisons.add(comparison);
                }
            }
        }
        String markdown = ReportMarkdown.render(run, ReportSummary.of(run), figures, comparisons, notCompared);

        List<Figure> drawn = new ArrayList<>();
        figures.values().forEach(drawn::addAll);
        comparisons.forEach(c -> drawn.addAll(c.figures()));
        Path plots = folder.resolve(RunFolder.PLOTS);
        Path report = folder.resolve(RunFolder.REPORT_MD);
        refuseExisting(folder, report, plots, drawn);
        Files.createDirectories(plots);
        List<Path> written = new ArrayList<>();
        for (Figure figure : drawn) {
            written.add(ChartFiles.write(figure, plots));
        }
        AtomicFile.write(report, markdown);
        return new Written(report, List.copyOf(written));
    }

    /**
     * A report is made once: absorb never replaces a file, so a folder that already holds
     * report.md or one of the plots is refused before anything is written.
     */
    private static void refuseExisting(Path folder, Path report, Path plots, List<Figure> figures) {
        List<Path> files = new ArrayList<>(List.of(report));
        for (Figure figure : figures) {
            files.add(ChartFiles.png(figure, plots));
            files.add(ChartFiles.svg(figure, plots));
        }
        for (Path file : files) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(folder + " already has a report (" + folder.relativize(file)
                        + "); absorb never replaces a file: remove " + RunFolder.REPORT_MD + " and " + RunFolder.PLOTS
                        + "/ to make it again");
            }
        }
    }

    /** Recipes in the order the run names them: the sweep's, then any only the benchmarks have. */
    private static List<String> recipesOf(Run run) {
        List<String> recipes = new ArrayList<>();
        run.thresholds().forEach(t -> recipes.add(t.recipe()));
        if (run.hasBenchmarks()) {
            for (JmhRow result : run.benchmarks()) {
                var recipe = CostRatio.recipeOf(result);
                if (recipe != null) {
                    recipes.add(recipe.toString());
                }
            }
        }
        return recipes;
    }

    private static List<String> formatsOf(Run run, List<CostRatio> ratios) {
        List<String> formats = new ArrayList<>(run.formats());
        ratios.forEach(r -> {
            if (!formats.contains(r.format())) {
                formats.add(r.format());
            }
        });
        return formats;
    }
}
