package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvCommandTest {

    @Test
    void printsEnvJsonForThisJvm() throws Exception {
        CliRunner r = CliRunner.run("env", "--profile", "quick");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode env = new ObjectMapper().readTree(r.out());
        assertEquals("quick", env.get("profile").asText());
        assertEquals(Runtime.version().feature(), env.at("/jvm/feature").asInt());
    }

    @Test
    void writesANewFileAndNeverReplacesOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("env.json");
        assertEquals(0, CliRunner.run("env", "--out", file.toString()).exitCode());
        String first = Files.readString(file);
        assertTrue(new ObjectMapper().readTree(first).get("profile").isNull());
        // when: again into the same file
        CliRunner again = CliRunner.run("env", "--out", file.toString());
        // then
        assertEquals(2, again.exitCode());
        assertTrue(again.oneErrorLine() && again.err().contains("already exists"), again.err());
        assertEquals(first, Files.readString(file));
        assertEquals(List.of(file), Files.list(dir).toList(), "no temporary left");
    }

    @Test
    void aMissingFolderIsBadInput(@TempDir Path dir) {
        CliRunner r = CliRunner.run("env", "--out", dir.resolve("no/such/env.json").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine() && r.err().startsWith("absorb env: --out: the folder of "), r.err());
    }
}
