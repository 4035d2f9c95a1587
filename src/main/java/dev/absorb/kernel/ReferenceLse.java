package dev.absorb.kernel;

/**
 * An fp64 compensated reference for log-sum-exp, against which {@code lse_rel_err} is measured
 * (DESIGN.md §5). It computes the same function as the recipe — soft-capped logits when the
 * recipe caps, Σ s(z_j) for StableMax — but in fp64 with every exp or s(x) summed exactly
 * ({@link ExactSum}) and the max term left out of the sum, r = log1p(s) (Blanchard, Higham and
 * Higham, IMA J. Numer. Anal. 41(4), 2021). Its error is a few fp64 ulps, far below any error
 * it is used to measure. {@code StrictMath} keeps it the same on every JVM.
 */
public final class ReferenceLse {

    private ReferenceLse() {
    }

    /** The reference lse of logits {@code z} under {@code recipe}'s cap and normaliser. */
    public static double of(Recipe recipe, double[] z) {
        int n = z.length;
        double[] x = z;
        if (recipe.cap() > 0) {
            x = new double[n];
            for (int j = 0; j < n; j++) {
                x[j] = recipe.cap() * StrictMath.tanh(z[j] / recipe.cap());
            }
        }
        ExactSum sum = new ExactSum();
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            for (double xj : x) {
                sum.add(xj >= 0 ? xj + 1 : 1 / (1 - xj));
            }
            return StrictMath.log(sum.toOdd());
        }
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        for (int j = 0; j < n; j++) {
            if (x[j] > m || argmax < 0 && Double.isNaN(x[j])) {
                m = x[j];
                argmax = j;
            }
        }
        if (Double.isNaN(m) || Double.isInfinite(m)) {
            return m == Double.NEGATIVE_INFINITY ? m : Double.NaN;
        }
        // Runs of equal logits (the flat family: all but one) take one exp and one exact multiple.
        int j = 0;
        while (j < n) {
            if (j == argmax) {
                j++;
                continue;
            }
            int end = j + 1;
            while (end < n && end != argmax && Double.compare(x[end], x[j]) == 0) {
                end++;
            }
            sum.add(StrictMath.exp(x[j] - m), end - j);
            j = end;
        }
        return m + StrictMath.log1p(sum.toOdd());
    }
}
