package dev.absorb.cli;

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
}
