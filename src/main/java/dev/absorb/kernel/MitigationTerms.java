package dev.absorb.kernel;

import dev.absorb.format.Rounding;

/**
 * The scalar terms of a recipe's mitigations (docs/recipes.md, "Mitigations"), rounded as both
 * kernels round them: the targets q_j, the weight w and the last steps of each entry,
 * g_j = rd_G(rd_K(s·v_j)). The kernels differ only in how they run the loops over j.
 */
final class MitigationTerms {

    /** sr's random bits of a scalar step, as the kernel draws them (0 where the rounding is not stochastic). */
    interface Bits {
        int of(Op op, int index);
    }

    final Mitigations mitigations;
    private final Rounding toFormat;
    private final Rounding toCompute;
    private final Rounding toGradient;
    private final Bits bits;

    MitigationTerms(Recipe recipe, Bits bits) {
        this.mitigations = recipe.mitigations();
        this.toFormat = recipe.roundingTo(recipe.format());
        this.toCompute = recipe.roundingTo(recipe.computeFormat());
        this.toGradient = recipe.roundingTo(recipe.gradientFormat());
        this.bits = bits;
    }

    /** q_j for j ≠ y: rd_F(ε/C) under smooth=ε, else 0. */
    double off(int n) {
        double eps = mitigations.smooth();
        return eps > 0 ? toFormat.divide(eps, n, bits.of(Op.SMOOTH_SHARE, 1)) : 0.0;
    }

    /** q_y: rd_F(rd_K(rd_F(1 − ε) + q_off)) under smooth=ε, else 1. */
    double on(double off, int y) {
        double eps = mitigations.smooth();
        if (eps == 0) {
            return 1.0;
        }
        double share = toFormat.subtract(1.0, eps, bits.of(Op.SMOOTH_SHARE, 0));
        return toFormat.round(toCompute.add(share, off, bits.of(Op.SMOOTH_TARGET, y)), bits.of(Op.SMOOTH_TARGET_STORE, y));
    }

    /** w from T (Σ q_j in A, or 1 without smoothing): T, or rd_K(T + rd_K(rd_K(2λ)·lse)) with zloss=λ. */
    double weight(double t, double lse) {
        double lambda = mitigations.zloss();
        if (lambda == 0) {
            return t;
        }
        double twoLambda = toCompute.round(2 * lambda, bits.of(Op.ZLOSS, 0));
        return toCompute.add(t, toCompute.multiply(twoLambda, lse, bits.of(Op.ZLOSS, 1)), bits.of(Op.ZLOSS, 2));
    }

    /** g_y from p_y (a value of K): rd_G(rd_K(s·rd_K(rd_K(p_y·w) − q_y))). */
    double target(double py, double w, double qy, int y) {
        double u = w == 1 ? py : toCompute.multiply(py, w, bits.of(Op.GRAD_WEIGHT, y));
        return store(toCompute.subtract(u, qy, bits.of(Op.GRAD_MINUS_ONE, y)), y);
    }

    /** rd_G(rd_K(s·v)) for entry j: the loss scale (skipped at s = 1), then the store to G. */
    double store(double v, int j) {
        double s = mitigations.scale();
        double scaled = s == 1 ? v : toCompute.multiply(v, s, bits.of(Op.GRAD_SCALE, j));
        return toGradient.round(scaled, bits.of(Op.GRAD_STORE, j));
    }
}
