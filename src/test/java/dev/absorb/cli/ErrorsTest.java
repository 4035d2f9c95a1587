package dev.absorb.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link Errors} turns what a command throws into an exit code and what it prints: the
 * environment failing is one line and exit 3 wherever in the cause chain it sits; a bug is exit 3
 * with its stack trace; bad input is exit 2. The real faults (a full disk, a read-only folder, a
 * small heap) are in FaultSuiteTest.
 */
class ErrorsTest {

    private final StringWriter err = new StringWriter();

    private int handle(Exception e) {
        CommandLine sweep = Main.newCommandLine(System.in).getSubcommands().get("sweep");
        sweep.setErr(new PrintWriter(err));
        return new Errors().handleExecutionException(e, sweep, null);
    }

    private void assertOneLine(String expected) {
        assertEquals(expected + "\n", err.toString());
    }

    @Test
    void noSpaceNamesThePath() {
        // given: a write that failed the way FileOutputStream reports a full disk, named by Writes
        IOException stream = new IOException("No space left on device");

        // when
        int code = handle(new UncheckedIOException(expectFailure(Path.of("run", "curves.csv"), stream)));

        // then
        assertEquals(3, code);
        assertOneLine("absorb sweep: could not finish: run/curves.csv: No space left on device");
    }

    @Test
    void readOnlyAndPermissionDeniedNameThePath() {
        assertEquals(3, handle(new UncheckedIOException(new FileSystemException("/ro/run", null, "Read-only file system"))));
        assertOneLine("absorb sweep: could not finish: /ro/run: Read-only file system");
        err.getBuffer().setLength(0);
        assertEquals(3, handle(new UncheckedIOException(new AccessDeniedException("/locked/run"))));
        assertOneLine("absorb sweep: could not finish: /locked/run: Permission denied");
        err.getBuffer().setLength(0);
        assertEquals(3, handle(new UncheckedIOException(new NoSuchFileException("/gone"))));
        assertOneLine("absorb sweep: could not finish: /gone: No such file or directory");
    }

    @Test
    void anIoErrorDeepInTheCauseChainIsStillTheEnvironment() {
        // given: a worker thread's failure, wrapped as the sweep's pool wraps it
        Exception wrapped = new IllegalStateException("sweep failed", new UncheckedIOException(
                new FileSystemException("a.tmp", "a", "Input/output error")));

        // then
        assertEquals(3, handle(wrapped));
        assertOneLine("absorb sweep: could not finish: a.tmp -> a: Input/output error");
    }

    @Test
    void outOfMemorySaysHowMuchTheJvmMayUseAndHowToGiveItMore() {
        // given: a worker thread's OutOfMemoryError
        int code = handle(new IllegalStateException("sweep failed", new OutOfMemoryError("Java heap space")));

        // then
        String line = err.toString();
        assertEquals(3, code);
        assertTrue(line.startsWith("absorb sweep: could not finish: out of memory (Java heap space); the JVM may use at most "), line);
        assertTrue(line.contains("give it more with -Xmx, e.g. java -Xmx") && line.contains("JAVA_OPTS=-Xmx"), line);
        assertEquals(line.length() - 1, line.indexOf('\n'), "one line: " + line);
    }

    @Test
    void aKnownNeedNamesTheSizeAskedFor() {
        long tooMuch = Runtime.getRuntime().maxMemory() + (1L << 30);

        // when
        int code = handle(new Errors.NotEnoughMemory("16777216 classes", tooMuch));

        // then: the size is named, and the suggested heap is at least that
        String line = err.toString();
        assertEquals(3, code);
        assertTrue(line.startsWith("absorb sweep: could not finish: 16777216 classes need at least "
                + Errors.megabytes(tooMuch) + "; the JVM may use at most "), line);
        String suggested = line.replaceAll("(?s).*e\\.g\\. java -Xmx(\\d+)([mg]) .*", "$1$2");
        long bytes = Long.parseLong(suggested.substring(0, suggested.length() - 1)) << (suggested.endsWith("g") ? 30 : 20);
        assertTrue(bytes >= tooMuch, line);
    }

    @Test
    void aBugPrintsItsStackTrace() {
        assertEquals(3, handle(new NullPointerException("boom")));
        String text = err.toString();
        assertTrue(text.startsWith("absorb sweep: internal error: java.lang.NullPointerException: boom\n"), text);
        assertTrue(text.contains("\tat dev.absorb.cli.ErrorsTest"), text);
    }

    @Test
    void badInputIsOneLineAndExit2() {
        assertEquals(2, handle(new IllegalArgumentException("--out: x already holds thresholds.csv")));
        assertOneLine("absorb sweep: --out: x already holds thresholds.csv");
    }

    @Test
    void jsonThatAbsorbWritesBadlyIsABugNotTheEnvironment() {
        Exception json = new UncheckedIOException(new com.fasterxml.jackson.core.JsonGenerationException("no field name", (com.fasterxml.jackson.core.JsonGenerator) null));
        assertEquals(3, handle(json));
        assertTrue(err.toString().contains("internal error"), err.toString());
    }

    @Test
    void writesNameThePathOnlyWhereTheErrorDoesNot() {
        FileSystemException named = new FileSystemException("/x/thresholds.csv.tmp", null, "No space left on device");
        FileSystemException kept = expectFailure(Path.of("/x"), named);
        assertEquals(named, kept, "an error that names its file is passed on as it is");
        FileSystemException renamed = expectFailure(Path.of("/x"), new IOException("Disk quota exceeded"));
        assertEquals("/x", renamed.getFile());
        assertEquals("Disk quota exceeded", renamed.getReason());
        assertFalse(Writes.notAFolder(renamed));
        assertTrue(Writes.notAFolder(new FileSystemException("/x/f", null, "Not a directory")));
    }

    @Test
    void roundNamesStdinWhenItCannotBeRead() {
        // given: stdin that fails as a directory does (absorb round < /)
        java.io.InputStream broken = new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Is a directory");
            }
        };
        CommandLine round = Main.newCommandLine(broken);
        round.setErr(new PrintWriter(err));
        round.setOut(new PrintWriter(new StringWriter()));

        // then
        assertEquals(3, round.execute("round", "--format", "bf16"));
        assertOneLine("absorb round: could not finish: stdin: Is a directory");
    }

    @Test
    void suggestedHeapsArePowersOfTwoAtLeastTheNeed() {
        assertEquals("64m", Errors.suggestedHeap(1));
        assertEquals("512m", Errors.suggestedHeap(300L << 20));
        assertEquals("1g", Errors.suggestedHeap(1L << 30));
        assertEquals("2g", Errors.suggestedHeap((1L << 30) + 1));
    }

    private static FileSystemException expectFailure(Path where, IOException e) {
        try {
            Writes.into(where, () -> {
                throw e;
            });
        } catch (FileSystemException named) {
            return named;
        } catch (IOException other) {
            throw new AssertionError("not a FileSystemException: " + other, other);
        }
        throw new AssertionError("Writes.into did not pass the failure on");
    }
}
