package dev.absorb.kernel;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GlibcExp} against glibc's own expf: a golden file that a C program calling the real expf
 * wrote (scripts/glibc-expf-golden), including the inputs where glibc is not correctly rounded, so
 * that a correctly rounded exp fails it. The exhaustive comparison over all 2^32 inputs is too slow
 * for a unit test and was done outside it (GlibcExp's Javadoc).
 */
class GlibcExpTest {

    /** Rows of (input, glibc's output), parsed from C99 hex floats, which are exact. */
    private static List<float[]> golden() throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                GlibcExpTest.class.getResourceAsStream("/frameworks/glibc-expf.csv"), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.startsWith("input")) {
                    continue;
                }
                String[] cells = line.split(",");
                rows.add(new float[] {parse(cells[0]), parse(cells[1])});
            }
        }
        return rows;
    }

    /** C's %a output, which Float.parseFloat reads except for C's spellings of inf and nan. */
    private static float parse(String cell) {
        switch (cell) {
            case "nan": return Float.NaN;
            case "inf": return Float.POSITIVE_INFINITY;
            case "-inf": return Float.NEGATIVE_INFINITY;
            default: return Float.parseFloat(cell);
        }
    }

    /** Same bits, except that any NaN equals any NaN (the file cannot spell a payload). */
    private static boolean same(float a, float b) {
        return Float.isNaN(a) ? Float.isNaN(b) : Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
    }

    @Test
    void everyGoldenInputGivesGlibcsBits() throws IOException {
        List<float[]> rows = golden();
        assertTrue(rows.size() > 20_000, "golden rows: " + rows.size());
        List<String> differ = new ArrayList<>();
        for (float[] row : rows) {
            float ours = GlibcExp.exp(row[0]);
            if (!same(ours, row[1])) {
                differ.add(Float.toHexString(row[0]) + ": glibc " + Float.toHexString(row[1]) + ", ours " + Float.toHexString(ours));
            }
        }
        assertEquals(List.of(), differ.subList(0, Math.min(differ.size(), 20)), differ.size() + " inputs differ");
    }

    /** A correctly rounded exp must fail the golden file, else it could not tell glibc apart. */
    @Test
    void theGoldenFileTellsGlibcFromACorrectlyRoundedExp() throws IOException {
        long notCorrectlyRounded = golden().stream()
                .filter(r -> !same((float) StrictMath.exp(r[0]), r[1]))
                .count();
        assertTrue(notCorrectlyRounded >= 1000, "rows where glibc differs from (float) StrictMath.exp: " + notCorrectlyRounded);
    }

    @Test
    void specialValuesAndThresholds() {
        assertEquals(0f, GlibcExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, GlibcExp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(GlibcExp.exp(Float.NaN)));
        assertEquals(1f, GlibcExp.exp(0f));
        assertEquals(1f, GlibcExp.exp(-0f));
        assertEquals(0x1.ffff08p127f, GlibcExp.exp(0x1.62e42ep6f)); // glibc's value, from the golden file
        assertEquals(Float.POSITIVE_INFINITY, GlibcExp.exp(0x1.62e430p6f));
        assertEquals(Float.MIN_VALUE, GlibcExp.exp(-0x1.9fe368p6f));
        assertEquals(0f, GlibcExp.exp(-0x1.9fe36ap6f));
        assertEquals(Float.MIN_VALUE, GlibcExp.exp(-103.5f));
    }

    /** The one contraction that shows: computing r = z − k without fma changes these two results. */
    @Test
    void theTwoInputsThatNeedTheFusedReduction() {
        assertEquals(0x1.f93e38p46f, GlibcExp.exp(0x1.04845ep5f));
        assertEquals(0x1.f45326p-92f, GlibcExp.exp(-0x1.f8cbb2p5f));
    }
}
