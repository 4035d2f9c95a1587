package dev.absorb.job;

import dev.absorb.bench.ForkFlags;
import dev.absorb.results.RunEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * One side of {@code absorb ab}: a java executable and the class path of the absorb build it
 * runs. A side given as a {@code .jar} runs that jar on this JVM; one given as a JDK home (or
 * its {@code bin/java}) runs this absorb on that JVM. {@code forkArgs} are appended to the
 * side's forks' JVM options (e.g. a JIT flag to compare).
 */
public record AbSide(String label, String given, String java, String classPath, List<String> forkArgs) {

    /** The jar's entries that make it a runnable absorb benchmark jar. */
    private static final List<String> JAR_ENTRIES = List.of("META-INF/BenchmarkList", "org/openjdk/jmh/Main.class",
            "dev/absorb/cli/Main.class");

    /**
     * The side {@code given} names, checked as far as files tell (the JVM is checked by
     * {@link #probe()}).
     *
     * @param label          {@code --baseline} or {@code --candidate}, for messages
     * @param thisJava       this JVM's java executable
     * @param thisClassPath  this absorb's class path
     * @throws IllegalArgumentException naming the side and what it should be
     */
    public static AbSide resolve(String label, String given, List<String> forkArgs, String thisJava, String thisClassPath) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException(label + ": the path is empty; give an absorb jar or a JDK home");
        }
        Path path = Path.of(given);
        if (given.endsWith(".jar")) {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException(label + ": " + given + ": no such readable file (give an absorb jar or a JDK home)");
            }
            try (ZipFile zip = new ZipFile(path.toFile())) {
                for (String entry : JAR_ENTRIES) {
                    if (zip.getEntry(entry) == null) {
                        throw new IllegalArgumentException(label + ": " + given + " is not an absorb benchmark jar (it has no "
                                + entry + "; build one with mvn package: target/absorb.jar)");
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(label + ": " + given + " is not a readable jar (" + e.getMessage() + ")");
            }
            return new AbSide(label, given, thisJava, path.toAbsolutePath().toString(), List.copyOf(forkArgs));
        }
        Path java = Files.isDirectory(path) ? path.resolve("bin").resolve("java") : path;
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw new IllegalArgumentException(label + ": " + given + " is neither a .jar nor a JDK home nor a java executable "
                    + "(give an absorb jar, or a JDK home such as /usr/lib/jvm/temurin-25-jdk-amd64)");
        }
        return new AbSide(label, given, java.toAbsolutePath().toString(), thisClassPath, List.copyOf(forkArgs));
    }

    /**
     * A JVM of this side: the Vector API module, the side's own options, {@code properties}, the
     * class path, then the main class and its arguments. JMH's forks inherit these options.
     */
    private List<String> command(List<String> properties, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>(List.of(java, ForkFlags.ADD_MODULES, ForkFlags.VECTOR_MODULE));
        command.addAll(forkArgs);
        command.addAll(properties);
        command.addAll(List.of("-cp", classPath));
        command.addAll(mainAndArgs);
        return command;
    }

    /**
     * env.json of this side, written by the side itself ({@code absorb env} on its JVM and build,
     * with its fork options): this also proves the side runs.
     *
     * @throws IllegalArgumentException naming the side and its first line of error output
     */
    public RunEnvironment probe(Path scratch) throws IOException {
        Path out = Files.createTempFile(scratch, "env", ".json");
        Path err = Files.createTempFile(scratch, "env", ".err");
        try {
            int status = runProcess(command(List.of(), List.of("dev.absorb.cli.Main", "env")), out, err, false);
            if (status != 0) {
                String why = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank() && !l.startsWith("WARNING: Using incubator modules")).findFirst()
                        .orElse("exit " + status);
                throw new IllegalArgumentException(label + ": " + given + " cannot run absorb (" + why.trim() + ")");
            }
            return RunEnvironment.parse(Files.readString(out), label + " " + given);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs one fork of every benchmark of {@code plan} with JMH's own launcher of this side. */
    public void runFork(JmhPlan plan, Path json, Path log, boolean ignoreLock) throws IOException {
        List<String> jmh = new ArrayList<>(List.of("org.openjdk.jmh.Main"));
        jmh.addAll(plan.singleForkArgs(forkArgs, json.toString()));
        List<String> command = command(ignoreLock ? List.of("-Djmh.ignoreLock=true") : List.of(), jmh);
        int status = runProcess(command, log, log, true);
        if (status != 0 || !Files.isRegularFile(json)) {
            throw new JmhRun.BenchmarkFailure(label + " " + given + ": a JMH fork exited " + status + " (details in " + log + ")",
                    null);
        }
    }

    private static int runProcess(List<String> command, Path out, Path err, boolean append) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (out.equals(err)) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        builder.redirectOutput(append ? ProcessBuilder.Redirect.appendTo(out.toFile()) : ProcessBuilder.Redirect.to(out.toFile()));
        Process process = builder.start();
        process.getOutputStream().close();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + command.get(0) + " ran", e);
        }
    }
}
