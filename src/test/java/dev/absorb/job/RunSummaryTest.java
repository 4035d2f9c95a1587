package dev.absorb.job;

import dev.absorb.results.BenchmarkKey;
import dev.absorb.results.JmhRow;
import dev.absorb.results.MachineProbe;

import dev.absorb.results.RunEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSummaryTest {

    private static final List<JmhRow> SCORES = List.of(
            row("SubnormalBenchmark.forward", Map.of("classes", "1000", "family", "flat", "gap", "4", "recipe", "fp32"), 1000, 10, "ns/op"),
            row("SubnormalBenchmark.forward", Map.of("classes", "1000", "family", "flat", "gap", "88", "recipe", "fp32"), 5000, 20, "ns/op"),
            row("SubnormalBenchmark.forward", Map.of("classes", "1000", "family", "flat", "gap", "10.5", "recipe", "fp32"), 1100, 10, "ns/op"),
            row("ExpBenchmark.poly", Map.of("gap", "88"), 7.5, 0.5, "ns/op"),
            row("RoundingBenchmark.fp32Cast", Map.of(), 0.5, Double.NaN, "ns/op"));

    /** A row of {@code dev.absorb.bench.<name>} in avgt mode with one sample. */
    private static JmhRow row(String name, Map<String, String> params, double score, double error, String unit) {
        return new JmhRow(new BenchmarkKey("dev.absorb.bench." + name, "avgt", new TreeMap<>(params)), unit, new double[][] {{score}},
                score, error);
    }

    @Test
    void gapTablesHaveGapsInNumericOrderAndNsPerElement() {
        // when
        String table = RunSummary.byGap(SCORES, "SubnormalBenchmark");
        // then: 1000 ns over 1000 classes is 1 ns per element
        assertEquals("| | gap 4 | gap 10.5 | gap 88 |\n|---|---:|---:|---:|\n"
                + "| forward classes=1000 family=flat recipe=fp32 | 1 | 1.1 | 5 |\n", table);
        assertEquals("| | gap 88 |\n|---|---:|\n| poly | 7.5 |\n", RunSummary.byGap(SCORES, "ExpBenchmark"));
        assertNull(RunSummary.byGap(SCORES, "KernelBenchmark"));
    }

    @Test
    void markdownNamesTheRunAndListsEveryScore() {
        RunEnvironment env = MachineProbe.current("smoke", null, Instant.parse("2026-11-23T13:00:00Z"));
        String md = RunSummary.markdown("20261123T130000Z_jdk17_x", env, "took 1:02", "delta_abs table\n", SCORES);
        assertTrue(md.startsWith("# absorb run 20261123T130000Z_jdk17_x\n\n- profile smoke, "), md);
        assertTrue(md.contains("```\ndelta_abs table\n```"), md);
        assertTrue(md.contains("## SubnormalBenchmark: ns per element against the gap"), md);
        assertTrue(md.contains("| RoundingBenchmark.fp32Cast |  | 0.5 | ns/op |  |"), md);
        assertTrue(md.contains("| SubnormalBenchmark.forward | classes=1000 family=flat gap=88 recipe=fp32 | 5000 ± 20 | ns/op | 5 |"), md);
    }
}
