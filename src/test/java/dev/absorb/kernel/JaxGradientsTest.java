package dev.absorb.kernel;

import dev.absorb.format.Format;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jax presets give JAX's whole gradient, every entry bit for bit, not only the target's
 * (which is all the thresholds test): jax-gradients.csv holds gradients that jax.grad of a jitted
 * -log_softmax computed on XLA:CPU (scripts/jax-golden/gradients.py), at class counts of each of
 * XLA's sum regimes.
 */
class JaxGradientsTest {

    record Case(String format, int classes, int target, long[] logits, long[] gradient) {
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = JaxGradientsTest.class.getResourceAsStream("/frameworks/jax-gradients.csv")) {
            CSVFormat csv = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build();
            for (CSVRecord r : csv.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                int width = r.get("format").equals("fp32") ? 8 : 4;
                cases.add(new Case(r.get("format"), Integer.parseInt(r.get("classes")), Integer.parseInt(r.get("target")),
                        codes(r.get("logits"), width), codes(r.get("gradient"), width)));
            }
        }
        return cases;
    }

    private static long[] codes(String hex, int width) {
        long[] out = new long[hex.length() / width];
        for (int i = 0; i < out.length; i++) {
            out[i] = Long.parseLong(hex, i * width, (i + 1) * width, 16);
        }
        return out;
    }

    @Test
    void everyEntryOfJaxsGradientIsThePresetsBitForBit() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 36, "3 formats x 5 shapes x 2 or 3 targets; got " + cases.size());
        List<String> differ = new ArrayList<>();
        long entries = 0;
        for (Case c : cases) {
            Format format = Format.of(c.format());
            assertEquals(c.classes(), c.logits().length);
            double[] z = new double[c.classes()];
            for (int j = 0; j < z.length; j++) {
                z[j] = format.decode(c.logits()[j]);
            }
            double[] grad = new double[z.length];
            Kernels.of(Recipe.parse("jax:" + c.format())).evaluate(z, c.target(), grad);
            int wrong = 0;
            String first = "";
            for (int j = 0; j < z.length; j++) {
                if (format.encode(grad[j]) != c.gradient()[j]) {
                    if (wrong++ == 0) {
                        first = " first at j=" + j + ": JAX " + format.decode(c.gradient()[j]) + ", preset " + grad[j];
                    }
                }
            }
            entries += z.length;
            if (wrong > 0) {
                differ.add("jax:" + c.format() + " C=" + c.classes() + " y=" + c.target() + ": " + wrong + " entries differ;" + first);
            }
        }
        assertEquals(List.of(), differ, "of " + entries + " entries");
    }
}
