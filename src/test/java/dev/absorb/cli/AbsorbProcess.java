package dev.absorb.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * absorb in a JVM of its own, as a user starts it: on the java that runs the tests, with this
 * class path, and with or without {@code --add-modules jdk.incubator.vector}.
 */
final class AbsorbProcess {

    private final List<String> jvmOptions = new ArrayList<>();
    private final boolean withModule;

    private AbsorbProcess(boolean withModule) {
        this.withModule = withModule;
    }

    /** As run-benchmarks.sh starts it: with the module. */
    static AbsorbProcess withModule() {
        return new AbsorbProcess(true);
    }

    /** As {@code java -jar absorb.jar} starts it: without the module, so absorb relaunches itself. */
    static AbsorbProcess plain() {
        return new AbsorbProcess(false);
    }

    AbsorbProcess jvm(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        if (withModule) {
            command.addAll(List.of("--add-modules", ModuleRelaunch.MODULE));
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        return command;
    }

    Process start(String... args) {
        try {
            return new ProcessBuilder(command(args)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a finished run left: its exit code and its output, stderr without the incubator warning line. */
    record Result(int exitCode, String out, String err) {
        boolean oneErrorLine() {
            return err.endsWith("\n") && err.indexOf('\n') == err.length() - 1;
        }
    }

    /** Runs to the end with {@code stdin} as its input; fails after {@code seconds}. */
    Result run(String stdin, long seconds, String... args) {
        Process process = start(args);
        return finish(process, stdin, seconds);
    }

    Result run(String... args) {
        return run("", 120, args);
    }

    static Result finish(Process process, String stdin, long seconds) {
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
        } catch (IOException ended) {
            // it stopped reading: its exit code says why
        }
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("absorb did not end within " + seconds + " s: " + process.info().commandLine().orElse(""));
            }
            String errText = new String(err.get(seconds, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), new String(out.get(seconds, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    withoutWarning(errText));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A JVM started with the module prints this line first; a relaunched absorb never does. */
    static String withoutWarning(String err) {
        String warning = ModuleRelaunch.WARNING + "\n";
        return err.startsWith(warning) ? err.substring(warning.length()) : err;
    }

    /** Waits until {@code file} exists (the process got that far); fails if the process ended first. */
    static void awaitFile(Path file, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            if (!process.isAlive()) {
                fail(file + " never appeared; the process ended with " + process.exitValue());
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                fail(file + " did not appear within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** The names in a folder, sorted. */
    static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
