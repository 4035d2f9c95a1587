package dev.absorb.sweep;

import dev.absorb.format.DecimalText;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes thresholds.csv and curves.csv (DESIGN.md §5). Numbers are printed by
 * {@link DecimalText}, so they parse back to the same double and read the same on every JVM; a
 * value that does not exist is an empty cell. Both files are written under temporary names first
 * and then renamed into place, curves.csv before thresholds.csv: a reader never sees half a
 * file, and thresholds.csv (what marks a folder as holding results) appears only once both are
 * complete. If anything fails, the temporaries (and a curves.csv already renamed) are removed.
 */
public final class SweepCsv {

    public static final String THRESHOLDS = "thresholds.csv";
    public static final String CURVES = "curves.csv";

    static final String[] THRESHOLD_COLUMNS = {
        "recipe", "family", "classes", "target", "delta_abs", "delta_abs_stable", "non_monotone", "delta_uf",
        "delta_ovf", "predicted", "lse_rel_err", "format", "gap_max"
    };
    static final String[] CURVE_COLUMNS = {
        "recipe", "family", "classes", "target", "gap", "lse", "lse_ref", "lse_rel_err", "loss", "g_y",
        "g_other_max", "g_sum", "g_abs_sum", "zero_sum_residual"
    };

    private SweepCsv() {
    }

    public static void write(Path directory, List<SweepResult> results) throws IOException {
        List<List<String>> thresholds = new ArrayList<>();
        List<List<String>> curves = new ArrayList<>();
        for (SweepResult result : results) {
            ThresholdRow r = result.row();
            thresholds.add(thresholdCells(r));
            for (CurvePoint p : result.curve()) {
                curves.add(curveCells(p));
            }
        }
        Path thresholdsFile = directory.resolve(THRESHOLDS);
        Path curvesFile = directory.resolve(CURVES);
        Path thresholdsTemporary = temporary(thresholdsFile);
        Path curvesTemporary = temporary(curvesFile);
        boolean curvesPlaced = false;
        try {
            writeCsv(thresholdsTemporary, THRESHOLD_COLUMNS, thresholds);
            writeCsv(curvesTemporary, CURVE_COLUMNS, curves);
            Files.move(curvesTemporary, curvesFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            curvesPlaced = true;
            Files.move(thresholdsTemporary, thresholdsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(thresholdsTemporary, e);
            deleteQuietly(curvesTemporary, e);
            if (curvesPlaced) {
                deleteQuietly(curvesFile, e);
            }
            throw e;
        }
    }

    private static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /** Removes a file (or a link) of ours; a failure to do so is added to the one being reported. */
    private static void deleteQuietly(Path file, Throwable reported) {
        try {
            if (Files.isSymbolicLink(file) || Files.isRegularFile(file)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            reported.addSuppressed(e);
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

    private static void writeCsv(Path file, String[] header, List<List<String>> rows) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header).setRecordSeparator('\n').build())) {
            for (List<String> row : rows) {
                csv.printRecord(row);
            }
        }
    }
}
