package dev.absorb.kernel;

/**
 * The order in which a sum's partials are combined (DESIGN.md §4 step 3 and docs/recipes.md):
 * {@code unroll} vectors of V = lanes/unroll partials are added vector by vector (halving
 * levels), then the last vector is reduced by halving ({@code hsum=tree}, what a shuffle tree
 * does) or one partial at a time, s_0 + s_1 + … + s_{V−1} ({@code hsum=serial}, and
 * {@code short=serial} for a row with fewer classes than lanes, as PyTorch sums a row shorter
 * than its unrolled vector).
 *
 * <p>Each step is four ints: the partial that receives, the partial added to it, the fold level
 * and the slot that numbers the step's stochastic bits ({@code -1 - (64·level + slot)}): the
 * receiving partial when halving, the added one when serial, so no two steps share their bits.
 */
final class FoldOrder {

    private FoldOrder() {
    }

    /** The steps folding the partials of {@code recipe} for a row of {@code classes} classes. */
    static int[] steps(Recipe recipe, int classes) {
        int lanes = recipe.lanes();
        int vector = lanes / recipe.unroll();
        boolean serial = recipe.hsum() == Recipe.Hsum.SERIAL
                || recipe.shortRows() == Recipe.ShortRow.SERIAL && classes < lanes;
        int[] steps = new int[4 * (lanes - 1)]; // every step retires one partial
        int k = 0;
        int level = 0;
        int width = lanes;
        for (; width > (serial ? vector : 1); width >>= 1, level++) {
            int half = width >> 1;
            for (int i = 0; i < half; i++) {
                k = put(steps, k, i, i + half, level, i);
            }
        }
        if (serial) {
            for (int i = 1; i < vector; i++) {
                k = put(steps, k, 0, i, level, i);
            }
        }
        return steps;
    }

    private static int put(int[] steps, int k, int target, int source, int level, int slot) {
        steps[k] = target;
        steps[k + 1] = source;
        steps[k + 2] = level;
        steps[k + 3] = slot;
        return k + 4;
    }
}
