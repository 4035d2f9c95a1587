package dev.absorb.report;

import dev.absorb.results.JmhRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data each plot is drawn from, checked against the rows of the real CSVs it comes from. */
class PlotDataTest {

    @TempDir
    Path dir;

    @Test
    void curvesShowTheLargestClassCountWithTheDefaultRecipesWindow() {
        Run run = RunFixtures.read(dir, "run", true, null, null);

        GradientCurves curves = GradientCurves.of(run, "bf16");

        assertEquals(128256, curves.classes());
        assertEquals("flat", curves.family());
        assertEquals("first", curves.target());
        assertEquals(run.recipes("bf16"), curves.lines().stream().map(GradientCurves.Line::recipe).toList());
        assertEquals(12.5, curves.nfiFrom());
        assertEquals(93.0, curves.nfiTo());
        GradientCurves.Line bf16 = curves.lines().get(0);
        assertEquals(33, bf16.gaps().length);
        assertEquals(12.5, bf16.deltaAbs());
        assertTrue(bf16.window());
        // curves.csv: gap 0 → g_y −1, residual 0.9685655740850172; gap 14.625 → g_y 0 (drawn as a gap in the line)
        assertEquals(0.0, bf16.gaps()[0]);
        assertEquals(1.0, bf16.gradient()[0]);
        assertEquals(0.9685655740850172, bf16.residual()[0]);
        assertEquals(11.6875, bf16.gaps()[4]);
        assertEquals(0.0234375, bf16.gradient()[4]);
        assertEquals(14.625, bf16.gaps()[5]);
        assertTrue(Double.isNaN(bf16.gradient()[5]));
        // the last point: everything underflowed, the residual cell is empty
        assertTrue(Double.isNaN(bf16.residual()[32]));
        GradientCurves.Line complement = curves.lines().stream().filter(l -> l.recipe().equals("bf16/grad=complement"))
                .findFirst().orElseThrow();
        assertEquals(93.0, complement.deltaAbs());
        assertFalse(complement.window(), "delta_abs = delta_uf");
    }

    @Test
    void curvePanelsReachTheLastDrawnPointOrMark() {
        Run run = RunFixtures.read(dir, "run", true, null, null);

        assertEquals(101.5, Charts.xExtent(GradientCurves.of(run, "bf16")), "bf16/round=sr: its last nonzero residual");
        assertEquals(20.0, Charts.xExtent(GradientCurves.of(run, "e4m3")), "e4m3/acc=fp32/compute=fp32's delta_abs");
    }

    @Test
    void aFormatWhoseDefaultDoesNotAbsorbHasNoShadedWindow() {
        Run run = RunFixtures.read(dir, "run", true, null, null);

        GradientCurves e2m1 = GradientCurves.of(run, "e2m1");

        assertFalse(e2m1.hasWindow(), "e2m1's default has delta_uf = 0 at C = 128256");
    }

    @Test
    void noCurvesMeansNoCurvePlot() {
        Run run = RunFixtures.read(dir, "run", true, null, null);
        Run withoutCurves = new Run(run.folder(), run.thresholds(), false, List.of(), null, null, false);

        assertNull(GradientCurves.of(withoutCurves, "bf16"));
    }

    @Test
    void thresholdsPlotDeltaAbsWhereAWindowOpensAndTheModel() {
        Run run = RunFixtures.read(dir, "run", true, null, null);

        ThresholdCurves t = ThresholdCurves.of(run, "bf16");

        assertArrayEquals(new int[] {2, 10, 100, 1000, 32000, 128256}, t.classes());
        ThresholdCurves.Line bf16 = t.lines().get(0);
        assertEquals("bf16", bf16.recipe());
        assertArrayEquals(new double[] {5.5625, 7.15625, 9.5, 11.75, 12.5, 12.5}, bf16.deltaAbs());
        assertEquals(5.545177444479562, t.predicted()[0]);
        assertEquals(17.306953193107407, t.predicted()[5]);
        ThresholdCurves.Line complement = t.lines().stream().filter(l -> l.recipe().equals("bf16/grad=complement"))
                .findFirst().orElseThrow();
        for (double d : complement.deltaAbs()) {
            assertTrue(Double.isNaN(d), "grad=complement never opens an NFI window");
        }
    }

    @Test
    void costIsTimeRelativeToTheFormatsDefaultWithTheSameParameters() {
        Run run = RunFixtures.read(dir, "run", false, RunFixtures.JMH_17_A, null);

        List<CostRatio> ratios = CostRatio.of(run.benchmarks());

        // every result has a default to pair with: fp32 is its own default, bf16's is bf16
        assertEquals(16, ratios.size());
        CostRatio accFp32 = ratios.stream().filter(r -> r.recipe().equals("bf16/acc=fp32") && r.result().method().equals("fused")
                && r.result().params().get("classes").equals("32000")).findFirst().orElseThrow();
        // jmh-jdk17-a.json: fused, C = 32000: bf16/acc=fp32 271466091.6666667 ± 3038142501.4579873, bf16 364536869.6666667 ± 4687450989.065144
        double ratio = 271466091.6666667 / 364536869.6666667;
        assertEquals(ratio, accFp32.ratio(), 1e-15);
        assertEquals(ratio * Math.hypot(3038142501.4579873 / 271466091.6666667, 4687450989.065144 / 364536869.6666667),
                accFp32.error(), 1e-9);
        assertEquals("bf16", accFp32.format());
        assertTrue(ratios.stream().filter(r -> r.recipe().equals("fp32")).allMatch(r -> r.ratio() == 1.0 && r.isDefault()));
    }

    @Test
    void throughputIsInvertedSoAboveOneIsSlower() {
        JmhRow base = result("bf16", 100, 10);
        JmhRow slower = result("bf16/acc=fp32", 50, 5);

        CostRatio r = CostRatio.of(List.of(base, slower)).get(1);

        assertEquals(2.0, r.ratio());
        assertEquals(2.0 * Math.hypot(0.1, 0.1), r.error(), 1e-12);
    }

    @Test
    void costPlotShowsFusedPerClassCountForNonDefaultRecipes() {
        Run run = RunFixtures.read(dir, "run", false, RunFixtures.JMH_17_A, null);

        MitigationCost cost = MitigationCost.of(CostRatio.of(run.benchmarks()), "bf16");

        assertEquals("fused", cost.method());
        assertEquals(List.of("bf16/acc=fp32", "bf16/grad=complement"), cost.lines().stream().map(MitigationCost.Line::label).toList());
        MitigationCost.Line complement = cost.lines().get(1);
        assertArrayEquals(new double[] {1000, 32000}, complement.classes());
        assertEquals(64346074.111111104 / 101270072.43939394, complement.ratio()[0], 1e-15);
        assertEquals(146020992.0 / 364536869.6666667, complement.ratio()[1], 1e-15);
        assertNull(MitigationCost.of(CostRatio.of(run.benchmarks()), "fp32"), "fp32 has only its default");
    }

    @Test
    void aParameterThatVariesSplitsTheLines() {
        List<JmhRow> results = List.of(
                result("bf16", "4", 10), result("bf16/acc=fp32", "4", 12),
                result("bf16", "90", 20), result("bf16/acc=fp32", "90", 30));

        MitigationCost cost = MitigationCost.of(CostRatio.of(results), "bf16");

        assertEquals(List.of("bf16/acc=fp32, gap=4", "bf16/acc=fp32, gap=90"), cost.lines().stream().map(MitigationCost.Line::label).toList());
        assertArrayEquals(new double[] {1.2}, cost.lines().get(0).ratio(), 1e-15);
        assertArrayEquals(new double[] {1.5}, cost.lines().get(1).ratio(), 1e-15);
    }

    @Test
    void shortRowLabelsDropTheWordsEveryRowShares() {
        List<String> names = List.of("K.fused classes=1000 recipe=bf16", "K.fused classes=32000 recipe=bf16");

        assertEquals(List.of("classes=1000", "classes=32000"), RowLabels.shorten(names));
        assertEquals("K.fused recipe=bf16", RowLabels.shared(names));
        assertEquals(List.of("K.fused"), RowLabels.shorten(List.of("K.fused")));
    }

    private static JmhRow result(String recipe, double score, double error) {
        return RunFixtures.row("a.B.m", "thrpt", Map.of("recipe", recipe, "classes", "100"), score, error, "ops/s",
                new double[][] {{score}});
    }

    private static JmhRow result(String recipe, String gap, double score) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("classes", "1000");
        params.put("gap", gap);
        params.put("recipe", recipe);
        return RunFixtures.row("a.B.fused", "avgt", params, score, Double.NaN, "ns/op", new double[][] {{score}});
    }
}
