package dev.absorb.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForestPlotTest {

    private static RatioRow row(String name, double ratio) {
        return new RatioRow(name, ratio, ratio * 0.9, ratio * 1.1, ratio > 1.05);
    }

    @Test
    void rowsAreGroupedByBenchmarkClassAndSplitIntoImagesOfAtMostThirtyRows() {
        List<RatioRow> rows = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            rows.add(row("KernelBenchmark.fused recipe=r" + i, 0.5 + i * 0.01));
        }
        rows.add(row("ExpBenchmark.poly gap=4", 1.2));
        List<Figure> figures = Charts.comparison("comparison-b", "B vs A", "ratio", rows);
        assertEquals(List.of("comparison-b-KernelBenchmark-1", "comparison-b-KernelBenchmark-2", "comparison-b-KernelBenchmark-3",
                "comparison-b-ExpBenchmark"), figures.stream().map(Figure::name).toList());
        assertTrue(figures.get(0).alt().endsWith("KernelBenchmark (1 of 3)"), figures.get(0).alt());
        for (Figure f : figures) {
            assertEquals(Charts.WIDTH - 100, f.width(), "1000 pixels wide");
        }
        // 30 + 30 + 5 rows: the heights grow with the rows on each image.
        assertEquals(figures.get(0).height(), figures.get(1).height());
        assertTrue(figures.get(2).height() < figures.get(1).height());
    }

    @Test
    void rowsAreSortedSlowestFirst() {
        List<RatioRow> rows = List.of(row("KernelBenchmark.a", 0.8), row("KernelBenchmark.b", 1.5), row("KernelBenchmark.c", 1.0));
        assertEquals(List.of("KernelBenchmark.b", "KernelBenchmark.c", "KernelBenchmark.a"), Charts.sortedSlowestFirst(rows).stream().map(RatioRow::row).toList());
    }

    @Test
    void theGroupIsTheBenchmarkClass() {
        assertEquals("KernelBenchmark", Charts.benchmarkClass("KernelBenchmark.fused classes=1000 recipe=bf16"));
        assertEquals("plain", Charts.benchmarkClass("plain"));
    }
}
