package dev.absorb.safe;

import dev.absorb.accuracy.AccuracyCheck;
import dev.absorb.accuracy.AccuracyResult;
import dev.absorb.format.Format;
import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Configuration;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.Sweep;
import dev.absorb.sweep.SweepResult;
import dev.absorb.sweep.SweepSettings;
import dev.absorb.sweep.TargetPosition;
import dev.absorb.sweep.ThresholdRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The inverse question (docs/accuracy.md, "absorb safe"): which recipes neither absorb nor break
 * accuracy up to gap G at class count C. A recipe is safe when, on the flat family with the target
 * first and last (the sweep's defaults),
 * <ul>
 *   <li>its NFI window does not start at or below G (the threshold finder's delta_abs, where it
 *   opens a window: delta_abs &lt; delta_uf),</li>
 *   <li>its gradient is not all zero already at gap 0 (delta_uf ≠ 0), and</li>
 *   <li>it is accurate over [0, G] ({@link AccuracyCheck}).</li>
 * </ul>
 * A format whose largest finite value is below G cannot store the logits and is left out.
 */
public final class SafeQuery {

    private final int classes;
    private final double gap;
    private final int threads;

    public SafeQuery(int classes, double gap, int threads) {
        if (classes < 2) {
            throw new IllegalArgumentException("--classes must be at least 2, not " + classes);
        }
        if (!(gap >= 0) || Double.isInfinite(gap)) {
            throw new IllegalArgumentException("--gap must be a finite number >= 0, not " + gap);
        }
        this.classes = classes;
        this.gap = gap;
        this.threads = threads;
    }

    /** The verdict on every candidate of {@code format} (null: every format), in candidate order. */
    public List<Verdict> run(Format format, Consumer<String> progress) {
        List<Recipe> candidates = Candidates.of(format).stream().filter(r -> r.format().maxFinite() >= gap).toList();
        List<TargetPosition> targets = List.of(TargetPosition.FIRST, TargetPosition.LAST);
        progress.accept("thresholds of " + candidates.size() + " recipes");
        List<Configuration> configurations = Sweep.configurations(candidates, List.of(Family.FLAT), List.of(classes), targets);
        List<SweepResult> thresholds = Sweep.run(configurations, SweepSettings.DEFAULT, threads, done -> { });
        Map<Integer, String> absorption = new TreeMap<>();
        double[] deltaAbs = new double[candidates.size()];
        double[] deltaUf = new double[candidates.size()];
        java.util.Arrays.fill(deltaAbs, Double.NaN);
        java.util.Arrays.fill(deltaUf, Double.NaN);
        for (int i = 0; i < thresholds.size(); i++) {
            int c = i / targets.size();
            ThresholdRow row = thresholds.get(i).row();
            String why = reason(row);
            if (why != null && !absorption.containsKey(c)) {
                absorption.put(c, why);
            }
            if (windowOpens(row)) {
                deltaAbs[c] = smaller(deltaAbs[c], row.deltaAbs());
            }
            deltaUf[c] = smaller(deltaUf[c], row.deltaUf());
        }
        List<Integer> survivors = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            if (!absorption.containsKey(c)) {
                survivors.add(c);
            }
        }
        progress.accept("accuracy of " + survivors.size() + " recipes");
        Map<Integer, AccuracyResult> accuracy = accuracy(candidates, survivors, targets);
        List<Verdict> verdicts = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            AccuracyResult a = accuracy.get(c);
            String reason = absorption.containsKey(c) ? absorption.get(c) : a.accurate() ? null : a.failure();
            verdicts.add(new Verdict(candidates.get(c), deltaAbs[c], deltaUf[c], a, reason));
        }
        return verdicts;
    }

    /** Whether g_y == 0 first happens inside an NFI window (others still nonzero). */
    private static boolean windowOpens(ThresholdRow row) {
        return !Double.isNaN(row.deltaAbs()) && (Double.isNaN(row.deltaUf()) || row.deltaAbs() < row.deltaUf());
    }

    /** The smaller of two gaps, NaN meaning "none". */
    private static double smaller(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    /** Why the row rules the recipe out (absorption up to the gap, no gradient), or null. */
    private String reason(ThresholdRow row) {
        if (row.deltaUf() == 0) {
            return "every g_j is 0 already at gap 0 (" + row.configuration().target().key() + " target)";
        }
        if (windowOpens(row) && row.deltaAbs() <= gap) {
            return "absorbs from gap " + text(row.deltaAbs()) + " (" + row.configuration().target().key() + " target)";
        }
        return null;
    }

    private Map<Integer, AccuracyResult> accuracy(List<Recipe> candidates, List<Integer> which, List<TargetPosition> targets) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread t = new Thread(runnable, "absorb-safe");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Integer, Future<AccuracyResult>> futures = new TreeMap<>();
            for (int c : which) {
                Recipe recipe = candidates.get(c);
                futures.put(c, pool.submit(() -> {
                    List<AccuracyResult> results = new ArrayList<>();
                    for (TargetPosition t : targets) {
                        results.add(AccuracyCheck.run(recipe, Family.FLAT, classes, t, gap, SweepSettings.DEFAULT.seed(),
                                SweepSettings.DEFAULT.offset()));
                    }
                    return AccuracyResult.worstOf(results);
                }));
            }
            Map<Integer, AccuracyResult> out = new TreeMap<>();
            for (Map.Entry<Integer, Future<AccuracyResult>> e : futures.entrySet()) {
                out.put(e.getKey(), e.getValue().get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("safe interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("accuracy check failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static String text(double gap) {
        return new java.math.BigDecimal(gap).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
