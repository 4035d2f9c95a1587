package dev.absorb.accuracy;

import dev.absorb.kernel.Recipe;

/**
 * The exact cross-entropy gradient in fp64, against which a recipe's stored gradient is measured
 * (docs/accuracy.md).
 *
 * <h2>What it computes</h2>
 * For softmax, with x the logits (soft-capped, x = c·tanh(z/c), when the recipe caps; the
 * gradient is then taken with respect to x, as DESIGN.md §4 says) and lse* the fp64 reference of
 * {@link dev.absorb.kernel.ReferenceLse}: p_j = exp(x_j − lse*), g_j = p_j for j ≠ y and
 * g_y = −Σ_{j≠y} p_j, so 1 − p_y is never formed by cancellation. For StableMax, with
 * s(x) = x + 1 (x ≥ 0), 1/(1 − x) otherwise and S = Σ s(x_j): g_j = s'(x_j)/S for j ≠ y and
 * g_y = −s'(x_y)·S₋/(S·s(x_y)), S₋ the sum without y.
 *
 * <h2>Accuracy</h2>
 * Sums are compensated (Neumaier) in fp64 over positive terms, exp is {@code StrictMath}'s: every
 * entry is within about 1e-13 relatively, far below the smallest bound it is used for
 * ({@link AccuracyBounds}). The same on every JVM.
 */
final class ReferenceGradient {

    private ReferenceGradient() {
    }

    /** Writes the exact gradient of logits {@code z} with target {@code y} to {@code out}; {@code lse} is the reference lse. */
    static void of(Recipe recipe, double[] z, int y, double lse, double[] out) {
        int n = z.length;
        double cap = recipe.cap();
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            stableMax(z, y, cap, out);
            return;
        }
        Neumaier others = new Neumaier();
        for (int j = 0; j < n; j++) {
            double x = capped(z[j], cap);
            double p = StrictMath.exp(x - lse);
            out[j] = p;
            if (j != y) {
                others.add(p);
            }
        }
        out[y] = -others.value();
    }

    private static void stableMax(double[] z, int y, double cap, double[] out) {
        int n = z.length;
        Neumaier sum = new Neumaier();
        Neumaier others = new Neumaier();
        for (int j = 0; j < n; j++) {
            double s = s(capped(z[j], cap));
            sum.add(s);
            if (j != y) {
                others.add(s);
            }
        }
        double total = sum.value();
        for (int j = 0; j < n; j++) {
            out[j] = sPrime(capped(z[j], cap)) / total;
        }
        double xy = capped(z[y], cap);
        out[y] = -sPrime(xy) * (others.value() / (total * s(xy)));
    }

    private static double capped(double z, double cap) {
        return cap > 0 ? cap * StrictMath.tanh(z / cap) : z;
    }

    private static double s(double x) {
        return x >= 0 ? x + 1 : 1 / (1 - x);
    }

    private static double sPrime(double x) {
        return x >= 0 ? 1 : 1 / ((1 - x) * (1 - x));
    }

    /** Neumaier's compensated sum: error of a few ulps whatever the count of terms. */
    static final class Neumaier {
        private double sum;
        private double compensation;

        void add(double x) {
            double t = sum + x;
            // The branch keeps the lost low part of whichever operand is smaller; do not simplify.
            if (Math.abs(sum) >= Math.abs(x)) {
                compensation += (sum - t) + x;
            } else {
                compensation += (x - t) + sum;
            }
            sum = t;
        }

        double value() {
            return sum + compensation;
        }
    }
}
