package dev.absorb.results;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A run's output folder, {@code results/<UTC time>_<jdk>_<cpu>/} (DESIGN.md §7). A run never
 * reuses a folder that exists; while it runs, the folder holds an {@code INCOMPLETE} marker that
 * is removed only after the last file was renamed into place, so an interrupted run never looks
 * complete.
 */
public final class RunFolder {

    /** Where the run ran: {@link RunEnvironment}. */
    public static final String ENV_JSON = "env.json";
    /** The sweep's thresholds: {@link SweepCsv}. */
    public static final String THRESHOLDS_CSV = "thresholds.csv";
    /** The sweep's curves: {@link SweepCsv}. */
    public static final String CURVES_CSV = "curves.csv";
    /** JMH's results, as JMH writes them: {@link JmhJson}. */
    public static final String JMH_JSON = "jmh.json";
    /** JMH's text output. */
    public static final String JMH_LOG = "jmh.log";
    /** The bench job's summary. */
    public static final String SUMMARY_MD = "summary.md";
    /** {@code absorb report}'s page, and the folder of its plots. */
    public static final String REPORT_MD = "report.md";
    public static final String PLOTS = "plots";
    /** Present while the run has not finished. */
    public static final String INCOMPLETE = "INCOMPLETE";

    private final Path path;

    private RunFolder(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /**
     * Creates a new folder under {@code parent} named after the time, the JVM and the CPU
     * ({@link RunEnvironment#folderTag()}), with env.json.
     */
    public static RunFolder createUnder(Path parent, RunEnvironment env) throws IOException {
        String time = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String name = time + "_jdk" + env.jvm().feature() + "_" + env.folderTag();
        Files.createDirectories(parent);
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve(attempt == 0 ? name : name + "-" + attempt);
            try {
                return start(Files.createDirectory(candidate), env);
            } catch (FileAlreadyExistsException taken) {
                // two runs in the same second: take the next suffix
            }
        }
    }

    /**
     * Uses {@code directory} (created if missing) for a run; refuses one that already holds
     * results, so no earlier run is overwritten, and a path that exists but is not a folder.
     *
     * @throws FileAlreadyExistsException if the folder already holds {@code resultFile}
     * @throws FileSystemException if the path exists and is not a folder, or cannot be created
     */
    public static RunFolder use(Path directory, String resultFile, RunEnvironment env) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new FileSystemException(directory.toString(), null, "exists and is not a folder");
        }
        Files.createDirectories(directory);
        if (Files.exists(directory.resolve(resultFile))) {
            throw new FileAlreadyExistsException(directory + " already holds " + resultFile + "; choose a new folder");
        }
        return start(directory, env);
    }

    /** The marker first, then env.json: every run folder says where it ran. */
    private static RunFolder start(Path directory, RunEnvironment env) throws IOException {
        Files.writeString(directory.resolve(INCOMPLETE), "this run has not finished (or was interrupted)\n");
        AtomicFile.write(directory.resolve(ENV_JSON), env.toJson());
        return new RunFolder(directory);
    }

    /** Marks the run complete: call after every file is in place. */
    public void complete() throws IOException {
        Files.deleteIfExists(path.resolve(INCOMPLETE));
    }
}
