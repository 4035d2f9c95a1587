package dev.absorb.sweep;

import dev.absorb.results.RunFolder;
import dev.absorb.results.SweepCsv;
import dev.absorb.kernel.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bit-reproducibility (DESIGN.md §4: every number is a function of recipe, logits and target
 * alone, the same on every JVM and CPU): a small sweep is regenerated and compared byte for byte
 * with golden thresholds.csv and curves.csv committed under
 * {@code src/test/resources/dev/absorb/sweep/golden/}. CI runs the tests on JDK 17 and JDK 25,
 * so both must reproduce files written once; a change of JIT, intrinsic, {@code Math} vs
 * {@code StrictMath}, summation order or number printing shows up here as a diff.
 *
 * <p>The golden files were generated once (JDK 17, x86-64) and checked
 * by hand against the first-order model ln(C−1) + p·ln 2 (DESIGN.md §5): fp32 at C = 2 absorbs
 * at 16.63553237915039, the first fp32 value above 24·ln 2 = 16.6355323 (S = 1 + e^−Δ rounds to 1
 * once e^−Δ ≤ 2^−24); bf16 at 5.5625 and fp16 at 7.625, the first values above 8·ln 2 and
 * 11·ln 2; at C = 1000 each of the 8 partial sums holds 125 terms and the fold adds the right
 * half's ≈ 500·e^−Δ to the partial holding 1 last, so fp32 absorbs at ln 500 + 24·ln 2 = 22.850
 * (found 22.8501), not at the model's 23.54; e4m3 at C = 2 absorbs at 2.75 (< 2.77) because
 * e^−2.75 rounds to 2^−4 first and 1 + 2^−4 is a tie that goes to 1; grad=complement absorbs only
 * where exp underflows (bf16: 93 ≈ 134·ln 2), like delta_uf of plain bf16.
 *
 * <p><b>Regenerating</b> — only after a deliberate change of semantics, never to make a diff go
 * away; say in the commit what changed and why every changed number is right:
 * <pre>
 * ./run-benchmarks.sh sweep --recipes fp32,bf16,fp16,e4m3,bf16/grad=complement,fp16/round=sr,e5m2/acc=kahan \
 *     --classes 2,1000 --families flat,gauss --targets first --out /tmp/absorb-golden
 * cp /tmp/absorb-golden/thresholds.csv /tmp/absorb-golden/curves.csv src/test/resources/dev/absorb/sweep/golden/
 * </pre>
 * ({@code SweepCommandTest.goldenRegenerationCommandReproducesTheGoldenFiles} checks that this
 * command writes exactly the golden files.)
 */
class GoldenSweepTest {

    static final String GOLDEN = "/dev/absorb/sweep/golden/";
    static final List<String> RECIPES = List.of(
            "fp32", "bf16", "fp16", "e4m3", "bf16/grad=complement", "fp16/round=sr", "e5m2/acc=kahan");
    static final List<Integer> CLASSES = List.of(2, 1000);
    static final List<Family> FAMILIES = List.of(Family.FLAT, Family.GAUSS);
    static final List<TargetPosition> TARGETS = List.of(TargetPosition.FIRST);

    static String golden(String file) throws IOException {
        try (InputStream in = GoldenSweepTest.class.getResourceAsStream(GOLDEN + file)) {
            assertNotNull(in, "golden file " + GOLDEN + file + " is on the test classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sweepReproducesTheGoldenCsvsByteForByte(@TempDir Path dir) throws IOException {
        // given
        List<Recipe> recipes = RECIPES.stream().map(Recipe::parse).collect(Collectors.toList());
        List<Configuration> configurations = Sweep.configurations(recipes, FAMILIES, CLASSES, TARGETS);

        // when
        SweepCsv.write(dir, Sweep.run(configurations, SweepSettings.DEFAULT, 2, done -> { }));

        // then
        for (String file : List.of(RunFolder.THRESHOLDS_CSV, RunFolder.CURVES_CSV)) {
            assertSameText(golden(file), Files.readString(dir.resolve(file), StandardCharsets.UTF_8), file);
        }
    }

    /** Equal bytes; on a difference, names the first differing line (a whole-file diff is unreadable). */
    static void assertSameText(String expected, String actual, String file) {
        if (expected.equals(actual)) {
            return;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (!e[i].equals(a[i])) {
                fail(file + " differs from the golden file at line " + (i + 1) + " (regenerate only for a deliberate change; see"
                        + " GoldenSweepTest's javadoc)\n  golden: " + e[i] + "\n  now:    " + a[i]);
            }
        }
        assertEquals(e.length, a.length, file + ": number of lines");
        fail(file + " differs from the golden file (line endings?)");
    }
}
