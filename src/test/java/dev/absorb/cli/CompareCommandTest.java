package dev.absorb.cli;

import dev.absorb.results.Fixtures;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code absorb compare} on real JMH runs of this project (test resources, see their README). */
class CompareCommandTest {

    @TempDir
    Path dir;

    private static String a() {
        return Fixtures.path("A").toString();
    }

    private static String b() {
        return Fixtures.path("B").toString();
    }

    private static void assertBadInput(CliRunner r, String fragment) {
        r.assertBadInput("compare", fragment);
    }

    @Test
    void aCommaListIsOnePooledInput() {
        CliRunner r = CliRunner.run("compare", a() + "," + b(), b());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("A: " + a() + " + " + b() + " (pooled: each benchmark's forks of every run concatenated)"),
                r.out());
        assertTrue(r.out().contains("B: " + b() + " (JVM"), r.out());
    }

    @Test
    void anAaPairInText() {
        CliRunner r = CliRunner.run("compare", a(), b());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("A: " + a() + " (JVM: OpenJDK 64-Bit Server VM 17"), lines.get(0));
        assertTrue(lines.get(0).contains("CPU: AMD EPYC (2 cores) 256-bit vectors"), lines.get(0));
        assertTrue(lines.get(1).startsWith("B: " + b()), lines.get(1));
        assertTrue(r.out().contains("mode avgt, unit ns/op: lower is better"));
        assertTrue(r.out().contains("every row has classes=32000 family=gauss gap=4"), r.out());
        assertTrue(r.out().contains("of each fork's median iteration (one sample per fork)"), r.out());
        assertEquals(3, lines.stream().filter(l -> l.startsWith("KernelBenchmark.")).count(), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("geomean ") && l.contains("3 rows")), r.out());
        assertTrue(lines.stream().filter(l -> l.startsWith("KernelBenchmark.")).anyMatch(l -> l.endsWith(" ~")),
                "an A/A pair has rows without a significant change: " + r.out());
    }

    @Test
    void differingEnvironmentsAreNamedAtTheTop() throws IOException {
        Path other = Fixtures.copyFolder("B", dir);
        Path env = other.resolve("env.json");
        Files.writeString(env, Files.readString(env).replace("AMD EPYC", "Intel Xeon").replace("17.0.15+6-Debian-1deb12u1", "25.0.1+8-LTS"));
        CliRunner r = CliRunner.run("compare", a(), other.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("JVM differs: A OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1; B OpenJDK 64-Bit Server VM 25.0.1+8-LTS\n"
                + "CPU model differs: A AMD EPYC; B Intel Xeon\n"), r.out());
        CliRunner same = CliRunner.run("compare", a(), b());
        assertFalse(same.out().contains("differs:"), same.out());
    }

    @Test
    void jsonHasRowsWithRatiosAndAVerdict() throws IOException {
        CliRunner r = CliRunner.run("compare", a(), b(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertTrue(root.has("verdict"), r.out());
        com.fasterxml.jackson.databind.JsonNode row = root.get("rows").get(0);
        assertTrue(row.get("scores").get(1).has("low") && row.get("ratios").get(0).has("ratio_high")
                && row.get("ratios").get(0).has("verdict"), row.toString());
        assertFalse(r.out().contains("NaN"), r.out());
    }

    @Test
    void markdownAndCsvCarryTheSameRows() throws IOException {
        CliRunner md = CliRunner.run("compare", a(), b(), "--format", "markdown");
        assertEquals(0, md.exitCode(), md.err());
        assertTrue(md.out().startsWith("- A: "), md.out());
        assertTrue(md.out().contains("| benchmark | params | A | B | B/A | p (B) |"), md.out());

        CliRunner csv = CliRunner.run("compare", a(), b(), "--format", "csv");
        assertEquals(0, csv.exitCode(), csv.err());
        CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv.out()), format)) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(4, records.size(), "3 rows and the geomean");
            CSVRecord forward = records.stream().filter(x -> x.get("benchmark").endsWith(".forward")
                    && x.get("recipe").equals("bf16")).findFirst().orElseThrow();
            double ratio = Double.parseDouble(forward.get("B/A"));
            assertTrue(Double.parseDouble(forward.get("B/A_low")) <= ratio && ratio <= Double.parseDouble(forward.get("B/A_high")));
            assertEquals("5", forward.get("A_n"), "one sample per fork");
            assertEquals("geomean", records.get(3).get("benchmark"));
        }
    }

    @Test
    void normalisedToTheInRunBaseline() {
        CliRunner r = CliRunner.run("compare", a(), b(), "--normalize-to", "plainForwardFloat");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("every score divided by plainForwardFloat of the same run and parameters"), r.out());
        assertTrue(r.out().contains("unit ×KernelBenchmark.plainForwardFloat"), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("KernelBenchmark.forward")).count(), r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.startsWith("KernelBenchmark.plainForwardFloat")), r.out());
    }

    @Test
    void threeInputsAndRowsOnlySomeHave() throws IOException {
        Path c = Fixtures.copyFolder("B", dir);
        Fixtures.removeResults(c.resolve("jmh.json"), Fixtures.benchmark("forward", "fp32"));
        CliRunner r = CliRunner.run("compare", a(), b(), c.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("C: " + c), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("KernelBenchmark.forward") && l.contains("recipe=fp32")
                && l.contains("missing")), r.out());

        CliRunner two = CliRunner.run("compare", c.toString(), b());
        assertEquals(0, two.exitCode(), two.err());
        assertTrue(two.out().contains("only in B: KernelBenchmark.forward [classes=32000 family=gauss gap=4 recipe=fp32] (avgt)"), two.out());
    }

    @Test
    void oneSampleGivesNoIntervalButStillCompares() throws IOException {
        Path one = Fixtures.copyFolder("A", dir);
        Fixtures.truncateSamples(one.resolve("jmh.json"), 1, 1);
        CliRunner r = CliRunner.run("compare", one.toString(), b());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("[n/a]"), r.out());
        assertTrue(r.out().contains("note: with 1 + 15 samples the U test cannot reach p < 0.05 (smallest p 0.13)"), r.out());
    }

    @Test
    void throughputAndSampleModes() {
        CliRunner thrpt = CliRunner.run("compare", Fixtures.path("thrpt.json").toString(), Fixtures.path("thrpt.json").toString());
        assertEquals(0, thrpt.exitCode(), thrpt.err());
        assertTrue(thrpt.out().contains("mode thrpt, unit ops/ms: higher is better"), thrpt.out());
        assertTrue(thrpt.out().contains("smallest p 0.1"), "3 + 3 samples: " + thrpt.out());
        CliRunner sample = CliRunner.run("compare", Fixtures.path("sample.json").toString(), Fixtures.path("sample.json").toString());
        assertEquals(0, sample.exitCode(), sample.err());
        assertTrue(sample.out().contains("mode sample, unit ns/op: lower is better"), sample.out());
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    void aMissingFile() {
        assertBadInput(CliRunner.run("compare", a(), dir.resolve("nope.json").toString()), "nope.json: no such file or folder");
    }

    @Test
    void aTruncatedFile() throws IOException {
        String whole = Files.readString(Fixtures.path("B/jmh.json"));
        Path cut = Files.writeString(dir.resolve("cut.json"), whole.substring(0, 3000));
        assertBadInput(CliRunner.run("compare", a(), cut.toString()), "cut.json is not JMH JSON: Unexpected end-of-input");
    }

    @Test
    void aFileThatIsNotJmhJson() {
        assertBadInput(CliRunner.run("compare", a(), Fixtures.path("A/thresholds.csv").toString()),
                "thresholds.csv is not JMH JSON: Unrecognized token 'recipe'");
    }

    @Test
    void noCommonBenchmarks() {
        assertBadInput(CliRunner.run("compare", a(), Fixtures.path("thrpt.json").toString()), "no benchmark in common: A (");
    }

    @Test
    void aFolderWithoutJmhJsonAndAnUnfinishedOne() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertBadInput(CliRunner.run("compare", a(), empty.toString()), "holds no jmh.json");
        Path unfinished = Fixtures.copyFolder("B", dir);
        Files.writeString(unfinished.resolve("INCOMPLETE"), "");
        assertBadInput(CliRunner.run("compare", a(), unfinished.toString()), "is an unfinished run folder");
    }

    @Test
    void badOptions() {
        assertBadInput(CliRunner.run("compare", a()), "INPUT");
        assertBadInput(CliRunner.run("compare", a(), b(), "--format", "html"), "unknown format 'html'; valid: text, markdown, csv");
        assertBadInput(CliRunner.run("compare", a(), b(), "--alpha", "2"), "--alpha must be between 0 and 1");
        assertBadInput(CliRunner.run("compare", a(), b(), "--normalize-to", "nosuch"),
                "--normalize-to nosuch: no such benchmark in A");
    }

    @Test
    void anAmbiguousBaseline() throws IOException {
        // the same method name in a second class
        Path twoClasses = Fixtures.copyFolder("A", dir);
        Path json = twoClasses.resolve("jmh.json");
        Files.writeString(json, Files.readString(json).replaceFirst("\"dev\\.absorb\\.bench\\.KernelBenchmark\\.forward\"",
                "\"other.KernelBenchmark.forward\""));
        assertBadInput(CliRunner.run("compare", twoClasses.toString(), b(), "--normalize-to", "KernelBenchmark.forward"),
                "--normalize-to KernelBenchmark.forward names several benchmarks in A: dev.absorb.bench.KernelBenchmark.forward, "
                        + "other.KernelBenchmark.forward; give more of the name");
    }
}
