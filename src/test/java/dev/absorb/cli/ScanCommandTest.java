package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanCommandTest {

    @TempDir
    Path dir;

    /** Four rows of 1000 classes: gaps 0, 8, 12 and 40 over flat logits, target 0 (the argmax). */
    private Path logits() throws IOException {
        StringBuilder text = new StringBuilder();
        for (double gap : new double[] {0, 8, 12, 40}) {
            text.append(gap);
            text.append(",0".repeat(999)).append('\n');
        }
        return Files.writeString(dir.resolve("rows.csv"), text);
    }

    @Test
    void jsonCarriesTheCountsPerRecipe() throws IOException {
        CliRunner r = CliRunner.run("scan", "--logits", logits().toString(), "--recipes", "bf16,bf16/acc=fp32/grad=complement",
                "--format", "json", "--threads", "2");

        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("argmax", json.get("targets").asText());
        assertEquals(1000, json.get("classes").asInt());
        JsonNode bf16 = json.get("recipes").get(0);
        assertEquals("bf16", bf16.get("recipe").asText());
        assertEquals(4, bf16.get("rows").asLong());
        // bf16 at C = 1000 absorbs from gap 11.75 (thresholds.csv): the rows at 12 and 40, both inside the window
        assertEquals(2, bf16.get("absorbed_rows").asLong());
        assertEquals(2, bf16.get("nfi_rows").asLong());
        assertEquals(0, bf16.get("nonfinite_rows").asLong());
        assertEquals(1.0, bf16.get("max_zero_sum_residual").asDouble());
        assertEquals(2, bf16.get("max_zero_sum_residual_row").asLong());
        assertEquals(0.0, bf16.get("gap").get("min").asDouble());
        assertEquals(40.0, bf16.get("gap").get("max").asDouble());
        JsonNode cure = json.get("recipes").get(1);
        assertEquals(0, cure.get("absorbed_rows").asLong());
        assertEquals(0, cure.get("nfi_rows").asLong());
    }

    @Test
    void textNamesTheFileTheTargetsAndTheRecipes() throws IOException {
        Path targets = Files.writeString(dir.resolve("t.txt"), "0\n0\n0\n0\n");
        CliRunner r = CliRunner.run("scan", "--logits", logits().toString(), "--targets", targets.toString(), "--recipes",
                "torch:bf16");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("scan of " + dir.resolve("rows.csv") + ": 4 rows x 1000 classes; targets: " + targets), r.out());
        assertTrue(r.out().contains("torch:bf16"), r.out());
        // PyTorch bf16 absorbs from gap 13.1875 at C = 1000: only the row at 40
        assertTrue(r.out().contains("           1 (25 %)           1 (25 %)"), r.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path rows = logits();
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "1,2,3\n1,2\n");
        Path targets = Files.writeString(dir.resolve("t.txt"), "0\n1000\n0\n0\n");

        CliRunner.run("scan", "--logits", ragged.toString(), "--recipes", "bf16").assertBadInput("scan", "a ragged row");
        CliRunner.run("scan", "--logits", rows.toString(), "--targets", targets.toString(), "--recipes", "bf16")
                .assertBadInput("scan", "target 1000 is out of range [0, 1000)");
        CliRunner.run("scan", "--logits", rows.toString(), "--recipes", "bf17").assertBadInput("scan", "unknown format 'bf17'");
        CliRunner.run("scan", "--logits", dir.resolve("none.npy").toString(), "--recipes", "bf16")
                .assertBadInput("scan", "none.npy: no such file");
        CliRunner.run("scan", "--logits", rows.toString(), "--recipes", "bf16", "--format", "xml")
                .assertBadInput("scan", "valid: text, json");
        CliRunner.run("scan", "--recipes", "bf16").assertBadInput("scan", "--logits");
    }
}
