package dev.absorb.sweep;

import dev.absorb.format.Format;
import dev.absorb.kernel.Kernel;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the thresholds measured in PyTorch and JAX (src/test/resources/frameworks/thresholds*.csv,
 * written by scripts/measure-frameworks.sh) against the presets: every row must come out equal, bit
 * for bit. The search is the script's: bisection over the format's representable gaps between 0
 * and 120 for the smallest gap with g_y == 0, on the sweep's own logit families.
 */
class FrameworkPresetsTest {

    private static final double UPPER = 120.0;

    record Measured(String framework, String version, String dispatch, String format, Family family, int classes,
                    TargetPosition target, double deltaAbs) {

        String preset() {
            return framework + ":" + format + (framework.equals("torch") ? "/cpu=" + dispatch : "");
        }

        @Override
        public String toString() {
            return preset() + " " + family.key() + " C=" + classes + " " + target.key();
        }
    }

    static List<Measured> measured(String file) throws IOException {
        List<Measured> rows = new ArrayList<>();
        try (InputStream in = FrameworkPresetsTest.class.getResourceAsStream("/frameworks/" + file)) {
            CSVFormat csv = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build();
            for (CSVRecord r : csv.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String gap = r.get("delta_abs");
                rows.add(new Measured(r.get("framework"), r.get("version"), r.get("dispatch"), r.get("format"),
                        Family.of(r.get("family")), Integer.parseInt(r.get("classes")), TargetPosition.of(r.get("target")),
                        gap.isEmpty() ? Double.NaN : Double.parseDouble(gap)));
            }
        }
        return rows;
    }

    /** The smallest representable gap in [0, 120] with g_y == 0, by the script's bisection; NaN if none. */
    static double bisect(Recipe recipe, Family family, int classes, TargetPosition target) {
        Format format = recipe.format();
        Kernel kernel = Kernels.of(recipe);
        int y = target.index(classes, 0);
        double[] z = new double[classes];
        double[] grad = new double[classes];
        family.fill(z, y, 0, 0, format, 0);
        long lo = 0;
        long hi = format.encode(UPPER);
        if (dead(kernel, family, z, y, format, lo, grad)) {
            return format.decode(lo);
        }
        if (!dead(kernel, family, z, y, format, hi, grad)) {
            return Double.NaN;
        }
        while (hi - lo > 1) {
            long mid = (lo + hi) >>> 1;
            if (dead(kernel, family, z, y, format, mid, grad)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return format.decode(hi);
    }

    private static boolean dead(Kernel kernel, Family family, double[] z, int y, Format format, long code, double[] grad) {
        family.setGap(z, y, format.decode(code), 0, format);
        kernel.evaluate(z, y, grad);
        return grad[y] == 0;
    }

    @Test
    void everyMeasuredThresholdIsReproducedExactly() throws IOException {
        List<Measured> rows = measured("thresholds.csv");
        assertTrue(rows.size() >= 216, "the measurement covers 3 formats x 6 class counts x 2 families x 2 targets for "
                + "torch (at least 2 dispatch levels) and jax; got " + rows.size() + " rows");
        assertReproduced(rows);
    }

    /** Class counts the presets were not derived from: short rows around the vector widths, GPT-2's and Qwen's vocabularies. */
    @Test
    void thresholdsAtOtherClassCountsAreReproducedToo() throws IOException {
        List<Measured> rows = measured("thresholds-more.csv");
        assertTrue(rows.size() >= 252, "3 formats x 7 class counts x 2 families x 2 targets for torch (2 levels or more) "
                + "and jax; got " + rows.size() + " rows");
        assertReproduced(rows);
    }

    /**
     * JAX either side of the class counts where XLA:CPU changes its row sum (docs/presets.md,
     * sum=xla): 32 (serial below, XLA's windows above), 4096 (YNNPACK's sum, and for fp32 its exp)
     * and 32768 (YNNPACK's chunks).
     */
    @Test
    void jaxThresholdsEitherSideOfXlasSumRegimesAreReproduced() throws IOException {
        List<Measured> rows = measured("thresholds-xla.csv");
        assertTrue(rows.size() >= 96, "3 formats x 8 class counts x 2 families x 2 targets; got " + rows.size() + " rows");
        assertTrue(rows.stream().allMatch(m -> m.framework().equals("jax")), "JAX only");
        assertReproduced(rows);
    }

    /**
     * The rows a preset does not reproduce (known-differences.csv, docs/presets.md), keyed by
     * {@link Measured#toString()}, with the framework's and the preset's delta_abs.
     */
    static Map<String, double[]> knownDifferences() throws IOException {
        Map<String, double[]> known = new HashMap<>();
        try (InputStream in = FrameworkPresetsTest.class.getResourceAsStream("/frameworks/known-differences.csv")) {
            CSVFormat csv = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build();
            for (CSVRecord r : csv.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                known.put(r.get("preset") + " " + r.get("family") + " C=" + r.get("classes") + " " + r.get("target"),
                        new double[] {Double.parseDouble(r.get("framework_delta_abs")), Double.parseDouble(r.get("preset_delta_abs"))});
            }
        }
        return known;
    }

    /** Every row equal, bit for bit, except the known differences, which must differ exactly as recorded. */
    private static void assertReproduced(List<Measured> rows) throws IOException {
        Map<String, double[]> known = knownDifferences();
        List<String> differ = new ArrayList<>();
        for (Measured m : rows) {
            double ours = bisect(Recipe.parse(m.preset()), m.family(), m.classes(), m.target());
            double[] recorded = known.get(m.toString());
            double expected = recorded == null ? m.deltaAbs() : recorded[1];
            if (recorded != null && Double.compare(recorded[0], m.deltaAbs()) != 0) {
                differ.add(m + ": known-differences.csv records the framework at " + recorded[0] + ", measured " + m.deltaAbs());
            }
            if (Double.doubleToLongBits(ours) != Double.doubleToLongBits(expected)) {
                differ.add(m + ": framework " + m.deltaAbs() + ", preset " + ours
                        + (recorded == null ? "" : " (known-differences.csv says " + recorded[1] + ")"));
            }
        }
        assertEquals(List.of(), differ, differ.size() + " of " + rows.size() + " thresholds differ");
    }

    @Test
    void everyKnownDifferenceIsAMeasuredRow() throws IOException {
        List<String> measured = new ArrayList<>();
        for (String file : List.of("thresholds.csv", "thresholds-more.csv", "thresholds-xla.csv")) {
            measured(file).forEach(m -> measured.add(m.toString()));
        }
        for (String row : knownDifferences().keySet()) {
            assertTrue(measured.contains(row), row + " is in known-differences.csv but was not measured");
        }
    }
}
