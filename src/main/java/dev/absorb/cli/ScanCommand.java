package dev.absorb.cli;

import dev.absorb.kernel.Recipe;
import dev.absorb.scan.RecipeSummary;
import dev.absorb.scan.Scan;
import dev.absorb.scan.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code absorb scan}: the user's own logits under recipes and presets (docs/scan.md). */
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Counts the rows of your own logits whose gradient a recipe absorbs.",
            "",
            "Reads rows of logits (CSV: one row per line; .npy: a 2-D array in C order of <f4, <f2, <f8, or "
                    + "bfloat16 bit patterns as <u2) and evaluates every row under each recipe, the logits stored in "
                    + "the recipe's format first. Prints per recipe: the rows where g_y == 0, the rows inside the NFI "
                    + "window (g_y == 0 while some other g_j != 0), the rows that are not finite, the largest zero-sum "
                    + "residual, and quantiles of the logit gap z_y - max_{j!=y} z_j. Targets come from --targets "
                    + "(one integer per line, or a 1-D .npy of <i4 or <i8), else each row's argmax. The files are "
                    + "streamed, never loaded whole; a progress line goes to stderr."})
final class ScanCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--logits", required = true, paramLabel = "FILE", description = "Logits: .npy or CSV.")
    private Path logits;

    @Option(names = "--targets", paramLabel = "FILE",
            description = "Target class per row: one integer per line, or .npy (default: each row's argmax).")
    private Path targets;

    @Option(names = "--recipes", required = true, split = ",", paramLabel = "RECIPE",
            description = "Recipes and presets, e.g. torch:bf16,jax:bf16,bf16/grad=complement.")
    private List<String> recipes;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; " + Ranges.THREADS + " (default: every core).")
    private Integer threads;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--format: unknown '" + format + "'; valid: text, json");
        }
        List<Recipe> recipeList = recipes.stream().map(Recipe::parse).distinct().collect(Collectors.toList());
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors()
                : Ranges.check("--threads", threads, 1, Ranges.MAX_THREADS);
        RowProgress progress = new RowProgress(spec.commandLine().getErr(), "scan", Terminal.isTerminal());
        int[] classes = new int[1];
        List<RecipeSummary> summaries = new Scan(recipeList, threadCount).run(logits, targets, shape -> {
            if (shape.classes() > Ranges.MAX_CLASSES) {
                throw new IllegalArgumentException(logits + " has rows of " + shape.classes() + " classes; at most "
                        + Ranges.MAX_CLASSES);
            }
            classes[0] = shape.classes();
            progress.expect(shape.rows());
        }, progress::update, null);
        progress.finish();
        PrintWriter out = spec.commandLine().getOut();
        String targetsText = targets == null ? "the argmax of each row" : targets.toString();
        if (format.equals("json")) {
            ScanReport.json(out, logits.toString(), targets == null ? "argmax" : targets.toString(), classes[0], summaries);
        } else {
            ScanReport.text(out, logits + ": " + summaries.get(0).rows() + " rows x " + classes[0] + " classes", targetsText,
                    summaries);
        }
        out.flush();
        return Errors.OK;
    }
}
