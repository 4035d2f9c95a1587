package dev.absorb.results;

import org.apache.commons.csv.CSVRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code thresholds.csv} (DESIGN.md §5), read for {@code gate --thresholds}: one row
 * per (recipe, family, classes, target). The gate compares the absorption thresholds —
 * delta_abs, delta_abs_stable, non_monotone, delta_uf, delta_ovf — of the configurations both
 * runs have. They are bit-reproducible on every JVM and CPU, so by default any difference is a
 * change; a relative tolerance loosens the numeric ones. Other columns (predicted, gap_max,
 * lse_rel_err, format) are not thresholds and are not compared. docs/decisions.md "gate".
 */
public final class Thresholds {

    static final List<String> KEY = SweepCsv.CONFIGURATION;
    static final List<String> COMPARED = SweepCsv.THRESHOLDS;

    /** A threshold that differs: the configuration, the column, and the two cells as written. */
    public record Change(List<String> configuration, String column, String baseline, String current) {
    }

    /** The outcome of comparing two files. */
    public record Check(int common, int onlyInBaseline, int onlyInCurrent, double tolerance, List<Change> changes) {
    }

    private final Path file;
    private final Map<List<String>, CSVRecord> rows;

    private Thresholds(Path file, Map<List<String>, CSVRecord> rows) {
        this.file = file;
        this.rows = rows;
    }

    /**
     * @throws IllegalArgumentException for a missing file, a file without the key or threshold
     *         columns, or a configuration that appears twice
     */
    public static Thresholds read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file (gate --thresholds needs thresholds.csv in both runs)");
        }
        Map<List<String>, CSVRecord> rows = new LinkedHashMap<>();
        SweepCsv.forEachRecord(file, concat(KEY, COMPARED), record -> {
            List<String> key = KEY.stream().map(record::get).toList();
            if (rows.put(key, record) != null) {
                throw new IllegalArgumentException(file + ": configuration " + String.join(",", key) + " appears twice");
            }
        });
        return new Thresholds(file, rows);
    }

    /**
     * The thresholds of {@code current} that differ from this (the baseline's), over the
     * configurations both have. Two cells agree when they are the same text, or both numbers
     * with |a − b| ≤ tolerance · max(|a|, |b|).
     *
     * @throws IllegalArgumentException when the two files have no configuration in common
     */
    public Check compareTo(Thresholds current, double tolerance) {
        List<Change> changes = new ArrayList<>();
        int common = 0;
        for (Map.Entry<List<String>, CSVRecord> entry : rows.entrySet()) {
            CSVRecord other = current.rows.get(entry.getKey());
            if (other == null) {
                continue;
            }
            common++;
            for (String column : COMPARED) {
                String a = entry.getValue().get(column);
                String b = other.get(column);
                if (!agree(a, b, tolerance)) {
                    changes.add(new Change(entry.getKey(), column, a, b));
                }
            }
        }
        if (common == 0) {
            throw new IllegalArgumentException("no configuration (recipe, family, classes, target) in common: " + file
                    + " and " + current.file);
        }
        int finalCommon = common;
        return new Check(common, rows.size() - finalCommon, current.rows.size() - finalCommon, tolerance, List.copyOf(changes));
    }

    static boolean agree(String a, String b, double tolerance) {
        if (a.equals(b)) {
            return true;
        }
        double x;
        double y;
        try {
            x = Double.parseDouble(a);
            y = Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return false;
        }
        return x == y || Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
