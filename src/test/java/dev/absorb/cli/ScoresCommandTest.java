package dev.absorb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoresCommandTest {

    private static Path fixture(String name) throws Exception {
        return Path.of(ScoresCommandTest.class.getResource("/dev/absorb/job/" + name).toURI());
    }

    @Test
    void runFoldersAreLabelledByName(@TempDir Path dir) throws Exception {
        // given: two run folders
        Path a = Files.createDirectories(dir.resolve("20261123T130000Z_jdk17_x"));
        Path b = Files.createDirectories(dir.resolve("20261123T131000Z_jdk25_x"));
        Files.copy(fixture("jmh-jdk17.json"), a.resolve("jmh.json"));
        Files.copy(fixture("jmh-jdk25.json"), b.resolve("jmh.json"));
        // when
        CliRunner r = CliRunner.run("scores", a.toString(), b.resolve("jmh.json").toString());
        // then
        assertEquals(0, r.exitCode(), r.err());
        String header = r.out().lines().findFirst().orElseThrow();
        assertTrue(header.contains("20261123T130000Z_jdk17_x") && header.contains("20261123T131000Z_jdk25_x"), header);
        assertEquals(5, r.out().lines().count(), r.out());
    }

    @Test
    void aMissingRunIsBadInput(@TempDir Path dir) {
        CliRunner r = CliRunner.run("scores", dir.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine() && r.err().contains("jmh.json does not exist"), r.err());
    }

    @Test
    void aFileThatIsNotJsonIsBadInput(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("jmh.json"), "Benchmark  Mode  Cnt  Score\n");
        CliRunner r = CliRunner.run("scores", file.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine() && r.err().contains("is not JMH JSON"), r.err());
    }
}
