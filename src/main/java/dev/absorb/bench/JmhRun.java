package dev.absorb.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Runs a {@link JmhPlan} with JMH's Runner into a run folder: JMH writes its JSON to
 * {@code jmh.json.tmp} and its full text output to {@code jmh.log.tmp}; both are renamed into
 * place only when every benchmark has finished, so {@code jmh.json} is always a whole, successful
 * run, exactly as JMH wrote it.
 */
public final class JmhRun {

    public static final String JSON = "jmh.json";
    public static final String LOG = "jmh.log";

    private JmhRun() {
    }

    /**
     * Runs every benchmark of {@code plan}, forks on {@code jvm} (a java executable); one line per
     * benchmark goes to {@code console}.
     *
     * @return the scores as read back from jmh.json
     * @throws BenchmarkFailure if a benchmark failed (JMH's details are in jmh.log.tmp)
     */
    public static List<Score> run(JmhPlan plan, Path folder, String jvm, PrintWriter console, boolean ignoreLock)
            throws IOException {
        Path json = folder.resolve(JSON);
        Path log = folder.resolve(LOG);
        Path jsonTemporary = AtomicFile.temporary(json);
        Path logTemporary = AtomicFile.temporary(log);
        if (ignoreLock) {
            // Read once, when the Runner class initialises: before the first Runner is made.
            System.setProperty("jmh.ignoreLock", "true");
        }
        Collection<RunResult> results;
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(logTemporary), true, StandardCharsets.UTF_8)) {
            ProgressFormat format = new ProgressFormat(OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL),
                    console, plan.size());
            try {
                results = new Runner(plan.options(jvm, jsonTemporary), format).run();
            } catch (RunnerException e) {
                throw new BenchmarkFailure("JMH stopped: " + firstLine(e) + " (details in " + logTemporary + ")", e);
            }
        }
        if (results.isEmpty() || !Files.isRegularFile(jsonTemporary)) {
            throw new BenchmarkFailure("JMH ran no benchmark (details in " + logTemporary + ")", null);
        }
        AtomicFile.place(logTemporary, log);
        AtomicFile.place(jsonTemporary, json);
        return Scores.read(json);
    }

    /**
     * Whether another process holds JMH's machine-wide lock ({@code java.io.tmpdir/jmh.lock}):
     * another JMH run is measuring, and two runs would disturb each other. Checked the way the
     * Runner takes it, and released at once.
     */
    public static boolean lockHeldElsewhere() {
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        try (RandomAccessFile file = new RandomAccessFile(lock.toFile(), "rw"); FileLock taken = file.getChannel().tryLock()) {
            return taken == null;
        } catch (IOException | OverlappingFileLockException e) {
            // Unreadable or held by this JVM: the Runner will say so itself.
            return false;
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.toString();
        return message.lines().findFirst().orElse(message).trim();
    }

    /** A benchmark failed or JMH could not run: not bad input, and the run folder stays INCOMPLETE. */
    public static final class BenchmarkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchmarkFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
