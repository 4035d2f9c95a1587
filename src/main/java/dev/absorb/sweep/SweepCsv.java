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
 * value that does not exist is an empty cell. Each file is written under a temporary name and
 * renamed, so a reader never sees half a file.
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
        writeAtomically(directory.resolve(THRESHOLDS), THRESHOLD_COLUMNS, thresholds);
        writeAtomically(directory.resolve(CURVES), CURVE_COLUMNS, curves);
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

    private static void writeAtomically(Path file, String[] header, List<List<String>> rows) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header).setRecordSeparator('\n').build())) {
            for (List<String> row : rows) {
                csv.printRecord(row);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
