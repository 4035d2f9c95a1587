package dev.absorb.scan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .npy reader against files numpy wrote (scripts/scan_npy_fixtures.py). */
class NpyRowsTest {

    static Path resource(String name) {
        try {
            return Path.of(NpyRowsTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** values.csv: the rows numpy reads from {@code file}. */
    private static List<double[]> expected(String file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (InputStream in = NpyRowsTest.class.getResourceAsStream("values.csv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] cells = line.split(",");
                if (!line.startsWith("#") && cells[0].equals(file)) {
                    String[] values = cells[2].split(" ");
                    double[] row = new double[values.length];
                    for (int j = 0; j < values.length; j++) {
                        row[j] = values[j].equals("nan") ? Double.NaN : values[j].equals("inf") ? Double.POSITIVE_INFINITY
                                : values[j].equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(values[j]);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"logits-f4.npy", "logits-f2.npy", "logits-f8.npy", "logits-f4-big-endian.npy", "logits-bf16.npy"})
    void readsEveryElementAsNumpyDoes(String file) throws IOException {
        List<double[]> expected = expected(file);
        assertEquals(3, expected.size(), "values.csv lists " + file);

        try (RowReader reader = RowReader.logits(resource(file))) {
            assertEquals(3, reader.rows());
            assertEquals(5, reader.width());
            double[] row = new double[5];
            for (double[] want : expected) {
                assertTrue(reader.next(row));
                for (int j = 0; j < 5; j++) {
                    // bit for bit: -0.0 stays negative, NaN stays NaN
                    assertEquals(Double.doubleToLongBits(want[j]), Double.doubleToLongBits(Double.isNaN(row[j]) ? Double.NaN : row[j]),
                            file + " element " + j + ": " + want[j] + " vs " + row[j]);
                }
            }
            assertFalse(reader.next(row));
        }
    }

    @Test
    void aVersion2HeaderReadsLikeVersion1() throws IOException {
        double[] a = new double[5];
        double[] b = new double[5];
        try (RowReader v1 = RowReader.logits(resource("logits-f4.npy")); RowReader v2 = RowReader.logits(resource("logits-f4-v2.npy"))) {
            while (v1.next(a)) {
                assertTrue(v2.next(b));
                for (int j = 0; j < 5; j++) {
                    assertEquals(Double.doubleToLongBits(a[j]), Double.doubleToLongBits(b[j]));
                }
            }
            assertFalse(v2.next(b));
        }
    }

    @Test
    void targetsComeFromOneDimensionOrOneColumn() throws IOException {
        assertEquals(List.of(4.0, 0.0, 2.0), targets("targets-i4.npy"));
        assertEquals(List.of(1.0, 3.0, 0.0), targets("targets-i8-column.npy"));
    }

    private static List<Double> targets(String file) throws IOException {
        List<Double> out = new ArrayList<>();
        try (RowReader reader = RowReader.targets(resource(file))) {
            double[] t = new double[1];
            while (reader.next(t)) {
                out.add(t[0]);
            }
        }
        return out;
    }

    @Test
    void whatTheReaderRefusesItNames() {
        assertEquals(resource("bad-fortran.npy") + " is in Fortran order; save it in C order (np.ascontiguousarray)",
                refusal(() -> RowReader.logits(resource("bad-fortran.npy"))));
        assertEquals(resource("bad-1d.npy") + " has shape (5,); logits must be 2-D (rows, classes)",
                refusal(() -> RowReader.logits(resource("bad-1d.npy"))));
        assertTrue(refusal(() -> RowReader.logits(resource("bad-int-logits.npy")))
                .endsWith(": dtype '<i4' is not supported for logits; valid: <f2, <f4, <f8, <u2 (<u2 holds bfloat16 bit "
                        + "patterns: save a.view(np.uint16))"));
        assertTrue(refusal(() -> RowReader.targets(resource("bad-float-targets.npy")))
                .endsWith(": dtype '<f4' is not supported for targets; valid: <i4, <i8"));
        assertEquals(resource("bad-cut-short.npy") + " holds 57 bytes of data; shape (3, 5) of <f4 needs 60 (the file is cut short)",
                refusal(() -> RowReader.logits(resource("bad-cut-short.npy"))));
        assertTrue(refusal(() -> RowReader.targets(resource("bad-int-logits.npy"))).endsWith("has shape (2, 3); targets must be "
                + "1-D (rows,) or one column (rows, 1)"));
    }

    @Test
    void aFileThatIsNotNpyButSaysSoByItsNameIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x.npy"), "1,2,3\n");
        assertEquals(file + " is not a .npy file (it does not start with \\x93NUMPY)", refusal(() -> RowReader.logits(file)));
        Path shortFile = Files.write(dir.resolve("y.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1});
        assertEquals(shortFile + " is cut short: it ends inside its first 10 bytes", refusal(() -> RowReader.logits(shortFile)));
        assertEquals(dir.resolve("none.npy") + ": no such file", refusal(() -> RowReader.logits(dir.resolve("none.npy"))));
    }

    @Test
    void theHeaderParserReadsNumpysDictLiteral() {
        NpyHeader h = NpyHeader.parse("{'descr': '<f4', 'fortran_order': False, 'shape': (10000, 128256), }          \n", 128, "x");
        assertEquals("<f4", h.descr());
        assertFalse(h.fortranOrder());
        assertEquals(10000, h.shape()[0]);
        assertEquals(128256, h.shape()[1]);
        assertEquals("(10000, 128256)", h.shapeText());
        assertTrue(refusal(() -> NpyHeader.parse("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", 64, "x"))
                .contains("structured dtype"));
    }

    interface Opening {
        Object open() throws IOException;
    }

    static String refusal(Opening opening) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            Object reader = opening.open();
            if (reader instanceof AutoCloseable) {
                ((AutoCloseable) reader).close();
            }
        });
        return e.getMessage();
    }
}
