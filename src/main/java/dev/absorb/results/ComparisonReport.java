package dev.absorb.results;

import dev.absorb.format.DecimalText;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Prints a {@link Comparison} as an aligned text table, a markdown table or CSV. Text and
 * markdown carry the same header lines (each input's JVM and CPU, the unit, parameters every
 * row shares, how to read the cells), one row per benchmark, a geometric-mean row per mode, and
 * the rows that could not be compared. CSV has one line per row with full-precision numbers
 * and the header lines as {@code #} comments.
 */
public final class ComparisonReport {

    /** The output formats of {@code compare}. */
    public enum Format {
        TEXT, MARKDOWN, CSV, JSON;

        /** TEXT from "text", and so on. */
        public static Format of(String name) {
            for (Format f : values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown format '" + name + "'; valid: text, markdown, csv, json");
        }
    }

    private final Comparison comparison;
    private final String normalizedTo;
    private final List<RunInput> inputs;
    private final Map<String, String> sharedParams;
    private final boolean oneUnit;

    ComparisonReport(Comparison comparison, String normalizedTo) {
        this.comparison = comparison;
        this.normalizedTo = normalizedTo;
        this.inputs = comparison.inputs();
        this.sharedParams = sharedParams(comparison.rows());
        this.oneUnit = comparison.rows().stream().map(r -> r.key().mode() + " " + r.unit()).distinct().count() == 1;
    }

    /** The comparison in the format; {@code normalizedTo} is the --normalize-to baseline or null. */
    public static String render(Comparison comparison, Format format, String normalizedTo) {
        ComparisonReport report = new ComparisonReport(comparison, normalizedTo);
        switch (format) {
            case TEXT:
                return report.text();
            case MARKDOWN:
                return report.markdown();
            case JSON:
                return ResultsJson.compare(comparison);
            default:
                return report.csv();
        }
    }

    // ---- shared parts --------------------------------------------------------------------------

    List<String> headerLines() {
        List<String> lines = new ArrayList<>(EnvironmentFacts.differences(inputs, null));
        String forks = RunInputs.singleForkWarning(inputs);
        if (forks != null) {
            lines.add(forks);
        }
        for (RunInput input : inputs) {
            lines.add(input.label() + ": " + input.sourceText() + " (JVM: " + input.environment().jvm()
                    + "; CPU: " + input.environment().cpu() + ")");
        }
        if (normalizedTo != null) {
            lines.add("every score divided by " + normalizedTo + " of the same run and parameters, sample by sample");
        }
        if (oneUnit && !comparison.rows().isEmpty()) {
            Comparison.Row first = comparison.rows().get(0);
            lines.add("mode " + first.key().mode() + ", unit " + first.unit() + ": "
                    + (first.direction() == Direction.LOWER_IS_BETTER ? "lower" : "higher") + " is better");
        } else {
            lines.add("modes thrpt: higher is better; avgt, sample, ss: lower is better");
        }
        if (!sharedParams.isEmpty()) {
            lines.add("every row has " + paramText(sharedParams));
        }
        String confidence = percent(1 - comparison.alpha());
        String first = inputs.get(0).label();
        lines.add("score: median [" + confidence + " interval] of " + samplesText() + "; X/" + first
                + ": ratio of X to " + first + " (Hodges-Lehmann) [" + confidence + " interval]; p: two-sided Mann-Whitney U; "
                + "'~': not significant at alpha " + DecimalText.format(comparison.alpha()));
        return lines;
    }

    /**
     * What the rows' samples are: each fork's median where every input ran the row in several
     * forks, else every iteration (which misses the variation between forks).
     */
    String samplesText() {
        long forkRows = comparison.rows().stream().filter(r -> r.samples() == Comparison.Samples.FORK_MEDIANS).count();
        long iterationRows = comparison.rows().size() - forkRows;
        if (iterationRows == 0) {
            return "each fork's median iteration (one sample per fork)";
        }
        String iterations = "every iteration, pooled (an input ran one fork, and iterations miss the variation between forks)";
        return forkRows == 0 ? iterations
                : "each fork's median iteration in " + forkRows + " rows, " + iterations.replace("every iteration", "every iteration in " + iterationRows + " rows");
    }

    List<String> footerLines() {
        List<String> lines = new ArrayList<>();
        for (Comparison.Unmatched u : comparison.unmatched()) {
            String where = u.presentIn().size() == 1 ? "only in " + u.presentIn().get(0)
                    : "not in " + inputs.get(0).label() + " (in " + String.join(", ", u.presentIn()) + ")";
            lines.add(where + ": " + rowName(u.key()) + (u.key().params().isEmpty() ? "" : " [" + u.key().paramText() + "]")
                    + " (" + u.key().mode() + ")");
        }
        Set<String> untestable = new TreeSet<>();
        for (Comparison.Row row : comparison.rows()) {
            SampleSummary base = row.scores().get(0);
            for (int i = 1; i < inputs.size(); i++) {
                SampleSummary other = row.scores().get(i);
                if (other != null && RatioEstimate.minimumP(base.n(), other.n()) >= comparison.alpha()) {
                    untestable.add(base.n() + " + " + other.n());
                }
            }
        }
        for (String sizes : untestable) {
            String[] nm = sizes.split(" \\+ ");
            lines.add("note: with " + sizes + " samples the U test cannot reach p < " + DecimalText.format(comparison.alpha())
                    + " (smallest p " + Numbers.p(RatioEstimate.minimumP(Integer.parseInt(nm[0]), Integer.parseInt(nm[1])))
                    + "): run more forks or iterations");
        }
        return lines;
    }

    List<String> columns() {
        List<String> columns = new ArrayList<>();
        columns.add("benchmark");
        if (hasParamColumn()) {
            columns.add("params");
        }
        if (!oneUnit) {
            columns.add("unit");
        }
        String first = inputs.get(0).label();
        columns.add(first);
        for (int i = 1; i < inputs.size(); i++) {
            String label = inputs.get(i).label();
            columns.add(label);
            columns.add(label + "/" + first);
            columns.add("p (" + label + ")");
        }
        return columns;
    }

    List<List<String>> cells() {
        List<List<String>> table = new ArrayList<>();
        for (Comparison.Row row : comparison.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(rowName(row.key()));
            if (hasParamColumn()) {
                cells.add(paramText(ownParams(row.key())));
            }
            if (!oneUnit) {
                cells.add(row.unit() + " (" + row.key().mode() + ")");
            }
            cells.add(Cells.score(row.scores().get(0)));
            for (int i = 1; i < inputs.size(); i++) {
                SampleSummary score = row.scores().get(i);
                RatioEstimate ratio = row.ratios().get(i);
                if (score == null) {
                    cells.addAll(List.of("missing", "", ""));
                    continue;
                }
                cells.add(Cells.score(score));
                cells.add(Cells.ratio(ratio));
                cells.add(Numbers.p(ratio.p()) + " " + Cells.verdict(ratio, row.direction(), comparison.alpha()));
            }
            table.add(cells);
        }
        for (Comparison.GeoMean g : comparison.geoMeans()) {
            List<String> cells = new ArrayList<>();
            cells.add(comparison.geoMeans().size() == 1 ? "geomean" : "geomean (" + g.mode() + ")");
            if (hasParamColumn()) {
                cells.add(g.rows() + " rows");
            }
            if (!oneUnit) {
                cells.add("");
            }
            cells.add(Double.isNaN(g.scores().get(0)) ? "" : Numbers.cell(g.scores().get(0)));
            for (int i = 1; i < inputs.size(); i++) {
                cells.add(Double.isNaN(g.scores().get(i)) ? "" : Numbers.cell(g.scores().get(i)));
                cells.add(Numbers.cell(g.ratios().get(i)));
                cells.add("");
            }
            table.add(cells);
        }
        return table;
    }

    // ---- formats -------------------------------------------------------------------------------

    private String text() {
        StringBuilder out = new StringBuilder();
        headerLines().forEach(l -> out.append(l).append('\n'));
        out.append('\n');
        List<String> columns = columns();
        List<List<String>> table = cells();
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : table) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        appendAligned(out, columns, widths);
        for (List<String> row : table) {
            appendAligned(out, row, widths);
        }
        List<String> footer = footerLines();
        if (!footer.isEmpty()) {
            out.append('\n');
            footer.forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    private static void appendAligned(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(cells.get(c));
            if (c < cells.size() - 1) {
                line.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private String markdown() {
        StringBuilder out = new StringBuilder();
        headerLines().forEach(l -> out.append("- ").append(markdownText(l)).append('\n'));
        out.append('\n');
        appendMarkdownTable(out, columns(), cells());
        List<String> footer = footerLines();
        if (!footer.isEmpty()) {
            out.append('\n');
            footer.forEach(l -> out.append("- ").append(markdownText(l)).append('\n'));
        }
        return out.toString();
    }

    static void appendMarkdownTable(StringBuilder out, List<String> columns, List<List<String>> rows) {
        out.append(markdownRow(columns));
        out.append(markdownRow(Collections.nCopies(columns.size(), "---")));
        rows.forEach(r -> out.append(markdownRow(r)));
    }

    private static String markdownRow(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    /** Markdown would read _ and * in benchmark names as emphasis. */
    static String markdownText(String line) {
        return line.replace("\\", "\\\\").replace("_", "\\_").replace("*", "\\*");
    }

    private String csv() {
        Set<String> paramNames = new TreeSet<>();
        comparison.rows().forEach(r -> paramNames.addAll(r.key().params().keySet()));
        comparison.unmatched().forEach(u -> paramNames.addAll(u.key().params().keySet()));
        List<String> header = new ArrayList<>(List.of("benchmark", "mode", "unit"));
        header.addAll(paramNames);
        for (int i = 0; i < inputs.size(); i++) {
            String l = inputs.get(i).label();
            header.addAll(List.of(l + "_median", l + "_low", l + "_high", l + "_n"));
            if (i > 0) {
                String f = inputs.get(0).label();
                header.addAll(List.of(l + "/" + f, l + "/" + f + "_low", l + "/" + f + "_high", l + "_p", l + "_verdict"));
            }
        }
        header.add("note");
        StringBuilder out = new StringBuilder();
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setRecordSeparator('\n')
                .setCommentMarker('#')
                .setHeaderComments(headerLines().toArray(new Object[0]))
                .setHeader(header.toArray(new String[0]))
                .build();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            for (Comparison.Row row : comparison.rows()) {
                List<String> record = keyCells(row.key(), row.unit(), paramNames);
                for (int i = 0; i < inputs.size(); i++) {
                    SampleSummary s = row.scores().get(i);
                    record.addAll(s == null ? List.of("", "", "", "")
                            : List.of(csvNumber(s.median()), csvNumber(s.low()), csvNumber(s.high()), Integer.toString(s.n())));
                    if (i > 0) {
                        RatioEstimate r = row.ratios().get(i);
                        record.addAll(r == null ? List.of("", "", "", "", "")
                                : List.of(csvNumber(r.ratio()), csvBound(r.hasInterval(), r.low()), csvBound(r.hasInterval(), r.high()),
                                        csvNumber(r.p()), Cells.verdict(r, row.direction(), comparison.alpha())));
                    }
                }
                record.add(row.scores().contains(null) ? "missing in " + missingLabels(row) : "");
                printer.printRecord(record);
            }
            for (Comparison.GeoMean g : comparison.geoMeans()) {
                List<String> record = new ArrayList<>(List.of("geomean", g.mode(), ""));
                paramNames.forEach(p -> record.add(""));
                for (int i = 0; i < inputs.size(); i++) {
                    record.addAll(List.of(csvNumber(g.scores().get(i)), "", "", ""));
                    if (i > 0) {
                        record.addAll(List.of(csvNumber(g.ratios().get(i)), "", "", "", ""));
                    }
                }
                record.add("geometric mean over " + g.rows() + " rows");
                printer.printRecord(record);
            }
            int width = header.size();
            for (Comparison.Unmatched u : comparison.unmatched()) {
                List<String> record = keyCells(u.key(), "", paramNames);
                while (record.size() < width - 1) {
                    record.add("");
                }
                record.add(u.presentIn().size() == 1 ? "only in " + u.presentIn().get(0)
                        : "not in " + inputs.get(0).label() + " (in " + String.join(" ", u.presentIn()) + ")");
                printer.printRecord(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<String> keyCells(BenchmarkKey key, String unit, Set<String> paramNames) {
        List<String> record = new ArrayList<>(List.of(key.benchmark(), key.mode(), unit));
        paramNames.forEach(p -> record.add(key.params().getOrDefault(p, "")));
        return record;
    }

    private String missingLabels(Comparison.Row row) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (row.scores().get(i) == null) {
                labels.add(inputs.get(i).label());
            }
        }
        return String.join(" ", labels);
    }

    private static String csvNumber(double x) {
        return Double.isNaN(x) ? "" : DecimalText.format(x);
    }

    private static String csvBound(boolean exists, double x) {
        return exists ? DecimalText.format(x) : "";
    }

    // ---- names and parameters ------------------------------------------------------------------

    /** Class.method, or the full name where two rows' Class.method would collide. */
    String rowName(BenchmarkKey key) {
        String shortName = Normalization.shortName(key.benchmark());
        boolean collides = comparison.rows().stream().map(r -> r.key().benchmark())
                .anyMatch(b -> !b.equals(key.benchmark()) && Normalization.shortName(b).equals(shortName));
        return collides ? key.benchmark() : shortName;
    }

    private boolean hasParamColumn() {
        return comparison.rows().stream().anyMatch(r -> !ownParams(r.key()).isEmpty());
    }

    private Map<String, String> ownParams(BenchmarkKey key) {
        Map<String, String> own = new TreeMap<>(key.params());
        own.keySet().removeAll(sharedParams.keySet());
        return own;
    }

    /** Parameters with one value in every row (said once in the header instead of in every row). */
    private static Map<String, String> sharedParams(List<Comparison.Row> rows) {
        if (rows.size() < 2) {
            return Map.of();
        }
        Map<String, String> shared = new TreeMap<>(rows.get(0).key().params());
        for (Comparison.Row row : rows) {
            shared.entrySet().removeIf(e -> !e.getValue().equals(row.key().params().get(e.getKey())));
        }
        return shared;
    }

    private static String paramText(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    static String percent(double fraction) {
        return Numbers.percent(fraction, 3);
    }
}
