package dev.absorb.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One input of {@code compare} or {@code gate}: a JMH JSON file, or a run folder
 * ({@code results/<name>/}) holding {@code jmh.json}, with the environment it ran in and, for
 * a folder, its {@code thresholds.csv}. {@code label} names it in tables (A, B, … or
 * baseline/current). A pooled input ({@link #pool}) stands for several runs of one build:
 * {@code sources} lists them, {@code source} is the first.
 */
public record RunInput(String label, Path source, List<JmhRow> rows, EnvironmentFacts environment, Path folder, List<Path> sources) {

    /** How {@link #pool} pools, for reports. */
    public static final String POOLING = "pooled: each benchmark's forks of every run concatenated";

    public RunInput(String label, Path source, List<JmhRow> rows, EnvironmentFacts environment, Path folder) {
        this(label, source, rows, environment, folder, source == null ? List.of() : List.of(source));
    }

    /** Whether this input pools several runs. */
    public boolean pooled() {
        return sources.size() > 1;
    }

    /** The source for people: the path, or the pooled paths joined with " + " and how they were pooled. */
    public String sourceText() {
        return pooled() ? sources.stream().map(Path::toString).collect(Collectors.joining(" + ")) + " (" + POOLING + ")"
                : String.valueOf(source);
    }

    /**
     * Several runs of one build as one input: per benchmark, mode and params, the forks of every
     * run that has it, concatenated in the order given (each in the first run's unit). The
     * environment and the folder (its thresholds.csv, which a sweep reproduces bit for bit) are
     * the first run's; runs from different JVMs or CPUs are refused unless {@code crossEnv}.
     */
    public static RunInput pool(String label, List<RunInput> runs, boolean crossEnv) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        List<RunInput> members = runs.stream().map(r -> new RunInput(label, r.source, r.rows, r.environment, r.folder, r.sources))
                .collect(Collectors.toList());
        try {
            RunInputs.checkSameEnvironment(members, crossEnv);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": cannot pool " + e.getMessage());
        }
        Map<BenchmarkKey, JmhRow> pooled = new LinkedHashMap<>();
        for (RunInput run : runs) {
            for (JmhRow row : run.rows()) {
                JmhRow earlier = pooled.get(row.key());
                if (earlier == null) {
                    pooled.put(row.key(), new JmhRow(row.key(), row.unit(), row.forks()));
                    continue;
                }
                double factor;
                try {
                    factor = ScoreUnit.factor(row.unit(), earlier.unit());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(label + ": cannot pool " + row.key() + ": " + e.getMessage());
                }
                List<double[]> forks = new ArrayList<>(List.of(earlier.forks()));
                for (double[] fork : row.forks()) {
                    double[] scaled = fork.clone();
                    for (int i = 0; i < scaled.length; i++) {
                        scaled[i] *= factor;
                    }
                    forks.add(scaled);
                }
                pooled.put(row.key(), new JmhRow(row.key(), earlier.unit(), forks.toArray(double[][]::new)));
            }
        }
        List<Path> sources = runs.stream().flatMap(r -> r.sources().stream()).collect(Collectors.toList());
        RunInput first = runs.get(0);
        return new RunInput(label, first.source(), List.copyOf(pooled.values()), first.environment(), first.folder(), List.copyOf(sources));
    }

    /**
     * Reads a file or a run folder completely (every check a bad input can fail happens here).
     *
     * @throws IllegalArgumentException for a missing path, an unfinished run folder, a folder
     *         without jmh.json, or a file that is not JMH JSON
     */
    public static RunInput open(String label, Path path) {
        return open(label, path, false);
    }

    /**
     * As {@link #open(String, Path)}; with {@code sweepOnly}, a run folder holding thresholds.csv
     * but no jmh.json (a sweep without benchmarks) opens with no benchmark rows.
     */
    public static RunInput open(String label, Path path, boolean sweepOnly) {
        if (sweepOnly && Files.isDirectory(path) && !Files.exists(path.resolve(RunFolder.INCOMPLETE))
                && !Files.isRegularFile(path.resolve(RunFolder.JMH_JSON)) && Files.isRegularFile(path.resolve(RunFolder.THRESHOLDS_CSV))) {
            Path folder = path.toAbsolutePath();
            return new RunInput(label, path, List.of(), EnvironmentFacts.read(folder.resolve(RunFolder.ENV_JSON), EnvironmentFacts.UNKNOWN), folder);
        }
        Path jmhJson;
        if (Files.isDirectory(path)) {
            if (Files.exists(path.resolve(RunFolder.INCOMPLETE))) {
                throw new IllegalArgumentException(path + " is an unfinished run folder (it holds " + RunFolder.INCOMPLETE
                        + ": the run is still going or was interrupted)");
            }
            jmhJson = path.resolve(RunFolder.JMH_JSON);
            if (!Files.isRegularFile(jmhJson)) {
                throw new IllegalArgumentException(path + " holds no " + RunFolder.JMH_JSON + "; give a run folder with benchmark results, or a JMH JSON file");
            }
        } else if (Files.isRegularFile(path)) {
            jmhJson = path;
        } else {
            throw new IllegalArgumentException(path + ": no such file or folder");
        }
        JmhJson.Contents contents = JmhJson.read(jmhJson);
        Path folder = jmhJson.toAbsolutePath().getParent();
        EnvironmentFacts environment = EnvironmentFacts.read(folder.resolve(RunFolder.ENV_JSON), contents.jvm());
        return new RunInput(label, path, contents.rows(), environment, folder);
    }

    /** The thresholds.csv of the run: in the folder, or next to the JMH JSON file. */
    public Path thresholdsFile() {
        return folder.resolve(RunFolder.THRESHOLDS_CSV);
    }

    /** The same input with other rows (normalised ones). */
    RunInput withRows(List<JmhRow> newRows) {
        return new RunInput(label, source, List.copyOf(newRows), environment, folder, sources);
    }
}
