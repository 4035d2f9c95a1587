package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.absorb.results.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code absorb export} to Bencher Metric Format and github-action-benchmark's custom tools. */
class ExportCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void bencherHasAValueAndBoundsPerBenchmark() throws IOException {
        CliRunner r = CliRunner.run("export", "--to", "bencher", Fixtures.path("A").toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = MAPPER.readTree(r.out());
        assertTrue(root.size() > 0, r.out());
        root.fields().forEachRemaining(e -> {
            JsonNode m = e.getValue().get("latency");
            assertTrue(m != null && m.get("lower_value").asDouble() <= m.get("value").asDouble()
                    && m.get("value").asDouble() <= m.get("upper_value").asDouble(), e.toString());
        });
    }

    @Test
    void githubActionBenchmarkKnowsTheMode() throws IOException {
        CliRunner avgt = CliRunner.run("export", "--to", "github-action-benchmark", Fixtures.path("A").toString());
        assertEquals(0, avgt.exitCode(), avgt.err());
        JsonNode first = MAPPER.readTree(avgt.out()).get(0);
        assertTrue(first.get("extra").asText().endsWith("tool customSmallerIsBetter"), first.toString());
        assertEquals("ns/op", first.get("unit").asText());

        CliRunner thrpt = CliRunner.run("export", "--to", "github-action-benchmark", Fixtures.path("thrpt.json").toString());
        assertEquals(0, thrpt.exitCode(), thrpt.err());
        assertTrue(MAPPER.readTree(thrpt.out()).get(0).get("extra").asText().endsWith("tool customBiggerIsBetter"), thrpt.out());
        CliRunner bencher = CliRunner.run("export", "--to", "bencher", Fixtures.path("thrpt.json").toString());
        assertTrue(bencher.out().contains("\"throughput\""), bencher.out());
    }

    @Test
    void aRunMixingDirectionsIsExportedOneModeAtATime(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode mixed = (com.fasterxml.jackson.databind.node.ArrayNode)
                MAPPER.readTree(Fixtures.path("A").resolve("jmh.json").toFile());
        MAPPER.readTree(Fixtures.path("thrpt.json").toFile()).forEach(mixed::add);
        java.nio.file.Path file = dir.resolve("mixed.json");
        MAPPER.writeValue(file.toFile(), mixed);

        CliRunner.run("export", "--to", "github-action-benchmark", file.toString())
                .assertBadInput("export", "github-action-benchmark takes one direction per file; export each with --mode");
        CliRunner thrpt = CliRunner.run("export", "--to", "github-action-benchmark", "--mode", "thrpt", file.toString());
        assertEquals(0, thrpt.exitCode(), thrpt.err());
        assertTrue(thrpt.out().contains("customBiggerIsBetter") && !thrpt.out().contains("customSmallerIsBetter"), thrpt.out());
    }

    @Test
    void badInputExitsTwo() {
        CliRunner.run("export", "--to", "graphite", Fixtures.path("A").toString()).assertBadInput("export", "unknown target 'graphite'");
        CliRunner.run("export", "--to", "bencher", "--mode", "thrpt", Fixtures.path("A").toString())
                .assertBadInput("export", "has no benchmark in mode thrpt");
    }
}
