package dev.absorb.cli;

import java.time.Instant;

import dev.absorb.results.MachineProbe;

import dev.absorb.results.RunFolder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sweeps given one --out, as two real processes (this test's classpath, a JVM each): exactly
 * one runs, the other exits 2 with one line naming the folder and its owner, and the winner's
 * files are whole — the same bytes a sweep alone writes.
 */
class ConcurrentRunsTest {

    /** A sweep of a few seconds, so the second process comes while the first runs. */
    private static final List<String> SWEEP = List.of("sweep", "--recipes", "bf16,fp16", "--classes", "2,1000", "--targets", "first",
            "--threads", "1");
    /** The JVM's own line about the Vector API module, not absorb's. */
    private static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path dir;

    private record Run(Process process, Path stdout, Path stderr) {

        int exitCode() throws InterruptedException {
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the sweep ends");
            return process.exitValue();
        }

        List<String> errorLines() throws IOException {
            return Files.readAllLines(stderr).stream().filter(l -> !l.equals(INCUBATOR_WARNING)).toList();
        }
    }

    private Run start(String name, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(SWEEP);
        command.addAll(List.of("--out", out.toString()));
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        return new Run(process, stdout, stderr);
    }

    /** The CSVs a sweep alone writes, in this JVM. */
    private Path reference() {
        Path out = dir.resolve("reference");
        List<String> args = new ArrayList<>(SWEEP);
        args.addAll(List.of("--out", out.toString()));
        CliRunner r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    private void assertWhole(Path folder) throws IOException {
        Path reference = reference();
        assertEquals(List.of("curves.csv", "env.json", "thresholds.csv"), listing(folder));
        for (String file : List.of("thresholds.csv", "curves.csv")) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(file)), Files.readAllBytes(folder.resolve(file)), file);
        }
        assertTrue(Files.readString(folder.resolve("env.json")).contains("\"commit\""));
    }

    private static List<String> listing(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSecondRunIntoAFolderInUseExits2NamingTheOwner() throws Exception {
        // given: a folder this JVM owns for as long as the test runs (a sweep as the owner could
        // finish before the second process starts on a loaded machine)
        Path out = dir.resolve("run");
        try (RunFolder owned = RunFolder.adopt(out, MachineProbe.current(null, null, Instant.now()))) {
            // when
            Run second = start("second", out);

            // then
            assertEquals(2, second.exitCode(), String.join("\n", second.errorLines()));
            List<String> lines = second.errorLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("absorb sweep: --out: " + out + " is in use by pid " + ProcessHandle.current().pid()
                    + " since "), lines.get(0));
            assertEquals("", Files.readString(second.stdout()));
            assertEquals(List.of("INCOMPLETE", "env.json"), listing(out), "the owner's files stay as they were");
        }
    }

    @Test
    void ofTwoRunsStartedTogetherExactlyOneTakesTheFolder() throws Exception {
        // given
        Path out = dir.resolve("run");

        // when
        Run a = start("a", out);
        Run b = start("b", out);
        int exitA = a.exitCode();
        int exitB = b.exitCode();

        // then
        assertEquals(List.of(0, 2), List.of(exitA, exitB).stream().sorted().toList(), "exit codes " + exitA + " and " + exitB);
        Run winner = exitA == 0 ? a : b;
        Run loser = exitA == 0 ? b : a;
        List<String> lines = loser.errorLines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("absorb sweep: --out: " + out + " "), lines.get(0));
        assertTrue(lines.get(0).contains(" is in use by pid " + winner.process().pid() + " since ")
                || lines.get(0).contains(" already holds "), lines.get(0));
        assertFalse(Files.readString(winner.stdout()).isEmpty());
        assertWhole(out);
    }
}
