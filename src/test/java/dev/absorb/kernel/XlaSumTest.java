package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link XlaSum} (sum=xla) against JAX's own row sums (xla-rowsum.csv, scripts/jax-golden/rowsum.py)
 * and against a second, literal emulation written here: the padding zeros really added, the
 * windows and YNNPACK's blocks, Kahan flushes and lanes as float arrays, every row of 1 to 300
 * classes and either side of each regime boundary.
 */
class XlaSumTest {

    private static final Rounding FP32 = Rounding.nearest(Format.FP32);

    /** The row rowsum.py writes for (classes, kind). */
    static double[] goldenRow(int classes, int kind) {
        double[] x = new double[classes];
        for (int j = 0; j < classes; j++) {
            long h = ((j + 7919L * kind) * 2654435761L) & 0xFFFFFFFFL;
            double significand = 1 + (h >>> 9) / 0x1p23;
            x[j] = (float) (significand * Math.scalb(1.0, -(int) (h % 41)));
        }
        return x;
    }

    @Test
    void everyRowSumOfJaxIsXlaSumsBitForBit() throws IOException {
        List<String> differ = new ArrayList<>();
        int rows = 0;
        try (InputStream in = XlaSumTest.class.getResourceAsStream("/frameworks/xla-rowsum.csv")) {
            CSVFormat csv = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build();
            for (CSVRecord r : csv.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                int classes = Integer.parseInt(r.get("classes"));
                double[] x = goldenRow(classes, Integer.parseInt(r.get("kind")));
                float jax = Float.intBitsToFloat(Integer.parseUnsignedInt(r.get("sum"), 16));
                float ours = (float) new XlaSum(FP32, 0).sum(x, classes, -1);
                assertEquals(classes >= XlaSum.YNNPACK_MIN ? "ynnpack" : "xla", r.get("path"), "C=" + classes);
                if (Float.floatToRawIntBits(jax) != Float.floatToRawIntBits(ours)) {
                    differ.add("C=" + classes + " kind " + r.get("kind") + ": JAX " + jax + ", ours " + ours);
                }
                rows++;
            }
        }
        assertTrue(rows >= 300, "rows: " + rows);
        assertEquals(List.of(), differ);
    }

    /** The golden rows tell the orders apart: a serial sum, and XlaSum's other regime, miss many. */
    @Test
    void theGoldenRowsTellTheRegimesApart() {
        int serialDiffers = 0;
        int regimesDiffer = 0;
        for (int classes : new int[] {33, 100, 1000, 4095, 4096, 4097, 32768, 32769, 50257}) {
            for (int kind = 0; kind < 3; kind++) {
                double[] x = goldenRow(classes, kind);
                float[] f = toFloats(x);
                double ours = new XlaSum(FP32, 0).sum(x, classes, -1);
                serialDiffers += ours != serial(f, 0, f.length) ? 1 : 0;
                regimesDiffer += ours != (classes >= XlaSum.YNNPACK_MIN ? tree(f) : ynnpack(f)) ? 1 : 0;
            }
        }
        assertTrue(serialDiffers >= 20, "rows where a serial sum differs: " + serialDiffers + " of 27");
        assertTrue(regimesDiffer >= 9, "rows where the other regime differs: " + regimesDiffer + " of 27");
    }

    @Test
    void matchesTheLiteralEmulationOnEveryShortRowAndAroundEachBoundary() {
        SplittableRandom random = new SplittableRandom(20261205);
        List<Integer> classes = new ArrayList<>();
        IntStream.rangeClosed(1, 300).forEach(classes::add);
        for (int c : new int[] {1023, 1024, 1025, 1056, 1057, 4095, 4096, 4097, 4159, 4160, 8191, 8192, 8193,
                32767, 32768, 32769, 65536, 65537, 100_000}) {
            classes.add(c);
        }
        List<String> differ = new ArrayList<>();
        XlaSum sum = new XlaSum(FP32, 0);
        for (int c : classes) {
            for (int trial = 0; trial < (c <= 300 ? 4 : 2); trial++) {
                float[] f = randomRow(random, c, trial);
                double[] x = toDoubles(f);
                float expected = literal(f);
                float ours = (float) sum.sum(x, c, -1);
                if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(ours)) {
                    differ.add("C=" + c + " trial " + trial + ": literal " + expected + ", XlaSum " + ours);
                }
                // S₋: the term left out counts as 0, in the same order
                int skip = random.nextInt(c);
                float[] without = f.clone();
                without[skip] = 0f;
                float expectedWithout = literal(without);
                float oursWithout = (float) sum.sum(x, c, skip);
                if (Float.floatToRawIntBits(expectedWithout) != Float.floatToRawIntBits(oursWithout)) {
                    differ.add("C=" + c + " without " + skip + ": literal " + expectedWithout + ", XlaSum " + oursWithout);
                }
                assertEquals(f[skip], (float) x[skip], "the caller's terms are left as they were");
            }
        }
        assertEquals(List.of(), differ.subList(0, Math.min(20, differ.size())), differ.size() + " sums differ");
    }

    /** Under sr the sum depends on the seed, and only on it. */
    @Test
    void stochasticRoundingIsSeededPerAddition() {
        Rounding sr = new Rounding(Format.FP32, RoundingMode.SR, false, false);
        SplittableRandom random = new SplittableRandom(7);
        for (int c : new int[] {20, 1000, 5000, 40000}) {
            double[] x = toDoubles(randomRow(random, c, 1));
            double first = new XlaSum(sr, 1).sum(x, c, -1);
            assertEquals(first, new XlaSum(sr, 1).sum(x, c, -1), "C=" + c + ": same seed, same sum");
            boolean moved = false;
            for (long seed = 2; seed < 12 && !moved; seed++) {
                moved = new XlaSum(sr, seed).sum(x, c, -1) != first;
            }
            assertTrue(moved, "C=" + c + ": ten other seeds all gave " + first);
            double nearest = new XlaSum(FP32, 0).sum(x, c, -1);
            assertEquals(nearest, first, Math.abs(nearest) * 1e-5, "C=" + c + ": sr stays near the rne sum");
        }
    }

    /** Positive terms over 2^-40 .. 2 (as exps are), or of both signs in every third trial. */
    private static float[] randomRow(SplittableRandom random, int classes, int trial) {
        float[] f = new float[classes];
        for (int j = 0; j < classes; j++) {
            float v = (float) ((1 + random.nextDouble()) * Math.scalb(1.0, -random.nextInt(41)));
            f[j] = trial % 3 == 2 && random.nextBoolean() ? -v : v;
        }
        return f;
    }

    // ---- The literal emulation: fp32 arithmetic in float, rne, as the kernels run it. ----

    static float literal(float[] x) {
        return x.length >= XlaSum.YNNPACK_MIN ? ynnpack(x) : tree(x);
    }

    /** XLA's tree reduction: pad to m·32 with ⌊pad/2⌋ zeros in front, sum each window, repeat. */
    static float tree(float[] x) {
        while (x.length > 32) {
            int m = (x.length + 31) / 32;
            float[] padded = new float[m * 32];
            System.arraycopy(x, 0, padded, (m * 32 - x.length) / 2, x.length);
            float[] next = new float[m];
            for (int w = 0; w < m; w++) {
                next[w] = serial(padded, w * 32, w * 32 + 32);
            }
            x = next;
        }
        return serial(x, 0, x.length);
    }

    static float serial(float[] x, int from, int to) {
        float s = 0f;
        for (int j = from; j < to; j++) {
            s += x[j];
        }
        return s;
    }

    /** YNNPACK: chunks of 32768, each by sumK1, then the chunk sums again. */
    static float ynnpack(float[] x) {
        if (x.length <= 32768) {
            return sumK1(x);
        }
        float[] sums = new float[(x.length + 32767) / 32768];
        for (int c = 0; c < sums.length; c++) {
            sums[c] = sumK1(Arrays.copyOfRange(x, c * 32768, Math.min(x.length, (c + 1) * 32768)));
        }
        return ynnpack(sums);
    }

    static float sumK1(float[] x) {
        int k = x.length;
        float[] zero = new float[16];
        float[] acc0 = zero.clone();
        float[] acc1 = zero.clone();
        float[] err = zero.clone();
        int pos = 0;
        while (k - pos >= 256) {
            float[] t = local64(x, pos);
            for (int i = 1; i < 4; i++) {
                t = add(t, local64(x, pos + 64 * i));
            }
            acc0 = add(acc0, t);
            pos += 256;
            if (pos % 1024 == 0) {
                float[] y = subtract(acc0, err);
                float[] sum = add(acc1, y);
                float[] e = subtract(subtract(sum, acc1), y);
                for (int l = 0; l < 16; l++) {
                    err[l] = Float.isFinite(e[l]) ? e[l] : 0f;
                }
                acc1 = sum;
                acc0 = zero.clone();
            }
        }
        while (k - pos >= 64) {
            acc0 = add(acc0, local64(x, pos));
            pos += 64;
        }
        acc0 = add(acc0, local64(x, pos));
        float[] t = add(add(acc1, subtract(acc0, err)), zero);
        float[] b = add(Arrays.copyOfRange(t, 0, 8), Arrays.copyOfRange(t, 8, 16));
        float[] c = add(Arrays.copyOfRange(b, 0, 4), Arrays.copyOfRange(b, 4, 8));
        float[] d = add(Arrays.copyOfRange(c, 0, 2), Arrays.copyOfRange(c, 2, 4));
        return 0f + (d[0] + d[1]);
    }

    /** Lane sums of the 64 terms at pos (zeros past the end): ((0 + v0) + v1) + v2) + v3. */
    private static float[] local64(float[] x, int pos) {
        float[] block = new float[64];
        for (int i = 0; i < 64 && pos + i < x.length; i++) {
            block[i] = x[pos + i];
        }
        float[] lanes = add(new float[16], Arrays.copyOfRange(block, 0, 16));
        for (int v = 1; v < 4; v++) {
            lanes = add(lanes, Arrays.copyOfRange(block, 16 * v, 16 * v + 16));
        }
        return lanes;
    }

    private static float[] add(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static float[] subtract(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            f[j] = (float) x[j];
        }
        return f;
    }

    private static double[] toDoubles(float[] f) {
        double[] x = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            x[j] = f[j];
        }
        return x;
    }
}
