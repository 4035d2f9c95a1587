package dev.absorb.kernel;

/**
 * The fastest kernel for a recipe: {@link SimdKernel} where it runs the recipe and is faster,
 * else {@link ScalarKernel}. Both give the same bits, so the choice only changes the time.
 * Recipes that only the scalar reference implements ({@link Recipe#scalarOnly()}: exp=glibc and
 * XLA's keys) go to it directly.
 */
public final class Kernels {

    private Kernels() {
    }

    public static Kernel of(Recipe recipe) {
        if (recipe.scalarOnly()) {
            return new ScalarKernel(recipe);
        }
        if (usesSimd(recipe)) {
            return new SimdKernel(recipe);
        }
        return SimdKernel64.supports(recipe) ? new SimdKernel64(recipe) : new ScalarKernel(recipe);
    }

    /**
     * Whether {@link #of} picks the float-lane SIMD kernel: where it runs the recipe without
     * boxing ({@link SimdKernel#runsUnboxed}), which since the deterministic long paths are
     * staged ({@link VectorStagedRounding}) is every recipe it {@link SimdKernel#supports}.
     */
    public static boolean usesSimd(Recipe recipe) {
        return !recipe.scalarOnly() && SimdKernel.runsUnboxed(recipe);
    }

}
