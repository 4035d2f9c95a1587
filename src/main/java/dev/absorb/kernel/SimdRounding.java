package dev.absorb.kernel;

/**
 * How the steps of {@link SimdKernel} round their results to one target on float lanes: one
 * subclass per {@link SimdPlan.Path}, picked once per kernel and step kind, so no loop branches on
 * the rounding mode. Each method is a loop (or a few) over arrays of its own, compiled as its own
 * unit: it takes arrays and scalars, never a vector, so no vector crosses a call (docs/decisions.md,
 * "SIMD kernel and the JIT"). Ranges are whole vectors: (to − from) a multiple of the width.
 *
 * <p>{@code first} is the element index of position {@code from}: sr draws its random bits per
 * operation and element, as the scalar reference does; the other paths ignore it.
 */
abstract class SimdRounding {

    /** out[outOffset + j − from] = rd(a_j − b) over a[from, to); nanFree: a and b are known to hold no NaN. */
    abstract void subtract(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first, boolean nanFree);

    /** x[from, to) rounded in place. */
    abstract void round(float[] x, int from, int to, Op op, int first);

    /** out[outOffset + j − from] = rd(a_j · b) over a[from, to) (in place where out is a at from). */
    abstract void multiply(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first);

    /** out[outOffset + j − from] = rd(e_j / s) over e[from, to). */
    abstract void divide(float[] e, int from, int to, float s, float[] out, int outOffset, Op op, int first);

    /**
     * Adds exps[0, n), but exps[skip] (skip &lt; 0: none), into the W = {@code lanes} partials in
     * the recipe's order: element j into partial j mod W, in index order. W is at least the width.
     */
    abstract void sum(float[] exps, int n, int skip, double[] partials, int lanes);

    /** As {@link #sum} with Kahan's compensation per partial (the partial's value is partials − compensation). */
    abstract void kahanSum(float[] exps, int n, int skip, double[] partials, double[] compensation, int lanes);
}
