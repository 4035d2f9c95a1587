package dev.absorb.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.absorb.results.AtomicFile;
import dev.absorb.results.JmhJson;
import dev.absorb.results.JmhRow;
import dev.absorb.results.RunFolder;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link JmhPlan} with JMH's Runner into a run folder, in {@link JmhPlan#rounds()} rounds
 * of one fork per benchmark: JMH's full text output goes to jmh.log's temporary, and the results
 * of all rounds, each benchmark's rounds as its forks, to jmh.json's, in JMH's own JSON format
 * (written by JMH's writer). Both are published under their names ({@link AtomicFile}) only when
 * every benchmark has finished, so {@code jmh.json} is always a whole, successful run.
 */
public final class JmhRun {

    private JmhRun() {
    }

    /**
     * Runs every benchmark of {@code plan}, forks on {@code jvm} (a java executable); one line per
     * benchmark goes to {@code console}.
     *
     * @return the rows as read back from jmh.json
     * @throws BenchmarkFailure if a benchmark failed (JMH's details are in the log's temporary)
     */
    public static List<JmhRow> run(JmhPlan plan, Path folder, String jvm, PrintWriter console, boolean ignoreLock)
            throws IOException {
        Path json = folder.resolve(RunFolder.JMH_JSON);
        Path log = folder.resolve(RunFolder.JMH_LOG);
        Path jsonTemporary = AtomicFile.temporary(json);
        Path logTemporary = AtomicFile.temporary(log);
        if (ignoreLock) {
            // Read once, when the Runner class initialises: before the first Runner is made.
            System.setProperty("jmh.ignoreLock", "true");
        }
        int rounds = plan.rounds();
        // each benchmark's params of its first round, and its forks (one per round) in order
        Map<String, BenchmarkParams> params = new LinkedHashMap<>();
        Map<String, List<BenchmarkResult>> forks = new LinkedHashMap<>();
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(logTemporary), true, StandardCharsets.UTF_8)) {
            ProgressFormat format = new ProgressFormat(OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL),
                    console, plan.size() * rounds);
            for (int round = 1; round <= rounds; round++) {
                Collection<RunResult> results;
                try {
                    results = new Runner(plan.options(jvm), format).run();
                } catch (RunnerException e) {
                    throw new BenchmarkFailure("JMH stopped: " + firstLine(e) + " (details in " + logTemporary + ")", e);
                }
                if (results.isEmpty()) {
                    throw new BenchmarkFailure("JMH ran no benchmark (details in " + logTemporary + ")", null);
                }
                for (RunResult r : results) {
                    String key = r.getParams().getMode() + " " + ProgressFormat.line(r.getParams());
                    params.putIfAbsent(key, r.getParams());
                    forks.computeIfAbsent(key, k -> new ArrayList<>()).addAll(r.getBenchmarkResults());
                }
            }
        }
        List<RunResult> merged = new ArrayList<>();
        params.forEach((key, p) -> merged.add(new RunResult(p, forks.get(key))));
        writeJson(merged, rounds, jsonTemporary);
        AtomicFile.place(logTemporary, log);
        AtomicFile.place(jsonTemporary, json);
        return JmhJson.read(json).rows();
    }

    /**
     * JMH's JSON of the results, by JMH's own writer. Each round's BenchmarkParams says "forks": 1,
     * so with several rounds that field is set to the number of forks the result holds.
     */
    private static void writeJson(List<RunResult> results, int rounds, Path file) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
        }
        if (rounds > 1) {
            ObjectMapper mapper = new ObjectMapper();
            JsonNode root = mapper.readTree(file.toFile());
            for (JsonNode result : root) {
                ((ObjectNode) result).put("forks", result.path("primaryMetric").path("rawData").size());
            }
            mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        }
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
