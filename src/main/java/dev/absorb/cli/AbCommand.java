package dev.absorb.cli;

import dev.absorb.job.AbRun;
import dev.absorb.job.AbSide;
import dev.absorb.job.JmhPlan;
import dev.absorb.job.JmhRun;
import dev.absorb.job.Profile;
import dev.absorb.results.Allocation;
import dev.absorb.results.AtomicFile;
import dev.absorb.results.Comparison;
import dev.absorb.results.ComparisonReport;
import dev.absorb.results.Gate;
import dev.absorb.results.GateReport;
import dev.absorb.results.MachineProbe;
import dev.absorb.results.ResultsJson;
import dev.absorb.results.RunEnvironment;
import dev.absorb.results.RunFolder;
import dev.absorb.results.RunInput;
import dev.absorb.results.RunInputs;
import dev.absorb.results.SummaryFile;
import org.openjdk.jmh.util.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code absorb ab}: two builds (two jars, or this absorb on two JVMs) measured interleaved on
 * one machine, then compared and gated: the fair way to show that a change costs nothing.
 */
@Command(name = "ab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Measures two builds interleaved on this machine, then compares and gates them.",
            "",
            "Runs the same JMH benchmarks for a baseline and a candidate, each an absorb jar (run on this JVM) or a JDK "
                    + "home or java executable (this absorb run on that JVM). Each round runs one JMH fork of every "
                    + "benchmark per side, the sides in a random order drawn from --seed, so a slow minute of a shared "
                    + "machine falls on both sides alike. Writes one new run folder: env.json (this machine), "
                    + "baseline/ and candidate/ (each side's env.json, jmh.json with its forks pooled, jmh.log), "
                    + "forks/ (each fork's JSON), order.csv (round, position, side, started, finished), compare.txt, "
                    + "gate.md and gate.json; it holds an INCOMPLETE marker until the last file is in place. Prints "
                    + "compare's table and gate's verdict; the exit code is gate's.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no regression", "1:the candidate is significantly slower beyond --max-slowdown",
            "2:unusable input, a side that cannot run absorb (one line on stderr)",
            "3:absorb could not finish: the environment failed, or a JMH fork failed (one line)"})
final class AbCommand implements Callable<Integer> {

    static final int MAX_ROUNDS = 1000;
    static final int DEFAULT_ROUNDS = 5;

    @Spec
    private CommandSpec spec;

    @Option(names = "--baseline", required = true, paramLabel = "JAR|JDK",
            description = "An absorb jar, or a JDK home or java executable (this absorb on that JVM).")
    private String baseline;

    @Option(names = "--candidate", required = true, paramLabel = "JAR|JDK",
            description = "The build to judge, given the same way.")
    private String candidate;

    @Option(names = "--baseline-jvm-args", paramLabel = "ARGS",
            description = "JVM options for the baseline's JVMs, separated by blanks (e.g. --baseline-jvm-args=-XX:+UseParallelGC).")
    private String baselineJvmArgs;

    @Option(names = "--candidate-jvm-args", paramLabel = "ARGS",
            description = "JVM options for the candidate's JVMs, separated by blanks (e.g. --candidate-jvm-args=-XX:TieredStopAtLevel=1).")
    private String candidateJvmArgs;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "smoke", converter = BenchCommand.ProfileConverter.class,
            description = "Params and iterations: smoke, quick or full (default: ${DEFAULT-VALUE}); options below replace them.")
    private Profile profile;

    @Mixin
    private JobOptions job;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Rounds, each one fork per side; range: 2 to " + MAX_ROUNDS + " (default: the profile's forks, "
                    + DEFAULT_ROUNDS + " where it has none).")
    private Integer rounds;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the sides' order; " + Ranges.SEED + " (default: drawn, and printed).")
    private Long seed;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
            description = "Where the new run folder is made (default: ${DEFAULT-VALUE}).")
    private Path resultsDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Use this new or empty folder instead of one under --results-dir.")
    private Path out;

    @Option(names = "--max-slowdown", paramLabel = "PERCENT", defaultValue = "10%", converter = GateCommand.FractionConverter.class,
            description = "As gate's: allowed slowdown in time per operation, e.g. 10%% or 0.1; range: 0 or more, a bare number below 1 (default: ${DEFAULT-VALUE}).")
    private double maxSlowdown;

    @Option(names = "--alpha", paramLabel = "P", defaultValue = "0.05", converter = Converters.FiniteDoubleConverter.class,
            description = "As gate's: significance level; range: above 0 and below 1 (default: ${DEFAULT-VALUE}).")
    private double alpha;

    @Option(names = "--allow-missing", description = "As gate's: pass although the candidate lacks benchmarks of the baseline.")
    private boolean allowMissing;

    @Option(names = "--allow-untested", description = "As gate's: pass although some benchmarks have too few samples to test.")
    private boolean allowUntested;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown",
            description = "What stdout gets: markdown (compare's table, then gate's summary) or json (gate's JSON) "
                    + "(default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--summary", paramLabel = "FILE", description = "Append gate's markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY).")
    private Path summary;

    @Option(names = "--ignore-lock",
            description = "Run even while another JMH run holds its machine-wide lock (smoke always does).")
    private boolean ignoreLock;

    @Override
    public Integer call() throws IOException {
        Instant started = Instant.now();
        // Everything is checked before anything runs: bad input leaves nothing behind.
        RunInputs.checkAlpha(alpha);
        if (!format.equals("markdown") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown format '" + format + "'; valid: markdown, json");
        }
        if (out != null && !resultsDir.toString().equals("results")) {
            throw new IllegalArgumentException("give --out or --results-dir, not both");
        }
        if ((out != null ? out : resultsDir).toString().isEmpty()) {
            throw new IllegalArgumentException((out != null ? "--out" : "--results-dir") + ": the path is empty; name a folder");
        }
        int roundCount = rounds != null ? Ranges.check("--rounds", rounds, 2, MAX_ROUNDS)
                : profile.iterations() != null ? profile.iterations().forks() : DEFAULT_ROUNDS;
        long orderSeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
        JmhPlan.Overrides overrides = job.overrides(1);
        JmhPlan.of(profile, job.bench, overrides, Runtime.version().feature()); // --bench checked before any JVM starts
        if (summary != null) {
            SummaryFile.checkWritable(summary);
        }
        String thisJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        Map<AbRun.Side, AbSide> sides = new EnumMap<>(AbRun.Side.class);
        sides.put(AbRun.Side.BASELINE, AbSide.resolve("--baseline", baseline, words(baselineJvmArgs), thisJava, classPath));
        sides.put(AbRun.Side.CANDIDATE, AbSide.resolve("--candidate", candidate, words(candidateJvmArgs), thisJava, classPath));
        // Each side describes itself, which also proves it runs, and its Java decides its plan.
        Map<AbRun.Side, RunEnvironment> probed = new EnumMap<>(AbRun.Side.class);
        Map<AbRun.Side, JmhPlan> plans = new EnumMap<>(AbRun.Side.class);
        Path scratch = Files.createTempDirectory("absorb-ab");
        try {
            for (AbRun.Side side : AbRun.Side.values()) {
                RunEnvironment env = sides.get(side).probe(scratch);
                probed.put(side, env);
                plans.put(side, JmhPlan.of(profile, job.bench, overrides, env.jvm().feature() == null ? 17 : env.jvm().feature()));
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
        boolean ignore = ignoreLock || profile.ignoresLock();
        if (!ignore && JmhRun.lockHeldElsewhere()) {
            throw new IllegalArgumentException("another JMH run holds " + Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock")
                    + " (two runs disturb each other's timings); wait for it to finish, or pass --ignore-lock");
        }

        JmhPlan basePlan = plans.get(AbRun.Side.BASELINE);
        RunEnvironment env = MachineProbe.current(profile.key(), new RunEnvironment.Jmh(Version.getPlainVersion(), roundCount,
                basePlan.singleForkArgs(List.of(), "FORK.json")), started);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path parent = out != null ? out : resultsDir;
        try (InterruptNotice notice = InterruptNotice.arm(err, spec.qualifiedName(), parent);
             RunFolder folder = createFolder(env)) {
            Path dir = folder.path();
            err.println("ab: " + plans.get(AbRun.Side.BASELINE).size() + " benchmark runs per fork, " + roundCount
                    + " rounds, seed " + orderSeed + ", into " + dir);
            err.flush();
            try {
                Writes.intoRunFolder(dir, RunFolder.INCOMPLETE, () -> AbRun.run(dir, orderSeed, roundCount,
                        (side, json, log) -> sides.get(side).runFork(plans.get(side), json, log, ignore), err));
            } catch (JmhRun.BenchmarkFailure e) {
                err.println("absorb ab: " + e.getMessage() + "; " + dir + " stays marked " + RunFolder.INCOMPLETE);
                err.flush();
                return Errors.COULD_NOT_FINISH;
            }
            List<RunInput> inputs = new ArrayList<>();
            for (AbRun.Side side : AbRun.Side.values()) {
                Path sideFolder = dir.resolve(side.key());
                RunEnvironment sideEnv = withRun(probed.get(side), started, roundCount,
                        plans.get(side).singleForkArgs(sides.get(side).forkArgs(), "FORK.json"));
                Writes.intoRunFolder(dir, RunFolder.INCOMPLETE, () -> {
                    AtomicFile.write(sideFolder.resolve(RunFolder.ENV_JSON), sideEnv.toJson());
                    return null;
                });
                inputs.add(RunInput.open(side.key(), sideFolder));
            }
            Comparison comparison = Comparison.of(inputs, alpha);
            Gate.Result result = Gate.evaluate(comparison, maxSlowdown, null, new Gate.Allowances(allowMissing, allowUntested))
                    .withAllocation(Allocation.check(inputs.get(0), inputs.get(1), Allocation.Allowance.parse("10%")));
            String table = ComparisonReport.render(comparison, ComparisonReport.Format.of("text"), null);
            String markdown = GateReport.markdown(result, null);
            String json = ResultsJson.gate(result);
            Writes.intoRunFolder(dir, RunFolder.INCOMPLETE, () -> {
                AtomicFile.write(dir.resolve("compare.txt"), table);
                AtomicFile.write(dir.resolve("gate.md"), "seed " + orderSeed + ", " + roundCount + " rounds (order.csv)\n\n" + markdown);
                AtomicFile.write(dir.resolve("gate.json"), json);
                folder.complete();
                return null;
            });
            if (summary != null) {
                Writes.into(summary, () -> {
                    SummaryFile.append(summary, markdown);
                    return null;
                });
            }
            if (format.equals("json")) {
                stdout.print(json);
                err.println("run folder: " + dir);
            } else {
                stdout.print(table);
                stdout.println();
                stdout.print(markdown);
                stdout.println();
                stdout.println("seed " + orderSeed + ", " + roundCount + " rounds");
                stdout.println("run folder: " + dir);
            }
            stdout.flush();
            err.flush();
            return result.failed() ? GateCommand.FAILED : Errors.OK;
        }
    }

    /** The side's own description with this run's start, profile and JMH options. */
    private RunEnvironment withRun(RunEnvironment side, Instant started, int roundCount, List<String> args) {
        return new RunEnvironment(side.absorbVersion(), side.commit(), side.commitDirty(), started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                profile.key(), new RunEnvironment.Jmh(Version.getPlainVersion(), roundCount, args), side.jvm(), side.os(),
                side.cpu(), side.vector());
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }

    /** The run folder: --out (new or empty), else a new one under --results-dir; as bench's. */
    private RunFolder createFolder(RunEnvironment env) throws IOException {
        Path where = out != null ? out : resultsDir;
        try {
            return Writes.into(where, () -> out != null ? RunFolder.adopt(out, env) : RunFolder.createUnder(resultsDir, env));
        } catch (IOException e) {
            if (Writes.notAFolder(e)) {
                throw new IllegalArgumentException((out != null ? "--out" : "--results-dir") + ": cannot create a run folder in "
                        + where + " (" + Errors.ioMessage(e) + ")");
            }
            throw Writes.sayingMarked(e, InterruptNotice.markedByThisProcess(where), RunFolder.INCOMPLETE);
        }
    }
}
