package dev.absorb.sweep;

import dev.absorb.results.RunFolder;
import dev.absorb.results.SweepCsv;
import dev.absorb.kernel.Recipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep's output is a function of its configurations alone (DESIGN.md §4): the thread count,
 * and the order in which the pool happens to finish configurations, change nothing — not a row,
 * not a curve point, not a byte of either CSV. Stochastic rounding is counter-based and every
 * configuration has its own finder, so this holds as long as no state leaks between tasks.
 */
class SweepDeterminismTest {

    private static final List<Recipe> RECIPES = List.of("bf16", "fp16/round=sr", "bf16/algo=online", "e4m3/grad=complement/round=sr/seed=9")
            .stream().map(Recipe::parse).collect(Collectors.toList());
    private static final List<Configuration> CONFIGURATIONS = Sweep.configurations(RECIPES, List.of(Family.FLAT, Family.GAUSS),
            List.of(2, 100, 1000), List.of(TargetPosition.FIRST, TargetPosition.LAST));

    private static List<SweepResult> oneThread;

    @BeforeAll
    static void runOnOneThread() {
        oneThread = Sweep.run(CONFIGURATIONS, SweepSettings.DEFAULT, 1, done -> { });
    }

    @Test
    void twoThreadsGiveTheSameRowsAndCurves() {
        // when
        AtomicInteger reported = new AtomicInteger();
        List<SweepResult> twoThreads = Sweep.run(CONFIGURATIONS, SweepSettings.DEFAULT, 2, done -> reported.accumulateAndGet(done, Math::max));

        // then
        assertEquals(CONFIGURATIONS.size(), reported.get(), "progress hears every configuration");
        assertEquals(oneThread.size(), twoThreads.size());
        for (int i = 0; i < oneThread.size(); i++) {
            assertEquals(CONFIGURATIONS.get(i), twoThreads.get(i).row().configuration(), "results come back in input order");
            // records compare doubles with Double.compare: NaN == NaN, 0.0 != -0.0
            assertEquals(oneThread.get(i).row(), twoThreads.get(i).row(), "row " + i);
            assertEquals(oneThread.get(i).curve(), twoThreads.get(i).curve(), "curve " + i);
        }
    }

    @Test
    void twoThreadsWriteByteIdenticalCsvs(@TempDir Path dir) throws IOException {
        // given
        Path one = Files.createDirectory(dir.resolve("one"));
        Path two = Files.createDirectory(dir.resolve("two"));

        // when
        SweepCsv.write(one, oneThread);
        SweepCsv.write(two, Sweep.run(CONFIGURATIONS, SweepSettings.DEFAULT, 2, done -> { }));

        // then
        for (String file : List.of(RunFolder.THRESHOLDS_CSV, RunFolder.CURVES_CSV)) {
            assertArrayEquals(Files.readAllBytes(one.resolve(file)), Files.readAllBytes(two.resolve(file)), file);
        }
        assertEquals(CONFIGURATIONS.size() + 1, Files.readAllLines(one.resolve(RunFolder.THRESHOLDS_CSV)).size());
    }

    /** A configuration's result does not depend on which others share the sweep (or run before it). */
    @Test
    void aConfigurationAloneGivesItsRowFromTheSweep() {
        List<Integer> picks = List.of(CONFIGURATIONS.size() - 1, CONFIGURATIONS.size() / 2, 0);
        List<Configuration> reversed = new ArrayList<>();
        for (int i : picks) {
            reversed.add(CONFIGURATIONS.get(i));
        }
        List<SweepResult> alone = Sweep.run(reversed, SweepSettings.DEFAULT, 2, done -> { });
        for (int k = 0; k < picks.size(); k++) {
            assertEquals(oneThread.get(picks.get(k)), alone.get(k), "configuration " + picks.get(k));
        }
    }

    /** The sweep has something to be deterministic about: sr rows differ from rne rows, gauss from flat. */
    @Test
    void theSweepIsNotTrivial() {
        long absorbed = oneThread.stream().filter(r -> !Double.isNaN(r.row().deltaAbs())).count();
        assertTrue(absorbed > CONFIGURATIONS.size() / 2, absorbed + " rows absorb");
        assertTrue(oneThread.stream().allMatch(r -> r.curve().size() > 2));
    }
}
