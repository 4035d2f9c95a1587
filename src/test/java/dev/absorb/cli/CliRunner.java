package dev.absorb.cli;

import org.junit.jupiter.api.Assertions;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process with the given stdin and captures exit code, stdout and stderr. */
record CliRunner(int exitCode, String out, String err) {

    static CliRunner withStdin(String stdin, String... args) {
        CommandLine commandLine = Main.newCommandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return new CliRunner(exitCode, out.toString(), err.toString());
    }

    static CliRunner run(String... args) {
        return withStdin("", args);
    }

    /** stderr is exactly one line. */
    boolean oneErrorLine() {
        return err.endsWith("\n") && err.indexOf('\n') == err.length() - 1;
    }

    /** Bad input: exit 2, one stderr line from {@code absorb <command>: } naming {@code fragment}, nothing on stdout. */
    void assertBadInput(String command, String fragment) {
        Assertions.assertEquals(2, exitCode, "exit code; stderr: " + err);
        Assertions.assertTrue(oneErrorLine(), "exactly one stderr line: [" + err + "]");
        Assertions.assertTrue(err.startsWith("absorb " + command + ": "), err);
        Assertions.assertTrue(err.contains(fragment), "stderr names '" + fragment + "': " + err);
        Assertions.assertEquals("", out, "nothing on stdout");
    }
}
