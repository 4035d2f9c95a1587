package dev.absorb.cli;

import dev.absorb.job.JmhPlan;
import dev.absorb.job.JmhRun;
import dev.absorb.job.Profile;
import dev.absorb.job.RunSummary;
import dev.absorb.job.SideBySide;
import dev.absorb.kernel.Recipe;
import dev.absorb.results.AtomicFile;
import dev.absorb.results.JmhRow;
import dev.absorb.results.MachineProbe;
import dev.absorb.results.RunEnvironment;
import dev.absorb.results.RunFolder;
import dev.absorb.results.SweepCsv;
import dev.absorb.sweep.Configuration;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.Sweep;
import dev.absorb.sweep.SweepResult;
import dev.absorb.sweep.SweepSettings;
import dev.absorb.sweep.TargetPosition;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code absorb bench}: the default job of run-benchmarks.sh on this JVM — one new run folder with
 * env.json, the sweep's thresholds.csv and curves.csv, JMH's jmh.json, and summary.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Runs the sweep and the JMH benchmarks on this JVM into a new run folder.",
            "",
            "Runs the benchmark job on this JVM into a new results/<UTC time>_<jdk>_<cpu>/: env.json (this JVM, "
                    + "OS, CPU), the absorption sweep (thresholds.csv, curves.csv), the JMH benchmarks (jmh.json, "
                    + "jmh.log; the forks run on this JVM), and summary.md. The folder holds an INCOMPLETE marker "
                    + "until the last file is in place.",
            "Profiles: smoke (every benchmark once, small, 5 forks: what CI runs and gates, ~7 min), quick (the "
                    + "cost table, the gap sweep, rounding and exp; ~13 min on 2 cores), full (hours).",
            "The last line on stdout is 'run folder: PATH'."})
final class BenchCommand implements Callable<Integer> {

    static final int MAX_FORKS = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "quick", converter = ProfileConverter.class,
            description = "smoke, quick or full (default: ${DEFAULT-VALUE}).")
    private Profile profile;

    @Mixin
    private JobOptions job;

    @Option(names = "--forks", paramLabel = "N",
            description = "JMH forks per benchmark, run as that many rounds over the whole plan; range: 1 to " + MAX_FORKS
                    + " (default: the profile's; smoke 5, quick each benchmark's own, full 5).")
    private Integer forks;

    @Option(names = "--no-sweep", description = "Benchmarks only: no thresholds.csv and curves.csv.")
    private boolean noSweep;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
            description = "Where the new run folder is made (default: ${DEFAULT-VALUE}).")
    private Path resultsDir;

    @Option(names = "--ignore-lock",
            description = "Run even while another JMH run holds its machine-wide lock (both runs' timings suffer; smoke always does).")
    private boolean ignoreLock;

    @Override
    public Integer call() throws IOException {
        Instant started = Instant.now();
        long start = System.nanoTime();
        // Everything is checked before the folder exists: bad input leaves nothing behind.
        if (forks != null) {
            Ranges.check("--forks", forks, 1, MAX_FORKS);
        }
        JmhPlan.Overrides overrides = job.overrides(forks);
        List<String> recipeTexts = overrides.recipes();
        if (resultsDir.toString().isEmpty()) {
            throw new IllegalArgumentException("--results-dir: the path is empty; name a folder");
        }
        JmhPlan plan = JmhPlan.of(profile, job.bench, overrides, Runtime.version().feature());
        boolean ignore = ignoreLock || profile.ignoresLock();
        if (!ignore && JmhRun.lockHeldElsewhere()) {
            throw new IllegalArgumentException("another JMH run holds " + Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock")
                    + " (two runs disturb each other's timings); wait for it to finish, or pass --ignore-lock");
        }
        List<Configuration> configurations = noSweep ? null : sweepConfigurations(recipeTexts);

        String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        RunEnvironment env = MachineProbe.current(profile.key(),
                new RunEnvironment.Jmh(Version.getPlainVersion(), plan.rounds(), plan.commandLine(jvm)), started);
        // closed on every way out: a run that ends unfinished keeps its marker and gives up its lock
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (InterruptNotice notice = InterruptNotice.arm(err, spec.qualifiedName(), resultsDir);
             RunFolder folder = createFolder(env)) {
            err.println("bench: profile " + profile.key() + ", " + plan.size() + " benchmark runs"
                    + (configurations == null ? "" : " after a sweep of " + configurations.size() + " configurations")
                    + ", into " + folder.path());
            err.flush();

            String sweepTable = null;
            long sweepNanos = 0;
            if (configurations != null) {
                long sweepStart = System.nanoTime();
                List<SweepResult> results = Sweep.run(configurations, SweepSettings.DEFAULT, Runtime.getRuntime().availableProcessors(), done -> { });
                Writes.intoRunFolder(folder.path(), RunFolder.INCOMPLETE, () -> {
                    SweepCsv.write(folder.path(), results);
                    return null;
                });
                sweepNanos = System.nanoTime() - sweepStart;
                StringWriter table = new StringWriter();
                SweepCommand.printTable(new PrintWriter(table), results, configurations.get(0).family(), TargetPosition.FIRST);
                sweepTable = table.toString();
                out.print(sweepTable);
                out.println();
                out.flush();
                err.printf("bench: sweep of %d configurations done in %.0f s%n", configurations.size(), sweepNanos / 1e9);
                err.flush();
            }

            long jmhStart = System.nanoTime();
            List<JmhRow> scores;
            try {
                scores = Writes.intoRunFolder(folder.path(), RunFolder.INCOMPLETE, () -> JmhRun.run(plan, folder.path(), jvm, err, ignore));
            } catch (JmhRun.BenchmarkFailure e) {
                err.println("absorb bench: " + e.getMessage() + "; " + folder.path() + " stays marked " + RunFolder.INCOMPLETE);
                err.flush();
                return Errors.COULD_NOT_FINISH;
            }
            long end = System.nanoTime();
            out.print(SideBySide.table(List.of(folder.path().getFileName().toString()), List.of(scores)));
            String timings = "took " + clock(end - start) + (configurations == null ? "" : " (sweep " + clock(sweepNanos)
                    + ", JMH " + clock(end - jmhStart) + ")");
            String summary = RunSummary.markdown(folder.path().getFileName().toString(), env, timings, sweepTable, scores);
            Writes.intoRunFolder(folder.path(), RunFolder.INCOMPLETE, () -> {
                AtomicFile.write(folder.path().resolve(RunFolder.SUMMARY_MD), summary);
                folder.complete();
                return null;
            });
            out.println();
            out.println(timings);
            out.println("run folder: " + folder.path());
            out.flush();
            return Errors.OK;
        }
    }

    /** The profile's sweep, with --recipes and --classes in place of its recipes and class counts. */
    private List<Configuration> sweepConfigurations(List<String> recipeTexts) {
        Profile.SweepPlan sweep = profile.sweep();
        List<String> texts = recipeTexts != null ? recipeTexts : sweep.recipes();
        List<Recipe> recipeList = texts == null ? Sweep.defaultRecipes()
                : texts.stream().map(Recipe::parse).distinct().collect(Collectors.toList());
        List<Integer> classList = job.classList() != null ? job.classList() : sweep.classes();
        List<String> familyKeys = job.familyList() != null ? job.familyList() : sweep.families();
        List<Family> families = familyKeys.stream().map(Family::of).collect(Collectors.toList());
        List<TargetPosition> targets = List.of(TargetPosition.FIRST, TargetPosition.LAST);
        if (texts == null && job.classList() == null && sweep.classes().equals(Sweep.DEFAULT_CLASSES)) {
            return Sweep.defaultConfigurations(families, targets); // the sweep command's default, presets first
        }
        return Sweep.configurations(recipeList, families, classList, targets);
    }

    /** A new run folder under --results-dir; the environment refusing it is exit 3, a file in its way exit 2. */
    private RunFolder createFolder(RunEnvironment env) throws IOException {
        try {
            return Writes.into(resultsDir, () -> RunFolder.createUnder(resultsDir, env));
        } catch (IOException e) {
            if (Writes.notAFolder(e)) {
                throw new IllegalArgumentException("--results-dir: cannot create a run folder in " + resultsDir
                        + " (" + Errors.ioMessage(e) + ")");
            }
            throw Writes.sayingMarked(e, InterruptNotice.markedByThisProcess(resultsDir), RunFolder.INCOMPLETE);
        }
    }

    private static String clock(long nanos) {
        long seconds = Math.round(nanos / 1e9);
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }

    static final class ProfileConverter implements picocli.CommandLine.ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) throws Exception {
            return Errors.converter(Profile::of).convert(value);
        }
    }
}
