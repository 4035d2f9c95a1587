package dev.absorb.results;

import dev.absorb.format.DecimalText;
import dev.absorb.sweep.Configuration;
import dev.absorb.sweep.CurvePoint;
import dev.absorb.sweep.GradientSummary;
import dev.absorb.sweep.SweepResult;
import dev.absorb.sweep.ThresholdRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * thresholds.csv and curves.csv (DESIGN.md §5): their columns, named here once, written from a
 * sweep's results and read back by column name. Numbers are printed by {@link DecimalText}, so
 * they parse back to the same double and read the same on every JVM; a value that does not
 * exist is an empty cell. Each file is written whole through {@link AtomicFile}, curves.csv
 * before thresholds.csv: thresholds.csv, which marks a folder as holding results, appears only
 * once both are complete, and if it cannot be written the curves.csv just written is removed.
 */
public final class SweepCsv {

    /** thresholds.csv's columns, in order: DESIGN.md §5's, then format and gap_max. */
    public static final List<String> THRESHOLD_COLUMNS = List.of(
            "recipe", "family", "classes", "target", "delta_abs", "delta_abs_stable", "non_monotone", "delta_uf",
            "delta_ovf", "predicted", "lse_rel_err", "format", "gap_max");
    /** curves.csv's columns, in order. */
    public static final List<String> CURVE_COLUMNS = List.of(
            "recipe", "family", "classes", "target", "gap", "lse", "lse_ref", "lse_rel_err", "loss", "g_y",
            "g_other_max", "g_sum", "g_abs_sum", "zero_sum_residual");
    /** The columns that identify a configuration: one row of thresholds.csv each. */
    public static final List<String> CONFIGURATION = List.of("recipe", "family", "classes", "target");
    /** The absorption thresholds proper; the other columns describe or bound them. */
    public static final List<String> THRESHOLDS = List.of("delta_abs", "delta_abs_stable", "non_monotone", "delta_uf", "delta_ovf");

    private static final List<String> THRESHOLDS_READ = List.of("recipe", "format", "family", "classes", "target", "delta_abs",
            "delta_abs_stable", "non_monotone", "delta_uf", "predicted", "gap_max");
    private static final List<String> CURVES_READ = List.of("recipe", "family", "classes", "target", "gap", "g_y",
            "zero_sum_residual");

    private SweepCsv() {
    }

    /** Writes both files into {@code folder}; neither may exist yet. */
    public static void write(Path folder, List<SweepResult> results) throws IOException {
        List<List<String>> thresholds = new ArrayList<>();
        List<List<String>> curves = new ArrayList<>();
        for (SweepResult result : results) {
            thresholds.add(thresholdCells(result.row()));
            for (CurvePoint p : result.curve()) {
                curves.add(curveCells(p));
            }
        }
        Path curvesFile = folder.resolve(RunFolder.CURVES_CSV);
        AtomicFile.write(curvesFile, out -> writeCsv(out, CURVE_COLUMNS, curves));
        try {
            AtomicFile.write(folder.resolve(RunFolder.THRESHOLDS_CSV), out -> writeCsv(out, THRESHOLD_COLUMNS, thresholds));
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.delete(curvesFile);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static List<String> thresholdCells(ThresholdRow r) {
        Configuration c = r.configuration();
        return List.of(c.recipe().toString(), c.family().key(), Integer.toString(c.classes()), c.target().key(),
                number(r.deltaAbs()), number(r.deltaAbsStable()), Boolean.toString(r.nonMonotone()), number(r.deltaUf()),
                number(r.deltaOvf()), number(c.predicted()), number(r.lseRelErr()), c.recipe().format().name(),
                number(r.gapMax()));
    }

    private static List<String> curveCells(CurvePoint p) {
        Configuration c = p.configuration();
        GradientSummary g = p.gradient();
        return List.of(c.recipe().toString(), c.family().key(), Integer.toString(c.classes()), c.target().key(),
                number(p.gap()), number(p.lse()), number(p.lseReference()), number(p.lseRelativeError()), number(p.loss()),
                number(g.target()), number(g.largestOther()), number(g.sum()), number(g.absoluteSum()),
                number(g.zeroSumResidual()));
    }

    /** A number cell: NaN (does not exist) is empty; ±inf is printed as Java does. */
    static String number(double x) {
        return Double.isNaN(x) ? "" : DecimalText.format(x);
    }

    private static void writeCsv(java.io.OutputStream out, List<String> header, List<List<String>> rows) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(header.toArray(new String[0]))
                .setRecordSeparator('\n').build());
        for (List<String> row : rows) {
            csv.printRecord(row);
        }
        csv.flush();
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * The rows of a thresholds.csv, typed.
     *
     * @throws IllegalArgumentException naming the file, and the line and column where a cell is bad
     */
    public static List<ThresholdRecord> readThresholds(Path file) {
        List<ThresholdRecord> rows = new ArrayList<>();
        forEachRecord(file, THRESHOLDS_READ, record -> {
            RowCells c = new RowCells(file, record);
            rows.add(new ThresholdRecord(c.text("recipe"), c.text("format"), c.text("family"), c.integer("classes"),
                    c.text("target"), c.number("delta_abs"), c.number("delta_abs_stable"), c.bool("non_monotone"),
                    c.number("delta_uf"), c.number("predicted"), c.number("gap_max")));
        });
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no rows below the header");
        }
        return List.copyOf(rows);
    }

    /** The rows of a curves.csv, typed; as {@link #readThresholds}. */
    public static List<CurveRecord> readCurves(Path file) {
        List<CurveRecord> rows = new ArrayList<>();
        forEachRecord(file, CURVES_READ, record -> {
            RowCells c = new RowCells(file, record);
            rows.add(new CurveRecord(c.text("recipe"), c.text("family"), c.integer("classes"), c.text("target"),
                    c.number("gap"), c.number("g_y"), c.number("zero_sum_residual")));
        });
        return List.copyOf(rows);
    }

    /**
     * Every record of a CSV file with a header row that has the {@code required} columns, each
     * record with as many cells as the header.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    static void forEachRecord(Path file, List<String> required, Consumer<CSVRecord> action) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = format.parse(in)) {
            List<String> header = parser.getHeaderNames();
            for (String column : required) {
                if (!header.contains(column)) {
                    throw new IllegalArgumentException(file + ": no column '" + column + "' in the header (needs "
                            + String.join(", ", required) + ")");
                }
            }
            for (CSVRecord record : parser) {
                if (!record.isConsistent()) {
                    throw new IllegalArgumentException(file + " line " + (record.getRecordNumber() + 1) + ": "
                            + record.size() + " cells, the header has " + header.size());
                }
                action.accept(record);
            }
        } catch (IOException e) {
            throw ReadFailure.of(file, e);
        } catch (UncheckedIOException | IllegalStateException e) {
            // commons-csv reports malformed CSV (an unclosed quote, a duplicate header) as unchecked exceptions
            throw new IllegalArgumentException(file + ": cannot read as CSV (" + e.getMessage() + ")");
        }
    }

    /** The cells of one record, parsed by column name; a bad cell names file, line and column. */
    private record RowCells(Path file, CSVRecord record) {

        String text(String column) {
            return record.get(column);
        }

        double number(String column) {
            String cell = record.get(column).trim();
            if (cell.isEmpty()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw bad(column, "is not a number");
            }
        }

        int integer(String column) {
            try {
                return Integer.parseInt(record.get(column).trim());
            } catch (NumberFormatException e) {
                throw bad(column, "is not an integer");
            }
        }

        boolean bool(String column) {
            String cell = record.get(column).trim();
            if (cell.equals("true") || cell.equals("false")) {
                return cell.equals("true");
            }
            throw bad(column, "is not true or false");
        }

        private IllegalArgumentException bad(String column, String problem) {
            return new IllegalArgumentException(file + " line " + (record.getRecordNumber() + 1) + ", column " + column
                    + ": '" + record.get(column) + "' " + problem);
        }
    }
}
