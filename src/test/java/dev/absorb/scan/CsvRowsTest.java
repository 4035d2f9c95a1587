package dev.absorb.scan;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.absorb.scan.NpyRowsTest.refusal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvRowsTest {

    @TempDir
    Path dir;

    @Test
    void readsRowsWithPythonsAndJavasSpellingsAndSkipsBlankLines() throws IOException {
        Path file = Files.writeString(dir.resolve("logits.csv"), "1.5, -2e-3,nan\n\n  inf,-Infinity , 0.25\n");

        try (RowReader reader = RowReader.logits(file)) {
            assertEquals(3, reader.width());
            assertEquals(-1, reader.rows());
            double[] row = new double[3];
            assertTrue(reader.next(row));
            assertArrayEquals(new double[] {1.5, -2e-3, Double.NaN}, row);
            assertTrue(reader.next(row));
            assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.25}, row);
            assertFalse(reader.next(row));
        }
    }

    @Property(tries = 200)
    void everyDoubleReadsBackBitForBitAsJavaOrPythonWritesIt(@ForAll @Size(min = 2, max = 40) double[] row,
                                                            @ForAll boolean python) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < row.length; j++) {
            String cell = Double.toString(row[j]);
            if (python) {
                // Python's repr: nan, inf, -inf; exponents as in Java's output are read alike
                cell = Double.isNaN(row[j]) ? "nan" : Double.isInfinite(row[j]) ? (row[j] > 0 ? "inf" : "-inf") : cell;
            }
            text.append(j > 0 ? (python ? ", " : ",") : "").append(cell);
        }
        Path file = Files.writeString(Files.createTempFile("row", ".csv"), text + "\n");
        try (RowReader reader = RowReader.logits(file)) {
            double[] read = new double[row.length];
            assertTrue(reader.next(read));
            for (int j = 0; j < row.length; j++) {
                assertEquals(Double.doubleToLongBits(row[j]), Double.doubleToLongBits(read[j]), text.toString());
            }
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aFolderIsNotAFile() {
        assertEquals(dir + " is a folder, not a file", refusal(() -> RowReader.logits(dir)));
    }

    @Test
    void aRaggedRowIsNamedWithItsLine() throws IOException {
        Path file = Files.writeString(dir.resolve("ragged.csv"), "1,2,3\n4,5,6\n7,8\n");

        try (RowReader reader = RowReader.logits(file)) {
            double[] row = new double[3];
            reader.next(row);
            reader.next(row);
            assertEquals(file + " line 3 has 2 values; the first row has 3 (a ragged row)", refusal(() -> reader.next(row)));
        }
    }

    @Test
    void aCellThatIsNotANumberIsNamedWithLineAndColumn() throws IOException {
        for (String bad : new String[] {"abc", "1d", "0x1p3", "", "1 2", "--1"}) {
            Path file = Files.writeString(dir.resolve("bad.csv"), "1,2,3\n4," + bad + ",6\n");
            try (RowReader reader = RowReader.logits(file)) {
                double[] row = new double[3];
                reader.next(row);
                assertEquals(file + " line 2, column 2: '" + bad.trim() + "' is not a number", refusal(() -> reader.next(row)), bad);
            }
        }
    }

    @Test
    void anEmptyFileOrOneClassIsRefused() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "\n\n");
        Path narrow = Files.writeString(dir.resolve("narrow.csv"), "1\n2\n");

        assertEquals(empty + " holds no rows", refusal(() -> RowReader.logits(empty)));
        assertEquals(narrow + " line 1 has 1 value; a row needs at least 2 classes", refusal(() -> RowReader.logits(narrow)));
    }

    @Test
    void targetsAreOneIntegerPerLine() throws IOException {
        Path file = Files.writeString(dir.resolve("targets.txt"), "3\n 0 \n\n12\nx\n");

        try (RowReader reader = RowReader.targets(file)) {
            double[] t = new double[1];
            for (double want : new double[] {3, 0, 12}) {
                assertTrue(reader.next(t));
                assertEquals(want, t[0]);
            }
            assertEquals(file + " line 5: 'x' is not an integer class index", refusal(() -> reader.next(t)));
        }
    }
}
