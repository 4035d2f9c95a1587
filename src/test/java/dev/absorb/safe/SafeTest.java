package dev.absorb.safe;

import dev.absorb.format.Format;
import dev.absorb.kernel.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTest {

    @TempDir
    Path dir;

    /** A jmh.json of KernelBenchmark.fused results: {recipe, classes, ns/op}. */
    static String jmh(Object[]... rows) {
        return "[" + java.util.Arrays.stream(rows).map(r -> "{\"benchmark\": \"dev.absorb.bench.KernelBenchmark.fused\", "
                + "\"mode\": \"avgt\", \"params\": {\"recipe\": \"" + r[0] + "\", \"classes\": \"" + r[1] + "\", \"gap\": \"4\", "
                + "\"family\": \"gauss\"}, \"primaryMetric\": {\"score\": " + r[2] + ", \"scoreError\": 1.5, \"scoreUnit\": "
                + "\"ns/op\", \"rawData\": [[" + r[2] + ", " + r[2] + "]]}}").collect(Collectors.joining(", ")) + "]";
    }

    private static Map<String, Verdict> byName(List<Verdict> verdicts) {
        return verdicts.stream().collect(Collectors.toMap(v -> v.recipe().toString(), v -> v));
    }

    @Test
    void atOneThousandClassesAndGapTenTheStableGradientsWithWideSumsAreSafeAndBf16SumsAreNot() {
        List<Verdict> verdicts = new SafeQuery(1000, 10, 2).run(Format.of("bf16"), step -> { });
        Map<String, Verdict> v = byName(verdicts);

        assertTrue(v.get("bf16/acc=fp32/grad=complement").safe(), v.get("bf16/acc=fp32/grad=complement").reason());
        assertTrue(v.get("torch:bf16/grad=complement").safe(), v.get("torch:bf16/grad=complement").reason());
        // bf16 partial sums: no absorption, but about 10 % off in the gradient at C = 1000 already
        Verdict complement = v.get("bf16/grad=complement");
        assertFalse(complement.safe());
        assertTrue(complement.reason().matches("gradient error 0\\.\\d+ > 0\\.05\\d* at C = 1000, gap .*"), complement.reason());
        // bf16 itself absorbs from 11.75 at C = 1000, above 10: it is ruled out by its accuracy, not by absorption
        assertTrue(Double.isNaN(v.get("bf16").deltaAbs()) || v.get("bf16").deltaAbs() > 10);
        // every candidate is of the asked format, presets included
        assertTrue(verdicts.stream().allMatch(x -> x.recipe().format().name().equals("bf16")));
        assertTrue(verdicts.stream().anyMatch(x -> x.recipe().toString().startsWith("jax:bf16")));
    }

    @Test
    void aRecipeThatAbsorbsBelowTheGapIsRuledOutWithoutAnAccuracyCheck() {
        Map<String, Verdict> v = byName(new SafeQuery(1000, 20, 2).run(Format.of("bf16"), step -> { }));

        Verdict bf16 = v.get("bf16");
        assertFalse(bf16.safe());
        assertEquals("absorbs from gap 11.75 (first target)", bf16.reason());
        assertEquals(11.75, bf16.deltaAbs());
        assertNull(bf16.accuracy());
    }

    @Test
    void safeRecipesComeCheapestFirstAndUnmeasuredOnesLast() throws IOException {
        Files.writeString(dir.resolve("jmh.json"), jmh(new Object[] {"bf16/acc=fp32/grad=complement", 1000, 300},
                new Object[] {"torch:bf16/grad=complement", 1000, 200}, new Object[] {"bf16/grad=complement", 1000, 50}));
        RecipeCosts costs = RecipeCosts.of(dir, 1000);
        Recipe measuredSlow = Recipe.parse("bf16/acc=fp32/grad=complement");
        Recipe measuredFast = Recipe.parse("torch:bf16/grad=complement");
        Recipe unmeasured = Recipe.parse("bf16/acc=fp32/grad=zerosum");
        Recipe cheapButUnsafe = Recipe.parse("bf16/grad=complement");
        List<Verdict> verdicts = List.of(new Verdict(unmeasured, Double.NaN, Double.NaN, null, null),
                new Verdict(measuredSlow, Double.NaN, Double.NaN, null, null),
                new Verdict(cheapButUnsafe, Double.NaN, Double.NaN, null, "gradient error 30.8 > 0.0507"),
                new Verdict(measuredFast, Double.NaN, Double.NaN, null, null));

        List<Verdict> ordered = SafeReport.cheapestFirst(verdicts, costs);

        assertEquals(List.of(measuredFast, measuredSlow, unmeasured), ordered.stream().map(Verdict::recipe).toList());
    }

    @Test
    void costsComeFromTheNearestClassCountOfTheLatestRunWithResults() throws IOException {
        Path old = Files.createDirectories(dir.resolve("20260101T000000Z_jdk17_cpu"));
        Path newer = Files.createDirectories(dir.resolve("20260201T000000Z_jdk17_cpu"));
        Files.createDirectories(dir.resolve("20260301T000000Z_jdk17_cpu"));
        Files.writeString(old.resolve("jmh.json"), jmh(new Object[] {"bf16", 32000, 999}));
        Files.writeString(newer.resolve("jmh.json"), jmh(new Object[] {"bf16", 1000, 10}, new Object[] {"bf16", 32000, 200},
                new Object[] {"bf16/acc=fp32/grad=complement", 128256, 900}, new Object[] {"torch:bf16/cpu=avx2", 1000, 7}));

        RecipeCosts costs = RecipeCosts.latest(dir, 50000);

        assertEquals(newer, costs.folder(), "the latest folder with a jmh.json; the one after it has none");
        assertEquals(new RecipeCosts.Cost(200, 1.5, 32000), costs.costs().get("bf16"), "32000 is nearer 50000 than 1000");
        assertEquals(900, costs.costs().get("bf16/acc=fp32/grad=complement").nanos());
        assertEquals(7, costs.costs().get("torch:bf16").nanos(), "recipes are matched by their canonical text");
        assertSame(RecipeCosts.NONE, RecipeCosts.latest(dir.resolve("missing"), 1000));
        assertEquals("--results: " + dir + " holds no jmh.json",
                assertThrows(IllegalArgumentException.class, () -> RecipeCosts.of(dir, 1000)).getMessage());
    }

    @Test
    void theCandidatesAreThePresetsTheirMitigationsAndEachFormatsVariants() {
        List<String> bf16 = Candidates.of(Format.of("bf16")).stream().map(Recipe::toString).toList();

        assertEquals("torch:bf16", bf16.get(0));
        assertTrue(bf16.containsAll(List.of("torch:bf16/grad=complement", "jax:bf16/rowsum=acc", "bf16", "bf16/round=sr",
                "bf16/acc=fp32/grad=complement", "bf16/acc=fp32/compute=fp32/grad=complement")), bf16.toString());
        assertEquals(bf16.size(), bf16.stream().distinct().count());
        List<String> fp64 = Candidates.of(Format.FP64).stream().map(Recipe::toString).toList();
        assertTrue(fp64.contains("fp64/grad=complement") && fp64.stream().noneMatch(r -> r.contains("acc=fp32")), fp64.toString());
        assertTrue(Candidates.of(null).size() > 100);
    }
}
