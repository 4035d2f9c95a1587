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
 * {@link GlibcExp} against glibc's own expf: a golden file that a C program calling expf wrote
 * (scripts/glibc-expf-golden), with the inputs where glibc is not correctly rounded, so that a
 * correctly rounded exp fails it.
 */
class GlibcExpTest {

    private static List<int[]> golden() throws IOException {
        List<int[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                GlibcExpTest.class.getResourceAsStream("/frameworks/glibc-expf.csv"), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.startsWith("input")) {
                    continue;
                }
                String[] cells = line.split(",");
                rows.add(new int[] {Integer.parseUnsignedInt(cells[0], 16), Integer.parseUnsignedInt(cells[1], 16)});
            }
        }
        return rows;
    }

    @Test
    void everyGoldenInputGivesGlibcsBits() throws IOException {
        List<int[]> rows = golden();
        assertTrue(rows.size() > 10_000, "golden rows: " + rows.size());
        List<String> differ = new ArrayList<>();
        for (int[] row : rows) {
            float x = Float.intBitsToFloat(row[0]);
            int ours = Float.floatToRawIntBits(GlibcExp.exp(x));
            if (ours != row[1]) {
                differ.add(Float.toHexString(x) + ": glibc " + Integer.toHexString(row[1]) + ", ours " + Integer.toHexString(ours));
            }
        }
        assertEquals(List.of(), differ.subList(0, Math.min(differ.size(), 20)), differ.size() + " inputs differ");
    }

    @Test
    void theGoldenFileTellsGlibcFromACorrectlyRoundedExp() throws IOException {
        long notCorrectlyRounded = golden().stream()
                .filter(r -> Float.floatToRawIntBits((float) StrictMath.exp(Float.intBitsToFloat(r[0]))) != r[1]).count();
        assertTrue(notCorrectlyRounded >= 1000, "rows where glibc differs from (float) StrictMath.exp: " + notCorrectlyRounded);
    }

    @Test
    void specialValues() {
        assertEquals(0f, GlibcExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, GlibcExp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(GlibcExp.exp(Float.NaN)));
        assertEquals(1f, GlibcExp.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, GlibcExp.exp(0x1.62e430p6f));
        assertEquals(0f, GlibcExp.exp(-0x1.9fe36ap6f));
    }
}
