package dev.absorb.kernel;

/** The fastest kernel for a recipe: {@link SimdKernel} where it runs the recipe, else {@link ScalarKernel}. */
public final class Kernels {

    private Kernels() {
    }

    public static Kernel of(Recipe recipe) {
        return SimdKernel.supports(recipe) ? new SimdKernel(recipe) : new ScalarKernel(recipe);
    }
}
