package dev.absorb.report;

import dev.absorb.results.Direction;
import dev.absorb.results.JmhRow;
import dev.absorb.results.CurveRecord;
import dev.absorb.results.ThresholdRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsThresholdsByColumnName() {
        Run run = RunFixtures.read(dir, "run", true, null, null);

        assertEquals(288, run.thresholds().size());
        ThresholdRecord bf16 = run.headlineRows("bf16").stream().filter(t -> t.classes() == 128256).findFirst().orElseThrow();
        assertEquals(12.5, bf16.deltaAbs());
        assertEquals(93.0, bf16.deltaUf());
        assertEquals(17.306953193107407, bf16.predicted());
        assertEquals(94.0, bf16.gapMax());
        assertTrue(bf16.absorbs());
        assertTrue(bf16.isDefaultRecipe());
        assertEquals(List.of("bf16", "e4m3", "e2m1"), run.formats());
        assertEquals(List.of(2, 10, 100, 1000, 32000, 128256), run.classCounts());
        assertEquals("flat", run.headlineFamily());
        assertEquals("first", run.headlineTarget());
    }

    @Test
    void emptyCellsAreNaNAndAnEqualEndMeansNoWindow() {
        Run run = RunFixtures.read(dir, "run", true, null, null);

        ThresholdRecord complement = run.headlineRows("bf16/grad=complement").get(0);
        assertEquals(93.0, complement.deltaAbs());
        assertFalse(complement.absorbs(), "delta_abs = delta_uf: g_y dies with the rest");
    }

    @Test
    void readsCurvesAndJmhAndEnv() {
        Run run = RunFixtures.read(dir, "run", true, RunFixtures.JMH_17_A, RunFixtures.ENV_17);

        CurveRecord first = run.curves().stream().filter(c -> c.recipe().equals("bf16") && c.classes() == 128256
                && c.target().equals("first")).findFirst().orElseThrow();
        assertEquals(0.0, first.gap());
        assertEquals(-1.0, first.gradientTarget());
        assertEquals(0.9685655740850172, first.zeroSumResidual());

        assertEquals(16, run.benchmarks().size());
        JmhRow fused = run.benchmarks().get(8);
        assertEquals("dev.absorb.bench.KernelBenchmark.fused", fused.benchmark());
        assertEquals("fused", fused.method());
        assertEquals("KernelBenchmark.fused", fused.shortName());
        assertEquals(Map.of("classes", "1000", "gap", "4", "recipe", "fp32"), fused.params());
        assertEquals("KernelBenchmark.fused classes=1000 gap=4 recipe=fp32", fused.rowName());
        assertEquals("avgt", fused.mode());
        assertEquals("ns/op", fused.unit());
        assertArrayEquals(new double[][] {{202917525.5, 98081954.33333333, 33344155.14285714}}, fused.forks());

        assertEquals("OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1 (Debian)", EnvironmentText.jvm(run.environment()));
        String cpu = EnvironmentText.cpu(run.environment());
        assertTrue(cpu.startsWith("AMD EPYC, 2 cores, Linux amd64; Vector API 256 bits (8 float lanes); SIMD flags: "), cpu);
        assertTrue(cpu.contains(" avx2 ") && cpu.contains("fma") && !cpu.contains("fpu"), cpu);
        assertEquals("JDK 17, AMD EPYC", run.label());
    }

    @Test
    void aRunWithoutOptionalFilesSaysSo() {
        Run run = RunFixtures.read(dir, "run", true, null, null);

        assertFalse(run.hasBenchmarks());
        assertNull(run.environment());
        assertEquals("run", run.label());
        assertFalse(run.incomplete());
    }

    @Test
    void aMissingFolderOrOneWithoutResultsIsBadInput() throws IOException {
        String missing = assertThrows(IllegalArgumentException.class, () -> RunReader.read(dir.resolve("nope"))).getMessage();
        assertTrue(missing.endsWith("nope: no such folder"), missing);

        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("env.json"), "{}");
        String noResults = assertThrows(IllegalArgumentException.class, () -> RunReader.read(empty)).getMessage();
        assertTrue(noResults.contains("holds no results: thresholds.csv and jmh.json are both missing"), noResults);

        Path file = Files.writeString(dir.resolve("file"), "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunReader.read(file)).getMessage().endsWith("not a folder"));
    }

    @Test
    void aMissingColumnIsNamed() throws IOException {
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.writeString(run.resolve("thresholds.csv"), "recipe,format,family,classes,target,delta_abs\nbf16,bf16,flat,2,first,1\n");

        String message = assertThrows(IllegalArgumentException.class, () -> RunReader.read(run)).getMessage();
        assertTrue(message.contains("thresholds.csv: no column 'delta_abs_stable'"), message);
    }

    @Test
    void aBadCellNamesFileLineAndColumn() throws IOException {
        Path run = RunFixtures.run(dir, "run", false, null, null);
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/dev/absorb/report", RunFixtures.SWEEP_THRESHOLDS));
        lines.set(3, lines.get(3).replace(",false,", ",maybe,"));
        Files.write(run.resolve("thresholds.csv"), lines);

        String message = assertThrows(IllegalArgumentException.class, () -> RunReader.read(run)).getMessage();
        assertTrue(message.endsWith("thresholds.csv line 4, column non_monotone: 'maybe' is not true or false"), message);
    }

    @Test
    void truncatedJmhJsonIsBadInput() throws IOException {
        Path run = RunFixtures.run(dir, "run", true, null, null);
        String json = Files.readString(Path.of("src/test/resources/dev/absorb/report", RunFixtures.JMH_17_A));
        Files.writeString(run.resolve("jmh.json"), json.substring(0, json.length() / 2));

        String message = assertThrows(IllegalArgumentException.class, () -> RunReader.read(run)).getMessage();
        assertTrue(message.contains("jmh.json is not JMH JSON: "), message);
    }

    @Test
    void jsonThatIsNotJmhIsBadInput() throws IOException {
        Path run = RunFixtures.run(dir, "run", true, null, null);
        Files.writeString(run.resolve("jmh.json"), "[{\"benchmark\": \"x\"}]");

        String message = assertThrows(IllegalArgumentException.class, () -> RunReader.read(run)).getMessage();
        assertTrue(message.endsWith("jmh.json is not JMH JSON: x has no 'mode'"), message);
    }

    @Test
    void jmhsNaNErrorIsRead() throws IOException {
        Path run = RunFixtures.run(dir, "run", false, null, null);
        Files.writeString(run.resolve("jmh.json"), "[{\"benchmark\": \"a.B.m\", \"mode\": \"thrpt\", \"primaryMetric\": "
                + "{\"score\": 5.0, \"scoreError\": \"NaN\", \"scoreUnit\": \"ops/s\", \"rawData\": [[5.0]]}}]");

        JmhRow result = RunReader.read(run).benchmarks().get(0);
        assertEquals(5.0, result.score());
        assertTrue(Double.isNaN(result.scoreError()));
        assertEquals(1, result.forks().length);
        assertEquals(1, result.forks()[0].length);
        assertTrue(result.direction() == Direction.HIGHER_IS_BETTER);
        assertEquals("B.m", result.rowName());
    }

    @Test
    void anIncompleteRunIsReadAndFlagged() throws IOException {
        Path run = RunFixtures.run(dir, "run", true, null, null);
        Files.writeString(run.resolve("INCOMPLETE"), "");

        assertTrue(RunReader.read(run).incomplete());
    }
}
