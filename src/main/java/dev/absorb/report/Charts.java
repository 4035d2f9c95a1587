package dev.absorb.report;

import dev.absorb.results.Numbers;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the report's four kinds of chart with XChart from their data records; no numbers are
 * computed here beyond axis ranges. Text is large enough to read when a code-hosting site scales
 * a 1000-pixel image down; tick labels use {@link Locale#ROOT}, so the bytes do not depend on
 * the user's locale.
 */
final class Charts {

    static final int WIDTH = 1100;
    static final int PANEL_HEIGHT = 480;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color NFI_FILL = new Color(213, 94, 0, 40);
    private static final Color REFERENCE = new Color(0x666666);
    private static final Color MODEL = new Color(120, 120, 120, 170);
    private static final String GAP_AXIS = "logit gap Δ = z_y − max_{j≠y} z_j (nats)";
    private static final String CLASSES_AXIS = "class count C (log scale)";

    private Charts() {
    }

    /** |g_y| above, the zero-sum residual below, against the gap; log y; NFI window shaded, delta_abs dashed. */
    static Figure curves(GradientCurves data, Palette palette) {
        String where = " at C = " + data.classes() + " (family " + data.family() + ", target " + data.target() + ")";
        XYChart gradient = curvePanel(data, palette, data.format() + ": |g_y|" + where, "|g_y| (log scale)", true);
        XYChart residual = curvePanel(data, palette, data.format() + ": zero-sum residual" + where,
                "|Σ g_j| / Σ |g_j| (log scale)", false);
        String caption = data.format() + ": |g_y| and the zero-sum residual against the logit gap at C = " + data.classes()
                + (data.hasWindow() ? "; shaded: the default recipe's NFI window [" + Numbers.gap(data.nfiFrom()) + ", "
                + Numbers.gap(data.nfiTo()) + ")" : "") + "; dashed: each recipe's delta_abs; a line stops where its value is 0";
        return new Figure("curves-" + data.format(), data.format() + ": |g_y| and zero-sum residual against the gap", caption, WIDTH,
                List.of(new Figure.Panel(gradient, PANEL_HEIGHT), new Figure.Panel(residual, PANEL_HEIGHT)));
    }

    /**
     * One panel on a log y axis drawn by hand: the values are plotted as log10 on a linear axis
     * whose whole-number ticks are labelled as powers of ten. XChart's own log axis puts a label
     * on every decade and a grid line on every ninth of one, unreadable (and an SVG of tens of
     * megabytes) over the 300 decades fp64's gradient spans.
     */
    private static XYChart curvePanel(GradientCurves data, Palette palette, String title, String yTitle, boolean gradient) {
        XYChart chart = xyChart(PANEL_HEIGHT, title, GAP_AXIS, yTitle);
        AxesChartStyler styler = chart.getStyler();
        double[] range = logRange(data.lines().stream().map(l -> gradient ? l.gradient() : l.residual()).toList());
        double low = Math.log10(range[0]);
        double high = Math.log10(range[1]);
        styler.setyAxisTickLabelsFormattingFunction(Charts::powerOfTen);
        double xMax = 1.04 * xExtent(data);
        styler.setXAxisMin(0.0).setXAxisMax(xMax).setYAxisMin(low).setYAxisMax(high);
        if (data.hasWindow()) {
            double to = data.nfiTo();
            XYSeries window = chart.addSeries("NFI window of " + data.format() + " [" + Numbers.gap(data.nfiFrom()) + ", "
                            + Numbers.gap(data.nfiTo()) + ")",
                    new double[] {data.nfiFrom(), data.nfiFrom(), to, to}, new double[] {low, high, high, low});
            window.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            window.setFillColor(NFI_FILL);
            window.setLineColor(NFI_FILL);
            window.setLineStyle(SeriesLines.NONE);
            window.setMarker(SeriesMarkers.NONE);
        }
        for (GradientCurves.Line line : data.lines()) {
            if (!Double.isNaN(line.deltaAbs())) {
                XYSeries mark = chart.addSeries("delta_abs of " + line.recipe(), new double[] {line.deltaAbs(), line.deltaAbs()},
                        new double[] {low, high});
                mark.setLineColor(palette.color(line.recipe()));
                mark.setLineStyle(new BasicStroke(1.3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                mark.setMarker(SeriesMarkers.NONE);
                mark.setShowInLegend(false);
            }
        }
        for (GradientCurves.Line line : data.lines()) {
            double[] y = Arrays.stream(gradient ? line.gradient() : line.residual()).map(Math::log10).toArray();
            String label = line.recipe() + (Double.isNaN(line.deltaAbs()) ? " (no delta_abs)" : " (delta_abs "
                    + Numbers.gap(line.deltaAbs()) + (line.window() ? ")" : ", no NFI window)"))
                    + (allNaN(y) ? ": 0 everywhere, not drawn" : "");
            recipeSeries(chart.addSeries(label, line.gaps(), y), line.recipe(), palette);
        }
        return chart;
    }

    /**
     * How far right the curve panels reach: the last gap where either panel draws a point, every
     * delta_abs and the shaded window. Past it every value is 0 (nothing to draw on a log scale),
     * and a narrow format's few interesting gaps would otherwise be squeezed against the left edge.
     */
    static double xExtent(GradientCurves data) {
        double extent = data.hasWindow() ? data.nfiTo() : 0;
        for (GradientCurves.Line line : data.lines()) {
            for (int i = 0; i < line.gaps().length; i++) {
                if (!Double.isNaN(line.gradient()[i]) || !Double.isNaN(line.residual()[i])) {
                    extent = Math.max(extent, line.gaps()[i]);
                }
            }
            if (!Double.isNaN(line.deltaAbs())) {
                extent = Math.max(extent, line.deltaAbs());
            }
        }
        return extent > 0 ? extent : 1;
    }

    /** A tick on a log10 axis: 10^d for whole d (plain from 0.001 to 1000, else 1e-30), nothing between. */
    static String powerOfTen(double d) {
        long exponent = Math.round(d);
        if (Math.abs(d - exponent) > 1e-9) {
            return "";
        }
        if (exponent >= -3 && exponent <= 3) {
            return new java.math.BigDecimal(java.math.BigInteger.ONE, (int) -exponent).toPlainString();
        }
        return "1e" + exponent;
    }

    /** delta_abs against C on log x, one line per recipe, and the first-order model. */
    static Figure thresholds(ThresholdCurves data, Palette palette) {
        XYChart chart = xyChart(PANEL_HEIGHT + 60, data.format() + ": where g_y first rounds to 0 (family " + data.family()
                + ", target " + data.target() + ")", CLASSES_AXIS, "delta_abs: smallest gap with g_y = 0 (nats)");
        AxesChartStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        double[] x = Arrays.stream(data.classes()).asDoubleStream().toArray();
        styler.setXAxisMin(x[0] / 1.5).setXAxisMax(x[x.length - 1] * 1.5).setYAxisMin(0.0);
        styler.setXAxisDecimalPattern("#,##0");
        for (ThresholdCurves.Line line : data.lines()) {
            long missing = Arrays.stream(line.deltaAbs()).filter(Double::isNaN).count();
            String label = line.recipe() + (missing == 0 ? "" : missing == x.length ? " (no NFI window)"
                    : " (no NFI window at " + missing + " of " + x.length + " C)");
            recipeSeries(chart.addSeries(label, x, line.deltaAbs()), line.recipe(), palette);
        }
        // Last, so it is drawn over the recipes it is compared with.
        XYSeries model = chart.addSeries("model ln(C−1) + p·ln 2", x, data.predicted());
        model.setLineColor(MODEL);
        model.setLineStyle(new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {10f, 6f}, 0f));
        model.setMarker(SeriesMarkers.NONE);
        String caption = data.format() + ": delta_abs against the class count, one line per recipe (family " + data.family()
                + ", target " + data.target() + "), and the first-order model ln(C−1) + p·ln 2; a missing point: no NFI window there "
                + "(no absorption, or g_y dies only with every other entry)";
        return new Figure("thresholds-" + data.format(), data.format() + ": delta_abs against the class count", caption, WIDTH, List.of(new Figure.Panel(chart, PANEL_HEIGHT + 60)));
    }

    /**
     * Time relative to the default recipe against C, on a log ratio axis (so 2× slower and 2×
     * faster are the same distance from 1), JMH's error as bars, a line at 1.
     */
    static Figure cost(MitigationCost data, Palette palette) {
        XYChart chart = xyChart(PANEL_HEIGHT + 60, data.format() + ": cost of each mitigation (benchmark " + data.method() + ")",
                CLASSES_AXIS, "time relative to " + data.format() + " (×, log scale)");
        AxesChartStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setXAxisDecimalPattern("#,##0");
        styler.setErrorBarsColorSeriesColor(true);
        RatioAxis axis = new RatioAxis();
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = 0;
        for (MitigationCost.Line line : data.lines()) {
            for (int i = 0; i < line.classes().length; i++) {
                xMin = Math.min(xMin, line.classes()[i]);
                xMax = Math.max(xMax, line.classes()[i]);
                axis.include(line.ratio()[i], line.ratio()[i] - line.error()[i], line.ratio()[i] + line.error()[i]);
            }
        }
        axis.applyTo(styler);
        for (MitigationCost.Line line : data.lines()) {
            int n = line.classes().length;
            double[] middle = new double[n];
            double[] half = new double[n];
            for (int i = 0; i < n; i++) {
                double[] bar = axis.bar(line.ratio()[i], line.ratio()[i] - line.error()[i], line.ratio()[i] + line.error()[i]);
                middle[i] = (bar[0] + bar[1]) / 2;
                half[i] = (bar[1] - bar[0]) / 2;
            }
            XYSeries bars = chart.addSeries("error of " + line.label(), line.classes(), middle, half);
            bars.setLineStyle(SeriesLines.NONE);
            bars.setMarker(SeriesMarkers.NONE);
            bars.setLineColor(palette.color(line.recipe()));
            bars.setShowInLegend(false);
            recipeSeries(chart.addSeries(line.label(), line.classes(), RatioAxis.log(line.ratio())), line.recipe(), palette);
        }
        styler.setXAxisMin(xMin / 2).setXAxisMax(xMax * 2);
        referenceLine(chart, 0.0);
        String caption = data.format() + ": time of each recipe relative to " + data.format() + " (JMH, " + data.method()
                + "), bars: JMH's 99.9 % errors of both scores propagated (to the axis' edge where the error exceeds the "
                + "value); above 1: slower than the default";
        return new Figure("cost-" + data.format(), data.format() + ": cost of each mitigation", caption, WIDTH, List.of(new Figure.Panel(chart, PANEL_HEIGHT + 60)));
    }

    /** At most this many rows on one comparison image: more go to the next image. */
    static final int FOREST_ROWS = 30;
    private static final int FOREST_WIDTH = 1000;
    private static final int FOREST_ROW_HEIGHT = 30;

    /**
     * The JVM/CPU comparison as forest plots: one horizontal line per benchmark row, its ratio a
     * point on a log axis and its 95 % interval a bar, a vertical line at 1; significant changes in
     * colour, the rest grey and marked '~'. Rows are grouped by benchmark class and sorted by
     * ratio, slowest first; a group of more than {@link #FOREST_ROWS} rows continues on the next
     * image, so every image stays readable at 1000 pixels. Words every row of an image shares move
     * to its title.
     */
    static List<Figure> comparison(String name, String title, String xTitle, List<RatioRow> rows) {
        Map<String, List<RatioRow>> groups = new LinkedHashMap<>();
        for (RatioRow row : rows) {
            groups.computeIfAbsent(benchmarkClass(row.row()), k -> new ArrayList<>()).add(row);
        }
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<String, List<RatioRow>> group : groups.entrySet()) {
            List<RatioRow> sorted = sortedSlowestFirst(group.getValue());
            int parts = (sorted.size() + FOREST_ROWS - 1) / FOREST_ROWS;
            for (int part = 0; part < parts; part++) {
                List<RatioRow> page = sorted.subList(part * FOREST_ROWS, Math.min(sorted.size(), (part + 1) * FOREST_ROWS));
                String suffix = parts == 1 ? "" : " (" + (part + 1) + " of " + parts + ")";
                figures.add(forest(name + "-" + group.getKey() + (parts == 1 ? "" : "-" + (part + 1)), group.getKey(),
                        title + ": " + group.getKey() + suffix, xTitle, page));
            }
        }
        return figures;
    }

    private static Figure forest(String name, String group, String title, String xTitle, List<RatioRow> rows) {
        // "KernelBenchmark.fused recipe=bf16" is "fused recipe=bf16" on the KernelBenchmark image.
        List<String> names = rows.stream().map(row -> row.row().startsWith(group + ".") ? row.row().substring(group.length() + 1) : row.row()).toList();
        List<String> labels = RowLabels.shorten(names);
        String shared = RowLabels.shared(names);
        int height = 150 + FOREST_ROW_HEIGHT * rows.size();
        XYChart chart = new XYChartBuilder().width(FOREST_WIDTH).height(height)
                .title(title).xAxisTitle(xTitle).yAxisTitle("").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisTitleVisible(false);
        RatioAxis axis = new RatioAxis();
        rows.forEach(row -> axis.include(row.ratio(), row.ciLow(), row.ciHigh()));
        double[] range = axis.range();
        chart.getStyler().setXAxisMin(range[0]).setXAxisMax(range[1]);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(RatioAxis::label);
        // Row i is drawn at y = n - 1 - i, so the first (slowest) row is on top; the y ticks fall on
        // whole numbers (one row per tick) and carry the row labels.
        int n = rows.size();
        chart.getStyler().setYAxisMin(-0.5).setYAxisMax(n - 0.5);
        chart.getStyler().setYAxisTickMarkSpacingHint(FOREST_ROW_HEIGHT / 2);
        List<String> rowLabels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rowLabels.add(labels.get(i) + (rows.get(i).significant() ? "" : " ~"));
        }
        chart.getStyler().setyAxisTickLabelsFormattingFunction(y -> {
            long index = Math.round(y);
            if (Math.abs(y - index) < 1e-6 && index >= 0 && index < n) {
                return rowLabels.get((int) (n - 1 - index));
            }
            // Blank between rows, but every label distinct: XChart 3.8 places no ticks when the end labels are
            // equal and loops forever on equal labels inside, so each gets its own count of zero-width spaces.
            return "\u200B".repeat(1 + (int) Math.round((y + 1) * 8));
        });
        List<Double> sigX = new ArrayList<>();
        List<Double> sigY = new ArrayList<>();
        List<Double> sameX = new ArrayList<>();
        List<Double> sameY = new ArrayList<>();
        boolean barInLegend = true;
        for (int i = 0; i < n; i++) {
            RatioRow row = rows.get(i);
            double y = n - 1 - i;
            if (row.hasInterval()) {
                // One series per bar (a NaN gap in one series would also break XChart's tick placement).
                double[] bar = axis.bar(row.ratio(), row.ciLow(), row.ciHigh());
                XYSeries interval = chart.addSeries(barInLegend ? "bar: 95 % confidence interval" : "interval " + i,
                        new double[] {bar[0], bar[1]}, new double[] {y, y});
                interval.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                interval.setMarker(SeriesMarkers.NONE);
                interval.setLineColor(REFERENCE);
                interval.setLineStyle(new BasicStroke(2f));
                interval.setShowInLegend(barInLegend);
                barInLegend = false;
            }
            (row.significant() ? sigX : sameX).add(Math.log10(row.ratio()));
            (row.significant() ? sigY : sameY).add(y);
        }
        if (!sigX.isEmpty()) {
            XYSeries changed = chart.addSeries("ratio, significant", sigX, sigY);
            changed.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            changed.setMarker(SeriesMarkers.CIRCLE);
            changed.setMarkerColor(new Color(0xD55E00));
        }
        if (!sameX.isEmpty()) {
            XYSeries same = chart.addSeries("ratio, not significant (~)", sameX, sameY);
            same.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            same.setMarker(SeriesMarkers.DIAMOND);
            same.setMarkerColor(new Color(0x888888));
        }
        chart.addAnnotation(new AnnotationLine(0.0, true, false));
        String caption = title + (shared.isEmpty() ? "" : " (every row: " + shared + ")")
                + ": time ratio per benchmark, slowest first, with its 95 % confidence interval; right of 1: slower; '~': not significant";
        return new Figure(name, title, caption, FOREST_WIDTH, List.of(new Figure.Panel(chart, height)));
    }

    static List<RatioRow> sortedSlowestFirst(List<RatioRow> rows) {
        List<RatioRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble(RatioRow::ratio).reversed().thenComparing(RatioRow::row));
        return sorted;
    }

    /** "KernelBenchmark" of "KernelBenchmark.fused classes=1000": the group a row is plotted in. */
    static String benchmarkClass(String row) {
        String benchmark = row.split(" ", 2)[0];
        int dot = benchmark.lastIndexOf('.');
        return dot > 0 ? benchmark.substring(0, dot) : benchmark;
    }

    private static XYChart xyChart(int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return chart;
    }

    private static void style(AxesChartStyler styler) {
        styler.setLocale(Locale.ROOT);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setPlotGridLinesColor(new Color(0xE3E3E3));
        styler.setChartTitleFont(TITLE);
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(AXIS_TITLE);
        styler.setAxisTickLabelsFont(TICKS);
        styler.setLegendFont(LEGEND);
        styler.setLegendPosition(LegendPosition.OutsideE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setMarkerSize(7);
        styler.setChartPadding(12);
        styler.setAntiAlias(true);
        styler.setToolTipsEnabled(false);
        styler.setAnnotationLineColor(REFERENCE);
        styler.setAnnotationLineStroke(new BasicStroke(1.5f));
    }

    private static void recipeSeries(XYSeries series, String recipe, Palette palette) {
        Color color = palette.color(recipe);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(palette.marker(recipe));
        // The default recipe, what most code runs, stands out.
        series.setLineStyle(new BasicStroke(Palette.variant(recipe).isEmpty() ? 2.8f : 1.8f));
    }

    private static void referenceLine(Chart<?, ?> chart, double y) {
        chart.addAnnotation(new AnnotationLine(y, false, false));
    }

    /** Whole decades around every positive finite value; [0.1, 1] when there is none. */
    static double[] logRange(List<double[]> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double[] values : series) {
            for (double v : values) {
                if (v > 0 && v < Double.POSITIVE_INFINITY) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (max == 0) {
            return new double[] {0.1, 1};
        }
        double low = Math.pow(10, Math.floor(Math.log10(min)));
        double high = Math.pow(10, Math.ceil(Math.log10(max)));
        return new double[] {low, high > low ? high : low * 10};
    }

    private static boolean allNaN(double[] values) {
        return Arrays.stream(values).allMatch(Double::isNaN);
    }
}
