package dev.absorb.kernel;

import java.util.List;

/**
 * The fastest kernel for a recipe: the float-lane SIMD kernel where it runs the recipe without
 * boxing, the fp64 SIMD kernel for the fp64 recipes it runs, else {@link ScalarKernel}. Every
 * kernel gives the same bits, so the choice only changes the time; {@link #plan} says which and why.
 * Recipes that only the scalar reference implements ({@link Recipe#scalarOnly()}: exp=glibc and
 * XLA's keys) go to it directly.
 */
public final class Kernels {

    private Kernels() {
    }

    public static Kernel of(Recipe recipe) {
        switch (plan(recipe).kernel()) {
            case FLOAT_LANES:
                return new SimdKernel(recipe);
            case DOUBLE_LANES:
                return new SimdKernel64(recipe);
            default:
                return new ScalarKernel(recipe);
        }
    }

    /** Which kernel {@link #of} gives the recipe, and why. */
    public static KernelPlan plan(Recipe recipe) {
        String refusal = SimdPlan.refusal(recipe);
        if (refusal == null) {
            String boxing = SimdPlan.boxing(recipe);
            if (boxing == null) {
                return new KernelPlan(recipe, KernelPlan.Choice.FLOAT_LANES,
                        "every step short or staged, unboxed", new SimdPlan(recipe).steps());
            }
            refusal = boxing;
        }
        if (SimdKernel64.supports(recipe)) {
            return new KernelPlan(recipe, KernelPlan.Choice.DOUBLE_LANES, "fp64: every rounding is the double operation", List.of());
        }
        if (recipe.format().isFp64() && !recipe.scalarOnly()) {
            refusal = !recipe.mitigations().equals(Mitigations.NONE)
                    ? "the fp64 lanes have no chunk, smooth, zloss, scale or gradfmt: the reference runs them"
                    : "the fp64 lanes run twopass and naive softmax without cap and without framework keys";
        }
        return new KernelPlan(recipe, KernelPlan.Choice.SCALAR, refusal, List.of());
    }

    /**
     * Why this JVM's {@code -Dabsorb.vector.bits} is refused (one line naming the valid widths), or
     * null: a program checks it before any kernel runs, as the kernels' classes fail to load on it.
     */
    public static String vectorWidthProblem() {
        return VectorWidth.Setting.problem();
    }
}
