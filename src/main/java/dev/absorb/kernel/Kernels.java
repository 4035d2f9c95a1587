package dev.absorb.kernel;

import dev.absorb.format.RoundingMode;

/**
 * The fastest kernel for a recipe: {@link SimdKernel} where it runs the recipe and is faster,
 * else {@link ScalarKernel}. Both give the same bits, so the choice only changes the time.
 */
public final class Kernels {

    private Kernels() {
    }

    public static Kernel of(Recipe recipe) {
        return usesSimd(recipe) ? new SimdKernel(recipe) : SimdKernel64.supports(recipe) ? new SimdKernel64(recipe) : new ScalarKernel(recipe);
    }

    /**
     * Whether {@link #of} picks the SIMD kernel. It runs round=sr bit for bit too, but its
     * stochastic lanes are still boxed by the JIT (about 900 B and 150 ns per element for bf16,
     * no faster than the scalar kernel), so sr stays on the scalar kernel for now.
     */
    public static boolean usesSimd(Recipe recipe) {
        return SimdKernel.supports(recipe) && recipe.round() != RoundingMode.SR;
    }
}
