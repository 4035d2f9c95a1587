package dev.absorb.bench;

import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ScalarKernel;
import dev.absorb.kernel.SimdKernel;
import dev.absorb.kernel.SimdKernel64;

/**
 * One recipe's kernel with its inputs and output arrays: the kernel {@link Kernels#of} picks for
 * the sweep (the float SIMD kernel, the fp64 one, or the scalar reference), so the cost of every
 * recipe is visible, and always the kernel the sweep would use.
 */
final class KernelCase {

    private final SimdKernel simd;
    private final SimdKernel64 simd64;
    private final ScalarKernel reference;
    private final PlainRecipeLoop plain;
    private final float[] logits;
    private final float[] gradient;
    private final double[] logitsWide;
    private final double[] gradientWide;
    private final int classes;
    private final int target;

    KernelCase(String recipeText, String family, int classes, double gap) {
        Recipe recipe = Recipe.parse(recipeText);
        Logits input = Logits.of(family, classes, gap, recipe.format());
        this.simd = Kernels.usesSimd(recipe) ? new SimdKernel(recipe) : null;
        this.simd64 = simd == null && SimdKernel64.supports(recipe) ? new SimdKernel64(recipe) : null;
        this.reference = new ScalarKernel(recipe);
        this.plain = new PlainRecipeLoop(recipe);
        this.classes = classes;
        this.target = input.target();
        this.logitsWide = input.values();
        this.logits = input.floats();
        this.gradient = new float[classes];
        this.gradientWide = new double[classes];
    }

    /** lse and loss; the scalar reference has no forward-only call, so there it computes the gradient too. */
    Evaluation forward() {
        if (simd64 != null) {
            return simd64.evaluate(logitsWide, classes, target, null);
        }
        return simd != null ? simd.evaluate(logits, classes, target, null) : reference.evaluate(logitsWide, target, gradientWide);
    }

    /** lse, loss and the gradient. */
    Evaluation fused() {
        if (simd64 != null) {
            return simd64.evaluate(logitsWide, classes, target, gradientWide);
        }
        return simd != null ? simd.evaluate(logits, classes, target, gradient) : reference.evaluate(logitsWide, target, gradientWide);
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

    boolean isSimd() {
        return simd != null || simd64 != null;
    }

    /** The gradient the last {@link #fused} call wrote, as doubles. */
    double[] gradient() {
        if (simd == null) {
            return gradientWide.clone();
        }
        double[] g = new double[classes];
        for (int j = 0; j < classes; j++) {
            g[j] = gradient[j];
        }
        return g;
    }
}
