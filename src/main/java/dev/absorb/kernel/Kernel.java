package dev.absorb.kernel;

/**
 * One evaluation of log-sum-exp, loss and gradient under a recipe (DESIGN.md §4), on logits as
 * doubles, floats or storage codes. {@link Kernels#of} gives the fastest kernel for a recipe and
 * {@link Kernels#plan} says which one and why; every kernel gives the same bits.
 *
 * <p>Kernels keep scratch arrays: not thread-safe, one instance per thread.
 */
public interface Kernel {

    Recipe recipe();

    /**
     * Evaluates logits {@code z[0..C)} (values of the recipe's format) with target {@code y}:
     * returns lse and loss and writes the gradient to {@code grad[0..C)}, each entry a value of
     * the format.
     */
    Evaluation evaluate(double[] z, int y, double[] grad);

    /**
     * As {@link #evaluate(double[], int, double[])} on {@code z[0..n)}; with {@code grad == null}
     * only lse and loss (the forward pass: a kernel without one of its own computes the gradient
     * into scratch).
     *
     * @throws IllegalArgumentException unless 1 ≤ n ≤ z.length, 0 ≤ y &lt; n and grad.length ≥ n
     */
    Evaluation evaluate(double[] z, int n, int y, double[] grad);

    /**
     * As {@link #evaluate(double[], int, int, double[])} on float values of the format, the
     * gradient as floats: for every format whose values floats hold (not fp64, nor eXmYfn with an
     * 8-bit exponent). The float-lane SIMD kernel computes on floats; the others convert (and
     * allocate) here.
     *
     * @throws IllegalArgumentException for a format floats do not hold, or bad n, y or lengths
     */
    default Evaluation evaluate(float[] z, int n, int y, float[] grad) {
        if (!recipe().format().fitsFloat()) {
            throw new IllegalArgumentException(recipe().format() + " values do not fit float[]: use double[] values");
        }
        RowArguments.check(n, y, z.length, grad == null ? -1 : grad.length);
        double[] wide = new double[n];
        for (int j = 0; j < n; j++) {
            wide[j] = z[j];
        }
        double[] wideGradient = grad == null ? null : new double[n];
        Evaluation e = evaluate(wide, n, y, wideGradient);
        if (grad != null) {
            for (int j = 0; j < n; j++) {
                grad[j] = (float) wideGradient[j];
            }
        }
        return e;
    }

    /**
     * As {@link #evaluate(float[], int, int, float[])} on the storage codes of a 9- to 16-bit
     * format (bf16, fp16): z[0..n) decoded with one vector loop, the float evaluation, and the
     * gradient encoded into {@code grad[0..n)} ({@code grad == null}: forward only). Codes as
     * {@link dev.absorb.format.Format#encode}; see {@link VectorCodec}.
     *
     * @throws IllegalArgumentException for a format not stored in 16 bits, or bad n, y or lengths
     */
    default Evaluation evaluate(short[] z, int n, int y, short[] grad) {
        return new StorageCodes(this).evaluate(z, n, y, grad);
    }

    /** As {@link #evaluate(short[], int, int, short[])} for formats of at most 8 bits (fp8, MX). */
    default Evaluation evaluate(byte[] z, int n, int y, byte[] grad) {
        return new StorageCodes(this).evaluate(z, n, y, grad);
    }
}
