package dev.absorb.report;

import dev.absorb.accuracy.AccuracyCheck;
import dev.absorb.accuracy.AccuracyResult;
import dev.absorb.kernel.Recipe;
import dev.absorb.results.ThresholdRecord;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.SweepSettings;
import dev.absorb.sweep.TargetPosition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The accuracy of recipes over the configurations a run swept them in (docs/accuracy.md): per
 * row of thresholds.csv, {@link AccuracyCheck} over gaps [0, gap_max] of that family, class count
 * and target, with the sweep's default seed and offset (thresholds.csv does not record others);
 * the worst over the rows. Recomputed from the recipes, which are pure functions of their logits,
 * so the same folder always gives the same figures.
 */
final class RunAccuracy {

    private RunAccuracy() {
    }

    /**
     * The accuracy of each recipe in {@code recipes} that the run swept and this absorb can parse;
     * a recipe it cannot parse (written by another version) is left out, so it is never a cure.
     */
    static Map<String, AccuracyResult> of(Run run, Collection<String> recipes) {
        List<String> ordered = new ArrayList<>(new LinkedHashSet<>(recipes));
        int threads = Math.max(1, Math.min(ordered.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "absorb-accuracy");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<AccuracyResult>> futures = new LinkedHashMap<>();
            for (String recipe : ordered) {
                futures.put(recipe, pool.submit(() -> check(run, recipe)));
            }
            Map<String, AccuracyResult> results = new LinkedHashMap<>();
            for (Map.Entry<String, Future<AccuracyResult>> e : futures.entrySet()) {
                AccuracyResult result = e.getValue().get();
                if (result != null) {
                    results.put(e.getKey(), result);
                }
            }
            return Collections.unmodifiableMap(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("accuracy check interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("accuracy check failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static AccuracyResult check(Run run, String text) {
        Recipe recipe;
        try {
            recipe = Recipe.parse(text);
        } catch (IllegalArgumentException unknownHere) {
            return null;
        }
        List<AccuracyResult> rows = new ArrayList<>();
        for (ThresholdRecord t : run.thresholds()) {
            if (t.recipe().equals(text)) {
                Family family;
                TargetPosition target;
                try {
                    family = Family.of(t.family());
                    target = TargetPosition.of(t.target());
                } catch (IllegalArgumentException unknownHere) {
                    return null;
                }
                double gapMax = Double.isFinite(t.gapMax()) ? t.gapMax() : 0;
                rows.add(AccuracyCheck.run(recipe, family, t.classes(), target, gapMax, SweepSettings.DEFAULT.seed(),
                        SweepSettings.DEFAULT.offset()));
            }
        }
        return rows.isEmpty() ? null : AccuracyResult.worstOf(rows);
    }
}
