package dev.absorb.safe;

import dev.absorb.accuracy.AccuracyResult;
import dev.absorb.kernel.Recipe;

/**
 * Whether a recipe is safe up to a gap at a class count, and why not.
 *
 * @param deltaAbs the smallest gap at which it absorbs (NaN: none up to the gap, or not in a window)
 * @param deltaUf  the smallest gap at which its whole gradient is 0 (NaN: none up to what the sweep searches)
 * @param accuracy its accuracy over [0, gap]; null when it was not checked (it absorbs)
 * @param reason   why it is not safe; null when it is
 */
public record Verdict(Recipe recipe, double deltaAbs, double deltaUf, AccuracyResult accuracy, String reason) {

    public boolean safe() {
        return reason == null;
    }
}
