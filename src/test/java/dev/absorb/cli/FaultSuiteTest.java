package dev.absorb.cli;

import dev.absorb.results.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * absorb, as a real process, under the faults of docs/faults.md: a full disk, a read-only folder,
 * SIGINT and SIGTERM in the middle of a sweep, a heap too small, and a reader that closes the pipe.
 * Each case checks the exit code, the one line on stderr, and that no earlier file changed.
 *
 * <p>A full disk and a read-only folder are small tmpfs mounts, which needs root (CI runs as root);
 * elsewhere those cases are skipped with the reason. Read-only without mounting: a folder without
 * write permission, which only a user other than root cannot write.
 */
class FaultSuiteTest {

    private static final String NO_SPACE = "No space left on device";

    @TempDir
    Path dir;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() {
        for (Path mount : mounts) {
            command("umount", "-l", mount.toString());
        }
    }

    // ---- a full disk ---------------------------------------------------------------------------

    @Test
    void aFullDiskIsExit3NamingThePathAndChangesNothing() throws IOException {
        // given: earlier files on a small disk, then the disk filled
        Path disk = tmpfs("disk", "256k");
        Path earlierRun = smallRun(disk.resolve("earlier"));
        Path summary = Files.writeString(disk.resolve("summary.md"), "# an earlier step's summary\n");
        fill(disk, 0);
        Map<Path, byte[]> before = snapshot(disk);

        // then: every command that writes stops with one line naming where it wrote (sweep and
        // report as processes of their own, the others in this JVM, through the same Errors)
        AbsorbProcess absorb = AbsorbProcess.withModule();
        assertCouldNotFinish(absorb.run("sweep", "--recipes", "bf16", "--classes", "2", "--out", disk.resolve("run").toString()),
                "sweep", disk.resolve("run") + ": " + NO_SPACE);
        assertCouldNotFinish(absorb.run("report", earlierRun.toString()), "report", NO_SPACE);
        assertCouldNotFinish(inProcess("env", "--out", disk.resolve("env.json").toString()),
                "env", disk.resolve("env.json") + ": " + NO_SPACE);
        assertCouldNotFinish(inProcess("gate", "--baseline", Fixtures.path("A").toString(), "--current",
                Fixtures.path("B").toString(), "--summary", summary.toString()), "gate", NO_SPACE);

        // and: nothing earlier changed, and nothing half-written is left
        assertUnchanged(before, disk);
        assertEquals(List.of(), temporaries(disk));
        assertFalse(Files.exists(disk.resolve("env.json")));
    }

    /** One free page: the marker fits, env.json does not; two: env.json fits, the CSVs do not. */
    @ParameterizedTest(name = "{0} free pages")
    @CsvSource({"1, INCOMPLETE", "2, INCOMPLETE env.json"})
    void aDiskThatFillsDuringASweepLeavesTheFolderMarkedIncomplete(int pages, String left) throws IOException {
        // given
        Path disk = tmpfs("disk", "128k");
        fill(disk, 4096L * pages);
        Path run = disk.resolve("run");

        // when
        AbsorbProcess.Result r = AbsorbProcess.withModule().run("sweep", "--recipes", "bf16", "--classes", "2",
                "--targets", "first", "--out", run.toString());

        // then
        assertCouldNotFinish(r, "sweep", NO_SPACE + "; " + run + " stays marked INCOMPLETE");
        assertEquals(List.of(left.split(" ")), AbsorbProcess.names(run), "the marker, and no half-written file");
    }

    // ---- a read-only folder --------------------------------------------------------------------

    @Test
    void aReadOnlyFolderIsExit3NamingThePathAndChangesNothing() throws IOException {
        // given: earlier files in a folder that then becomes read-only
        Path folder = readOnlyLater("ro");
        Path earlierRun = smallRun(folder.resolve("earlier"));
        Path summary = Files.writeString(folder.resolve("summary.md"), "# an earlier step's summary\n");
        String reason = makeReadOnly(folder);
        Map<Path, byte[]> before = snapshot(folder);

        // then
        AbsorbProcess absorb = AbsorbProcess.withModule();
        assertCouldNotFinish(absorb.run("sweep", "--recipes", "bf16", "--classes", "2", "--out", folder.resolve("run").toString()),
                "sweep", folder.resolve("run") + ": " + reason);
        assertCouldNotFinish(absorb.run("report", earlierRun.toString()), "report", reason);
        assertCouldNotFinish(inProcess("bench", "--profile", "smoke", "--no-sweep", "--ignore-lock", "--bench", "ExpBenchmark.mathExp",
                "--results-dir", folder.resolve("results").toString()), "bench", folder.resolve("results") + ": " + reason);
        AbsorbProcess.Result env = inProcess("env", "--out", folder.resolve("env.json").toString());
        assertCouldNotFinish(env, "env", reason);
        assertTrue(env.err().contains(folder.resolve("env.json").toString()), "names the file it wrote: " + env.err());
        assertCouldNotFinish(inProcess("gate", "--baseline", Fixtures.path("A").toString(), "--current",
                Fixtures.path("B").toString(), "--summary", summary.toString()), "gate", summary + " is not writable");

        assertUnchanged(before, folder);
        assertEquals(before.keySet(), snapshot(folder).keySet(), "no file was added");
    }

    // ---- an input that is there and cannot be read ---------------------------------------------

    @Test
    void anInputFileThatCannotBeReadIsTheEnvironmentNotTheInput() throws IOException {
        // given: a file whose read fails with EIO (/proc/self/mem at offset 0), and a run folder
        // whose CSV is a link to it
        Path unreadable = Path.of("/proc/self/mem");
        Assumptions.assumeTrue(Files.isRegularFile(unreadable), "needs Linux's /proc/self/mem, a file whose read fails");
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.createSymbolicLink(run.resolve("thresholds.csv"), unreadable);
        Files.writeString(run.resolve("curves.csv"), "");

        // then: exit 3 naming the file; a folder given as a file is still bad input
        assertCouldNotFinish(inProcess("compare", unreadable.toString(), Fixtures.path("A").toString()), "compare",
                unreadable + ": Input/output error");
        assertCouldNotFinish(inProcess("report", run.toString()), "report", run.resolve("thresholds.csv") + ": Input/output error");
        CliRunner folder = CliRunner.run("compare", run.toString(), Fixtures.path("A").toString());
        assertEquals(2, folder.exitCode(), folder.err());
        assertTrue(folder.oneErrorLine(), folder.err());
    }

    // ---- signals -------------------------------------------------------------------------------

    /**
     * A signal once the sweep runs (env.json is in place), and one the moment the marker appears,
     * while the folder is still being taken and its name is not yet known to the command.
     */
    @ParameterizedTest(name = "SIG{0} once {2} is there")
    @CsvSource({"INT, 130, env.json", "TERM, 143, env.json", "TERM, 143, INCOMPLETE"})
    void aSignalMidSweepLeavesTheFolderMarkedAndSaysSo(String signal, int exitCode, String awaited) throws Exception {
        Assumptions.assumeFalse(signal.equals("INT") && ignoresSigint(),
                "SIGINT is ignored by this process (started in the background by a shell without job control), "
                        + "and a JVM started from here ignores it too");
        // given: an earlier run next to the one that is stopped
        Path earlier = Files.createDirectories(dir.resolve("earlier"));
        Files.writeString(earlier.resolve("thresholds.csv"), "recipe,family\nbf16,flat\n");
        Map<Path, byte[]> before = snapshot(dir);
        Path run = dir.resolve("run");
        Process sweep = AbsorbProcess.withModule().start("sweep", "--recipes", "bf16,fp16,fp32,e4m3,e5m2", "--classes",
                "1000,32000,128256", "--threads", "1", "--out", run.toString());
        AbsorbProcess.awaitFile(run.resolve(awaited), sweep);

        // when
        assertEquals(0, command("kill", "-" + signal, Long.toString(sweep.pid())));
        AbsorbProcess.Result r = AbsorbProcess.finish(sweep, "", 60);

        // then
        assertEquals(exitCode, r.exitCode(), r.err());
        assertEquals("absorb sweep: interrupted; " + run + " stays marked INCOMPLETE\n", r.err());
        List<String> left = AbsorbProcess.names(run);
        assertTrue(left.contains("INCOMPLETE") && List.of("INCOMPLETE", "env.json").containsAll(left), left.toString());
        assertUnchanged(before, dir);
    }

    // ---- memory --------------------------------------------------------------------------------

    @Test
    void aSweepThatCannotFitIsRefusedBeforeItStartsNamingTheSize() throws IOException {
        // given: 100 configurations' curves at the finest grid, and a 16 MB heap
        Path run = dir.resolve("run");

        // when
        AbsorbProcess.Result r = AbsorbProcess.withModule().jvm("-Xmx16m").run("sweep", "--recipes", "bf16,fp16,fp32,e4m3,e5m2",
                "--classes", "2,3,4,5,6,7,8,9,10,11", "--grid-cells", "65536", "--out", run.toString());

        // then
        assertCouldNotFinish(r, "sweep", "100 configurations at 65536 grid cells need at least ");
        assertTrue(r.err().contains("; the JVM may use at most 16 MB; give it more with -Xmx, e.g. java -Xmx"), r.err());
        assertTrue(r.err().contains(" -jar absorb.jar, or JAVA_OPTS=-Xmx"), r.err());
        assertFalse(Files.exists(run), "nothing was started");
    }

    @Test
    void runningOutOfMemoryIsExit3WithHowToGiveTheJvmMore() {
        // 900000 classes pass the check (14.4 MB of logits and gradient), and the kernel's arrays do not fit
        AbsorbProcess.Result r = AbsorbProcess.withModule().jvm("-Xmx16m").run("grad", "bf16", "--classes", "900000", "--gap", "1");
        assertCouldNotFinish(r, "grad", "out of memory (Java heap space); the JVM may use at most 16 MB; give it more with -Xmx");
        assertEquals("", r.out());
    }

    @Test
    void runningOutOfMemoryMidSweepLeavesTheFolderMarkedIncomplete() throws IOException {
        Path run = dir.resolve("run");
        AbsorbProcess.Result r = AbsorbProcess.withModule().jvm("-Xmx16m").run("sweep", "--recipes", "bf16", "--classes", "900000",
                "--targets", "first", "--out", run.toString());
        assertCouldNotFinish(r, "sweep", "out of memory (Java heap space)");
        assertEquals(List.of("INCOMPLETE", "env.json"), AbsorbProcess.names(run));
    }

    // ---- closed pipes --------------------------------------------------------------------------

    @ParameterizedTest(name = "with the module: {0}")
    @CsvSource({"true", "false"})
    void roundStopsQuietlyWhenItsReaderCloses(boolean withModule) throws Exception {
        // given: endless input, as from `yes 1.5`
        AbsorbProcess absorb = withModule ? AbsorbProcess.withModule() : AbsorbProcess.plain();
        Process round = absorb.start("round", "--format", "bf16");
        Thread yes = new Thread(() -> {
            byte[] lines = "1.5\n".repeat(1024).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream in = round.getOutputStream()) {
                while (true) {
                    in.write(lines);
                }
            } catch (IOException stopped) {
                // round stopped reading
            }
        });
        yes.setDaemon(true);
        yes.start();

        // when: the reader takes two lines and goes, as `head -2` does
        BufferedReader out = new BufferedReader(new InputStreamReader(round.getInputStream(), StandardCharsets.US_ASCII));
        assertEquals("1.5", out.readLine());
        assertEquals("1.5", out.readLine());
        out.close();

        // then
        assertTrue(round.waitFor(60, TimeUnit.SECONDS), "round ends after its reader has gone");
        assertEquals(0, round.exitValue());
        assertEquals("", AbsorbProcess.withoutWarning(new String(AbsorbProcess.readAll(round.getErrorStream()), StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"--json", "--seed=1"})
    void gradIntoAClosedPipeEndsQuietly(String option) throws Exception {
        // given: a reader that has gone before grad writes
        Process grad = AbsorbProcess.withModule().start("grad", "bf16", "--classes", "1000", "--gap", "3", option);
        grad.getInputStream().close();

        // then
        assertTrue(grad.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, grad.exitValue());
        assertEquals("", AbsorbProcess.withoutWarning(new String(AbsorbProcess.readAll(grad.getErrorStream()), StandardCharsets.UTF_8)));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void assertCouldNotFinish(AbsorbProcess.Result r, String command, String fragment) {
        assertEquals(3, r.exitCode(), "exit code; stderr: " + r.err());
        assertTrue(r.oneErrorLine(), "one line, no stack trace: [" + r.err() + "]");
        assertTrue(r.err().startsWith("absorb " + command + ": could not finish: "), r.err());
        assertTrue(r.err().contains(fragment), "names '" + fragment + "': " + r.err());
    }

    private static AbsorbProcess.Result inProcess(String... args) {
        CliRunner r = CliRunner.run(args);
        return new AbsorbProcess.Result(r.exitCode(), r.out(), r.err());
    }

    /** A run folder with the sweep's CSVs, as a report's input. */
    private static Path smallRun(Path folder) {
        CliRunner r = CliRunner.run("sweep", "--recipes", "bf16", "--classes", "2", "--families", "flat", "--targets", "first",
                "--out", folder.toString());
        assertEquals(0, r.exitCode(), r.err());
        return folder;
    }

    /** A tmpfs of {@code size} at {@code dir/name}; skips the test where mounting is not permitted. */
    private Path tmpfs(String name, String size) throws IOException {
        Path mount = Files.createDirectories(dir.resolve(name));
        List<String> command = List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString());
        ProcessResult result = run(command);
        Assumptions.assumeTrue(result.code == 0, () -> "a full disk and a read-only mount need a tmpfs; "
                + String.join(" ", command) + " failed: " + result.output.strip());
        mounts.add(mount);
        return mount;
    }

    /** A folder to make read-only after the earlier files are in it: a tmpfs where mounting is permitted. */
    private Path readOnlyLater(String name) throws IOException {
        if (mountPermitted()) {
            return tmpfs(name, "1m");
        }
        Assumptions.assumeFalse(isRoot(), "root writes where permissions say no, and mounting a read-only tmpfs is not permitted");
        return Files.createDirectories(dir.resolve(name));
    }

    /** Makes the folder read-only; returns the reason a write there fails with. */
    private String makeReadOnly(Path folder) throws IOException {
        if (mounts.contains(folder)) {
            assertEquals(0, command("mount", "-o", "remount,ro", folder.toString()), "remount read-only");
            return "Read-only file system";
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                p.toFile().setWritable(false, false);
            }
        }
        return "Permission denied";
    }

    private boolean mountPermitted() {
        Path probe = dir.resolve("probe");
        try {
            Files.createDirectories(probe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (command("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", probe.toString()) != 0) {
            return false;
        }
        command("umount", probe.toString());
        return true;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Fills the disk at {@code mount}, then frees {@code leave} bytes of it. */
    private static void fill(Path mount, long leave) throws IOException {
        Path filler = mount.resolve("filler");
        byte[] page = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(page);
                out.flush();
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains(NO_SPACE), full.toString());
        }
        if (leave > 0) {
            try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
                file.setLength(Math.max(0, file.length() - leave));
            }
        }
    }

    /** SIGINT's bit in this process's ignored-signal mask (a child inherits SIG_IGN). */
    private static boolean ignoresSigint() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    /** Every file under {@code root} with its bytes. */
    static Map<Path, byte[]> snapshot(Path root) throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(root.relativize(p), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    static void assertUnchanged(Map<Path, byte[]> before, Path root) throws IOException {
        Map<Path, byte[]> after = snapshot(root);
        for (Map.Entry<Path, byte[]> file : before.entrySet()) {
            assertTrue(after.containsKey(file.getKey()), file.getKey() + " is gone");
            assertArrayEquals(file.getValue(), after.get(file.getKey()), file.getKey() + " changed");
        }
    }

    private static List<Path> temporaries(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).collect(Collectors.toList());
        }
    }

    private record ProcessResult(int code, String output) {
    }

    private static ProcessResult run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(AbsorbProcess.readAll(p.getInputStream()), StandardCharsets.UTF_8);
            return new ProcessResult(p.waitFor(), output);
        } catch (IOException e) {
            return new ProcessResult(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessResult(-1, "interrupted");
        }
    }

    private static int command(String... command) {
        return run(Arrays.asList(command)).code;
    }
}
