package dev.absorb.sweep;

import dev.absorb.kernel.ExactSum;

/**
 * What the sweep and {@code grad} report about one stored gradient: g_y, the largest other
 * entry, whether every other entry is exactly zero, and the exact sums behind the zero-sum
 * residual |Σ g_j| / Σ |g_j| (DESIGN.md §5).
 */
public record GradientSummary(double target, double largestOther, boolean othersAllZero, double sum, double absoluteSum) {

    /** Summarises {@code grad[0..n)} with target y; sums are exact, then rounded (to odd) to fp64. */
    public static GradientSummary of(double[] grad, int n, int y) {
        ExactSum sum = new ExactSum();
        ExactSum absoluteSum = new ExactSum();
        double largest = Double.NEGATIVE_INFINITY;
        boolean allZero = true;
        for (int j = 0; j < n; j++) {
            double g = grad[j];
            // A run of equal entries (the flat family's others) is one exact multiple.
            int run = 1;
            while (j + run < n && Double.compare(grad[j + run], g) == 0) {
                run++;
            }
            sum.add(g, run);
            absoluteSum.add(Math.abs(g), run);
            if (j != y || run > 1) {
                largest = Double.isNaN(g) || Double.isNaN(largest) ? Double.NaN : Math.max(largest, g);
                allZero &= g == 0;
            }
            j += run - 1;
        }
        return new GradientSummary(grad[y], n == 1 ? Double.NaN : largest, allZero, sum.toOdd(), absoluteSum.toOdd());
    }

    /** |Σ g_j| / Σ |g_j|; NaN when the gradient is entirely zero (the ratio does not exist). */
    public double zeroSumResidual() {
        return absoluteSum == 0 ? Double.NaN : Math.abs(sum) / absoluteSum;
    }
}
