package dev.absorb.kernel;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link XlaExp} and {@link YnnpackExp} against JAX itself: xla-expf.csv holds what jax.jit(jnp.exp)
 * and YNNPACK's fused exp(x − max x) returned on XLA:CPU (scripts/jax-golden/expf.py), over both
 * signs, the clamp and range edges, and the inputs where either exp is not correctly rounded.
 */
class XlaExpTest {

    /** (x, XLA's exp, YNNPACK's exp or NaN where not measured, whether measured). */
    record Row(float x, float xla, float ynnpack, boolean measured) {
    }

    private static List<Row> golden() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                XlaExpTest.class.getResourceAsStream("/frameworks/xla-expf.csv"), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.startsWith("input")) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                boolean measured = !cells[2].isEmpty();
                rows.add(new Row(parse(cells[0]), parse(cells[1]), measured ? parse(cells[2]) : Float.NaN, measured));
            }
        }
        return rows;
    }

    private static float parse(String cell) {
        switch (cell) {
            case "nan": return Float.NaN;
            case "inf": return Float.POSITIVE_INFINITY;
            case "-inf": return Float.NEGATIVE_INFINITY;
            default: return Float.parseFloat(cell);
        }
    }

    /** Same bits, except that any NaN equals any NaN. */
    private static boolean same(float a, float b) {
        return Float.isNaN(a) ? Float.isNaN(b) : Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
    }

    @Test
    void everyGoldenInputGivesXlasBits() throws IOException {
        List<String> differ = new ArrayList<>();
        List<Row> rows = golden();
        assertTrue(rows.size() > 20_000, "golden rows: " + rows.size());
        for (Row r : rows) {
            float ours = XlaExp.exp(r.x());
            if (!same(ours, r.xla())) {
                differ.add(Float.toHexString(r.x()) + ": XLA " + Float.toHexString(r.xla()) + ", ours " + Float.toHexString(ours));
            }
        }
        assertEquals(List.of(), differ.subList(0, Math.min(differ.size(), 20)), differ.size() + " inputs differ");
    }

    @Test
    void everyMeasuredInputGivesYnnpacksBits() throws IOException {
        List<String> differ = new ArrayList<>();
        long measured = 0;
        for (Row r : golden()) {
            if (!r.measured()) {
                continue;
            }
            measured++;
            float ours = YnnpackExp.exp(r.x());
            if (!same(ours, r.ynnpack())) {
                differ.add(Float.toHexString(r.x()) + ": YNNPACK " + Float.toHexString(r.ynnpack()) + ", ours " + Float.toHexString(ours));
            }
        }
        assertTrue(measured > 10_000, "measured rows: " + measured);
        assertEquals(List.of(), differ.subList(0, Math.min(differ.size(), 20)), differ.size() + " inputs differ");
    }

    /**
     * The file tells each exp from a correctly rounded one and from the other, and it holds inputs
     * whose result FTZ flushes (nonzero subnormal for the true e^x, 0 here), so an exp without the
     * flush fails it too.
     */
    @Test
    void theGoldenFileTellsTheExpsApart() throws IOException {
        List<Row> rows = golden();
        long xlaNotCorrectlyRounded = rows.stream().filter(r -> !same((float) StrictMath.exp(r.x()), r.xla())).count();
        long ynnNotCorrectlyRounded = rows.stream().filter(Row::measured)
                .filter(r -> !same((float) StrictMath.exp(r.x()), r.ynnpack())).count();
        long differ = rows.stream().filter(Row::measured).filter(r -> !same(r.xla(), r.ynnpack())).count();
        long flushedByXla = rows.stream().filter(r -> r.xla() == 0 && (float) StrictMath.exp(r.x()) != 0).count();
        long flushedByYnnpack = rows.stream().filter(Row::measured)
                .filter(r -> r.ynnpack() == 0 && (float) StrictMath.exp(r.x()) != 0).count();
        assertTrue(xlaNotCorrectlyRounded >= 500, "XLA's exp not correctly rounded on " + xlaNotCorrectlyRounded + " rows");
        assertTrue(ynnNotCorrectlyRounded >= 500, "YNNPACK's exp not correctly rounded on " + ynnNotCorrectlyRounded + " rows");
        assertTrue(differ >= 500, "the two exps differ on " + differ + " rows");
        assertTrue(flushedByXla >= 50, "rows XLA flushes: " + flushedByXla);
        assertTrue(flushedByYnnpack >= 50, "rows YNNPACK flushes: " + flushedByYnnpack);
    }

    @Test
    void specialValuesAndEdges() {
        for (boolean ynnpack : new boolean[] {false, true}) {
            java.util.function.Function<Float, Float> exp = ynnpack ? YnnpackExp::exp : XlaExp::exp;
            assertTrue(Float.isNaN(exp.apply(Float.NaN)));
            assertEquals(0f, exp.apply(Float.NEGATIVE_INFINITY));
            assertEquals(1f, exp.apply(0f));
            assertEquals(1f, exp.apply(-0f));
            assertEquals(1f, exp.apply(-Float.MIN_VALUE), "DAZ: a subnormal input counts as 0");
            assertEquals(1f, exp.apply(-0x1.fffffcp-127f));
            assertEquals(0f, exp.apply(-87.34f), "e^-87.34 < 2^-126 is flushed");
            assertEquals(0f, exp.apply(-100f));
        }
        assertEquals(Float.POSITIVE_INFINITY, XlaExp.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, XlaExp.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, YnnpackExp.exp(Float.POSITIVE_INFINITY));
    }

    /** Neither exp ever returns a subnormal (FTZ), on every 251st float bit pattern. */
    @Test
    void noSubnormalResults() {
        IntPredicate subnormal = bits -> {
            float x = Float.intBitsToFloat(bits);
            float a = Math.abs(XlaExp.exp(x));
            float b = Math.abs(YnnpackExp.exp(x));
            return a > 0 && a < Float.MIN_NORMAL || b > 0 && b < Float.MIN_NORMAL;
        };
        long found = 0;
        for (long bits = 0; bits < 1L << 32; bits += 251) {
            if (subnormal.test((int) bits)) {
                found++;
            }
        }
        assertEquals(0, found);
    }
}
