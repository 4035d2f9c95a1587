package dev.absorb.sweep;

import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ScalarKernel;

/**
 * The absorption predicates of one recipe, shared by the sweep, {@code grad} and {@code scan}:
 * g_y is absorbed when it equals what the recipe stores once p_y rounds to 1, and the others are
 * gone when every g_j, j ≠ y, equals what it stores at p_j = 0. Without smooth and zloss these
 * are g_y == 0 and g_j == 0; with them the frozen values are nonzero (docs/recipes.md).
 */
public final class Absorption {

    /** The reference that knows the frozen values; null when they are 0. */
    private final ScalarKernel frozen;
    private final boolean smooth;
    private double[] vanished = new double[0];

    public Absorption(Recipe recipe) {
        this.frozen = recipe.mitigations().weighted() ? new ScalarKernel(recipe) : null;
        this.smooth = recipe.mitigations().smooth() > 0;
    }

    /** Whether g_y equals its value at p_y = 1 on this row, whose lse the kernel returned. */
    public boolean targetAbsorbed(double[] grad, int target, double lse) {
        return grad[target] == (frozen == null ? 0.0 : frozen.saturatedTargetGradient(grad.length, target, lse));
    }

    /** Whether every g_j, j ≠ y, equals its value at p_j = 0. */
    public boolean othersGone(double[] grad, int target) {
        double[] at = smooth ? vanished(grad.length) : null;
        for (int j = 0; j < grad.length; j++) {
            if (j != target && grad[j] != (at == null ? 0.0 : at[j])) {
                return false;
            }
        }
        return true;
    }

    private double[] vanished(int n) {
        if (vanished.length != n) {
            vanished = new double[n];
            for (int j = 0; j < n; j++) {
                vanished[j] = frozen.vanishedGradient(n, j);
            }
        }
        return vanished;
    }
}
