package dev.absorb.report;

import dev.absorb.results.JmhRow;
import dev.absorb.results.ThresholdRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's choices on the real sweep: which class counts, which recipes remove absorption, which is cheapest. */
class ReportSummaryTest {

    @TempDir
    Path dir;

    @Test
    void headlineClassCountsAreTheSweptVocabularySizes() {
        assertEquals(List.of(32000, 128256), Vocabulary.headline(List.of(2, 10, 100, 1000, 32000, 128256)));
        assertEquals(List.of(1000), Vocabulary.headline(List.of(2, 1000)), "none is a vocabulary: the largest");
        assertEquals("Llama 3", Vocabulary.models(128256));
    }

    @Test
    void withoutBenchmarksEveryRemovingRecipeIsListedInSweepOrderWithoutACheapest() {
        ReportSummary summary = ReportSummary.of(RunFixtures.read(dir, "run", true, null, null));

        assertEquals(List.of(32000, 128256), summary.classes());
        ReportSummary.FormatSummary bf16 = summary.formats().get(0);
        assertEquals("bf16", bf16.format());
        assertEquals(List.of(12.5, 12.5), bf16.headline().stream().map(ThresholdRecord::deltaAbs).toList());
        assertEquals(List.of("bf16/grad=complement", "bf16/grad=zerosum"), bf16.removing());
        assertNull(bf16.cheapest());
        assertFalse(bf16.defaultSuffices());
        assertEquals(8, bf16.recipeCount());
    }

    @Test
    void aRecipeWhoseGradientIsZeroAtGapZeroDoesNotCount() {
        ReportSummary summary = ReportSummary.of(RunFixtures.read(dir, "run", true, null, null));

        // e4m3/acc=fp32/compute=fp32 has no NFI window anywhere, but at C >= 1000 every p_j rounds
        // to 0 already at gap 0 (delta_uf = 0): no window because no gradient.
        ReportSummary.FormatSummary e4m3 = summary.formats().get(1);
        assertEquals(List.of("e4m3/grad=complement", "e4m3/grad=zerosum"), e4m3.removing());
        // e2m1 cannot hold 1/C at C >= 10: nothing removes absorption, not even the default that never absorbs
        ReportSummary.FormatSummary e2m1 = summary.formats().get(2);
        assertTrue(e2m1.removing().isEmpty());
        assertFalse(e2m1.defaultSuffices());
    }

    @Test
    void withBenchmarksTheCheapestMeasuredRecipeComesFirst() {
        Run run = RunFixtures.read(dir, "run", true, RunFixtures.JMH_17_A, null);

        ReportSummary.FormatSummary bf16 = ReportSummary.of(run).formats().get(0);

        // Only grad=complement of the two was benchmarked: it sorts first, zerosum follows unmeasured.
        assertEquals(List.of("bf16/grad=complement", "bf16/grad=zerosum"), bf16.removing());
        // Both break the gradient at C = 128256 (bf16's sum stagnates): no cure, so no cheapest.
        assertEquals(List.of(), bf16.cures());
        assertEquals(bf16.removing(), bf16.inaccurate());
        assertNull(bf16.cheapest());
        assertEquals("fused", bf16.costMethod());
        // geometric mean of its fused ratios at C = 1000 and 32000 (jmh-jdk17-a.json)
        double expected = Math.sqrt(64346074.111111104 / 101270072.43939394 * (146020992.0 / 364536869.6666667));
        assertEquals(expected, bf16.cost().get("bf16/grad=complement"), 1e-12);
        assertEquals(1.0, bf16.cost().get("bf16"));
    }

    @Test
    void cheaperRecipesSortFirst() {
        Run run = RunFixtures.read(dir, "run", true, null, null);
        List<JmhRow> jmh = List.of(fused("bf16", 100), fused("bf16/grad=complement", 150), fused("bf16/grad=zerosum", 120));
        Run withCosts = new Run(run.folder(), run.thresholds(), run.hasCurves(), run.curves(), jmh, null, false);

        ReportSummary.FormatSummary bf16 = ReportSummary.of(withCosts).formats().get(0);

        assertEquals(List.of("bf16/grad=zerosum", "bf16/grad=complement"), bf16.removing());
        assertEquals(1.2, bf16.cost().get("bf16/grad=zerosum"), 1e-12);
    }

    @Test
    void theCheapestCureIsTheCheapestAccurateRecipeNotTheCheapestRemovingOne() {
        // At C = 1000, grad=complement with bf16 partial sums is 9 % off in the gradient; with fp32
        // partial sums it is within the bounds, and so is compute=fp32 on top.
        List<ThresholdRecord> rows = List.of(row("bf16", 5.5), row("bf16/grad=complement", Double.NaN),
                row("bf16/acc=fp32/grad=complement", Double.NaN), row("bf16/acc=fp32/compute=fp32/grad=complement", Double.NaN));
        List<JmhRow> jmh = List.of(fused("bf16", 100), fused("bf16/grad=complement", 90),
                fused("bf16/acc=fp32/grad=complement", 130), fused("bf16/acc=fp32/compute=fp32/grad=complement", 120));
        Run run = new Run(dir, rows, false, List.of(), jmh, null, false);

        ReportSummary.FormatSummary bf16 = ReportSummary.of(run).formats().get(0);

        assertEquals(List.of("bf16/grad=complement", "bf16/acc=fp32/compute=fp32/grad=complement", "bf16/acc=fp32/grad=complement"),
                bf16.removing());
        assertEquals(List.of("bf16/acc=fp32/compute=fp32/grad=complement", "bf16/acc=fp32/grad=complement"), bf16.cures());
        assertEquals("bf16/acc=fp32/compute=fp32/grad=complement", bf16.cheapest());
        assertEquals(List.of("bf16/grad=complement"), bf16.inaccurate());
        assertTrue(bf16.accuracy().get("bf16/grad=complement").failure().startsWith("gradient error 0.0"),
                bf16.accuracy().get("bf16/grad=complement").failure());
    }

    /** A flat, target-first row at C = 1000 searched up to gap 93 (bf16's range); delta_abs NaN: no absorption. */
    private static ThresholdRecord row(String recipe, double deltaAbs) {
        return new ThresholdRecord(recipe, "bf16", "flat", 1000, "first", deltaAbs, deltaAbs, false, 93, 14.5, 93);
    }

    private static JmhRow fused(String recipe, double score) {
        return RunFixtures.row("x.KernelBenchmark.fused", "avgt", Map.of("recipe", recipe, "classes", "32000"), score, Double.NaN,
                "ns/op", new double[][] {{score}});
    }
}
