package dev.absorb.kernel;

import java.util.Arrays;

/**
 * The exact sum of doubles, kept as non-overlapping partials (Shewchuk, "Adaptive Precision
 * Floating-Point Arithmetic and Fast Robust Geometric Predicates", DCG 18, 1997 — the algorithm
 * behind Python's math.fsum). Used where DESIGN.md §4 sums "exactly": the zerosum and center
 * gradients and the zero-sum residual.
 *
 * <p>The partials stay few (at most one per 53-bit slice of the exponent range), so adding is
 * cheap. Infinities and NaN are not supported by the partials; they are tracked aside and make
 * the result inf or NaN as plain summation would. So is a running sum beyond double's range
 * (2^1023 + 2^1023): it gives ±inf, as plain summation in this order would, even if later terms
 * would bring the exact sum back into range.
 */
public final class ExactSum {

    private double[] partials = new double[8];
    private int count;
    private double special;

    public void clear() {
        count = 0;
        special = 0;
    }

    public void add(double x) {
        if (!Double.isFinite(x)) {
            special += x;
            return;
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            double y = partials[i];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            // Fast2Sum (|x| >= |y|): hi + lo == x + y exactly. Keep the evaluation order.
            double hi = x + y;
            if (Double.isInfinite(hi)) {
                // The running sum left double's range: the partials cannot hold it (lo would
                // be −inf and the result NaN). Give the infinity plain summation gives.
                special += hi;
                count = 0;
                return;
            }
            double lo = y - (hi - x);
            if (lo != 0) {
                partials[kept++] = lo;
            }
            x = hi;
        }
        if (kept == partials.length) {
            partials = Arrays.copyOf(partials, kept * 2);
        }
        partials[kept++] = x;
        count = kept;
    }

    /**
     * Adds {@code times} copies of x, exactly as many {@link #add} calls would: x·times is
     * hi + lo exactly (the product's error is an fma away), so two adds do, unless the product
     * nears double's range ends, where the copies are added one by one.
     */
    public void add(double x, int times) {
        double hi = x * times;
        double magnitude = Math.abs(hi);
        if (times <= 1 || !(magnitude > 0x1p-900 && magnitude < 0x1p900)) {
            for (int i = 0; i < times; i++) {
                add(x);
            }
            return;
        }
        add(hi);
        add(Math.fma(x, times, -hi));
    }

    /**
     * The exact sum rounded to odd in double: rounding this once more to a format with p ≤ 51
     * bits gives the exact sum correctly rounded (see {@link dev.absorb.format.RoundToOdd}).
     */
    public double toOdd() {
        if (special != 0 || Double.isNaN(special)) {
            return special;
        }
        if (count == 0) {
            return 0.0;
        }
        // Partials are increasing in magnitude and non-overlapping: add from the top until the
        // first inexact step; the remainder's sign is that of the first rounding error.
        double hi = partials[count - 1];
        double lo = 0;
        for (int i = count - 2; i >= 0; i--) {
            double x = hi;
            double y = partials[i];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0) {
                break;
            }
        }
        if (lo == 0 || (Double.doubleToRawLongBits(hi) & 1) != 0) {
            return hi;
        }
        return lo > 0 ? Math.nextUp(hi) : Math.nextDown(hi);
    }

    /**
     * The exact sum rounded to nearest double, ties to even (Python's math.fsum): for fp64, where
     * {@link #toOdd()} cannot be rounded once more.
     */
    public double toNearest() {
        if (special != 0 || Double.isNaN(special)) {
            return special;
        }
        if (count == 0) {
            return 0.0;
        }
        // As in toOdd: add from the top until the first inexact step; hi is then the nearest
        // double to hi + lo, and the partials below (smaller than lo's last bit) only matter when
        // lo is exactly half an ulp of hi and they push the same way: then round away from hi.
        int i = count - 1;
        double hi = partials[i];
        double lo = 0;
        while (i > 0) {
            double x = hi;
            double y = partials[--i];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0) {
                break;
            }
        }
        if (i > 0 && (lo < 0 && partials[i - 1] < 0 || lo > 0 && partials[i - 1] > 0)) {
            double twice = lo * 2;
            double away = hi + twice;
            if (twice == away - hi) {
                hi = away;
            }
        }
        return hi;
    }
}
