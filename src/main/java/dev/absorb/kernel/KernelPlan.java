package dev.absorb.kernel;

import java.util.List;

/**
 * Which kernel {@link Kernels#of} gives a recipe, and why: the float-lane SIMD kernel, the fp64 one
 * or the scalar reference, the reason in words, and for the float lanes the path each step takes
 * (differences, quotients, the rounding to FORMAT and the sums: short, staged or stochastic). Every
 * kernel gives the same bits: the plan explains the time, never a result.
 *
 * @param recipe the recipe
 * @param kernel the kernel that runs it
 * @param reason why that kernel (and not a faster one)
 * @param steps  the float-lane kernel's path per step; empty for the other kernels
 */
public record KernelPlan(Recipe recipe, Choice kernel, String reason, List<String> steps) {

    /** The three kernels. */
    public enum Choice {
        /** The Vector API kernel on float lanes. */
        FLOAT_LANES("float lanes (SimdKernel)"),
        /** The Vector API kernel on double lanes, for fp64 recipes. */
        DOUBLE_LANES("double lanes (SimdKernel64)"),
        /** The scalar reference, one rounded operation at a time. */
        SCALAR("scalar reference (ScalarKernel)");

        private final String description;

        Choice(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public KernelPlan {
        steps = List.copyOf(steps);
    }

    /** Whether the kernel computes on float[] logits, so that its float entry point converts nothing. */
    public boolean takesFloats() {
        return kernel == Choice.FLOAT_LANES;
    }

    /** One line: the recipe, the kernel, why, and its steps. */
    @Override
    public String toString() {
        return recipe + ": " + kernel.description() + ", " + reason + (steps.isEmpty() ? "" : "; " + String.join(", ", steps));
    }
}
