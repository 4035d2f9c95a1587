package dev.absorb.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Logits as CSV: one row per line, numbers separated by commas (spaces around them are ignored),
 * no header; blank lines are skipped. Every row must have as many numbers as the first. Numbers
 * are Java's or Python's spelling: {@code 1.5}, {@code -2e-3}, {@code nan}, {@code inf},
 * {@code -Infinity}. Read line by line.
 */
final class CsvRows implements RowReader {

    private final BufferedReader in;
    private final String name;
    private String pending;
    private long pendingLine;
    private long line;
    private final int width;

    private CsvRows(BufferedReader in, String name) throws IOException {
        this.in = in;
        this.name = name;
        advance();
        if (pending == null) {
            throw new IllegalArgumentException(name + " holds no rows");
        }
        this.width = count(pending);
        if (width < 2) {
            throw new IllegalArgumentException(name + " line " + pendingLine + " has " + width
                    + " value; a row needs at least 2 classes");
        }
    }

    static CsvRows open(Path file) throws IOException {
        BufferedReader in;
        try {
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        try {
            return new CsvRows(in, file.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The next non-blank line into {@code pending}, or null at the end. */
    private void advance() throws IOException {
        String text;
        do {
            text = in.readLine();
            line++;
        } while (text != null && text.isBlank());
        pending = text;
        pendingLine = line;
    }

    private static int count(String text) {
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public long rows() {
        return -1;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean next(double[] row) throws IOException {
        if (pending == null) {
            return false;
        }
        String text = pending;
        long number = pendingLine;
        int n = count(text);
        if (n != width) {
            throw new IllegalArgumentException(name + " line " + number + " has " + n + " values; the first row has " + width
                    + " (a ragged row)");
        }
        int start = 0;
        for (int j = 0; j < width; j++) {
            int end = text.indexOf(',', start);
            if (end < 0) {
                end = text.length();
            }
            row[j] = number(text, start, end, number, j);
            start = end + 1;
        }
        advance();
        return true;
    }

    /** The number in {@code text[from, to)}, spaces around it ignored. */
    private double number(String text, int from, int to, long lineNumber, int column) {
        while (from < to && text.charAt(from) == ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ') {
            to--;
        }
        // Double.parseDouble would also take "1d", "0x1p3" or "NaN" spelled its way: only digits,
        // signs, a point and an exponent pass here, and the special values by name.
        boolean plain = from < to;
        for (int i = from; i < to && plain; i++) {
            char c = text.charAt(i);
            plain = c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
        }
        String cell = text.substring(from, to);
        if (plain) {
            try {
                return Double.parseDouble(cell);
            } catch (NumberFormatException notANumber) {
                // reported below
            }
        }
        switch (cell.toLowerCase(java.util.Locale.ROOT)) {
            case "nan": case "+nan": case "-nan": return Double.NaN;
            case "inf": case "+inf": case "infinity": case "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            default:
                throw new IllegalArgumentException(name + " line " + lineNumber + ", column " + (column + 1) + ": '" + cell
                        + "' is not a number");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
