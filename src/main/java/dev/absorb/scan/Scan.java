package dev.absorb.scan;

import dev.absorb.format.Rounding;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Kernel;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Absorption;
import dev.absorb.sweep.GradientSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Scans a file of logits (docs/scan.md): every row, under every recipe, stored in the recipe's
 * format (nearest even, as a cast does) and evaluated by the recipe's kernel; per recipe it counts
 * the rows where g_y == 0, those inside the NFI window, those that are not finite, and keeps the
 * largest zero-sum residual and the gaps' distribution.
 *
 * <p>Rows stream: a batch of a few rows per thread is read, evaluated on every thread, and
 * forgotten. The results do not depend on the thread count.
 */
public final class Scan {

    /** The logits' size: rows (−1 where only reading to the end tells: CSV) and classes. */
    public record Shape(long rows, int classes) {
    }

    /** Hears each row's verdict under each recipe, in row order. */
    public interface Listener {
        void row(long row, int recipe, RowVerdict verdict);
    }

    private final List<Recipe> recipes;
    private final int threads;

    public Scan(List<Recipe> recipes, int threads) {
        if (recipes.isEmpty()) {
            throw new IllegalArgumentException("no recipe to scan with");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.recipes = List.copyOf(recipes);
        this.threads = threads;
    }

    /**
     * Scans {@code logits} with targets from {@code targets} (null: each row's argmax);
     * {@code opened} hears the logits' shape before any row is read (it may reject it by throwing),
     * {@code progress} the rows done so far, {@code listener} (may be null) every verdict.
     *
     * @throws IllegalArgumentException for a file that cannot be read as logits or targets, a
     *     target out of range, or targets and logits of different lengths
     */
    public List<RecipeSummary> run(Path logits, Path targets, Consumer<Shape> opened, LongConsumer progress, Listener listener)
            throws IOException {
        try (RowReader rows = RowReader.logits(logits); RowReader ys = targets == null ? null : RowReader.targets(targets)) {
            opened.accept(new Shape(rows.rows(), rows.width()));
            if (ys != null && rows.rows() >= 0 && ys.rows() >= 0 && rows.rows() != ys.rows()) {
                throw new IllegalArgumentException(lengths(ys, ys.rows(), rows, rows.rows()));
            }
            return run(rows, ys, progress, listener);
        }
    }

    private List<RecipeSummary> run(RowReader rows, RowReader ys, LongConsumer progress, Listener listener) throws IOException {
        int classes = rows.width();
        int batch = 2 * threads;
        double[][] buffers = new double[batch][classes];
        int[] targets = new int[batch];
        double[] target = new double[1];
        RowVerdict[][] verdicts = new RowVerdict[batch][recipes.size()];
        Worker[] workers = new Worker[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Worker(recipes, classes);
        }
        Tally[] tallies = new Tally[recipes.size()];
        for (int r = 0; r < tallies.length; r++) {
            tallies[r] = new Tally(rows.rows() >= 0 ? rows.rows() : 1024);
        }
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "absorb-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            long done = 0;
            while (true) {
                int n = 0;
                while (n < batch && rows.next(buffers[n])) {
                    long index = done + n;
                    if (ys == null) {
                        targets[n] = argmax(buffers[n]);
                    } else if (!ys.next(target)) {
                        throw new IllegalArgumentException(lengths(ys, index, rows, -1));
                    } else {
                        targets[n] = checked(target[0], classes, ys, index);
                    }
                    n++;
                }
                if (n == 0) {
                    break;
                }
                evaluate(pool, workers, buffers, targets, verdicts, n);
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < recipes.size(); r++) {
                        tallies[r].add(done + i, verdicts[i][r]);
                        if (listener != null) {
                            listener.row(done + i, r, verdicts[i][r]);
                        }
                    }
                }
                done += n;
                progress.accept(done);
            }
            if (ys != null && ys.next(target)) {
                throw new IllegalArgumentException(ys.name() + " has more rows than the " + done + " of " + rows.name());
            }
            if (done == 0) {
                throw new IllegalArgumentException(rows.name() + " holds no rows");
            }
            List<RecipeSummary> out = new ArrayList<>();
            for (int r = 0; r < recipes.size(); r++) {
                out.add(tallies[r].summary(recipes.get(r)));
            }
            return out;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static String lengths(RowReader ys, long targetRows, RowReader rows, long logitRows) {
        return ys.name() + " has " + targetRows + " targets but " + rows.name() + " has "
                + (logitRows >= 0 ? logitRows + " rows" : "more rows") + " (one target per row of logits)";
    }

    private void evaluate(ExecutorService pool, Worker[] workers, double[][] buffers, int[] targets, RowVerdict[][] verdicts,
                          int n) {
        if (pool == null) {
            for (int i = 0; i < n; i++) {
                workers[0].evaluate(buffers[i], targets[i], verdicts[i]);
            }
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < workers.length; t++) {
            int first = t;
            Worker worker = workers[t];
            tasks.add(() -> {
                for (int i = first; i < n; i += workers.length) {
                    worker.evaluate(buffers[i], targets[i], verdicts[i]);
                }
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("scan failed: " + cause, cause);
        }
    }

    /** As numpy.argmax: the first largest value, where a NaN counts as the largest. */
    static int argmax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (Double.isNaN(row[best])) {
                return best;
            }
            if (row[j] > row[best] || Double.isNaN(row[j])) {
                best = j;
            }
        }
        return best;
    }

    private static int checked(double value, int classes, RowReader ys, long row) {
        if (!(value >= 0 && value < classes) || value != Math.rint(value)) {
            throw new IllegalArgumentException(ys.name() + " row " + (row + 1) + ": target " + (value == Math.rint(value)
                    ? String.valueOf((long) value) : String.valueOf(value)) + " is out of range [0, " + classes + ")");
        }
        return (int) value;
    }

    /**
     * One thread's kernels and buffers: a kernel per recipe, and the row stored once per format
     * (rounding is most of the work; each kernel gets its own copy of the stored row).
     */
    private static final class Worker {
        private final Kernel[] kernels;
        private final Absorption[] absorption;
        private final int[] formatOf;
        private final Rounding[] stores;
        private final double[][] stored;
        private final double[] others;
        private final double[] z;
        private final double[] grad;

        Worker(List<Recipe> recipes, int classes) {
            this.kernels = recipes.stream().map(Kernels::of).toArray(Kernel[]::new);
            this.absorption = recipes.stream().map(Absorption::new).toArray(Absorption[]::new);
            List<dev.absorb.format.Format> formats = recipes.stream().map(Recipe::format).distinct().toList();
            this.formatOf = recipes.stream().mapToInt(r -> formats.indexOf(r.format())).toArray();
            this.stores = formats.stream().map(Rounding::nearest).toArray(Rounding[]::new);
            this.stored = new double[formats.size()][classes];
            this.others = new double[formats.size()];
            this.z = new double[classes];
            this.grad = new double[classes];
        }

        void evaluate(double[] row, int y, RowVerdict[] out) {
            for (int f = 0; f < stores.length; f++) {
                Rounding store = stores[f];
                double[] z = stored[f];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < row.length; j++) {
                    double v = store.round(row[j], 0);
                    z[j] = v;
                    if (j != y) {
                        max = Math.max(max, v);
                    }
                }
                others[f] = max;
            }
            for (int r = 0; r < kernels.length; r++) {
                System.arraycopy(stored[formatOf[r]], 0, z, 0, z.length);
                Evaluation evaluation = kernels[r].evaluate(z, y, grad);
                GradientSummary summary = GradientSummary.of(grad, grad.length, y);
                boolean finite = Double.isFinite(evaluation.lse());
                for (int j = 0; j < grad.length && finite; j++) {
                    finite = Double.isFinite(grad[j]);
                }
                boolean absorbed = absorption[r].targetAbsorbed(grad, y, evaluation.lse());
                out[r] = new RowVerdict(y, z[y] - others[formatOf[r]], absorbed, absorbed && !absorption[r].othersGone(grad, y),
                        summary.zeroSumResidual(), finite);
            }
        }
    }

    /** Counts and extremes of one recipe, row by row. */
    private static final class Tally {
        private long rows;
        private long absorbed;
        private long nfi;
        private long nonfinite;
        private double maxResidual = Double.NaN;
        private long maxResidualRow = -1;
        private double[] gaps;

        Tally(long expectedRows) {
            gaps = new double[(int) Math.min(Math.max(expectedRows, 16), Integer.MAX_VALUE - 16)];
        }

        void add(long row, RowVerdict v) {
            if (rows == gaps.length) {
                if (gaps.length >= Integer.MAX_VALUE - 16) {
                    throw new UncheckedIOException(new IOException("more than " + gaps.length + " rows: too many to keep their gaps"));
                }
                gaps = Arrays.copyOf(gaps, (int) Math.min((long) gaps.length * 2, Integer.MAX_VALUE - 16));
            }
            gaps[(int) rows] = v.gap();
            rows++;
            absorbed += v.absorbed() ? 1 : 0;
            nfi += v.nfi() ? 1 : 0;
            nonfinite += v.finite() ? 0 : 1;
            double r = v.residual();
            if (!Double.isNaN(r) && (Double.isNaN(maxResidual) || r > maxResidual)) {
                maxResidual = r;
                maxResidualRow = row;
            }
        }

        RecipeSummary summary(Recipe recipe) {
            return new RecipeSummary(recipe, rows, absorbed, nfi, nonfinite, maxResidual, maxResidualRow,
                    GapQuantiles.of(gaps, (int) rows));
        }
    }
}
