package dev.absorb.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void helpListsTheSubcommands() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("round") && r.out().contains("grad"), r.out());
    }

    @Test
    void everySubcommandHasHelpAndVersion() {
        for (String command : new String[] {"round", "grad"}) {
            CliRunner help = CliRunner.run(command, "--help");
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out().startsWith("Usage: absorb " + command), help.out());
            CliRunner version = CliRunner.run(command, "--version");
            assertEquals(0, version.exitCode(), command);
            assertTrue(version.out().startsWith("absorb "), version.out());
        }
    }

    @Test
    void versionNamesTheCommitAndTheJvm() {
        CliRunner r = CliRunner.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("\ncommit " + dev.absorb.results.BuildInfo.current().commitText() + "\n"), r.out());
        assertTrue(r.out().contains("JVM: "), r.out());
    }

    @Test
    void noSubcommandExits2() {
        CliRunner r = CliRunner.run();
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("missing subcommand; valid: round, grad"), r.err());
    }

    @Test
    void unknownSubcommandOrOptionExits2OnOneLine() {
        CliRunner r = CliRunner.run("rnd");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        r = CliRunner.run("round", "--fromat", "bf16");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().startsWith("absorb round: "), r.err());
    }
}
