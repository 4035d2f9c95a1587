package dev.absorb.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Targets as text: one integer per line (blank lines skipped), read line by line. */
final class TextTargets implements RowReader {

    private final BufferedReader in;
    private final String name;
    private long line;

    private TextTargets(BufferedReader in, String name) {
        this.in = in;
        this.name = name;
    }

    static TextTargets open(Path file) throws IOException {
        try {
            return new TextTargets(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        }
    }

    @Override
    public int width() {
        return 1;
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
        String text;
        do {
            text = in.readLine();
            line++;
        } while (text != null && text.isBlank());
        if (text == null) {
            return false;
        }
        String cell = text.trim();
        if (!cell.matches("[+-]?\\d{1,18}")) {
            throw new IllegalArgumentException(name + " line " + line + ": '" + cell + "' is not an integer class index");
        }
        row[0] = Long.parseLong(cell);
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
