package dev.absorb.sweep;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ReferenceLse;
import dev.absorb.kernel.Kernel;
import dev.absorb.kernel.Kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Finds the absorption thresholds of one {@link Configuration} (DESIGN.md §5).
 *
 * <h2>Search space</h2>
 * The gap parameter runs over the representable non-negative values of the recipe's format,
 * identified by their storage codes (positive values are ordered as their codes), from 0 to
 * U = min(max finite, the gap past which exp(−gap) underflows in the compute format, plus 1;
 * under stochastic rounding in fp32, where exp is evaluated; for {@code naive} also past where
 * exp(gap) overflows), the last edge rounded up to a representable gap. Beyond U nothing changes.
 * StableMax decays polynomially, so its U is the format's max finite value.
 * The gap is added to the largest other logit (the offset, or the largest Gaussian draw), and z_y
 * must stay a finite value of the format: where that level is above 0 and U would take z_y past
 * max finite (small-range formats under compute=fp32, sr, naive or StableMax), the last edge is
 * instead the largest representable gap that keeps z_y ≤ max finite.
 *
 * <h2>Grid and bisection</h2>
 * The edges of {@link SweepSettings#gridCells()} equal cells over [0, U] are evaluated (each edge
 * rounded down to a representable gap; StableMax: half the cells over [0, 64], half evenly over the
 * codes above, i.e. roughly log-spaced). Where a predicate changes between two neighbouring edges,
 * bisection over the codes in between finds a code where it is false and the next where it is true
 * — an exact transition between adjacent representable gaps. A band narrower than a cell that
 * switches a predicate on and off again is not seen: more cells trade time for that resolution.
 *
 * <h2>Predicates under smooth and zloss</h2>
 * "Absorbed" is g_y equal to what the recipe stores once p_y rounds to 1, and "others zero" is
 * every g_j, j ≠ y, equal to what it stores at p_j = 0 ({@link Absorption}): each entry no longer depends on its logit. Without smooth
 * and zloss those values are 0, and the predicates are g_y == 0 and g_j == 0 (docs/decisions.md).
 */
final class ThresholdFinder {

    private final Configuration configuration;
    private final SweepSettings settings;
    private final Recipe recipe;
    private final Format format;
    private final Kernel kernel;
    private final int target;
    private final double[] logits;
    private final double[] grad;
    /** max_{j≠y} z_j: the level the gap is added to (only z_y moves with the gap). */
    private final double othersMax;
    private final Absorption absorption;
    private final Map<Long, Sample> samples = new HashMap<>();
    private final List<CurvePoint> curve = new ArrayList<>();

    /** What the predicates need from one evaluation. */
    private record Sample(long code, double gap, boolean absorbed, boolean othersZero, boolean lseFinite) {
    }

    ThresholdFinder(Configuration configuration, SweepSettings settings) {
        this.configuration = configuration;
        this.settings = settings;
        this.recipe = configuration.recipe();
        this.format = recipe.format();
        this.kernel = Kernels.of(recipe);
        this.target = configuration.target().index(configuration.classes(), settings.seed());
        this.logits = new double[configuration.classes()];
        this.grad = new double[configuration.classes()];
        configuration.family().fill(logits, target, 0, settings.offset(), format, settings.seed());
        double others = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < logits.length; j++) {
            if (j != target) {
                others = Math.max(others, logits[j]);
            }
        }
        this.othersMax = others;
        this.absorption = new Absorption(recipe);
    }

    SweepResult find() {
        double upper = upperGap();
        long[] grid = gridCodes(upper);
        Sample[] onGrid = new Sample[grid.length];
        for (int i = 0; i < grid.length; i++) {
            boolean curvePoint = i % settings.curveEvery() == 0 || i == grid.length - 1;
            onGrid[i] = evaluate(grid[i], curvePoint);
        }
        double gapMax = onGrid[grid.length - 1].gap();
        Sample overflow = recipe.algo() == Recipe.Algo.NAIVE ? firstHit(grid, onGrid, s -> !s.lseFinite()) : null;
        if (overflow != null) {
            // Past the overflow everything is inf or NaN: the other thresholds are searched below it.
            int below = 0;
            while (below < grid.length && grid[below] < overflow.code()) {
                below++;
            }
            grid = Arrays.copyOf(grid, below);
            onGrid = Arrays.copyOf(onGrid, below);
        }
        Predicate<Sample> absorbed = Sample::absorbed;
        Sample first = firstHit(grid, onGrid, absorbed);
        Sample stable = stableFrom(grid, onGrid, absorbed);
        boolean nonMonotone = transitions(onGrid, absorbed) > 1
                || first != null && stable != null && first.code() != stable.code()
                || first != null && stable == null;
        Sample underflow = firstHit(grid, onGrid, Sample::othersZero);
        double lseRelErr = curve.stream().mapToDouble(CurvePoint::lseRelativeError).filter(e -> !Double.isNaN(e))
                .max().orElse(Double.NaN);
        ThresholdRow row = new ThresholdRow(configuration, gapOf(first), gapOf(stable), nonMonotone,
                gapOf(underflow), gapOf(overflow), lseRelErr, gapMax);
        return new SweepResult(row, List.copyOf(curve));
    }

    /** U: the largest gap worth searching (see the class comment). */
    private double upperGap() {
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            return format.maxFinite();
        }
        // exp is evaluated in fp32 (fp64) and then rounded to K: under stochastic rounding any
        // nonzero exp may round up to K's smallest subnormal, so only fp32's own underflow ends it.
        Format compute = recipe.computeFormat();
        Format vanishesIn = recipe.round().isStochastic() && !compute.isFp64() ? Format.FP32 : compute;
        // StrictMath: U fixes the grid, so it must be the same double on every JVM and CPU.
        double log2 = StrictMath.log(2);
        double underflow = log2 * (vanishesIn.mantissaBits() - vanishesIn.minExponent() + 1) + 1;
        double overflow = StrictMath.log(compute.maxFinite()) + 1;
        double u = recipe.algo() == Recipe.Algo.NAIVE ? Math.max(underflow, overflow) : underflow;
        return Math.min(format.maxFinite(), u);
    }

    /** The codes of the grid edges, ascending and distinct. */
    private long[] gridCodes(double upper) {
        int cells = settings.gridCells();
        // The last edge: U rounded up, but no further than the largest gap with z_y = rd(othersMax + gap)
        // still finite (rounded down, so othersMax + gap <= max finite and rne keeps it there).
        long top = Math.min(codeAtOrAbove(upper), codeAtOrBelow(Math.max(0, format.maxFinite() - othersMax)));
        double span = Math.min(upper, format.decode(top));
        List<Long> codes = new ArrayList<>();
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            int linear = cells / 2;
            double knee = Math.min(64, span);
            for (int i = 0; i <= linear; i++) {
                codes.add(codeAtOrBelow(knee * i / linear));
            }
            long from = codeAtOrBelow(knee);
            for (int i = 1; i <= cells - linear; i++) {
                codes.add(from + (long) ((double) (top - from) * i / (cells - linear)));
            }
        } else {
            for (int i = 0; i < cells; i++) {
                codes.add(codeAtOrBelow(span * i / cells));
            }
            codes.add(top);
        }
        return codes.stream().distinct().sorted().mapToLong(Long::longValue).toArray();
    }

    /** The code of the largest representable gap <= v (fp64 grid values are representable as they are). */
    private long codeAtOrBelow(double v) {
        return format.encode(format.isFp64() ? v : new Rounding(format, RoundingMode.RTZ, false, false).round(v, 0));
    }

    /** The code of the smallest representable gap >= v, at most max finite: the grid covers all of [0, U]. */
    private long codeAtOrAbove(double v) {
        return format.isFp64() ? format.encode(v)
                : format.encode(Math.min(format.maxFinite(), new Rounding(format, RoundingMode.RUP, false, false).round(v, 0)));
    }

    /** The first sample where the predicate holds, refined to the exact transition; null if none. */
    private Sample firstHit(long[] grid, Sample[] onGrid, Predicate<Sample> predicate) {
        for (int i = 0; i < grid.length; i++) {
            if (predicate.test(onGrid[i])) {
                return i == 0 ? onGrid[0] : bisect(grid[i - 1], grid[i], predicate);
            }
        }
        return null;
    }

    /**
     * The sample from which on the predicate holds to the end of the grid; null if it fails at the
     * end, or if the grid is empty (algo=naive whose lse is not finite even at gap 0).
     */
    private Sample stableFrom(long[] grid, Sample[] onGrid, Predicate<Sample> predicate) {
        if (grid.length == 0) {
            return null;
        }
        for (int i = grid.length - 1; i >= 0; i--) {
            if (!predicate.test(onGrid[i])) {
                return i == grid.length - 1 ? null : bisect(grid[i], grid[i + 1], predicate);
            }
        }
        return onGrid[0];
    }

    /** Given the predicate false at code lo and true at hi, the first true code of a transition. */
    private Sample bisect(long lo, long hi, Predicate<Sample> predicate) {
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (predicate.test(evaluate(mid, false))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return evaluate(hi, false);
    }

    private static int transitions(Sample[] onGrid, Predicate<Sample> predicate) {
        int count = 0;
        for (int i = 1; i < onGrid.length; i++) {
            if (predicate.test(onGrid[i]) != predicate.test(onGrid[i - 1])) {
                count++;
            }
        }
        return count;
    }

    private Sample evaluate(long code, boolean curvePoint) {
        Sample cached = samples.get(code);
        if (cached != null && !curvePoint) {
            return cached;
        }
        double gap = configuration.family().setGap(logits, target, format.decode(code), settings.offset(), format);
        Evaluation evaluation = kernel.evaluate(logits, target, grad);
        Sample sample = new Sample(code, gap, absorption.targetAbsorbed(grad, target, evaluation.lse()),
                absorption.othersGone(grad, target), Double.isFinite(evaluation.lse()));
        samples.put(code, sample);
        if (curvePoint) {
            curve.add(new CurvePoint(configuration, gap, evaluation.lse(), ReferenceLse.of(recipe, logits),
                    evaluation.loss(), GradientSummary.of(grad, grad.length, target)));
        }
        return sample;
    }

    private static double gapOf(Sample sample) {
        return sample == null ? Double.NaN : sample.gap();
    }
}
