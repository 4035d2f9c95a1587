package dev.absorb.scan;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Rows of numbers read one at a time from a file, never the whole file at once: logits (one row
 * per line of CSV, or a 2-D .npy array) or targets (one integer per line, or a 1-D .npy array,
 * each a row of width 1). A problem with the file's contents is an {@link IllegalArgumentException}
 * naming the file and the place.
 */
interface RowReader extends Closeable {

    /** Numbers per row. */
    int width();

    /** How many rows the file holds, or −1 where only reading to the end tells (CSV). */
    long rows();

    /** Reads the next row into {@code row[0..width)}; false at the end of the file. */
    boolean next(double[] row) throws IOException;

    /** What the file is, for messages: its path. */
    String name();

    /** Logits from {@code file}: .npy by its magic string (or its name), else CSV. */
    static RowReader logits(Path file) throws IOException {
        return isNpy(file) ? NpyRows.open(file, true) : CsvRows.open(file);
    }

    /** Targets from {@code file}: .npy by its magic string (or its name), else one integer per line. */
    static RowReader targets(Path file) throws IOException {
        return isNpy(file) ? NpyRows.open(file, false) : TextTargets.open(file);
    }

    private static boolean isNpy(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder, not a file");
        }
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".npy")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(6);
            return start.length == 6 && (start[0] & 0xff) == 0x93 && new String(start, 1, 5,
                    java.nio.charset.StandardCharsets.ISO_8859_1).equals("NUMPY");
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        }
    }
}
