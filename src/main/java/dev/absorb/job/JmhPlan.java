package dev.absorb.job;

import dev.absorb.bench.ForkFlags;
import dev.absorb.bench.JdkFloat16;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The JMH part of a run: which benchmarks (a profile, narrowed by {@code --bench}, {@code
 * --recipes}, {@code --classes}), with which iterations and params, on which JVM, and where JMH
 * writes its JSON. Everything is checked when the plan is made, before anything runs.
 */
public final class JmhPlan {

    /** Every benchmark of absorb: JMH matches includes against the full method name. */
    static final String ALL = "^dev\\.absorb\\.bench\\.";

    /** Left out on JVMs without Float.floatToFloat16 (its setup would fail the whole run). */
    static final String JDK_FLOAT16 = "^dev\\.absorb\\.bench\\.RoundingBenchmark\\.jdkFloat16$";

    /**
     * Left out of the quick profile unless --bench names it: the storage-code paths add about 3
     * minutes, and quick must stay under 15 (docs/decisions.md, "Profiles").
     */
    static final String STORAGE = "^dev\\.absorb\\.bench\\.StorageBenchmark\\.";

    /**
     * Left out of the quick profile unless --bench names it, for the same reason: the scalar
     * reference's cost (15 runs, about 75 s) is not a baseline users divide by since the plain
     * loops doing each recipe's job ({@code plainRecipe*}) are.
     */
    static final String REFERENCE = "^dev\\.absorb\\.bench\\.KernelBenchmark\\.scalarFused$";

    /**
     * What a run changes of its profile: the values of the params {@code recipe}, {@code classes},
     * {@code gap} and {@code family} (null: the profile's, else each benchmark's own), and JMH's
     * forks and iterations (null: the profile's, else each benchmark's annotations).
     */
    public record Overrides(List<String> recipes, List<Integer> classes, List<String> gaps, List<String> families,
                            Integer forks, Integer warmups, Integer warmupMillis, Integer measurements, Integer measurementMillis) {

        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null);

        /** The same overrides with {@code forks} in place of this one's. */
        public Overrides withForks(Integer newForks) {
            return new Overrides(recipes, classes, gaps, families, newForks, warmups, warmupMillis, measurements, measurementMillis);
        }
    }

    /** JMH's -f, -wi, -w, -i and -r of a run; a null field is each benchmark's own annotation. */
    record Timing(Integer forks, Integer warmups, Integer warmupMillis, Integer measurements, Integer measurementMillis) {

        static Timing of(Profile.Iterations profile, Overrides o) {
            Profile.Iterations p = profile;
            return new Timing(o.forks() != null ? o.forks() : p == null ? null : p.forks(),
                    o.warmups() != null ? o.warmups() : p == null ? null : p.warmups(),
                    o.warmupMillis() != null ? o.warmupMillis() : p == null ? null : p.warmupMillis(),
                    o.measurements() != null ? o.measurements() : p == null ? null : p.measurements(),
                    o.measurementMillis() != null ? o.measurementMillis() : p == null ? null : p.measurementMillis());
        }
    }

    private final Profile profile;
    private final Timing timing;
    private final String include;
    private final List<String> excludes;
    private final Map<String, List<String>> params;
    private final List<BenchmarkListEntry> benchmarks;

    private JmhPlan(Profile profile, Timing timing, String include, List<String> excludes, Map<String, List<String>> params,
                    List<BenchmarkListEntry> benchmarks) {
        this.profile = profile;
        this.timing = timing;
        this.include = include;
        this.excludes = excludes;
        this.params = params;
        this.benchmarks = benchmarks;
    }

    /**
     * The plan for {@code profile} on a JVM of Java {@code feature}. {@code benchRegex} (null: all)
     * is a Java regex found in the benchmark's name (e.g. {@code KernelBenchmark.fused} or
     * {@code Rounding}); {@code recipes} and {@code classes} (null: the profile's) replace the
     * values of the params of those names.
     *
     * @throws IllegalArgumentException for a malformed regex or one that selects no benchmark
     */
    public static JmhPlan of(Profile profile, String benchRegex, List<String> recipes, List<Integer> classes, int feature) {
        return of(profile, benchRegex, new Overrides(recipes, classes, null, null, null, null, null, null, null), feature);
    }

    /**
     * The plan for {@code profile} with {@code overrides} in place of its params and iterations,
     * on a JVM of Java {@code feature}.
     *
     * @throws IllegalArgumentException for a malformed regex or one that selects no benchmark
     */
    public static JmhPlan of(Profile profile, String benchRegex, Overrides overrides, int feature) {
        String include = ALL;
        if (benchRegex != null) {
            try {
                Pattern.compile(benchRegex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--bench: '" + benchRegex + "' is not a regular expression ("
                        + e.getDescription() + ")");
            }
            include = benchRegex;
        }
        List<String> excludes = new ArrayList<>();
        if (feature < JdkFloat16.SINCE) {
            excludes.add(JDK_FLOAT16);
        }
        if (profile == Profile.QUICK && benchRegex == null) {
            excludes.add(STORAGE);
            excludes.add(REFERENCE);
        }
        Map<String, List<String>> params = new TreeMap<>(profile.params());
        if (overrides.recipes() != null) {
            params.put("recipe", overrides.recipes());
        }
        if (overrides.classes() != null) {
            params.put("classes", overrides.classes().stream().map(String::valueOf).collect(Collectors.toList()));
        }
        if (overrides.gaps() != null) {
            params.put("gap", overrides.gaps());
        }
        if (overrides.families() != null) {
            params.put("family", overrides.families());
        }
        List<BenchmarkListEntry> selected = select(include, excludes);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("--bench: '" + benchRegex + "' matches no benchmark; benchmarks: "
                    + select(ALL, excludes).stream().map(JmhPlan::shortName).distinct()
                            .collect(Collectors.joining(", ")));
        }
        return new JmhPlan(profile, Timing.of(profile.iterations(), overrides), include, excludes, params, selected);
    }

    /** The benchmarks JMH runs for this include and these excludes (as JMH selects them: regex find). */
    private static List<BenchmarkListEntry> select(String include, List<String> excludes) {
        SortedSet<BenchmarkListEntry> found = BenchmarkList.defaultList().find(silent(), List.of(include), excludes);
        return new ArrayList<>(found);
    }

    /** The benchmark's name without the package: {@code KernelBenchmark.forward}. */
    static String shortName(BenchmarkListEntry entry) {
        return shortName(entry.getUsername());
    }

    static String shortName(String benchmark) {
        return benchmark.startsWith("dev.absorb.bench.") ? benchmark.substring("dev.absorb.bench.".length()) : benchmark;
    }

    /** How many benchmark runs (one per benchmark and combination of params) the plan holds. */
    public int size() {
        int total = 0;
        for (BenchmarkListEntry e : benchmarks) {
            int combinations = 1;
            if (e.getParams().hasValue()) {
                for (Map.Entry<String, String[]> p : e.getParams().get().entrySet()) {
                    List<String> override = params.get(p.getKey());
                    combinations *= override != null ? override.size() : p.getValue().length;
                }
            }
            total += combinations;
        }
        return total;
    }

    public Profile profile() {
        return profile;
    }

    /**
     * How many times JMH runs the whole plan, one fork per benchmark each time: the profile's
     * forks, interleaved. JMH runs all forks of one benchmark back to back, so a slow minute of
     * the machine (a neighbour on the host, a frequency change) lands on every fork of the
     * benchmarks it overlaps, and two runs then differ in all their forks — the gate's samples
     * would not be independent. Rounds spread each benchmark's forks over the whole run
     * (docs/decisions.md "The smoke profile and the gate"). 1 where the benchmarks' own
     * {@code @Fork} applies.
     */
    public int rounds() {
        return timing.forks() == null ? 1 : timing.forks();
    }

    /**
     * JMH's options for one round: forks on {@code jvm} with {@link ForkFlags#ALL}; no result
     * file (JmhRun writes the JSON of all rounds).
     */
    public Options options(String jvm) {
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(include)
                .jvm(jvm)
                // Empty, not unset: unset, JMH hands the forks this JVM's own options too.
                .jvmArgs()
                // Replaces the @Fork lists: the flags must be given in full here.
                .jvmArgsAppend(ForkFlags.ALL.toArray(new String[0]))
                .shouldFailOnError(true);
        if (timing.forks() != null) {
            builder.forks(1);
        }
        if (timing.warmups() != null) {
            builder.warmupIterations(timing.warmups());
        }
        if (timing.warmupMillis() != null) {
            builder.warmupTime(TimeValue.milliseconds(timing.warmupMillis()));
        }
        if (timing.measurements() != null) {
            builder.measurementIterations(timing.measurements());
        }
        if (timing.measurementMillis() != null) {
            builder.measurementTime(TimeValue.milliseconds(timing.measurementMillis()));
        }
        for (String exclude : excludes) {
            builder.exclude(exclude);
        }
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            builder.param(p.getKey(), p.getValue().toArray(new String[0]));
        }
        return builder.build();
    }

    /**
     * The options of {@link #options(String)} as JMH's own command line takes them (for env.json):
     * the include, excludes, iterations, forks' JVM and flags, and param overrides.
     */
    public List<String> commandLine(String jvm) {
        List<String> args = new ArrayList<>(List.of(include));
        for (String exclude : excludes) {
            args.addAll(List.of("-e", exclude));
        }
        args.addAll(timingArgs());
        args.addAll(List.of("-foe", "true", "-jvm", jvm, "-jvmArgs", "", "-jvmArgsAppend", String.join(" ", ForkFlags.ALL)));
        args.addAll(paramArgs());
        return List.copyOf(args);
    }

    /**
     * The arguments of {@code org.openjdk.jmh.Main} for one fork of every benchmark of the plan,
     * run by a JMH whose own JVM has the Vector API module (the fork inherits that JVM's options):
     * {@link ForkFlags#ALL} and {@code forkArgs} appended to the fork's, the JSON to {@code json}.
     */
    public List<String> singleForkArgs(List<String> forkArgs, String json) {
        List<String> args = new ArrayList<>(List.of(include));
        for (String exclude : excludes) {
            args.addAll(List.of("-e", exclude));
        }
        args.addAll(timingArgs());
        int f = args.indexOf("-f");
        if (f < 0) {
            args.addAll(List.of("-f", "1"));
        }
        List<String> appended = new ArrayList<>(ForkFlags.ALL);
        appended.addAll(forkArgs);
        args.addAll(List.of("-foe", "true", "-jvmArgsAppend", String.join(" ", appended)));
        args.addAll(paramArgs());
        args.addAll(List.of("-rf", "json", "-rff", json));
        return List.copyOf(args);
    }

    private List<String> timingArgs() {
        List<String> args = new ArrayList<>();
        if (timing.forks() != null) {
            args.addAll(List.of("-f", "1"));
        }
        if (timing.warmups() != null) {
            args.addAll(List.of("-wi", Integer.toString(timing.warmups())));
        }
        if (timing.warmupMillis() != null) {
            args.addAll(List.of("-w", timing.warmupMillis() + "ms"));
        }
        if (timing.measurements() != null) {
            args.addAll(List.of("-i", Integer.toString(timing.measurements())));
        }
        if (timing.measurementMillis() != null) {
            args.addAll(List.of("-r", timing.measurementMillis() + "ms"));
        }
        return args;
    }

    private List<String> paramArgs() {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            args.addAll(List.of("-p", p.getKey() + "=" + String.join(",", p.getValue())));
        }
        return args;
    }

    private static OutputFormat silent() {
        return OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()), VerboseMode.SILENT);
    }
}
