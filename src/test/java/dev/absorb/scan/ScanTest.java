package dev.absorb.scan;

import dev.absorb.format.Rounding;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.absorb.scan.NpyRowsTest.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanTest {

    private static final List<Recipe> RECIPES = List.of(Recipe.parse("torch:bf16"), Recipe.parse("bf16"),
            Recipe.parse("bf16/grad=complement"), Recipe.parse("fp16/acc=fp32"));

    @TempDir
    Path dir;

    /** Rows of C = 300 Gaussian logits, the target raised by gaps around bf16's and fp16's thresholds. */
    private static double[][] rows(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[n][300];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = 2 * random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            int y = i % 300;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 300; j++) {
                max = j == y ? max : Math.max(max, rows[i][j]);
            }
            rows[i][y] = max + i * 25.0 / n;
        }
        return rows;
    }

    private Path csv(double[][] rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                text.append(j > 0 ? "," : "").append(row[j]);
            }
            text.append('\n');
        }
        return Files.writeString(dir.resolve("logits.csv"), text);
    }

    @Test
    void everyVerdictIsWhatTheRecipesKernelSaysOfTheRowStoredInItsFormat() throws IOException {
        double[][] rows = rows(120, 1);
        List<RowVerdict[]> verdicts = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            verdicts.add(new RowVerdict[RECIPES.size()]);
        }

        List<RecipeSummary> summaries = new Scan(RECIPES, 3).run(csv(rows), null, shape -> { }, done -> { },
                (row, recipe, verdict) -> verdicts.get((int) row)[recipe] = verdict);

        int[] absorbed = new int[RECIPES.size()];
        for (int i = 0; i < rows.length; i++) {
            for (int r = 0; r < RECIPES.size(); r++) {
                Recipe recipe = RECIPES.get(r);
                Rounding store = Rounding.nearest(recipe.format());
                double[] z = new double[300];
                for (int j = 0; j < 300; j++) {
                    z[j] = store.round(rows[i][j], 0);
                }
                int y = i % 300;
                double[] g = new double[300];
                Kernels.of(recipe).evaluate(z, y, g);
                boolean othersZero = true;
                for (int j = 0; j < 300; j++) {
                    othersZero &= j == y || g[j] == 0;
                }
                RowVerdict v = verdicts.get(i)[r];
                assertEquals(y, v.target(), "the argmax is the raised target");
                assertEquals(g[y] == 0, v.absorbed(), recipe + " row " + i);
                assertEquals(g[y] == 0 && !othersZero, v.nfi(), recipe + " row " + i);
                absorbed[r] += v.absorbed() ? 1 : 0;
            }
        }
        for (int r = 0; r < RECIPES.size(); r++) {
            assertEquals(absorbed[r], summaries.get(r).absorbedRows());
            assertEquals(rows.length, summaries.get(r).rows());
        }
        // The rows straddle the thresholds: bf16 absorbs some rows and not others; complement none.
        assertTrue(absorbed[1] > 0 && absorbed[1] < rows.length, "bf16 absorbed " + absorbed[1]);
        assertEquals(0, absorbed[2], "grad=complement");
    }

    @Test
    void underLabelSmoothingARowIsAbsorbedWhenItsGradientNoLongerMovesWithTheTargetLogit() throws IOException {
        // g_y tends to about ε(1 − 1/C), not 0: the row is absorbed where its gradient equals the
        // gradient of the same row with the target logit raised far beyond any threshold.
        Recipe recipe = Recipe.parse("torch:bf16/smooth=0.1");
        double[][] rows = rows(120, 3);
        RowVerdict[] verdicts = new RowVerdict[rows.length];

        new Scan(List.of(recipe), 2).run(csv(rows), null, shape -> { }, done -> { },
                (row, r, verdict) -> verdicts[(int) row] = verdict);

        Rounding store = Rounding.nearest(recipe.format());
        int absorbed = 0;
        for (int i = 0; i < rows.length; i++) {
            int y = i % 300;
            double[] z = new double[300];
            for (int j = 0; j < 300; j++) {
                z[j] = store.round(rows[i][j], 0);
            }
            double[] g = new double[300];
            Kernels.of(recipe).evaluate(z, y, g);
            double[] far = z.clone();
            far[y] = store.round(z[y] + 200, 0);
            double[] gFar = new double[300];
            Kernels.of(recipe).evaluate(far, y, gFar);
            boolean othersFrozen = true;
            for (int j = 0; j < 300; j++) {
                othersFrozen &= j == y || g[j] == gFar[j];
            }
            assertEquals(g[y] == gFar[y], verdicts[i].absorbed(), "row " + i);
            assertEquals(g[y] == gFar[y] && !othersFrozen, verdicts[i].nfi(), "row " + i);
            if (verdicts[i].absorbed()) {
                absorbed++;
                assertTrue(g[y] > 0, "smoothing keeps g_y positive, row " + i);
            }
        }
        assertTrue(absorbed > 0 && absorbed < rows.length, "absorbed " + absorbed + " of " + rows.length);
    }

    @Test
    void theResultsDoNotDependOnTheThreadCount() throws IOException {
        Path file = csv(rows(50, 2));

        List<RecipeSummary> one = new Scan(RECIPES, 1).run(file, null, shape -> { }, done -> { }, null);
        List<RecipeSummary> four = new Scan(RECIPES, 4).run(file, null, shape -> { }, done -> { }, null);

        assertEquals(one, four);
    }

    @Test
    void gapQuantilesInterpolateAsNumpyDoes() throws IOException {
        // Two classes, target 0: gaps 0, 1, ..., 9 stored exactly in bf16.
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append(i).append(",0\n");
        }
        Path file = Files.writeString(dir.resolve("gaps.csv"), text);

        GapQuantiles q = new Scan(List.of(Recipe.parse("bf16")), 1).run(file, null, shape -> { }, done -> { }, null).get(0).gaps();

        // numpy.quantile(range(10), [0, .01, .1, .5, .9, .99, 1]) = 0, 0.09, 0.9, 4.5, 8.1, 8.91, 9
        assertEquals(0, q.min());
        assertEquals(0.09, q.p01(), 1e-12);
        assertEquals(0.9, q.p10(), 1e-12);
        assertEquals(4.5, q.p50());
        assertEquals(8.1, q.p90(), 1e-12);
        assertEquals(8.91, q.p99(), 1e-12);
        assertEquals(9, q.max());
    }

    @Test
    void targetsFromAFileAreCheckedAgainstTheClassesAndTheRowCount() throws IOException {
        Path logits = Files.writeString(dir.resolve("l.csv"), "0,1,2\n2,1,0\n");
        Scan scan = new Scan(List.of(Recipe.parse("fp32")), 1);
        Path good = Files.writeString(dir.resolve("good.txt"), "2\n0\n");
        Path outOfRange = Files.writeString(dir.resolve("range.txt"), "2\n3\n");
        Path negative = Files.writeString(dir.resolve("negative.txt"), "-1\n0\n");
        Path few = Files.writeString(dir.resolve("few.txt"), "1\n");
        Path many = Files.writeString(dir.resolve("many.txt"), "1\n1\n1\n");

        assertEquals(2, scan.run(logits, good, shape -> { }, done -> { }, null).get(0).rows());
        assertEquals(outOfRange + " row 2: target 3 is out of range [0, 3)",
                refusal(() -> scan.run(logits, outOfRange, shape -> { }, done -> { }, null)));
        assertEquals(negative + " row 1: target -1 is out of range [0, 3)",
                refusal(() -> scan.run(logits, negative, shape -> { }, done -> { }, null)));
        assertEquals(few + " has 1 targets but " + logits + " has more rows (one target per row of logits)",
                refusal(() -> scan.run(logits, few, shape -> { }, done -> { }, null)));
        assertEquals(many + " has more rows than the 2 of " + logits,
                refusal(() -> scan.run(logits, many, shape -> { }, done -> { }, null)));
    }

    @Test
    void npyLogitsAndTargetsOfDifferentLengthsAreRefusedBeforeScanning() {
        Scan scan = new Scan(List.of(Recipe.parse("fp32")), 1);
        Path targets = NpyRowsTest.resource("bad-float-targets.npy");
        Path logits = NpyRowsTest.resource("logits-f4.npy");
        Path two = NpyRowsTest.resource("targets-i4-two.npy");
        List<Long> progress = new ArrayList<>();
        assertEquals(two + " has 2 targets but " + logits + " has 3 rows (one target per row of logits)",
                refusal(() -> scan.run(logits, two, shape -> { }, progress::add, null)));
        assertEquals(List.of(), progress, "refused before the first row");
        assertTrue(refusal(() -> scan.run(logits, targets, shape -> { }, done -> { }, null))
                .contains("dtype '<f4' is not supported for targets"));
    }

    @Test
    void argmaxIsNumpys() {
        assertEquals(1, Scan.argmax(new double[] {1, 3, 3, 2}));
        assertEquals(2, Scan.argmax(new double[] {1, 3, Double.NaN, 5}));
        assertEquals(0, Scan.argmax(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}));
    }
}
