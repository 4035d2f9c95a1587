package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.absorb.results.Fixtures;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code absorb gate} on the real A/A pair of this project's JMH runs (test resources): it
 * passes the pair, fails the pair with one benchmark made 20 % slower, and fails a moved threshold.
 */
class GateCommandTest {

    @TempDir
    Path dir;

    private static String a() {
        return Fixtures.path("A").toString();
    }

    private static String b() {
        return Fixtures.path("B").toString();
    }

    private static void assertBadInput(CliRunner r, String fragment) {
        r.assertBadInput("gate", fragment);
    }

    @Test
    void anAaPairPassesBothWays() {
        for (String[] pair : new String[][] {{a(), b()}, {b(), a()}}) {
            CliRunner r = CliRunner.run("gate", "--baseline", pair[0], "--current", pair[1], "--thresholds");
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().startsWith("## absorb gate: PASS\n"), r.out());
            assertTrue(r.out().contains("- thresholds: 6 configurations compared exactly"), r.out());
            assertFalse(r.out().contains("### Regressions"), r.out());
        }
    }

    @Test
    void oneBenchmarkTwentyPercentSlowerFailsAndIsNamed() throws IOException {
        Path slowed = Fixtures.copyFolder("A", dir);
        Fixtures.scaleSamples(slowed.resolve("jmh.json"), Fixtures.benchmark("forward", "bf16"), 1.2);
        Path summary = Files.writeString(dir.resolve("summary.md"), "earlier step\n");

        CliRunner r = CliRunner.run("gate", "--baseline", b(), "--current", slowed.toString(), "--summary", summary.toString());

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("## absorb gate: FAIL (1 regression)\n"), r.out());
        String regressions = section(r.out(), "### Regressions (1)");
        assertTrue(regressions.contains("| KernelBenchmark.forward | classes=32000 family=gauss gap=4 recipe=bf16 | avgt, ns/op |"), regressions);
        assertEquals("earlier step\n" + r.out(), Files.readString(summary), "the summary is appended, the earlier content kept");
    }

    @Test
    void aMovedThresholdFailsWithThresholdsAndPassesWithTolerance() throws IOException {
        Path moved = Fixtures.copyFolder("A", dir);
        moveFirstDeltaAbs(moved.resolve("thresholds.csv"), 1.0 + 0x1p-7);

        CliRunner strict = CliRunner.run("gate", "--baseline", b(), "--current", moved.toString(), "--thresholds");
        assertEquals(1, strict.exitCode(), strict.out() + strict.err());
        assertTrue(strict.out().startsWith("## absorb gate: FAIL (1 changed threshold)"), strict.out());
        assertTrue(section(strict.out(), "### Changed thresholds (1)").contains("| bf16 | flat | 10 | first | delta_abs | 7.15625 |"),
                strict.out());

        CliRunner loose = CliRunner.run("gate", "--baseline", b(), "--current", moved.toString(), "--thresholds", "--tolerance", "1%");
        assertEquals(0, loose.exitCode(), loose.out());
        assertTrue(loose.out().contains("with relative tolerance 0.01"), loose.out());

        CliRunner ignored = CliRunner.run("gate", "--baseline", b(), "--current", moved.toString());
        assertEquals(0, ignored.exitCode(), "without --thresholds only timings count: " + ignored.out());
    }

    @Test
    void aLargerAllowanceOrNormalisationStillRun() {
        CliRunner r = CliRunner.run("gate", "--baseline", b(), "--current", a(), "--max-slowdown", "50%", "--alpha", "0.01",
                "--normalize-to", "KernelBenchmark.plainForwardFloat");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("lies above 50 %"), r.out());
        assertTrue(r.out().contains("every score divided by KernelBenchmark.plainForwardFloat"), r.out());
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    void badInputExitsTwoAndWritesNoSummary() throws IOException {
        Path summary = dir.resolve("summary.md");
        assertBadInput(CliRunner.run("gate", "--current", a()), "Missing required option: '--baseline=RUN'");
        assertBadInput(CliRunner.run("gate", "--baseline", b(), "--current", a(), "--max-slowdown", "10"),
                "'10' is ambiguous: write 10% or a fraction such as 0.1");
        assertBadInput(CliRunner.run("gate", "--baseline", b(), "--current", a(), "--max-slowdown", "-5%"), "non-negative");
        assertBadInput(CliRunner.run("gate", "--baseline", b(), "--current", a(), "--tolerance", "0.01"),
                "--tolerance applies to --thresholds");
        assertBadInput(CliRunner.run("gate", "--baseline", b(), "--current", Fixtures.path("thrpt.json").toString(), "--thresholds",
                "--summary", summary.toString()), "thresholds.csv: no such file (gate --thresholds needs thresholds.csv in both runs)");
        assertBadInput(CliRunner.run("gate", "--baseline", b(), "--current", dir.resolve("nope").toString(), "--summary", summary.toString()),
                "nope: no such file or folder");
        assertFalse(Files.exists(summary), "bad input writes no summary");
    }

    // ---- a gate that checked nothing does not pass ---------------------------------------------

    @Test
    void aTwiceSlowerBenchmarkFails() throws IOException {
        Path slowed = Fixtures.copyFolder("A", dir);
        Fixtures.scaleSamples(slowed.resolve("jmh.json"), Fixtures.benchmark("forward", "bf16"), 2.0);
        CliRunner r = CliRunner.run("gate", "--baseline", b(), "--current", slowed.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("## absorb gate: FAIL (1 regression)\n"), r.out());
    }

    @Test
    void aBenchmarkMissingInTheCurrentRunFailsUnlessAllowed() throws IOException {
        Path lacking = Fixtures.copyFolder("A", dir);
        Fixtures.removeResults(lacking.resolve("jmh.json"), Fixtures.benchmark("forward", "bf16"));

        CliRunner strict = CliRunner.run("gate", "--baseline", b(), "--current", lacking.toString());
        assertEquals(1, strict.exitCode(), strict.out() + strict.err());
        assertTrue(strict.out().startsWith("## absorb gate: FAIL (1 benchmark missing in the current run)\n"), strict.out());
        assertTrue(strict.out().contains("; not checked: 1 missing in the current run, 0 with too few samples\n"), strict.out());
        assertTrue(strict.out().contains("- only in the baseline: KernelBenchmark.forward"), strict.out());

        CliRunner allowed = CliRunner.run("gate", "--baseline", b(), "--current", lacking.toString(), "--allow-missing");
        assertEquals(0, allowed.exitCode(), allowed.out() + allowed.err());
        assertTrue(allowed.out().startsWith("## absorb gate: PASS\n"), allowed.out());
        assertTrue(allowed.out().contains("1 missing in the current run (allowed)"), allowed.out());
    }

    @Test
    void aThresholdRowMissingInTheCurrentRunFailsUnlessAllowed() throws IOException {
        Path lacking = Fixtures.copyFolder("A", dir);
        Path csv = lacking.resolve("thresholds.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.remove(lines.size() - 1);
        Files.write(csv, lines);

        CliRunner strict = CliRunner.run("gate", "--baseline", b(), "--current", lacking.toString(), "--thresholds");
        assertEquals(1, strict.exitCode(), strict.out() + strict.err());
        assertTrue(strict.out().startsWith("## absorb gate: FAIL (1 threshold row missing in the current run)\n"), strict.out());

        CliRunner allowed = CliRunner.run("gate", "--baseline", b(), "--current", lacking.toString(), "--thresholds", "--allow-missing");
        assertEquals(0, allowed.exitCode(), allowed.out() + allowed.err());
    }

    @Test
    void benchmarksWithTooFewSamplesFailUnlessAllowed() throws IOException {
        Path base = Fixtures.copyFolder("B", dir.resolve("base"));
        Path current = Fixtures.copyFolder("A", dir.resolve("current"));
        Fixtures.truncateSamples(base.resolve("jmh.json"), 1, 1);
        Fixtures.truncateSamples(current.resolve("jmh.json"), 1, 1);

        CliRunner strict = CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString());
        assertEquals(1, strict.exitCode(), strict.out() + strict.err());
        assertTrue(strict.out().startsWith("## absorb gate: FAIL ("), strict.out());
        assertTrue(strict.out().contains(" not testable)\n"), strict.out());
        assertTrue(strict.out().contains("- checked: 0 benchmarks of the baseline's "), strict.out());

        CliRunner allowed = CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString(), "--allow-untested");
        assertEquals(0, allowed.exitCode(), allowed.out() + allowed.err());
        assertTrue(allowed.out().contains("with too few samples (allowed)"), allowed.out());
    }

    @Test
    void thresholdsOfSweepOnlyFoldersAreGated() throws IOException {
        Path base = Fixtures.copyFolder("B", dir.resolve("base"));
        Path current = Fixtures.copyFolder("A", dir.resolve("current"));
        Files.delete(base.resolve("jmh.json"));
        Files.delete(current.resolve("jmh.json"));

        CliRunner same = CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString(), "--thresholds");
        assertEquals(0, same.exitCode(), same.out() + same.err());
        assertTrue(same.out().contains("- thresholds: 6 configurations compared exactly"), same.out());

        moveFirstDeltaAbs(current.resolve("thresholds.csv"), 2);
        CliRunner moved = CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString(), "--thresholds");
        assertEquals(1, moved.exitCode(), moved.out() + moved.err());
        assertTrue(moved.out().startsWith("## absorb gate: FAIL (1 changed threshold)"), moved.out());

        CliRunner lostBenchmarks = CliRunner.run("gate", "--baseline", b(), "--current", current.toString(), "--thresholds");
        assertEquals(1, lostBenchmarks.exitCode(), "the baseline's benchmarks are missing: " + lostBenchmarks.out());
        assertBadInput(CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString()), "holds no jmh.json");
    }

    @Test
    void jsonCarriesTheVerdictAndEveryRow() throws IOException {
        Path slowed = Fixtures.copyFolder("A", dir);
        Fixtures.scaleSamples(slowed.resolve("jmh.json"), Fixtures.benchmark("forward", "bf16"), 2.0);
        CliRunner r = CliRunner.run("gate", "--baseline", b(), "--current", slowed.toString(), "--format", "json");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("fail", root.get("verdict").asText());
        assertEquals("1 regression", root.get("problems").get(0).asText());
        int regressions = 0;
        for (com.fasterxml.jackson.databind.JsonNode row : root.get("rows")) {
            assertTrue(row.get("scores").get(0).has("median") && row.has("ratio_low") && row.has("p"), row.toString());
            if (row.get("verdict").asText().equals("regression")) {
                regressions++;
                assertTrue(row.get("ratio").asDouble() > 1.8, row.toString());
            }
        }
        assertEquals(1, regressions);

        CliRunner aa = CliRunner.run("gate", "--baseline", b(), "--current", a(), "--format", "json");
        assertEquals(0, aa.exitCode(), aa.err());
        assertEquals("pass", new com.fasterxml.jackson.databind.ObjectMapper().readTree(aa.out()).get("verdict").asText());
    }

    @Test
    void allocationGrowthBeyondTheAllowanceFails() throws IOException {
        Path base = Fixtures.copyFolder("B", dir.resolve("base"));
        Path current = Fixtures.copyFolder("A", dir.resolve("current"));
        setAllocation(base.resolve("jmh.json"), 0.01);
        setAllocation(current.resolve("jmh.json"), 48);

        CliRunner grown = CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString());
        assertEquals(1, grown.exitCode(), grown.out() + grown.err());
        assertTrue(grown.out().startsWith("## absorb gate: FAIL ("), grown.out());
        assertTrue(grown.out().contains(" allocation growths)"), grown.out());
        CliRunner allowed = CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString(),
                "--max-alloc-growth", "64B");
        assertEquals(0, allowed.exitCode(), allowed.out() + allowed.err());
        assertTrue(allowed.out().contains("### Allocation per operation (gc.alloc.rate.norm, "), allowed.out());

        setAllocation(current.resolve("jmh.json"), 0.5);
        CliRunner noise = CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString());
        assertEquals(0, noise.exitCode(), "sub-byte growth is noise: " + noise.out());
        assertBadInput(CliRunner.run("gate", "--baseline", base.toString(), "--current", current.toString(),
                "--max-alloc-growth", "lots"), "is not an allocation allowance");
    }

    /** Gives every result a gc.alloc.rate.norm secondary metric of {@code bytes} B/op. */
    private static void setAllocation(Path jmhJson, double bytes) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(jmhJson.toFile());
        for (com.fasterxml.jackson.databind.JsonNode r : root) {
            com.fasterxml.jackson.databind.node.ObjectNode metric = ((com.fasterxml.jackson.databind.node.ObjectNode) r)
                    .putObject("secondaryMetrics").putObject("gc.alloc.rate.norm");
            metric.put("score", bytes);
            metric.put("scoreUnit", "B/op");
        }
        mapper.writeValue(jmhJson.toFile(), root);
    }

    // ---- pooled baselines -----------------------------------------------------------------------

    /** Two runs as one baseline: each benchmark's forks of both runs, 5 + 5, against the current run's 5. */
    @Test
    void aPooledBaselineHasEveryRunsForksAndSaysHowItPooled() throws IOException {
        Path copy = Fixtures.copyFolder("A", dir);
        CliRunner r = CliRunner.run("gate", "--baseline", a(), "--baseline", b(), "--current", copy.toString(), "--format", "json");

        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        JsonNode baseline = json.get("inputs").get(0);
        assertEquals("pooled: each benchmark's forks of every run concatenated", baseline.get("pooling").asText());
        assertEquals(List.of(a(), b()), List.of(baseline.get("pooled_from").get(0).asText(), baseline.get("pooled_from").get(1).asText()));
        for (JsonNode row : json.get("rows")) {
            assertEquals(10, row.get("scores").get(0).get("n").asInt(), "5 forks of each run: " + row);
            assertEquals(5, row.get("scores").get(1).get("n").asInt(), row.toString());
        }
    }

    @Test
    void aCommaListPoolsLikeRepeatedOptionsAndTheMarkdownNamesTheMethod() {
        CliRunner comma = CliRunner.run("gate", "--baseline", a() + "," + b(), "--current", b());
        CliRunner repeated = CliRunner.run("gate", "--baseline", a(), "--baseline", b(), "--current", b());

        assertEquals(0, comma.exitCode(), comma.out() + comma.err());
        assertEquals(repeated.out(), comma.out());
        assertTrue(comma.out().contains("- baseline: `" + a() + " + " + b()
                + " (pooled: each benchmark's forks of every run concatenated)`"), comma.out());
    }

    @Test
    void aPooledBaselineCatchesATwofoldSlowdown() throws IOException {
        Path slowed = Fixtures.copyFolder("A", dir);
        Fixtures.scaleSamples(slowed.resolve("jmh.json"), r -> true, 2.0);

        CliRunner r = CliRunner.run("gate", "--baseline", a() + "," + b(), "--current", slowed.toString());

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("## absorb gate: FAIL (3 regressions)"), r.out());
    }

    @Test
    void runsOfAnotherJvmAreNotPooledUnlessCrossEnv() throws IOException {
        Path otherJvm = Fixtures.copyFolder("A", dir.resolve("jvm"));
        replaceIn(otherJvm.resolve("env.json"), "17.0.15+6-Debian-1deb12u1", "25.0.1+8-LTS");

        assertBadInput(CliRunner.run("gate", "--baseline", b() + "," + otherJvm, "--current", a()),
                "baseline: cannot pool the runs come from different environments (JVM differs: ");
        assertBadInput(CliRunner.run("gate", "--baseline", b() + ",", "--current", a()), "baseline: an empty path in");
    }

    // ---- environments ---------------------------------------------------------------------------

    @Test
    void runsFromAnotherCpuOrJvmAreRefusedUnlessCrossEnv() throws IOException {
        Path otherCpu = Fixtures.copyFolder("A", dir.resolve("cpu"));
        replaceIn(otherCpu.resolve("env.json"), "AMD EPYC", "Intel Xeon");
        Path otherJvm = Fixtures.copyFolder("A", dir.resolve("jvm"));
        replaceIn(otherJvm.resolve("env.json"), "17.0.15+6-Debian-1deb12u1", "25.0.1+8-LTS");

        assertBadInput(CliRunner.run("gate", "--baseline", b(), "--current", otherCpu.toString()),
                "CPU model differs: baseline AMD EPYC; current Intel Xeon");
        assertBadInput(CliRunner.run("gate", "--baseline", b(), "--current", otherJvm.toString()), "JVM differs: ");

        CliRunner crossed = CliRunner.run("gate", "--baseline", b(), "--current", otherCpu.toString(), "--cross-env");
        assertEquals(0, crossed.exitCode(), crossed.out() + crossed.err());
        assertTrue(crossed.out().contains("- CPU model differs: baseline AMD EPYC; current Intel Xeon\n"), crossed.out());
    }

    /**
     * Two EPYCs that /proc/cpuinfo names alike: family 25 model 1 (AVX2) and model 17 (AVX-512).
     * Family and model, and the ISA level, tell them apart; a baseline from before env.json
     * recorded either still has its flags, whose level (avx2) differs from the current run's.
     */
    @Test
    void cpusOneModelNameHidesAreRefusedByFamilyAndIsaLevel() throws IOException {
        Path zen3 = Fixtures.copyFolder("B", dir.resolve("zen3"));
        replaceIn(zen3.resolve("env.json"), "\"model\": \"AMD EPYC\",",
                "\"model\": \"AMD EPYC\", \"vendor\": \"AuthenticAMD\", \"family\": 25, \"model_number\": 1, \"isa_level\": \"avx2\",");
        Path zen4 = Fixtures.copyFolder("A", dir.resolve("zen4"));
        replaceIn(zen4.resolve("env.json"), "\"model\": \"AMD EPYC\",",
                "\"model\": \"AMD EPYC\", \"vendor\": \"AuthenticAMD\", \"family\": 25, \"model_number\": 17, \"isa_level\": \"avx512\",");

        CliRunner r = CliRunner.run("gate", "--baseline", zen3.toString(), "--current", zen4.toString());
        assertBadInput(r, "CPU family and model differs: baseline family 25 model 1; current family 25 model 17");
        assertTrue(r.err().contains("ISA level differs: baseline avx2; current avx512"), r.err());

        CliRunner old = CliRunner.run("gate", "--baseline", b(), "--current", zen4.toString());
        assertBadInput(old, "ISA level differs: baseline avx2; current avx512");
        assertFalse(old.err().contains("family"), "unknown in the older baseline: " + old.err());
    }

    @Test
    void singleForkSamplesAreWarnedAbout() throws IOException {
        Path oneFork = Fixtures.copyFolder("A", dir);
        Fixtures.truncateSamples(oneFork.resolve("jmh.json"), 1, 100);
        CliRunner r = CliRunner.run("gate", "--baseline", b(), "--current", oneFork.toString(), "--allow-untested");
        assertTrue(r.out().contains("- warning: current measured benchmarks in a single fork"), r.out());
    }

    private static void replaceIn(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " holds " + from);
        Files.writeString(file, text.replace(from, to));
    }

    // ---- could not finish -----------------------------------------------------------------------

    @Test
    void aSummaryThatCannotBeWrittenExitsThreeWithOneLineAndNoVerdict() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        for (Path summary : List.of(dir.resolve("no/such/dir/s.md"), notAFolder.resolve("s.md"))) {
            CliRunner r = CliRunner.run("gate", "--baseline", b(), "--current", a(), "--summary", summary.toString());
            assertEquals(3, r.exitCode(), r.err());
            assertTrue(r.oneErrorLine(), "one stderr line, no stack trace: [" + r.err() + "]");
            assertTrue(r.err().startsWith("absorb gate: could not finish: --summary " + summary), r.err());
            assertEquals("", r.out(), "no PASS before the failure");
        }
    }

    /** The part of a markdown summary from a heading to the next one. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertTrue(start >= 0, heading + " in " + markdown);
        int end = markdown.indexOf("\n### ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** Multiplies the first row's delta_abs by factor, writing the file back with commons-csv. */
    private static void moveFirstDeltaAbs(Path csv, double factor) throws IOException {
        List<String> header;
        List<List<String>> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(csv);
             CSVParser parser = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            header = parser.getHeaderNames();
            for (CSVRecord record : parser) {
                rows.add(new ArrayList<>(record.toList()));
            }
        }
        int column = header.indexOf("delta_abs");
        rows.get(0).set(column, Double.toString(Double.parseDouble(rows.get(0).get(column)) * factor));
        try (Writer writer = Files.newBufferedWriter(csv);
             CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                     .setHeader(header.toArray(new String[0])).build())) {
            printer.printRecords(rows);
        }
    }
}
