package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays PyTorch's cross-entropy gradient with label smoothing
 * (src/test/resources/frameworks/smoothing.csv, written by scripts/measure-smoothing.sh) against
 * {@code torch:FORMAT/cpu=LEVEL/smooth=ε}: g_y's storage code and a CRC-32 of every entry's code
 * must come out equal on each recorded row, at every class count up to 128256.
 */
class LabelSmoothingPresetTest {

    record Row(String dispatch, String format, String smooth, String family, int classes, String target, double zy,
               int gyCode, long crc) {

        String recipe() {
            return "torch:" + format + "/cpu=" + dispatch + "/smooth=" + smooth;
        }

        @Override
        public String toString() {
            return recipe() + " " + family + " C=" + classes + " " + target + " z_y=" + zy;
        }
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = LabelSmoothingPresetTest.class.getResourceAsStream("/frameworks/smoothing.csv")) {
            CSVFormat csv = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build();
            for (CSVRecord r : csv.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                rows.add(new Row(r.get("dispatch"), r.get("format"), r.get("smooth"), r.get("family"),
                        Integer.parseInt(r.get("classes")), r.get("target"), Double.parseDouble(r.get("z_y")),
                        Integer.parseInt(r.get("g_y_code")), Long.parseLong(r.get("gradient_crc32"))));
            }
        }
        return rows;
    }

    /** The script's logits of a row (measure_smoothing.py), values of the format. */
    static double[] logits(Row row, Format format, int y) {
        Rounding toFormat = Rounding.nearest(format);
        double[] z = new double[row.classes()];
        for (int j = 0; j < z.length; j++) {
            switch (row.family()) {
                case "ramp":
                    z[j] = toFormat.round(((37L * j) % 101) / 8.0 - 6.0, 0);
                    break;
                case "runnerup":
                    z[j] = j == (y + 1) % z.length ? 0 : -8;
                    break;
                default:
                    z[j] = 0;
                    break;
            }
        }
        z[y] = row.zy();
        return z;
    }

    static int target(Row row) {
        switch (row.target()) {
            case "first": return 0;
            case "last": return row.classes() - 1;
            default: return row.classes() / 3;
        }
    }

    @Test
    void everyRecordedGradientComesOutBitForBit() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() > 1000, "rows: " + rows.size());
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Recipe recipe = Recipe.parse(row.recipe());
            Format format = recipe.format();
            int y = target(row);
            double[] z = logits(row, format, y);
            double[] grad = new double[z.length];
            Kernels.of(recipe).evaluate(z, y, grad);
            CRC32 crc = new CRC32();
            byte[] codes = new byte[2 * grad.length];
            for (int j = 0; j < grad.length; j++) {
                long code = format.encode(grad[j]);
                codes[2 * j] = (byte) code;
                codes[2 * j + 1] = (byte) (code >>> 8);
            }
            crc.update(codes);
            if (format.encode(grad[y]) != row.gyCode() || crc.getValue() != row.crc()) {
                wrong.add(row + ": g_y code " + format.encode(grad[y]) + " (torch " + row.gyCode() + ")");
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())), wrong.size() + " of " + rows.size() + " rows differ");
    }
}
