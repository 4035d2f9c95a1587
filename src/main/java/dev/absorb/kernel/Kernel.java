package dev.absorb.kernel;

/** One evaluation of log-sum-exp, loss and gradient under a recipe (DESIGN.md §4). */
public interface Kernel {

    Recipe recipe();

    /**
     * Evaluates logits {@code z[0..C)} (values of the recipe's format) with target {@code y}:
     * returns lse and loss and writes the gradient to {@code grad[0..C)}, each entry a value of
     * the format.
     */
    Evaluation evaluate(double[] z, int y, double[] grad);
}
