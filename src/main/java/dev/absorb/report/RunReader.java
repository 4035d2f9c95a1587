package dev.absorb.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.absorb.results.BenchmarkRun;
import dev.absorb.results.JmhJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run folder: thresholds.csv and curves.csv with commons-csv (columns by header name),
 * jmh.json and env.json with Jackson. Every problem is an {@link IllegalArgumentException} whose
 * one-line message names the file and what is wrong, thrown before anything is written.
 */
final class RunReader {

    static final String THRESHOLDS = "thresholds.csv";
    static final String CURVES = "curves.csv";
    static final String JMH = "jmh.json";
    static final String ENV = "env.json";
    static final String INCOMPLETE = "INCOMPLETE";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReader() {
    }

    /**
     * @throws IllegalArgumentException if the folder does not exist, holds neither thresholds.csv
     *     nor jmh.json, or a file in it cannot be read as what it should be
     */
    static Run read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + ": " + (Files.exists(folder) ? "not a folder" : "no such folder"));
        }
        Path thresholdsFile = folder.resolve(THRESHOLDS);
        Path curvesFile = folder.resolve(CURVES);
        Path jmhFile = folder.resolve(JMH);
        Path envFile = folder.resolve(ENV);
        if (!Files.exists(thresholdsFile) && !Files.exists(jmhFile)) {
            throw new IllegalArgumentException(folder + " holds no results: " + THRESHOLDS + " and " + JMH
                    + " are both missing (a run folder holds at least one of them)");
        }
        List<ThresholdRecord> thresholds = Files.exists(thresholdsFile) ? readThresholds(thresholdsFile) : List.of();
        boolean hasCurves = Files.exists(curvesFile);
        List<CurveRecord> curves = hasCurves ? readCurves(curvesFile) : List.of();
        List<JmhResult> benchmarks = Files.exists(jmhFile) ? readJmh(jmhFile) : null;
        RunEnvironment environment = Files.exists(envFile) ? RunEnvironment.of(readJson(envFile, "env.json")) : null;
        return new Run(folder, thresholds, hasCurves, curves, benchmarks, environment,
                Files.exists(folder.resolve(INCOMPLETE)));
    }

    static List<ThresholdRecord> readThresholds(Path file) {
        List<ThresholdRecord> rows = new ArrayList<>();
        forEachRecord(file, new String[] {"recipe", "format", "family", "classes", "target", "delta_abs",
            "delta_abs_stable", "non_monotone", "delta_uf", "predicted", "gap_max"}, cells -> rows.add(new ThresholdRecord(
                cells.text("recipe"), cells.text("format"), cells.text("family"), cells.integer("classes"),
                cells.text("target"), cells.number("delta_abs"), cells.number("delta_abs_stable"),
                cells.bool("non_monotone"), cells.number("delta_uf"), cells.number("predicted"), cells.number("gap_max"))));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no rows below the header");
        }
        return List.copyOf(rows);
    }

    static List<CurveRecord> readCurves(Path file) {
        List<CurveRecord> rows = new ArrayList<>();
        forEachRecord(file, new String[] {"recipe", "family", "classes", "target", "gap", "g_y", "zero_sum_residual"},
                cells -> rows.add(new CurveRecord(cells.text("recipe"), cells.text("family"), cells.integer("classes"),
                        cells.text("target"), cells.number("gap"), cells.number("g_y"), cells.number("zero_sum_residual"))));
        return List.copyOf(rows);
    }

    /** Any JMH JSON file, as {@link JmhJson} reads it (every iteration, fork by fork). */
    static List<JmhResult> readJmh(Path file) {
        List<JmhResult> results = new ArrayList<>();
        for (BenchmarkRun row : JmhJson.read(file).rows()) {
            results.add(new JmhResult(row.key().benchmark(), row.key().mode(), row.key().params(), row.score(),
                    row.scoreError(), row.unit(), row.forks()));
        }
        return List.copyOf(results);
    }

    private static JsonNode readJson(Path file, String what) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not " + what + " (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private interface RowReader {
        void read(Cells cells);
    }

    private static void forEachRecord(Path file, String[] required, RowReader rowReader) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = format.parse(in)) {
            List<String> header = parser.getHeaderNames();
            for (String column : required) {
                if (!header.contains(column)) {
                    throw new IllegalArgumentException(file + ": no column '" + column + "' in the header (needs "
                            + String.join(", ", required) + ")");
                }
            }
            for (CSVRecord record : parser) {
                if (!record.isConsistent()) {
                    throw new IllegalArgumentException(file + " line " + (record.getRecordNumber() + 1) + ": "
                            + record.size() + " cells, the header has " + header.size());
                }
                rowReader.read(new Cells(file, record));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": cannot read as CSV (" + e.getMessage() + ")");
        }
    }

    /** The cells of one CSV record, parsed by column name; a bad cell names file, line and column. */
    private record Cells(Path file, CSVRecord record) {

        String text(String column) {
            return record.get(column);
        }

        double number(String column) {
            String cell = record.get(column).trim();
            if (cell.isEmpty()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw bad(column, "is not a number");
            }
        }

        int integer(String column) {
            try {
                return Integer.parseInt(record.get(column).trim());
            } catch (NumberFormatException e) {
                throw bad(column, "is not an integer");
            }
        }

        boolean bool(String column) {
            String cell = record.get(column).trim();
            if (cell.equals("true") || cell.equals("false")) {
                return cell.equals("true");
            }
            throw bad(column, "is not true or false");
        }

        private IllegalArgumentException bad(String column, String problem) {
            return new IllegalArgumentException(file + " line " + (record.getRecordNumber() + 1) + ", column " + column
                    + ": '" + record.get(column) + "' " + problem);
        }
    }
}
