package dev.absorb.report;

import dev.absorb.accuracy.AccuracyResult;
import dev.absorb.results.Direction;
import dev.absorb.results.JmhRow;
import dev.absorb.results.RunFolder;
import dev.absorb.results.ThresholdRecord;
import dev.absorb.results.Numbers;
import dev.absorb.kernel.Presets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The text of report.md: the summary first, then the plots (relative links, so the page reads
 * on a code-hosting site), then the tables. Everything in it comes from the run's files; the
 * order follows the files' order, and no time stamp is written, so the same folder gives the
 * same bytes.
 */
final class ReportMarkdown {



    private final StringBuilder out = new StringBuilder();
    private final Run run;

    private ReportMarkdown(Run run) {
        this.run = run;
    }

    static String render(Run run, ReportSummary summary, Map<String, List<Figure>> figures, List<ComparedRun> comparisons,
                         List<String> notCompared) {
        ReportMarkdown page = new ReportMarkdown(run);
        page.header();
        page.summary(summary);
        page.plots(figures, comparisons);
        page.tables(comparisons, notCompared);
        return page.out.toString();
    }

    private void header() {
        line("# absorb report: " + run.name());
        line();
        if (run.incomplete()) {
            line("> **This run is incomplete**: the folder still holds the `INCOMPLETE` marker (the run was interrupted "
                    + "or is still going). This report shows what the run had written.");
            line();
        }
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        (run.hasThresholds() ? present : missing).add("`" + RunFolder.THRESHOLDS_CSV + "`");
        (run.hasCurves() ? present : missing).add("`" + RunFolder.CURVES_CSV + "`");
        (run.hasBenchmarks() ? present : missing).add("`" + RunFolder.JMH_JSON + "`");
        (run.environment() != null ? present : missing).add("`" + RunFolder.ENV_JSON + "`");
        line("Made by `absorb report` from this folder's " + String.join(", ", present)
                + (missing.isEmpty() ? "." : "; the run has no " + orList(missing) + "."));
        line();
    }

    private void summary(ReportSummary summary) {
        line("## Summary");
        line();
        if (run.environment() != null) {
            line("- **JVM:** " + EnvironmentText.jvm(run.environment()));
            line("- **CPU:** " + EnvironmentText.cpu(run.environment()));
            EnvironmentText.provenance(run.environment()).forEach(this::line);
        } else {
            line("- **JVM and CPU:** not recorded (no `env.json`)" + folderNameHint());
        }
        if (run.hasThresholds()) {
            List<Integer> classes = run.classCounts();
            Set<String> families = new LinkedHashSet<>();
            Set<String> targets = new LinkedHashSet<>();
            run.thresholds().forEach(t -> {
                families.add(t.family());
                targets.add(t.target());
            });
            long recipes = run.thresholds().stream().map(ThresholdRecord::recipe).distinct().count();
            line("- **Sweep:** " + run.thresholds().size() + " configurations: " + recipes + " recipes of "
                    + run.formats().size() + " formats, C = " + classes.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + ", family " + String.join(", ", families) + ", target " + String.join(", ", targets) + ".");
        } else {
            line("- **Sweep:** none (no `thresholds.csv`): no threshold plots or tables.");
        }
        if (run.hasBenchmarks()) {
            Set<String> methods = new LinkedHashSet<>();
            run.benchmarks().forEach(b -> methods.add(b.shortName()));
            line("- **Benchmarks:** " + run.benchmarks().size() + " JMH results (" + String.join(", ", methods) + ").");
        } else {
            line("- **Benchmarks:** none: this run has no `jmh.json`, so there are no cost plots or benchmark tables, "
                    + "and the summary cannot say which mitigation is cheapest.");
        }
        line();
        if (!run.hasThresholds()) {
            return;
        }
        presetTables(summary);
        headlineTable(summary);
        mitigationTable(summary);
    }

    /** The framework presets swept in this run (each at one CPU dispatch level), in sweep order. */
    private List<String> presets() {
        Set<String> presets = new LinkedHashSet<>();
        run.thresholds().stream().map(ThresholdRecord::recipe).filter(r -> Presets.of(r) != null).forEach(presets::add);
        return new ArrayList<>(presets);
    }

    /**
     * Where PyTorch's and JAX's gradients die (the presets, which reproduce them: docs/presets.md),
     * beside absorb's default recipe of the same format; then each preset's swept mitigations.
     */
    private void presetTables(ReportSummary summary) {
        List<String> presets = presets();
        if (presets.isEmpty()) {
            return;
        }
        String family = run.headlineFamily();
        String target = run.headlineTarget();
        Set<Integer> counts = new TreeSet<>();
        presets.forEach(p -> run.headlineRows(p).forEach(t -> counts.add(t.classes())));
        line("### Where PyTorch's and JAX's gradients die");
        line();
        line("delta_abs of the framework presets, which reproduce the frameworks' CPU cross-entropy gradients bit for "
                + "bit (`absorb presets`; docs/presets.md), and of absorb's default recipe of each format (family " + family
                + ", target " + target + "). Past delta_abs the framework's g_y is exactly 0 while the other classes' "
                + "gradients are not.");
        line();
        StringBuilder header = new StringBuilder("| kernel |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int c : counts) {
            String models = Vocabulary.models(c);
            header.append(" C = ").append(c).append(models == null ? "" : " (" + models + ")").append(" |");
            rule.append("---|");
        }
        line(header.toString());
        line(rule.toString());
        Set<String> rows = new LinkedHashSet<>(presets);
        presets.forEach(p -> {
            String format = Presets.of(p).format();
            if (run.recipes(format).contains(format)) {
                rows.add(format);
            }
        });
        for (String recipe : rows) {
            StringBuilder row = new StringBuilder("| `" + recipe + "` |");
            List<ThresholdRecord> byClass = run.headlineRows(recipe);
            for (int c : counts) {
                ThresholdRecord t = byClass.stream().filter(x -> x.classes() == c).findFirst().orElse(null);
                row.append(' ').append(t == null ? "not swept" : thresholdCell(t)).append(" |");
            }
            line(row.toString());
        }
        line();
        List<CostRatio> ratios = run.hasBenchmarks() ? CostRatio.of(run.benchmarks()) : List.of();
        line("### Mitigations of the framework kernels");
        line();
        line("Each preset with the mitigations swept for it. A mitigation cures when its NFI window is empty in every "
                + "configuration of this run, its gradient is not all zero at gap 0, and it stays within the accuracy "
                + "bounds of docs/accuracy.md (" + ACCURACY_CHECK + "); its time is relative to the preset's own kernel "
                + "in this run's JMH results" + (run.hasBenchmarks() ? "" : " (this run has none)") + ".");
        line();
        line("| preset | cures | time relative to the preset | accuracy of the cures (worst " + ACCURACY_FIGURES
                + ") | removes absorption but breaks accuracy | does not remove absorption |");
        line("|---|---|---|---|---|---|");
        for (String preset : presets) {
            List<String> variants = run.thresholds().stream().map(ThresholdRecord::recipe).distinct()
                    .filter(r -> r.startsWith(preset + "/") && Presets.of(r) == null && !TrainingSetups.isTrainingSetup(r)).toList();
            List<String> removing = variants.stream().filter(r -> ReportSummary.removesAbsorption(run, r)).toList();
            List<String> cures = removing.stream().filter(r -> ReportSummary.accurate(summary.accuracy(), r)).toList();
            List<String> broken = removing.stream().filter(r -> !cures.contains(r)).toList();
            List<String> not = variants.stream().filter(r -> !removing.contains(r)).toList();
            MitigationCost plotted = MitigationCost.of(ratios, preset);
            Map<String, Double> cost = plotted == null ? Map.of() : ReportSummary.geometricMeans(ratios, preset, plotted.method());
            List<String> measured = cures.stream().filter(cost::containsKey)
                    .map(r -> "`" + r + "` " + Numbers.three(cost.get(r)) + "×").toList();
            line("| `" + preset + "` | " + (variants.isEmpty() ? "no mitigation swept" : cures.isEmpty() ? "none"
                    : codes(cures)) + " | " + (measured.isEmpty() ? (cures.isEmpty() ? Numbers.NONE : "not measured")
                    : String.join(", ", measured) + " (" + plotted.method() + ")") + " | " + figures(cures, summary.accuracy())
                    + " | " + failures(broken, summary.accuracy()) + " | " + (not.isEmpty() ? Numbers.NONE : codes(not)) + " |");
        }
        line();
        TrainingSetups.lines(run).forEach(this::line);
    }

    /** How the accuracy figures were found, for the tables' captions. */
    private static final String ACCURACY_CHECK = "gradient error, zero-sum residual and lse error, each recipe re-evaluated "
            + "at 33 gaps from 0 to gap_max in every configuration of this run";
    private static final String ACCURACY_FIGURES = "gradient error, zero-sum residual, lse error";

    private static String codes(List<String> recipes) {
        return recipes.stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "));
    }

    /** Each recipe's worst accuracy figures. */
    private static String figures(List<String> recipes, Map<String, AccuracyResult> accuracy) {
        if (recipes.isEmpty()) {
            return Numbers.NONE;
        }
        return recipes.stream().map(r -> "`" + r + "`: " + accuracy.get(r).figures()).collect(Collectors.joining("; "));
    }

    /** Each recipe with the measures it breaks, or why it was not checked. */
    private static String failures(List<String> recipes, Map<String, AccuracyResult> accuracy) {
        if (recipes.isEmpty()) {
            return Numbers.NONE;
        }
        return recipes.stream().map(r -> "`" + r + "` (" + (accuracy.containsKey(r) ? accuracy.get(r).failure()
                : "not checked: this absorb does not know the recipe") + ")").collect(Collectors.joining("; "));
    }

    private String folderNameHint() {
        String[] parts = run.name().split("_", 3);
        if (parts.length == 3 && parts[1].startsWith("jdk")) {
            return "; the folder's name says " + parts[1] + " on " + parts[2] + ".";
        }
        return ".";
    }

    private void headlineTable(ReportSummary summary) {
        line("### Where the default kernel absorbs");
        line();
        line("delta_abs, the smallest logit gap at which the correct class's gradient g_y rounds to exactly 0, for each "
                + "format's default recipe (family " + run.headlineFamily() + ", target " + run.headlineTarget()
                + "), at the " + (summary.classes().stream().anyMatch(c -> Vocabulary.models(c) != null)
                ? "swept class counts that are real vocabulary sizes" : "largest swept class count")
                + "; in brackets the first-order model ln(C−1) + p·ln 2. The NFI window [delta_abs, delta_uf) is where "
                + "g_y is 0 while the other entries are not, so the gradient no longer sums to zero.");
        line();
        int last = summary.classes().size() - 1;
        StringBuilder header = new StringBuilder("| format |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int c : summary.classes()) {
            String models = Vocabulary.models(c);
            header.append(" C = ").append(c).append(models == null ? "" : " (" + models + ")").append(" |");
            rule.append("---|");
        }
        header.append(" NFI window at C = ").append(summary.classes().get(last)).append(" |");
        rule.append("---|");
        line(header.toString());
        line(rule.toString());
        for (ReportSummary.FormatSummary f : summary.formats()) {
            StringBuilder row = new StringBuilder("| " + f.format() + " |");
            for (ThresholdRecord t : f.headline()) {
                row.append(' ').append(t == null ? "not swept" : thresholdCell(t)
                        + (Double.isNaN(t.predicted()) ? "" : " (" + Numbers.three(t.predicted()) + ")")).append(" |");
            }
            row.append(' ').append(window(f.headline().get(last))).append(" |");
            line(row.toString());
        }
        line();
        line("`–`: no absorption up to the largest gap searched; `*`: g_y = 0 switches on and off again above this gap "
                + "(see delta_abs_stable in thresholds.csv).");
        line();
    }

    private static String window(ThresholdRecord t) {
        if (t == null) {
            return "not swept";
        }
        if (t.deltaUf() == 0) {
            return "empty: every g_j is 0 from gap 0";
        }
        if (!t.absorbs()) {
            return Double.isNaN(t.deltaAbs()) ? "empty: no absorption" : "empty: g_y dies with the rest";
        }
        return "[" + Numbers.gap(t.deltaAbs()) + ", " + (Double.isNaN(t.deltaUf()) ? "beyond " + Numbers.gap(t.gapMax())
                : Numbers.gap(t.deltaUf())) + ")";
    }

    private void mitigationTable(ReportSummary summary) {
        line("### The cheapest cure");
        line();
        line("A recipe cures when its NFI window is empty in every configuration of this run, its gradient is not "
                + "already all zero at gap 0, and it stays within the accuracy bounds of docs/accuracy.md ("
                + ACCURACY_CHECK + "): removing absorption by breaking the gradient is no cure. "
                + (run.hasBenchmarks() ? "Its cost is its time relative to the format's default recipe in this run's JMH "
                + "results (geometric mean over the benchmark's class counts and parameters); recipes that were not "
                + "benchmarked follow the measured ones." : "This run has no JMH results, so the recipes are listed in "
                + "the sweep's order with their cost unknown."));
        line();
        line("| format | cures | time relative to the default | accuracy of the cures (worst " + ACCURACY_FIGURES
                + ") | removes absorption but breaks accuracy |");
        line("|---|---|---|---|---|");
        for (ReportSummary.FormatSummary f : summary.formats()) {
            String recipes;
            String cost;
            List<String> cures = f.cures();
            if (f.defaultSuffices()) {
                recipes = "none needed: `" + f.format() + "` itself has no NFI window and stays accurate";
                cost = "1";
                cures = List.of(f.format());
            } else if (cures.isEmpty()) {
                recipes = "none of the " + f.recipeCount() + " swept recipes";
                cost = Numbers.NONE;
            } else {
                recipes = codes(cures);
                List<String> measured = cures.stream().filter(f.cost()::containsKey)
                        .map(r -> "`" + r + "` " + Numbers.three(f.cost().get(r)) + "×").toList();
                cost = measured.isEmpty() ? "not measured" + (run.hasBenchmarks() ? "" : " (no `jmh.json`)")
                        : String.join(", ", measured) + " (" + f.costMethod() + ")"
                        + (measured.size() < cures.size() ? "; the others not measured" : "");
                if (f.cheapest() != null) {
                    recipes = "**`" + f.cheapest() + "`** (cheapest)" + (cures.size() > 1 ? ", " + codes(cures.subList(1, cures.size())) : "");
                }
            }
            line("| " + f.format() + " | " + recipes + " | " + cost + " | " + figures(cures, f.accuracy()) + " | "
                    + failures(f.inaccurate(), f.accuracy()) + " |");
        }
        line();
    }

    private void plots(Map<String, List<Figure>> figures, List<ComparedRun> comparisons) {
        line("## Plots");
        line();
        if (figures.isEmpty() && comparisons.stream().allMatch(c -> c.figures().isEmpty())) {
            line("None: the run holds no data to plot.");
            line();
        }
        figures.forEach((format, list) -> {
            line("### " + format);
            line();
            list.forEach(this::image);
        });
        List<ComparedRun> drawn = comparisons.stream().filter(c -> !c.figures().isEmpty()).toList();
        if (!drawn.isEmpty()) {
            line("### JVM and CPU comparison");
            line();
            drawn.forEach(c -> c.figures().forEach(this::image));
        }
    }

    private void image(Figure figure) {
        String png = RunFolder.PLOTS + "/" + figure.name() + ".png";
        line("![" + figure.alt() + "](" + png + ")");
        line();
        line("*" + figure.caption() + ".* ([SVG](" + RunFolder.PLOTS + "/" + figure.name() + ".svg))");
        line();
    }

    private void tables(List<ComparedRun> comparisons, List<String> notCompared) {
        line("## Tables");
        line();
        if (run.hasThresholds()) {
            thresholdTables();
        }
        if (run.hasBenchmarks()) {
            benchmarkTable();
        }
        for (ComparedRun c : comparisons) {
            comparisonTable(c);
        }
        if (!notCompared.isEmpty()) {
            line("### Not compared");
            line();
            notCompared.forEach(n -> line("- " + n));
            line();
        }
    }

    private void thresholdTables() {
        List<Integer> classes = run.classCounts();
        Set<String> pairs = new LinkedHashSet<>();
        run.thresholds().forEach(t -> pairs.add(t.family() + "\u0000" + t.target()));
        for (String pair : pairs) {
            String family = pair.split("\u0000")[0];
            String target = pair.split("\u0000")[1];
            line("### delta_abs per recipe and class count (family " + family + ", target " + target + ")");
            line();
            line("| recipe | " + classes.stream().map(c -> "C = " + c).collect(Collectors.joining(" | ")) + " |");
            line("|---|" + "---|".repeat(classes.size()));
            Set<String> recipes = new LinkedHashSet<>();
            run.thresholds().forEach(t -> recipes.add(t.recipe()));
            for (String recipe : recipes) {
                StringBuilder row = new StringBuilder("| `" + recipe + "` |");
                boolean any = false;
                for (int c : classes) {
                    ThresholdRecord t = run.thresholds().stream().filter(x -> x.recipe().equals(recipe) && x.classes() == c
                            && x.family().equals(family) && x.target().equals(target)).findFirst().orElse(null);
                    any |= t != null;
                    row.append(' ').append(t == null ? "" : thresholdCell(t)).append(" |");
                }
                if (any) {
                    line(row.toString());
                }
            }
            line();
        }
        line("`–`: no absorption up to gap_max; `*`: non-monotone (g_y = 0 switches on and off again). Every digit, "
                + "delta_abs_stable, delta_uf and the other columns are in `thresholds.csv`.");
        line();
    }

    private void benchmarkTable() {
        line("### Benchmarks (`jmh.json`)");
        line();
        List<CostRatio> ratios = CostRatio.of(run.benchmarks());
        line("| benchmark | parameters | mode | score | ± (99.9 %) | unit | per class | time relative to the default |");
        line("|---|---|---|---|---|---|---|---|");
        for (JmhRow r : run.benchmarks()) {
            String params = r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            int classes = MitigationCost.classesOf(r);
            String perClass = classes > 0 && r.direction() != Direction.HIGHER_IS_BETTER ? Numbers.three(r.score() / classes) + " " + r.unit() : "";
            CostRatio ratio = ratios.stream().filter(x -> x.result() == r).findFirst().orElse(null);
            String relative = ratio == null ? "" : ratio.isDefault() ? "1 (default)" : Numbers.three(ratio.ratio())
                    + (Double.isNaN(ratio.error()) ? "" : " ± " + Numbers.three(ratio.error()));
            line("| " + r.shortName() + " | " + params + " | " + r.mode() + " | " + Numbers.three(r.score()) + " | "
                    + Numbers.three(r.scoreError()) + " | " + r.unit() + " | " + perClass + " | " + relative + " |");
        }
        line();
    }

    private void comparisonTable(ComparedRun c) {
        line("### " + c.other().label() + " (`" + c.other().name() + "`) against this run");
        line();
        if (c.other().environment() != null) {
            line("Compared run: " + EnvironmentText.jvm(c.other().environment()) + "; " + EnvironmentText.cpu(c.other().environment()) + ".");
            line();
        }
        line("Time ratio (compared / this run; above 1: slower) of JMH's raw samples (each fork's median iteration where both runs have several forks, else every iteration): "
                + "the Hodges–Lehmann estimate with its 95 % interval, as `compare` prints it; `~`: not significant "
                + "(two-sided Mann–Whitney U, p ≥ " + ComparedRun.ALPHA + ").");
        line();
        line("| benchmark | ratio | 95 % interval | |");
        line("|---|---|---|---|");
        for (RatioRow row : c.rows()) {
            line("| " + row.row() + " | " + Numbers.three(row.ratio()) + " | " + (row.hasInterval() ? "[" + Numbers.three(row.ciLow())
                    + ", " + Numbers.three(row.ciHigh()) + "]" : "n/a") + " | " + (row.significant() ? (row.ratio() > 1
                    ? "slower" : "faster") : "~") + " |");
        }
        line();
        if (!c.unmatched().isEmpty()) {
            line("In one run only: " + String.join("; ", c.unmatched()) + ".");
            line();
        }
    }

    /** "a", "a or b", "a, b or c". */
    private static String orList(List<String> items) {
        return items.size() == 1 ? items.get(0)
                : String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }

    private static String thresholdCell(ThresholdRecord t) {
        return Double.isNaN(t.deltaAbs()) ? Numbers.NONE : Numbers.gap(t.deltaAbs()) + (t.nonMonotone() ? "*" : "");
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private void line() {
        out.append('\n');
    }
}
