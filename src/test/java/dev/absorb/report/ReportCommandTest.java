package dev.absorb.report;

import dev.absorb.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code absorb report} through the CLI: exit codes and the one-line errors. */
class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesTheReportAndSaysWhere() {
        Path run = RunFixtures.run(dir, "run", true, null, null);

        String[] result = absorb("report", run.toString());

        assertEquals("0", result[0], result[2]);
        assertEquals("wrote " + run.resolve("report.md") + " and 6 plots (PNG and SVG) in " + run.resolve("plots") + "\n", result[1]);
        assertTrue(Files.exists(run.resolve("plots/thresholds-bf16.svg")));
    }

    @Test
    void aFolderWithoutResultsExitsTwoNamingWhatIsMissing() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        String[] result = absorb("report", empty.toString());

        assertEquals("2", result[0]);
        assertEquals("absorb report: " + empty + " holds no results: thresholds.csv and jmh.json are both missing "
                + "(a run folder holds at least one of them)\n", result[2]);
    }

    @Test
    void aMissingArgumentOrFolderExitsTwoWithOneLine() {
        String[] none = absorb("report");
        assertEquals("2", none[0]);
        assertTrue(none[2].startsWith("absorb report: Missing required parameter: 'RUN'") && none[2].indexOf('\n') == none[2].length() - 1,
                none[2]);

        String[] missing = absorb("report", dir.resolve("nope").toString());
        assertEquals("2", missing[0]);
        assertEquals("absorb report: " + dir.resolve("nope") + ": no such folder\n", missing[2]);

        String[] empty = absorb("report", "");
        assertEquals("2", empty[0]);
        assertTrue(empty[2].contains("path is empty"), empty[2]);
    }

    /** exit code, stdout, stderr. */
    private static String[] absorb(String... args) {
        CommandLine commandLine = Main.newCommandLine(new ByteArrayInputStream(new byte[0]));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }
}
