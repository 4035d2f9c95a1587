package dev.absorb.report;

import org.knowm.xchart.internal.chartpart.Chart;

import java.util.List;

/**
 * One plot file: charts stacked top to bottom, all {@code width} pixels wide, written as
 * {@code name}.png and {@code name}.svg. {@code alt} is the image's short alt text in report.md,
 * {@code caption} the line under it.
 */
record Figure(String name, String alt, String caption, int width, List<Panel> panels) {

    record Panel(Chart<?, ?> chart, int height) {
    }

    int height() {
        return panels.stream().mapToInt(Panel::height).sum();
    }
}
