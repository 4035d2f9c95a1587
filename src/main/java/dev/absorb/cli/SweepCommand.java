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
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code absorb sweep}: the absorption thresholds of many recipes, class counts and families. */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Finds the logit gaps where the gradient is absorbed and writes a run folder.",
            "",
            "Per recipe, family, class count and target position: the logit gap at which the correct-class "
                    + "gradient g_y rounds to exactly 0 (delta_abs), where it stays 0 (delta_abs_stable), and where "
                    + "every other g_j is 0 too (delta_uf). Writes thresholds.csv and curves.csv into a new run "
                    + "folder (marked INCOMPLETE until both are in place) and prints delta_abs per recipe and class "
                    + "count for the first family and target. Each evaluation runs on the fastest kernel for the "
                    + "recipe (SIMD where it runs it, else the scalar reference; they give the same bits).",
            "Default: the framework presets (absorb presets) at classes 2,10,100,1000,32000,128256 and the "
                    + "vocabularies 50257,50304,151936,262144; each preset with grad=complement, grad=zerosum and "
                    + "rowsum=acc/logp=compute; torch:bf16/smooth=0.1, torch:bf16/zloss=0.0001 and torch:fp16/scale=65536; "
                    + "every named format x {default, acc=fp32, compute=fp32/acc=fp32, "
                    + "grad=complement, grad=zerosum, acc=kahan, lse=log1p, round=sr} at classes "
                    + "2,10,100,1000,32000,128256; family flat, targets first and last."})
final class SweepCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--recipes", split = ",", paramLabel = "RECIPE",
            description = "Recipes, e.g. bf16,bf16/grad=complement (default: the default set above).")
    private List<String> recipes;

    @Option(names = "--classes", split = ",", paramLabel = "C",
            description = "Class counts; " + Ranges.CLASSES + " (default: ${DEFAULT-VALUE}).",
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
            description = "Cells of the gap grid before bisection; more cells find narrower non-monotone bands; range: 2 to "
                    + Ranges.MAX_GRID_CELLS + " (default: ${DEFAULT-VALUE}).")
    private int gridCells;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the gauss family and random targets; " + Ranges.SEED + " (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--offset", paramLabel = "O", defaultValue = "0", converter = Converters.FiniteDoubleConverter.class,
            description = "Added to every logit; matters for grad=lse and algo=naive; " + Ranges.FINITE
                    + " (logits past the format's largest value overflow as its rounding says) (default: ${DEFAULT-VALUE}).")
    private double offset;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; " + Ranges.THREADS + " (default: every core).")
    private Integer threads;

    @Override
    public Integer call() throws IOException {
        List<Recipe> recipeList = recipes == null ? Sweep.defaultRecipes()
                : recipes.stream().map(Recipe::parse).distinct().collect(Collectors.toList());
        List<Family> familyList = families.stream().map(Family::of).distinct().collect(Collectors.toList());
        List<TargetPosition> targetList = targets.stream().map(TargetPosition::of).distinct().collect(Collectors.toList());
        Ranges.checkClasses("--classes", classes);
        Ranges.check("--grid-cells", gridCells, 2, Ranges.MAX_GRID_CELLS);
        if (out != null && out.toString().isEmpty()) {
            // Path.of("") is the working directory: an unset variable in --out "$DIR" must not write there.
            throw new IllegalArgumentException("--out: the path is empty; name a folder");
        }
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors()
                : Ranges.check("--threads", threads, 1, Ranges.MAX_THREADS);
        SweepSettings settings = new SweepSettings(gridCells, SweepSettings.DEFAULT.curveEvery(), seed, offset);
        boolean classesGiven = spec.commandLine().getParseResult().hasMatchedOption("--classes");
        List<Configuration> configurations = recipes == null && !classesGiven
                ? Sweep.defaultConfigurations(familyList, targetList)
                : Sweep.configurations(recipeList, familyList, classes.stream().distinct().collect(Collectors.toList()), targetList);

        requireMemory(configurations, threadCount);

        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, configurations.size(), Terminal.isTerminal());
        List<SweepResult> results;
        Path written;
        // The notice first: a signal may come the moment the folder's marker appears.
        try (InterruptNotice notice = InterruptNotice.arm(err, spec.qualifiedName(), folderOrParent());
             RunFolder folder = openFolder(MachineProbe.current(null, null, Instant.now()))) {
            results = Sweep.run(configurations, settings, threadCount, progress::update);
            progress.finish();
            Writes.intoRunFolder(folder.path(), RunFolder.INCOMPLETE, () -> {
                SweepCsv.write(folder.path(), results);
                folder.complete();
                return null;
            });
            written = folder.path();
        }

        PrintWriter outWriter = spec.commandLine().getOut();
        printTable(outWriter, results, familyList.get(0), targetList.get(0));
        outWriter.printf("%nwrote %s and %s in %s (%d configurations, %.0f s)%n", RunFolder.THRESHOLDS_CSV, RunFolder.CURVES_CSV,
                written, configurations.size(), progress.seconds());
        outWriter.flush();
        return Errors.OK;
    }

    /**
     * Refuses, before anything is written, a sweep that cannot fit under the JVM's heap limit. The
     * bytes are lower bounds (object layouts with compressed references): the curves of every
     * configuration are kept until curves.csv is written, over 100 B per point; each thread holds its
     * configuration's logits and gradient (16 B per class) and the grid's edge codes (20 B per cell).
     */
    private void requireMemory(List<Configuration> configurations, int threadCount) {
        long curvePoints = (long) configurations.size() * (gridCells / SweepSettings.DEFAULT.curveEvery() + 2);
        int largest = configurations.stream().mapToInt(Configuration::classes).max().orElse(2);
        long perThread = 16L * largest + 20L * gridCells;
        Errors.requireMemory(configurations.size() + " configurations at " + gridCells + " grid cells",
                100 * curvePoints + Math.min(threadCount, configurations.size()) * perThread);
    }

    /** --out, or the folder in which a new run folder is made. */
    private Path folderOrParent() {
        return out == null ? Path.of("results") : out;
    }

    /**
     * The run folder: a path that cannot be a folder, or one another run holds or has left, is bad
     * input (exit 2); a folder the environment will not let us create (no space, read-only,
     * permission) is exit 3.
     */
    private RunFolder openFolder(RunEnvironment env) throws IOException {
        Path target = folderOrParent();
        try {
            return Writes.into(target, () -> out == null ? RunFolder.createUnder(target, env) : RunFolder.adopt(out, env));
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException("--out: " + refused.getMessage());
        } catch (IOException e) {
            if (Writes.notAFolder(e)) {
                throw new IllegalArgumentException("--out: cannot create the folder " + target + " (" + Errors.ioMessage(e) + ")");
            }
            // taken, and then env.json could not be written: the marker stays
            throw Writes.sayingMarked(e, InterruptNotice.markedByThisProcess(target), RunFolder.INCOMPLETE);
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
        if (results.stream().anyMatch(r -> r.row().configuration().family() == family
                && r.row().configuration().recipe().mitigations().weighted())) {
            out.println("With smooth or zloss, g_y tends to a nonzero value: delta_abs is where g_y equals its value at p_y = 1"
                    + " (the target's gradient no longer sees its logit); docs/recipes.md, Mitigations.");
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
