package dev.absorb.results;

import dev.absorb.sweep.Configuration;
import dev.absorb.sweep.CurvePoint;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.GradientSummary;
import dev.absorb.sweep.Sweep;
import dev.absorb.sweep.SweepResult;
import dev.absorb.sweep.SweepSettings;
import dev.absorb.sweep.TargetPosition;
import dev.absorb.sweep.ThresholdRow;
import dev.absorb.kernel.Recipe;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * thresholds.csv and curves.csv (DESIGN.md §5, docs/decisions.md "curves.csv", "Numbers in
 * files"): the columns DESIGN names, in its order; an empty cell where a value does not exist;
 * every number parses back to exactly the double in the row; each run's pair of files appears
 * whole or not at all, and no temporary file is left behind.
 */
class SweepCsvTest {

    /** DESIGN.md §5: "at least the columns …", in this order. */
    static final List<String> DESIGN_THRESHOLD_COLUMNS = List.of("recipe", "family", "classes", "target", "delta_abs",
            "delta_abs_stable", "non_monotone", "delta_uf", "delta_ovf", "predicted", "lse_rel_err");

    private static List<SweepResult> sweep;

    @BeforeAll
    static void smallSweep() {
        List<Recipe> recipes = Stream.of("bf16", "fp16/algo=naive", "e4m3/round=sr/grad=complement", "e5m2/round=rup/grad=complement",
                        "fp32/lse=log1p")
                .map(Recipe::parse).collect(Collectors.toList());
        sweep = Sweep.run(Sweep.configurations(recipes, List.of(Family.FLAT, Family.GAUSS), List.of(2, 30),
                List.of(TargetPosition.FIRST, TargetPosition.RANDOM)), SweepSettings.DEFAULT, 2, done -> { });
    }

    private static List<CSVRecord> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            return csv.getRecords();
        }
    }

    private static List<String> header(Path file) throws IOException {
        String first = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
        return List.of(first.split(",", -1));
    }

    /** The cell holds exactly x: empty for NaN, otherwise a decimal that parses to x's bits. */
    private static void assertCell(double x, String cell, String what) {
        if (Double.isNaN(x)) {
            assertEquals("", cell, what + ": a value that does not exist is an empty cell");
        } else {
            assertFalse(cell.isEmpty(), what + ": " + x + " is printed");
            assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(Double.parseDouble(cell)),
                    what + ": '" + cell + "' parses back to " + x);
        }
    }

    // ---- columns ------------------------------------------------------------------------------

    @Test
    void thresholdColumnsAreDesignsInDesignsOrder(@TempDir Path dir) throws IOException {
        SweepCsv.write(dir, sweep);
        List<String> columns = header(dir.resolve(RunFolder.THRESHOLDS_CSV));
        assertEquals(DESIGN_THRESHOLD_COLUMNS, columns.subList(0, DESIGN_THRESHOLD_COLUMNS.size()));
        assertEquals(List.of("format", "gap_max"), columns.subList(DESIGN_THRESHOLD_COLUMNS.size(), columns.size()),
                "the two extra columns of docs/decisions.md");
    }

    @Test
    void curveColumns(@TempDir Path dir) throws IOException {
        SweepCsv.write(dir, sweep);
        assertEquals(List.of("recipe", "family", "classes", "target", "gap", "lse", "lse_ref", "lse_rel_err", "loss", "g_y",
                "g_other_max", "g_sum", "g_abs_sum", "zero_sum_residual"), header(dir.resolve(RunFolder.CURVES_CSV)));
    }

    // ---- every cell ---------------------------------------------------------------------------

    @Test
    void thresholdRowsRoundTrip(@TempDir Path dir) throws IOException {
        // when
        SweepCsv.write(dir, sweep);
        List<CSVRecord> records = read(dir.resolve(RunFolder.THRESHOLDS_CSV));

        // then
        assertEquals(sweep.size(), records.size());
        for (int i = 0; i < records.size(); i++) {
            assertThresholdRecord(sweep.get(i).row(), records.get(i));
        }
    }

    private static void assertThresholdRecord(ThresholdRow row, CSVRecord r) {
        Configuration c = row.configuration();
        String what = c.toString();
        assertEquals(c.recipe().toString(), r.get("recipe"));
        assertEquals(c.recipe(), Recipe.parse(r.get("recipe")), "the canonical text parses back to the recipe");
        assertEquals(c.family().key(), r.get("family"));
        assertEquals(Integer.toString(c.classes()), r.get("classes"));
        assertEquals(c.target().key(), r.get("target"));
        assertCell(row.deltaAbs(), r.get("delta_abs"), what + " delta_abs");
        assertCell(row.deltaAbsStable(), r.get("delta_abs_stable"), what + " delta_abs_stable");
        assertEquals(Boolean.toString(row.nonMonotone()), r.get("non_monotone"));
        assertCell(row.deltaUf(), r.get("delta_uf"), what + " delta_uf");
        assertCell(row.deltaOvf(), r.get("delta_ovf"), what + " delta_ovf");
        assertCell(c.predicted(), r.get("predicted"), what + " predicted");
        assertCell(row.lseRelErr(), r.get("lse_rel_err"), what + " lse_rel_err");
        assertEquals(c.recipe().format().name(), r.get("format"));
        assertCell(row.gapMax(), r.get("gap_max"), what + " gap_max");
    }

    @Test
    void curveRowsRoundTrip(@TempDir Path dir) throws IOException {
        // when
        SweepCsv.write(dir, sweep);
        List<CSVRecord> records = read(dir.resolve(RunFolder.CURVES_CSV));

        // then: the rows are the results' curve points, in order
        List<CurvePoint> points = new ArrayList<>();
        sweep.forEach(s -> points.addAll(s.curve()));
        assertEquals(points.size(), records.size());
        for (int i = 0; i < records.size(); i++) {
            assertCurveRecord(points.get(i), records.get(i));
        }
    }

    private static void assertCurveRecord(CurvePoint p, CSVRecord r) {
        String what = p.configuration() + " gap " + p.gap();
        assertEquals(p.configuration().recipe().toString(), r.get("recipe"));
        assertEquals(p.configuration().family().key(), r.get("family"));
        assertEquals(Integer.toString(p.configuration().classes()), r.get("classes"));
        assertEquals(p.configuration().target().key(), r.get("target"));
        assertCell(p.gap(), r.get("gap"), what + " gap");
        assertCell(p.lse(), r.get("lse"), what + " lse");
        assertCell(p.lseReference(), r.get("lse_ref"), what + " lse_ref");
        assertCell(p.lseRelativeError(), r.get("lse_rel_err"), what + " lse_rel_err");
        assertCell(p.loss(), r.get("loss"), what + " loss");
        assertCell(p.gradient().target(), r.get("g_y"), what + " g_y");
        assertCell(p.gradient().largestOther(), r.get("g_other_max"), what + " g_other_max");
        assertCell(p.gradient().sum(), r.get("g_sum"), what + " g_sum");
        assertCell(p.gradient().absoluteSum(), r.get("g_abs_sum"), what + " g_abs_sum");
        assertCell(p.gradient().zeroSumResidual(), r.get("zero_sum_residual"), what + " zero_sum_residual");
    }

    @Test
    void theSweepHasEmptyCellsWhereValuesDoNotExist(@TempDir Path dir) throws IOException {
        SweepCsv.write(dir, sweep);
        List<CSVRecord> records = read(dir.resolve(RunFolder.THRESHOLDS_CSV));
        for (CSVRecord r : records) {
            boolean naive = r.get("recipe").contains("algo=naive");
            assertEquals(!naive, r.get("delta_ovf").isEmpty(), r.get("recipe") + ": delta_ovf only for naive");
        }
        for (CSVRecord r : records) {
            if (r.get("recipe").equals("e5m2/grad=complement/round=rup")) {
                // g_y = -rd(S₋/S) rounded up in magnitude never reaches 0 while S₋ > 0, nor does any g_j
                assertEquals("", r.get("delta_abs"), "no absorption up to gap_max: empty");
                assertEquals("", r.get("delta_abs_stable"));
                assertEquals("", r.get("delta_uf"));
            }
        }
        assertTrue(read(dir.resolve(RunFolder.CURVES_CSV)).stream().anyMatch(r -> r.get("zero_sum_residual").isEmpty()),
                "an all-zero gradient has no zero-sum residual");
    }

    /** Hand-made rows with the awkward doubles: each prints so that it reads back exactly; NaN is empty. */
    @Test
    void awkwardValuesRoundTrip(@TempDir Path dir) throws IOException {
        // given
        Configuration c = new Configuration(Recipe.parse("bf16/grad=complement/round=sr/seed=7"), Family.RUNNERUP, 128256,
                TargetPosition.LAST);
        double[] values = {Double.MIN_VALUE, -0.0, 0.0, 1e23, 0.1, (double) 0.1f, Double.MAX_VALUE, 4.35, 2e-3, 1e7,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 9.999999999999999e22, 5e-324 * 3, 1.0 / 3};
        List<SweepResult> results = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            double w = values[(i + 5) % values.length];
            ThresholdRow row = new ThresholdRow(c, v, w, i % 2 == 0, values[(i + 1) % values.length], values[(i + 2) % values.length],
                    values[(i + 3) % values.length], values[(i + 4) % values.length]);
            GradientSummary g = new GradientSummary(v, w, false, values[(i + 6) % values.length], values[(i + 7) % values.length]);
            results.add(new SweepResult(row, List.of(new CurvePoint(c, w, v, w, values[(i + 8) % values.length], g))));
        }

        // when
        SweepCsv.write(dir, results);

        // then
        List<CSVRecord> thresholds = read(dir.resolve(RunFolder.THRESHOLDS_CSV));
        List<CSVRecord> curves = read(dir.resolve(RunFolder.CURVES_CSV));
        for (int i = 0; i < results.size(); i++) {
            assertThresholdRecord(results.get(i).row(), thresholds.get(i));
            assertCurveRecord(results.get(i).curve().get(0), curves.get(i));
        }
        assertEquals("4.9E-324", thresholds.get(0).get("delta_abs"), "shortest, as JDK 19+ prints it, also on JDK 17");
        assertEquals("1.0E23", thresholds.get(3).get("delta_abs"), "JDK 17's Double.toString would print 9.999999999999999E22");
        assertEquals("-0.0", thresholds.get(1).get("delta_abs"), "the sign of zero survives");
        assertEquals("", thresholds.get(12).get("delta_abs"));
        assertEquals("Infinity", thresholds.get(10).get("delta_abs"));
    }

    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.integers().map(Float::intBitsToFloat).map(f -> (double) f));
    }

    @Property(tries = 200)
    void everyDoubleReadsBackExactly(@ForAll("anyDouble") double a, @ForAll("anyDouble") double b) throws IOException {
        Path dir = Files.createTempDirectory("absorb-csv");
        try {
            Configuration c = new Configuration(Recipe.parse("fp16"), Family.GAUSS, 3, TargetPosition.RANDOM);
            ThresholdRow row = new ThresholdRow(c, a, b, true, a, b, a, b);
            GradientSummary g = new GradientSummary(a, b, true, a, b);
            SweepCsv.write(dir, List.of(new SweepResult(row, List.of(new CurvePoint(c, a, b, a, b, g)))));
            assertThresholdRecord(row, read(dir.resolve(RunFolder.THRESHOLDS_CSV)).get(0));
            assertCurveRecord(new CurvePoint(c, a, b, a, b, g), read(dir.resolve(RunFolder.CURVES_CSV)).get(0));
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void linesEndWithLfOnly(@TempDir Path dir) throws IOException {
        SweepCsv.write(dir, sweep);
        for (String file : List.of(RunFolder.THRESHOLDS_CSV, RunFolder.CURVES_CSV)) {
            String text = Files.readString(dir.resolve(file));
            assertFalse(text.contains("\r"), file + ": no CR (the bytes must not depend on the OS)");
            assertTrue(text.endsWith("\n"), file + " ends with a newline");
        }
    }

    // ---- atomic writing -----------------------------------------------------------------------

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void leavesExactlyTheTwoFilesAndNoTemporary(@TempDir Path dir) throws IOException {
        SweepCsv.write(dir, sweep);
        assertEquals(List.of(RunFolder.CURVES_CSV, RunFolder.THRESHOLDS_CSV), listing(dir));
    }

    @Test
    void aSecondWriteIsRefusedAndLeavesTheFirst(@TempDir Path dir) throws IOException {
        // given: an earlier write
        SweepCsv.write(dir, sweep);
        byte[] thresholds = Files.readAllBytes(dir.resolve(RunFolder.THRESHOLDS_CSV));
        byte[] curves = Files.readAllBytes(dir.resolve(RunFolder.CURVES_CSV));

        // when
        assertThrows(FileAlreadyExistsException.class, () -> SweepCsv.write(dir, sweep.subList(0, 1)));

        // then: never replaced, nothing left behind
        assertArrayEquals(thresholds, Files.readAllBytes(dir.resolve(RunFolder.THRESHOLDS_CSV)));
        assertArrayEquals(curves, Files.readAllBytes(dir.resolve(RunFolder.CURVES_CSV)));
        assertEquals(List.of(RunFolder.CURVES_CSV, RunFolder.THRESHOLDS_CSV), listing(dir));
    }

    /**
     * thresholds.csv cannot be written after curves.csv was (a file of that name appeared):
     * curves.csv goes again, so no half of a result is left, and the other file is untouched.
     */
    @Test
    void aFailedThresholdsFileTakesItsCurvesWithIt(@TempDir Path dir) throws IOException {
        // given
        Files.writeString(dir.resolve(RunFolder.THRESHOLDS_CSV), "not ours\n");

        // when
        assertThrows(IOException.class, () -> SweepCsv.write(dir, sweep));

        // then
        assertEquals(List.of(RunFolder.THRESHOLDS_CSV), listing(dir));
        assertEquals("not ours\n", Files.readString(dir.resolve(RunFolder.THRESHOLDS_CSV)));
    }

    /** The last step fails: curves.csv cannot be renamed into place (a non-empty folder has its name). */
    @Test
    void aFailedRenameLeavesNoResultAndNoTemporary(@TempDir Path dir) throws IOException {
        // given
        Path blocker = Files.createDirectory(dir.resolve(RunFolder.CURVES_CSV));
        Files.writeString(blocker.resolve("keep"), "not ours");

        // when
        assertThrows(IOException.class, () -> SweepCsv.write(dir, sweep));

        // then
        assertEquals(List.of(RunFolder.CURVES_CSV), listing(dir), "no thresholds.csv, no temporaries");
        assertArrayEquals(new String[] {"keep"}, blocker.toFile().list());
    }
}
