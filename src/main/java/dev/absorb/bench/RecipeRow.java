package dev.absorb.bench;

import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Kernel;
import dev.absorb.kernel.KernelPlan;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ScalarKernel;

/**
 * One recipe on one row of logits, the fixture of the kernel benchmarks: the kernel the sweep uses
 * ({@link Kernels#of}: float lanes, double lanes or the scalar reference), called on the logits it
 * computes on ({@link KernelPlan#takesFloats}), so no conversion is timed; the scalar reference
 * and the plain loop doing the recipe's job on the same row.
 */
final class RecipeRow {

    private final Kernel kernel;
    private final KernelPlan plan;
    private final boolean floats;
    private final ScalarKernel reference;
    private final PlainRecipeLoop plain;
    private final float[] logits;
    private final float[] gradient;
    private final double[] logitsWide;
    private final double[] gradientWide;
    private final int classes;
    private final int target;

    /** The recipe on the logits of {@link Logits#of} in its format. */
    RecipeRow(String recipeText, String family, int classes, double gap) {
        Recipe recipe = Recipe.parse(recipeText);
        Logits input = Logits.of(family, classes, gap, recipe.format());
        this.kernel = Kernels.of(recipe);
        this.plan = Kernels.plan(recipe);
        this.floats = plan.takesFloats();
        this.reference = new ScalarKernel(recipe);
        this.plain = new PlainRecipeLoop(recipe);
        this.classes = classes;
        this.target = input.target();
        this.logitsWide = input.values();
        this.logits = input.floats();
        this.gradient = new float[classes];
        this.gradientWide = new double[classes];
    }

    /** lse and loss (the scalar reference computes the gradient too, into scratch). */
    Evaluation forward() {
        return floats ? kernel.evaluate(logits, classes, target, null) : kernel.evaluate(logitsWide, classes, target, null);
    }

    /** lse, loss and the gradient. */
    Evaluation fused() {
        return floats ? kernel.evaluate(logits, classes, target, gradient) : kernel.evaluate(logitsWide, classes, target, gradientWide);
    }

    /**
     * lse, loss and the gradient by the scalar reference kernel, whichever kernel the sweep uses:
     * the bits the kernels must reproduce, every operation rounded exactly as DESIGN.md §4 says.
     */
    Evaluation scalarFused() {
        return reference.evaluate(logitsWide, target, gradientWide);
    }

    /** lse and loss by the plain scalar loop doing the recipe's job. */
    Evaluation plainForward() {
        return plain.forward(logitsWide, target);
    }

    /** lse, loss and the gradient by the plain scalar loop doing the recipe's job. */
    Evaluation plainFused() {
        return plain.fused(logitsWide, target, gradientWide);
    }

    /** Which kernel runs the recipe, and why. */
    KernelPlan plan() {
        return plan;
    }

    /** The logits as floats (values of the recipe's format), the target, and the kernel itself: for the storage benchmark. */
    float[] logits() {
        return logits;
    }

    int target() {
        return target;
    }

    Kernel kernel() {
        return kernel;
    }

    /** The gradient the last {@link #fused} call wrote, as doubles. */
    double[] gradient() {
        if (!floats) {
            return gradientWide.clone();
        }
        double[] g = new double[classes];
        for (int j = 0; j < classes; j++) {
            g[j] = gradient[j];
        }
        return g;
    }
}
