package dev.absorb.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code absorb sweep} through the CLI (docs/decisions.md "CLI: errors and exit codes", "Run
 * folders"): bad input exits 2 with exactly one stderr line that names the problem and the valid
 * choices, and leaves nothing behind; a valid sweep prints the delta_abs table and writes a
 * complete run folder.
 */
class SweepCommandTest {

    /** Every file and folder under {@code dir}, relative, sorted. */
    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void assertBadInput(CliRunner r, String... fragments) {
        assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
        assertTrue(r.oneErrorLine(), "exactly one stderr line: [" + r.err() + "]");
        assertTrue(r.err().startsWith("absorb sweep: "), r.err());
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment), "stderr names '" + fragment + "': " + r.err());
        }
        assertEquals("", r.out(), "nothing on stdout");
    }

    // ---- bad input ----------------------------------------------------------------------------

    /**
     * Each bad value, with what the one line must say. The sweep itself would be tiny, so a
     * check that comes too late (after the sweep ran) would still show up as a written folder.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--classes   | 1          | --classes; at least 2; not 1",
        "--classes   | 0          | --classes; at least 2; not 0",
        "--classes   | 2,-5       | --classes; at least 2; not -5",
        "--classes   | abc        | --classes; 'abc' is not an int",
        "--classes   | 2.5        | --classes; '2.5' is not an int",
        "--classes   | 2000000000 | --classes; 16777216; not 2000000000",
        "--families  | foo        | unknown family 'foo'; valid: flat, gauss, runnerup",
        "--families  | flat,Gauss | unknown family 'Gauss'; valid: flat, gauss, runnerup",
        "--targets   | middle     | unknown target 'middle'; valid: first, last, random",
        "--recipes   | bf17       | unknown format 'bf17'; valid: fp64, fp32, tf32, bf16, fp16, e5m2, e4m3",
        "--recipes   | bf16,e9m3  | unknown format 'e9m3'; eXmY",
        "--recipes   | bf16/foo=1 | unknown recipe key 'foo'; valid: algo, acc, rowsum, compute, sumexp, logp, grad, round",
        "--recipes   | bf16/grad=bogus | 'bogus'; grad; valid: standard, lse, div, complement, zerosum, center",
        "--recipes   | fp64/round=sr   | fp64; round must be rne",
        "--threads   | 0          | --threads; at least 1",
        "--grid-cells| 1          | --grid-cells; at least 2; not 1",
        "--grid-cells| 65537      | --grid-cells; at most 65536; not 65537",
        "--seed      | x          | --seed; 'x'",
        "--offset    | inf        | --offset"})
    void badValueExits2WithOneLineAndWritesNothing(String option, String value, String fragments, @TempDir Path dir) throws IOException {
        // given
        Path out = dir.resolve("run");

        // when
        CliRunner r = CliRunner.run("sweep", "--recipes", "bf16", "--classes", "2", "--families", "flat", "--targets", "first",
                option.strip(), value.strip(), "--out", out.toString());

        // then
        assertBadInput(r, Arrays.stream(fragments.split(";")).map(String::strip).toArray(String[]::new));
        assertEquals(List.of(), tree(dir), "no run folder is created for bad input");
    }

    @Test
    void unknownOptionGetsASuggestion(@TempDir Path dir) throws IOException {
        CliRunner r = CliRunner.run("sweep", "--familes", "flat", "--out", dir.resolve("run").toString());
        assertBadInput(r, "--familes", "did you mean --families?");
        assertEquals(List.of(), tree(dir));
    }

    @Test
    void outUnderARegularFileExits2(@TempDir Path dir) throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("file"), "mine\n");

        // when
        CliRunner r = CliRunner.run("sweep", "--recipes", "bf16", "--classes", "2", "--out", file.resolve("run").toString());

        // then: names the option, the path and the reason
        assertBadInput(r, "--out", file.resolve("run").toString(), "Not a directory");
        assertEquals(List.of("file"), tree(dir));
        assertEquals("mine\n", Files.readString(file));
    }

    @Test
    void outThatIsARegularFileExits2(@TempDir Path dir) throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("file"), "mine\n");

        // when
        CliRunner r = CliRunner.run("sweep", "--recipes", "bf16", "--classes", "2", "--out", file.toString());

        // then
        assertBadInput(r, "--out", file.toString(), "not a folder");
        assertEquals(List.of("file"), tree(dir));
        assertEquals("mine\n", Files.readString(file));
    }

    @Test
    void emptyOutExits2InsteadOfWritingIntoTheWorkingDirectory() throws IOException {
        // (an empty --out, e.g. --out "$DIR" with DIR unset, used to write the run into the working directory)
        List<Path> wouldBeWritten = List.of(Path.of("thresholds.csv"), Path.of("curves.csv"), Path.of("INCOMPLETE"));
        List<Path> there = wouldBeWritten.stream().filter(Files::exists).collect(Collectors.toList());
        try {
            CliRunner r = CliRunner.run("sweep", "--recipes", "bf16", "--classes", "2", "--out", "");
            assertBadInput(r, "--out", "empty");
            for (Path p : wouldBeWritten) {
                assertEquals(there.contains(p), Files.exists(p), p + " in the working directory");
            }
        } finally {
            for (Path p : wouldBeWritten) {
                if (!there.contains(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void outHoldingEarlierResultsExits2AndIsLeftAlone(@TempDir Path dir) throws IOException {
        // given: an earlier, finished run
        Path earlier = dir.resolve("earlier");
        CliRunner first = CliRunner.run("sweep", "--recipes", "bf16", "--classes", "2", "--targets", "first", "--out", earlier.toString());
        assertEquals(0, first.exitCode(), first.err());
        List<String> before = tree(earlier);
        byte[] thresholds = Files.readAllBytes(earlier.resolve("thresholds.csv"));
        byte[] curves = Files.readAllBytes(earlier.resolve("curves.csv"));

        // when: a second run into the same folder
        CliRunner r = CliRunner.run("sweep", "--recipes", "fp16", "--classes", "2", "--targets", "first", "--out", earlier.toString());

        // then
        assertBadInput(r, "--out: " + earlier + " already holds curves.csv and 2 more; absorb never replaces a file");
        assertEquals(before, tree(earlier), "no marker, no new file");
        assertTrue(Arrays.equals(thresholds, Files.readAllBytes(earlier.resolve("thresholds.csv"))), "thresholds.csv untouched");
        assertTrue(Arrays.equals(curves, Files.readAllBytes(earlier.resolve("curves.csv"))), "curves.csv untouched");
    }

    @Test
    void outHoldingOnlyAnEarlierCurvesCsvIsRefusedAndLeftAlone(@TempDir Path dir) throws IOException {
        // given: an earlier run that wrote curves.csv and never its thresholds.csv
        Files.writeString(dir.resolve("curves.csv"), "earlier curves\n");

        // when
        CliRunner r = CliRunner.run("sweep", "--recipes", "e4m3", "--classes", "2", "--targets", "first", "--out", dir.toString());

        // then
        assertBadInput(r, "--out: " + dir + " already holds curves.csv; absorb never replaces a file: give a new or empty folder");
        assertEquals(List.of("curves.csv"), tree(dir), "no marker, no env.json");
        assertEquals("earlier curves\n", Files.readString(dir.resolve("curves.csv")));
    }

    @Test
    void outWithTheStaleMarkerOfAnUnfinishedRunIsReportedNotAdopted(@TempDir Path dir) throws IOException {
        // given: a run that died: its marker names a pid, and no process holds the marker's lock
        Files.writeString(dir.resolve("INCOMPLETE"), "this run has not finished (or was interrupted)\npid: 2147480000\n"
                + "started: 2026-11-23T13:00:00Z\n");
        Files.writeString(dir.resolve("env.json"), "{}\n");

        // when
        CliRunner r = CliRunner.run("sweep", "--recipes", "e4m3", "--classes", "2", "--targets", "first", "--out", dir.toString());

        // then
        assertBadInput(r, "--out: " + dir + " holds a stale INCOMPLETE marker: the run of pid 2147480000 since 2026-11-23T13:00:00Z"
                + " ended unfinished;");
        assertEquals(List.of("INCOMPLETE", "env.json"), tree(dir));
        assertEquals("{}\n", Files.readString(dir.resolve("env.json")));
    }

    // ---- a valid sweep ------------------------------------------------------------------------

    private static List<CSVRecord> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            return csv.getRecords();
        }
    }

    @Test
    void tinySweepPrintsTheTableAndWritesACompleteRunFolder(@TempDir Path dir) throws IOException {
        // given
        Path out = dir.resolve("nested/run");

        // when
        CliRunner r = CliRunner.run("sweep", "--recipes", "bf16,fp16/grad=complement,e4m3/algo=naive,bf16", "--classes", "10,2,10",
                "--families", "flat,gauss", "--targets", "first,last", "--threads", "2", "--out", out.toString());

        // then: exit 0, nothing on stderr (no progress bar off a terminal)
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals(List.of("curves.csv", "env.json", "thresholds.csv"), tree(out), "env.json and both CSVs, no INCOMPLETE marker, no temporary");

        // the CSV: duplicates dropped, every combination once, in recipes × families × classes × targets order
        List<CSVRecord> rows = read(out.resolve("thresholds.csv"));
        assertEquals(3 * 2 * 2 * 2, rows.size());
        assertEquals("bf16,flat,10,first", String.join(",", rows.get(0).get("recipe"), rows.get(0).get("family"),
                rows.get(0).get("classes"), rows.get(0).get("target")));
        assertEquals("e4m3/algo=naive,gauss,2,last", String.join(",", rows.get(23).get("recipe"), rows.get(23).get("family"),
                rows.get(23).get("classes"), rows.get(23).get("target")));
        assertTrue(read(out.resolve("curves.csv")).size() > rows.size(), "curve points for every row");

        // the table: delta_abs for the first family and target, recipes as rows, class counts ascending
        List<String> lines = List.of(r.out().split("\n"));
        assertTrue(lines.get(0).startsWith("delta_abs: smallest logit gap with g_y == 0 (family flat, target first"), lines.get(0));
        assertEquals(List.of("recipe", "C=2", "C=10"), List.of(lines.get(1).trim().split(" +")));
        Map<String, CSVRecord> flatFirst = new java.util.LinkedHashMap<>();
        for (CSVRecord row : rows) {
            if (row.get("family").equals("flat") && row.get("target").equals("first")) {
                flatFirst.put(row.get("recipe") + "@" + row.get("classes"), row);
            }
        }
        List<String> recipes = List.of("bf16", "fp16/grad=complement", "e4m3/algo=naive");
        for (int i = 0; i < recipes.size(); i++) {
            String[] cells = lines.get(2 + i).trim().split(" +");
            assertEquals(recipes.get(i), cells[0]);
            for (int k = 0; k < 2; k++) {
                CSVRecord row = flatFirst.get(recipes.get(i) + "@" + (k == 0 ? 2 : 10));
                assertNotNull(row);
                assertEquals(tableCell(row), cells[1 + k], recipes.get(i) + " column " + k);
            }
        }
        assertTrue(r.out().contains("wrote thresholds.csv and curves.csv in " + out + " (24 configurations, "), r.out());
    }

    /** delta_abs to six significant digits, '-' if none, '*' if non-monotone. */
    private static String tableCell(CSVRecord row) {
        String d = row.get("delta_abs");
        if (d.isEmpty()) {
            return "-";
        }
        String six = new BigDecimal(Double.parseDouble(d)).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        return six + (row.get("non_monotone").equals("true") ? "*" : "");
    }

    /**
     * The disk fills up while the run writes its results (a tmpfs of two pages: the marker takes
     * one): not bad input, so exit 3 with one line; the folder keeps its INCOMPLETE marker, holds
     * no thresholds.csv and no temporary file, so the run never looks finished.
     */
    @Test
    void aRunThatFailsWhileWritingStaysIncomplete(@TempDir Path dir) throws Exception {
        // given
        Path disk = Files.createDirectory(dir.resolve("disk"));
        org.junit.jupiter.api.Assumptions.assumeTrue(mountTmpfs(disk, "8k"), "mounting a tmpfs needs root");
        try {
            Path out = disk.resolve("run");

            // when
            CliRunner r = CliRunner.run("sweep", "--recipes", "e4m3", "--classes", "2", "--targets", "first", "--out", out.toString());

            // then
            assertEquals(3, r.exitCode(), r.err());
            assertTrue(r.oneErrorLine() && r.err().startsWith("absorb sweep: could not finish: "), r.err());
            assertTrue(r.err().contains("No space left on device"), r.err());
            assertTrue(Files.exists(out.resolve("INCOMPLETE")));
            assertFalse(Files.exists(out.resolve("thresholds.csv")));
            assertTrue(tree(out).stream().noneMatch(f -> f.endsWith(".tmp")), tree(out).toString());
        } finally {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
        }
    }

    /** Mounts a tmpfs of {@code size} on {@code folder}; false where that is not permitted. */
    static boolean mountTmpfs(Path folder, String size) throws IOException, InterruptedException {
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", folder.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return mount.waitFor() == 0;
        } catch (IOException noMount) {
            return false;
        }
    }

    @Test
    void outMayBeAnExistingEmptyFolder(@TempDir Path dir) throws IOException {
        CliRunner r = CliRunner.run("sweep", "--recipes", "e4m3", "--classes", "2", "--targets", "first", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("curves.csv", "env.json", "thresholds.csv"), tree(dir));
    }

    @Test
    void helpNamesTheOptions() {
        CliRunner r = CliRunner.run("sweep", "--help");
        assertEquals(0, r.exitCode());
        for (String option : List.of("--recipes", "--classes", "--families", "--targets", "--out", "--grid-cells", "--seed", "--offset",
                "--threads")) {
            assertTrue(r.out().contains(option), option + " in " + r.out());
        }
    }

    /**
     * The regeneration command in GoldenSweepTest's javadoc writes exactly the golden files, so
     * the instructions stay right (and the CLI's defaults equal SweepSettings.DEFAULT).
     */
    @Test
    void goldenRegenerationCommandReproducesTheGoldenFiles(@TempDir Path dir) throws IOException {
        CliRunner r = CliRunner.run("sweep", "--recipes", "fp32,bf16,fp16,e4m3,bf16/grad=complement,fp16/round=sr,e5m2/acc=kahan",
                "--classes", "2,1000", "--families", "flat,gauss", "--targets", "first", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String file : List.of("thresholds.csv", "curves.csv")) {
            try (InputStream golden = SweepCommandTest.class.getResourceAsStream("/dev/absorb/sweep/golden/" + file)) {
                assertNotNull(golden, file);
                assertEquals(new String(golden.readAllBytes(), StandardCharsets.UTF_8), Files.readString(dir.resolve(file)), file);
            }
        }
    }
}
