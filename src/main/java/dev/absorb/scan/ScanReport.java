package dev.absorb.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.absorb.format.DecimalText;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * What {@code absorb scan} prints: a table per recipe (rows, g_y == 0, inside the NFI window, not
 * finite, the largest zero-sum residual and its row) and one of the gaps' quantiles; or, as JSON,
 * one object with every figure at full precision.
 */
public final class ScanReport {

    private ScanReport() {
    }

    /**
     * @param source  how the logits were read, e.g. "logits.npy: 10000 rows x 128256 classes"
     * @param targets where the targets came from, e.g. "the argmax of each row"
     */
    public static void text(PrintWriter out, String source, String targets, List<RecipeSummary> summaries) {
        out.println("scan of " + source + "; targets: " + targets);
        out.println();
        int width = Math.max(6, summaries.stream().mapToInt(s -> s.recipe().toString().length()).max().orElse(6));
        out.println(String.format("%-" + width + "s %10s %18s %18s %12s %22s", "recipe", "rows", "g_y == 0",
                "in NFI window", "not finite", "max zero-sum residual"));
        for (RecipeSummary s : summaries) {
            out.println(String.format("%-" + width + "s %10d %18s %18s %12d %22s", s.recipe(), s.rows(),
                    countAndShare(s.absorbedRows(), s.rows()), countAndShare(s.nfiRows(), s.rows()), s.nonfiniteRows(),
                    s.maxResidualRow() < 0 ? "-" : three(s.maxResidual()) + " (row " + s.maxResidualRow() + ")"));
        }
        out.println();
        out.println("logit gap z_y - max_{j!=y} z_j, as stored in the recipe's format (quantiles)");
        StringBuilder header = new StringBuilder(String.format("%-" + width + "s", "recipe"));
        for (String name : GapQuantiles.NAMES) {
            header.append(String.format(" %9s", name));
        }
        out.println(header);
        for (RecipeSummary s : summaries) {
            StringBuilder line = new StringBuilder(String.format("%-" + width + "s", s.recipe()));
            for (double q : s.gaps().values()) {
                line.append(String.format(" %9s", Double.isNaN(q) ? "-" : six(q)));
            }
            if (s.gaps().nanGaps() > 0) {
                line.append("  (").append(s.gaps().nanGaps()).append(" rows with a NaN gap left out)");
            }
            out.println(line);
        }
        out.println();
        out.println("row numbers count from 0; rows and counts are per recipe (docs/scan.md).");
    }

    /** One JSON object: the source, the targets, and per recipe every figure. */
    public static void json(PrintWriter out, String logits, String targets, int classes, List<RecipeSummary> summaries) {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("logits", logits);
            json.writeStringField("targets", targets);
            json.writeNumberField("classes", classes);
            json.writeArrayFieldStart("recipes");
            for (RecipeSummary s : summaries) {
                json.writeStartObject();
                json.writeStringField("recipe", s.recipe().toString());
                json.writeNumberField("rows", s.rows());
                json.writeNumberField("absorbed_rows", s.absorbedRows());
                json.writeNumberField("nfi_rows", s.nfiRows());
                json.writeNumberField("nonfinite_rows", s.nonfiniteRows());
                json.writeFieldName("max_zero_sum_residual");
                number(json, s.maxResidual());
                if (s.maxResidualRow() < 0) {
                    json.writeNullField("max_zero_sum_residual_row");
                } else {
                    json.writeNumberField("max_zero_sum_residual_row", s.maxResidualRow());
                }
                json.writeObjectFieldStart("gap");
                double[] values = s.gaps().values();
                for (int i = 0; i < values.length; i++) {
                    json.writeFieldName(GapQuantiles.NAMES[i]);
                    number(json, values[i]);
                }
                json.writeNumberField("nan_rows", s.gaps().nanGaps());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    /** A finite number as its shortest decimal; NaN (does not exist) as null; ±inf as a string. */
    private static void number(JsonGenerator json, double x) throws IOException {
        if (Double.isNaN(x)) {
            json.writeNull();
        } else if (Double.isInfinite(x)) {
            json.writeString(DecimalText.format(x));
        } else {
            json.writeNumber(DecimalText.format(x));
        }
    }

    private static String countAndShare(long count, long rows) {
        return count + " (" + new BigDecimal(100.0 * count / rows).round(new MathContext(3)).stripTrailingZeros()
                .toPlainString() + " %)";
    }

    private static String three(double x) {
        return new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String six(double x) {
        return Double.isInfinite(x) ? (x > 0 ? "inf" : "-inf")
                : new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
