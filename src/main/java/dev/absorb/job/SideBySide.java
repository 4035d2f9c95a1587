package dev.absorb.job;

import dev.absorb.results.JmhRow;
import dev.absorb.results.Numbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of several runs side by side, one row per benchmark and params, one column per run,
 * and each later run's score as a ratio to the first run's (above 1: slower, for time per
 * operation). A stop-gap until {@code absorb compare} (with confidence intervals and significance)
 * lands: a ratio here says nothing about noise; read it next to the ± errors.
 */
public final class SideBySide {

    private SideBySide() {
    }

    /** @param labels one per run, e.g. the run folders' names */
    public static String table(List<String> labels, List<List<JmhRow>> runs) {
        if (labels.size() != runs.size() || runs.isEmpty()) {
            throw new IllegalArgumentException("one label per run, at least one run");
        }
        Map<String, JmhRow[]> rows = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            for (JmhRow s : runs.get(r)) {
                rows.computeIfAbsent(s.rowName(), k -> new JmhRow[runs.size()])[r] = s;
            }
        }
        List<String[]> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("benchmark", "params", "unit"));
        header.addAll(labels);
        for (int r = 1; r < runs.size(); r++) {
            header.add("run " + (r + 1) + " / run 1");
        }
        cells.add(header.toArray(new String[0]));
        for (JmhRow[] row : rows.values()) {
            JmhRow any = firstPresent(row);
            List<String> line = new ArrayList<>(List.of(any.shortName(), any.key().paramText(), any.unit()));
            for (JmhRow s : row) {
                line.add(s == null ? "-" : Numbers.withError(s.score(), s.scoreError()));
            }
            for (int r = 1; r < row.length; r++) {
                line.add(row[0] == null || row[r] == null || !row[r].unit().equals(row[0].unit()) ? "-"
                        : String.format("%.2f", row[r].score() / row[0].score()));
            }
            cells.add(line.toArray(new String[0]));
        }
        return align(cells);
    }

    private static JmhRow firstPresent(JmhRow[] row) {
        for (JmhRow s : row) {
            if (s != null) {
                return s;
            }
        }
        throw new IllegalStateException("empty row");
    }

    /** Columns padded to their widest cell; text left-aligned, scores right-aligned. */
    private static String align(List<String[]> cells) {
        int columns = cells.get(0).length;
        int[] width = new int[columns];
        for (String[] line : cells) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String format = c < 3 ? "%-" + width[c] + "s" : "%" + width[c] + "s";
                s.append(c == 0 ? "" : "  ").append(String.format(format, line[c]));
            }
            out.append(s.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
