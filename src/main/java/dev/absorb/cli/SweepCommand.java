package dev.absorb.cli;

import dev.absorb.results.MachineProbe;
import dev.absorb.results.RunEnvironment;
import dev.absorb.kernel.Recipe;
import dev.absorb.results.Numbers;
import dev.absorb.results.RunFolder;
import dev.absorb.results.SweepCsv;
import dev.absorb.sweep.Configuration;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.Sweep;
import dev.absorb.sweep.SweepResult;
import dev.absorb.sweep.SweepSettings;
import dev.absorb.sweep.TargetPosition;
import dev.absorb.sweep.ThresholdRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code absorb sweep}: the absorption thresholds of many recipes, class counts and families. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {
            "Finds, per recipe, family, class count and target position, the logit gap at which the",
            "correct-class gradient g_y rounds to exactly 0 (delta_abs), where it stays 0",
            "(delta_abs_stable), where every other g_j is 0 too (delta_uf), and writes thresholds.csv",
            "and curves.csv. Prints delta_abs per recipe and class count for the first family and target.",
            "Default: the framework presets (absorb presets) at classes 2,10,100,1000,32000,128256 and the",
            "vocabularies 50257,50304,151936,262144; each preset with grad=complement, grad=zerosum and",
            "rowsum=acc/logp=compute; every named format x {default, acc=fp32, compute=fp32/acc=fp32,",
            "grad=complement, grad=zerosum, acc=kahan, lse=log1p, round=sr}; these at classes",
            "2,10,100,1000,32000,128256; family flat, targets first and last."})
final class SweepCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--recipes", split = ",", paramLabel = "RECIPE",
            description = "Recipes, e.g. bf16,bf16/grad=complement (default: the default set above).")
    private List<String> recipes;

    @Option(names = "--classes", split = ",", paramLabel = "C",
            description = "Class counts, 2 <= C <= " + GradCommand.MAX_CLASSES + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "2,10,100,1000,32000,128256")
    private List<Integer> classes;

    @Option(names = "--families", split = ",", paramLabel = "FAMILY", description = "flat, gauss, runnerup (default: ${DEFAULT-VALUE}).",
            defaultValue = "flat")
    private List<String> families;

    @Option(names = "--targets", split = ",", paramLabel = "TARGET", description = "first, last, random (default: ${DEFAULT-VALUE}).",
            defaultValue = "first,last")
    private List<String> targets;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (created if missing; an existing one must be empty). Default: a new results/<UTC time>_<jdk>_<cpu>/.")
    private Path out;

    @Option(names = "--grid-cells", paramLabel = "N", defaultValue = "128",
            description = "Cells of the gap grid before bisection; more cells find narrower non-monotone bands (default: ${DEFAULT-VALUE}).")
    private int gridCells;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the gauss family and random targets (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--offset", defaultValue = "0", description = "Added to every logit (default: ${DEFAULT-VALUE}).")
    private double offset;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: every core).")
    private Integer threads;

    @Override
    public Integer call() throws IOException {
        List<Recipe> recipeList = recipes == null ? Sweep.defaultRecipes()
                : recipes.stream().map(Recipe::parse).distinct().collect(Collectors.toList());
        List<Family> familyList = families.stream().map(Family::of).distinct().collect(Collectors.toList());
        List<TargetPosition> targetList = targets.stream().map(TargetPosition::of).distinct().collect(Collectors.toList());
        for (int c : classes) {
            if (c < 2 || c > GradCommand.MAX_CLASSES) {
                throw new IllegalArgumentException("--classes: a class count must be at least 2 and at most "
                        + GradCommand.MAX_CLASSES + ", not " + c);
            }
        }
        if (out != null && out.toString().isEmpty()) {
            // Path.of("") is the working directory: an unset variable in --out "$DIR" must not write there.
            throw new IllegalArgumentException("--out: the path is empty; name a folder");
        }
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (threadCount < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threadCount);
        }
        SweepSettings settings = new SweepSettings(gridCells, SweepSettings.DEFAULT.curveEvery(), seed, offset);
        boolean classesGiven = spec.commandLine().getParseResult().hasMatchedOption("--classes");
        List<Configuration> configurations = recipes == null && !classesGiven
                ? Sweep.defaultConfigurations(familyList, targetList)
                : Sweep.configurations(recipeList, familyList, classes.stream().distinct().collect(Collectors.toList()), targetList);

        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, configurations.size(), onTerminal());
        List<SweepResult> results;
        Path written;
        try (RunFolder folder = openFolder(MachineProbe.current(null, null, Instant.now()))) {
            results = Sweep.run(configurations, settings, threadCount, progress::update);
            progress.finish();
            SweepCsv.write(folder.path(), results);
            folder.complete();
            written = folder.path();
        }

        PrintWriter outWriter = spec.commandLine().getOut();
        printTable(outWriter, results, familyList.get(0), targetList.get(0));
        outWriter.printf("%nwrote %s and %s in %s (%d configurations, %.0f s)%n", RunFolder.THRESHOLDS_CSV, RunFolder.CURVES_CSV,
                written, configurations.size(), progress.seconds());
        outWriter.flush();
        return 0;
    }

    private RunFolder openFolder(RunEnvironment env) {
        try {
            return out == null ? RunFolder.createUnder(Path.of("results"), env) : RunFolder.adopt(out, env);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException("--out: " + refused.getMessage());
        } catch (IOException | SecurityException e) {
            // The reason, not only the exception's class: "Not a directory", "Permission denied", …
            String reason = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                    ? ((FileSystemException) e).getReason() : e.getClass().getSimpleName();
            throw new IllegalArgumentException("--out: cannot create or write the folder " + (out == null ? "results/" : out)
                    + " (" + reason + ")");
        }
    }

    /** delta_abs per recipe (rows) and class count (columns), for one family and target. */
    static void printTable(PrintWriter out, List<SweepResult> results, Family family, TargetPosition target) {
        Map<String, Map<Integer, ThresholdRow>> byRecipe = new LinkedHashMap<>();
        TreeSet<Integer> classCounts = new TreeSet<>();
        for (SweepResult result : results) {
            Configuration c = result.row().configuration();
            if (c.family() == family && c.target() == target) {
                byRecipe.computeIfAbsent(c.recipe().toString(), k -> new LinkedHashMap<>()).put(c.classes(), result.row());
                classCounts.add(c.classes());
            }
        }
        int width = Math.max(6, byRecipe.keySet().stream().mapToInt(String::length).max().orElse(6));
        out.printf("delta_abs: smallest logit gap with g_y == 0 (family %s, target %s; '-' = none up to gap_max)%n",
                family.key(), target.key());
        StringBuilder header = new StringBuilder(String.format("%-" + width + "s", "recipe"));
        for (int c : classCounts) {
            header.append(String.format(" %9s", "C=" + c));
        }
        out.println(header);
        for (Map.Entry<String, Map<Integer, ThresholdRow>> e : byRecipe.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-" + width + "s", e.getKey()));
            for (int c : classCounts) {
                ThresholdRow row = e.getValue().get(c);
                String cell = row == null || Double.isNaN(row.deltaAbs()) ? "-" : Numbers.significant(row.deltaAbs(), 6)
                        + (row.nonMonotone() ? "*" : "");
                line.append(String.format(" %9s", cell));
            }
            out.println(line);
        }
        out.println("* g_y == 0 switches on and off again above this gap (non_monotone); see delta_abs_stable.");
    }

    /**
     * Whether we talk to a terminal. JDK 22+ returns a Console even when redirected and says so
     * with Console.isTerminal(), which JDK 17 lacks: hence the reflective call.
     */
    private static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }

    /** A progress bar on a terminal; nothing otherwise. */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean enabled;
        private final long start = System.nanoTime();

        Progress(PrintWriter err, int total, boolean enabled) {
            this.err = err;
            this.total = total;
            this.enabled = enabled;
        }

        synchronized void update(int done) {
            if (enabled) {
                int filled = (int) (30L * done / total);
                err.printf("\rsweep [%s%s] %d/%d configurations, %.0f s", "#".repeat(filled), ".".repeat(30 - filled),
                        done, total, seconds());
                err.flush();
            }
        }

        void finish() {
            if (enabled) {
                err.println();
                err.flush();
            }
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
