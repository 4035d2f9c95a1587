package dev.absorb.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One input of {@code compare} or {@code gate}: a JMH JSON file, or a run folder
 * ({@code results/<name>/}) holding {@code jmh.json}, with the environment it ran in and, for
 * a folder, its {@code thresholds.csv}. {@code label} names it in tables (A, B, … or
 * baseline/current).
 */
public record RunInput(String label, Path source, List<JmhRow> rows, EnvironmentFacts environment, Path folder) {

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
        return new RunInput(label, source, List.copyOf(newRows), environment, folder);
    }
}
