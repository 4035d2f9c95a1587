package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The Vector API kernel: the same evaluation as {@link ScalarKernel}, lane-wise on float lanes,
 * with the same result bit for bit (for {@code exp=poly}; {@code exp=jdk} uses the Vector API's
 * EXP, which is platform-dependent by definition).
 *
 * <h2>Summation order</h2>
 * With W = {@code lanes} partial sums and vectors of V = min(W, preferred) lanes, W/V
 * accumulator vectors take turns over consecutive chunks of V elements, so element j lands in
 * partial j mod W, as DESIGN.md §4 fixes. The fold of the last W partials (W − 1 additions) runs
 * on the scalar rounding, in the reference's order. With W &lt; 4 the partials are updated by
 * the scalar rounding too: such a sum is one long dependency chain anyway.
 *
 * <h2>Scope</h2>
 * {@link #supports} says which recipes run here; the others (online, stablemax, cap, acc=fp64,
 * kahan, center, stochastic rounding, fp64 and formats with 22 mantissa bits) run on the scalar
 * kernel ({@link Kernels}).
 *
 * <p>Not thread-safe: it keeps scratch arrays. Use one instance per thread.
 */
public final class SimdKernel implements Kernel {

    private final Recipe recipe;
    private static final VectorSpecies<Float> species = VectorRounding.FLOATS;
    private static final int width = species.length();
    private final int lanes;
    private final VectorRounding vectorToFormat;
    private final VectorRounding vectorToCompute;
    private final VectorRounding vectorToAcc;
    private final Rounding toFormat;
    private final Rounding toCompute;
    private final Rounding toAcc;
    private final boolean polynomialExp;
    /**
     * Whether K and A both have p ≤ 11, so that sums (A + K) and quotients (K / A) of their
     * values are exact-once as a float operation rounded once more (under rne). Subtractions in K
     * always have K or FORMAT operands, so VectorRounding decides those alone.
     */
    private final boolean narrowSums;
    private final double[] partials;
    private final float[] lane;
    private final float[] tailIn;
    private final float[] tailShifted;
    private final float[] tailExps;
    private float[] logits = new float[0];
    private float[] shifted = new float[0];
    private float[] exps = new float[0];
    private float[] gradient = new float[0];

    public SimdKernel(Recipe recipe) {
        if (!supports(recipe)) {
            throw new IllegalArgumentException("the SIMD kernel does not run " + recipe);
        }
        this.recipe = recipe;
        this.lanes = recipe.lanes();
        this.toFormat = recipe.roundingTo(recipe.format());
        this.toCompute = recipe.roundingTo(recipe.computeFormat());
        this.toAcc = recipe.roundingTo(recipe.accumulatorFormat());
        this.vectorToFormat = new VectorRounding(toFormat);
        this.vectorToCompute = new VectorRounding(toCompute);
        this.vectorToAcc = new VectorRounding(toAcc);
        this.polynomialExp = recipe.exp() == Recipe.Exp.POLY;
        this.narrowSums = recipe.computeFormat().fp32RoundingIsInnocuous()
                && recipe.accumulatorFormat().fp32RoundingIsInnocuous();
        this.partials = new double[lanes];
        this.lane = new float[width];
        this.tailIn = new float[width];
        this.tailShifted = new float[width];
        this.tailExps = new float[width];
    }

    /** Whether this kernel runs the recipe (else {@link ScalarKernel} does). */
    public static boolean supports(Recipe recipe) {
        return (recipe.algo() == Recipe.Algo.TWOPASS || recipe.algo() == Recipe.Algo.NAIVE)
                && recipe.norm() == Recipe.Norm.SOFTMAX
                && recipe.cap() == 0
                && recipe.grad() != Recipe.Gradient.CENTER
                && (recipe.acc() == Recipe.Accumulator.FORMAT || recipe.acc() == Recipe.Accumulator.FP32)
                && !recipe.format().isFp64()
                && VectorRounding.supports(recipe.roundingTo(recipe.format()))
                && VectorRounding.supports(recipe.roundingTo(recipe.computeFormat()))
                && VectorRounding.supports(recipe.roundingTo(recipe.accumulatorFormat()));
    }

    @Override
    public Recipe recipe() {
        return recipe;
    }

    @Override
    public Evaluation evaluate(double[] z, int y, double[] grad) {
        int n = z.length;
        ensureScratch(n);
        for (int j = 0; j < n; j++) {
            logits[j] = (float) z[j];
        }
        Evaluation e = evaluate(logits, n, y, gradient);
        for (int j = 0; j < n; j++) {
            grad[j] = gradient[j];
        }
        return e;
    }

    /**
     * Evaluates logits {@code z[0..n)} (values of the recipe's format) with target {@code y}:
     * returns lse and loss and writes the gradient, values of the format, to {@code grad[0..n)};
     * with {@code grad == null} only lse and loss are computed (the forward pass).
     */
    public Evaluation evaluate(float[] z, int n, int y, float[] grad) {
        if (n < 1 || y < 0 || y >= n || z.length < n || grad != null && grad.length < n) {
            throw new IllegalArgumentException("need 1 <= n <= z.length, 0 <= y < n and grad.length >= n; got n=" + n
                    + ", y=" + y + ", z.length=" + z.length + ", grad.length=" + (grad == null ? "-" : grad.length));
        }
        ensureScratch(n);
        float m = max(z, n);
        if (recipe.algo() == Recipe.Algo.NAIVE && Float.isFinite(m)) {
            m = 0f; // naive shifts only a non-finite max, as the scalar kernel does
        }
        shiftAndExp(z, n, m);
        double sum = sum(n, -1);
        double r;
        if (recipe.lse() == Recipe.Lse.LOG1P) {
            int top = firstIndexOf(z, n, m);
            double s = sum(n, top);
            if (top >= 0 && Float.isNaN(shifted[top])) {
                s = Double.NaN; // as the scalar kernel: a +inf maximum must not hide its NaN
            }
            r = toCompute.round(log1p(s), 0);
        } else {
            r = toCompute.round(log(sum), 0);
        }
        double lse = toCompute.add(m, r, 0);
        double loss = toCompute.subtract(lse, z[y], 0);
        if (grad != null) {
            gradient(z, n, y, (float) r, (float) lse, (float) sum, grad);
        }
        return new Evaluation(lse, loss);
    }

    /** shifted_j = rd_K(z_j − m), exps_j = rd_K(exp(shifted_j)). */
    private void shiftAndExp(float[] z, int n, float m) {
        FloatVector max = FloatVector.broadcast(species, m);
        int j = 0;
        for (; j <= n - width; j += width) {
            FloatVector d = vectorToCompute.subtractNarrow(FloatVector.fromArray(species, z, j), max);
            d.intoArray(shifted, j);
            vectorToCompute.round(exp(d)).intoArray(exps, j);
        }
        if (j < n) {
            // The tail through a full-width scratch copy: no masked loads or stores.
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, j, tailIn, 0, n - j);
            FloatVector d = vectorToCompute.subtractNarrow(FloatVector.fromArray(species, tailIn, 0), max);
            d.intoArray(lane, 0);
            System.arraycopy(lane, 0, shifted, j, n - j);
            vectorToCompute.round(exp(d)).intoArray(lane, 0);
            System.arraycopy(lane, 0, exps, j, n - j);
        }
    }

    /**
     * Σ exps_j over j ≠ skip in the recipe's order: partial l = j mod W in index order, then the
     * partials fold in halves (DESIGN.md §4 step 3).
     */
    private double sum(int n, int skip) {
        Arrays.fill(partials, 0.0);
        if (lanes < width) {
            for (int j = 0; j < n; j++) {
                if (j != skip) {
                    int l = j & (lanes - 1);
                    partials[l] = toAcc.add(partials[l], exps[j], 0);
                }
            }
        } else {
            sumInVectors(n, skip);
        }
        for (int width = lanes; width > 1; width >>= 1) {
            int half = width >> 1;
            for (int i = 0; i < half; i++) {
                partials[i] = toAcc.add(partials[i], partials[i + half], 0);
            }
        }
        return partials[0];
    }

    private void sumInVectors(int n, int skip) {
        int accumulators = lanes / width;
        // Accumulator a takes chunks a, a + A, a + 2A, …: the chains are independent, so running
        // them one after the other gives the interleaved order's result (and no vector escapes
        // into an array, which would box it).
        for (int a = 0; a < accumulators; a++) {
            FloatVector acc = FloatVector.zero(species);
            for (int j = a * width; j < n; j += accumulators * width) {
                if (j + width <= n && (skip < j || skip >= j + width)) {
                    // Unmasked: masked loads are not intrinsified on AVX2 by JDK 17 (they box).
                    acc = accumulate(acc, FloatVector.fromArray(species, exps, j));
                } else {
                    acc = addPartly(acc, j, n, skip);
                }
            }
            acc.intoArray(lane, 0);
            for (int l = 0; l < width; l++) {
                partials[a * width + l] = lane[l];
            }
        }
    }

    /**
     * acc + exps[j..) on the lanes in [j, n) other than skip. The other lanes add +0, which
     * leaves a partial unchanged in every deterministic mode (partials are never −0).
     */
    private FloatVector addPartly(FloatVector acc, int j, int n, int skip) {
        Arrays.fill(tailExps, 0f);
        System.arraycopy(exps, j, tailExps, 0, Math.min(n, j + width) - j);
        if (skip >= j && skip < j + width) {
            tailExps[skip - j] = 0f;
        }
        return accumulate(acc, FloatVector.fromArray(species, tailExps, 0));
    }

    private void gradient(float[] z, int n, int y, float r, float lse, float sum, float[] grad) {
        Recipe.Gradient form = recipe.grad();
        FloatVector rVector = FloatVector.broadcast(species, r);
        FloatVector lseVector = FloatVector.broadcast(species, lse);
        FloatVector sumVector = FloatVector.broadcast(species, sum);
        int j = 0;
        for (; j <= n - width; j += width) {
            FloatVector p = probability(form, z, j, rVector, lseVector, sumVector);
            vectorToFormat.round(p).intoArray(grad, j);
        }
        if (j < n) {
            // The tail through a full-width scratch copy: no masked loads or stores.
            Arrays.fill(tailIn, 0f);
            Arrays.fill(tailShifted, 0f);
            Arrays.fill(tailExps, 0f);
            System.arraycopy(z, j, tailIn, 0, n - j);
            System.arraycopy(shifted, j, tailShifted, 0, n - j);
            System.arraycopy(exps, j, tailExps, 0, n - j);
            FloatVector p = probability(form, tailIn, tailShifted, tailExps, 0, rVector, lseVector, sumVector);
            vectorToFormat.round(p).intoArray(lane, 0);
            System.arraycopy(lane, 0, grad, j, n - j);
        }
        // p_y once more, on its own chunk: the value in K before rounding to the format.
        int chunk = Math.min(y - y % width, Math.max(0, n - width));
        float py;
        if (chunk + width <= n) {
            probability(form, z, chunk, rVector, lseVector, sumVector).intoArray(lane, 0);
            py = lane[y - chunk];
        } else {
            Arrays.fill(tailIn, 0f);
            Arrays.fill(tailShifted, 0f);
            Arrays.fill(tailExps, 0f);
            System.arraycopy(z, 0, tailIn, 0, n);
            System.arraycopy(shifted, 0, tailShifted, 0, n);
            System.arraycopy(exps, 0, tailExps, 0, n);
            probability(form, tailIn, tailShifted, tailExps, 0, rVector, lseVector, sumVector).intoArray(lane, 0);
            py = lane[y];
        }
        double gy;
        switch (form) {
            case COMPLEMENT:
                gy = -toCompute.divide(sum(n, y), sum, 0);
                break;
            case ZEROSUM: {
                ExactSum exact = new ExactSum();
                for (int i = 0; i < n; i++) {
                    if (i != y) {
                        exact.add(grad[i]);
                    }
                }
                gy = toFormat.round(-exact.toOdd(), 0);
                break;
            }
            default:
                gy = toCompute.subtract(py, 1.0, 0);
                break;
        }
        grad[y] = (float) toFormat.round(gy, 0);
    }

    /** p_j for the chunk at j: rd_K(exp(rd_K(d_j − r))), rd_K(exp(rd_K(z_j − lse))) or rd_K(e_j / S). */
    private FloatVector probability(Recipe.Gradient form, float[] z, int j, FloatVector r, FloatVector lse, FloatVector sum) {
        return probability(form, z, shifted, exps, j, r, lse, sum);
    }

    private FloatVector probability(Recipe.Gradient form, float[] z, float[] d, float[] e, int j,
                                    FloatVector r, FloatVector lse, FloatVector sum) {
        switch (form) {
            case STANDARD:
                return vectorToCompute.round(exp(vectorToCompute.subtractNarrow(FloatVector.fromArray(species, d, j), r)));
            case LSE:
                return vectorToCompute.round(exp(vectorToCompute.subtractNarrow(FloatVector.fromArray(species, z, j), lse)));
            default:
                return narrowSums
                        ? vectorToCompute.divideNarrow(FloatVector.fromArray(species, e, j), sum)
                        : vectorToCompute.divide(FloatVector.fromArray(species, e, j), sum);
        }
    }

    /** rd_A(partial + e): the float sum rounded once more when both are values of narrow formats. */
    private FloatVector accumulate(FloatVector partial, FloatVector e) {
        return narrowSums ? vectorToAcc.addNarrow(partial, e) : vectorToAcc.add(partial, e);
    }

    private FloatVector exp(FloatVector x) {
        return polynomialExp ? VectorExp.exp(x) : x.lanewise(VectorOperators.EXP);
    }

    private float max(float[] z, int n) {
        FloatVector max = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j <= n - width; j += width) {
            max = max.max(FloatVector.fromArray(species, z, j));
        }
        // max is exact and Math.max-like (NaN wins, +0 over −0) in any order.
        float m = max.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            m = Math.max(m, z[j]);
        }
        return m;
    }

    private static int firstIndexOf(float[] z, int n, float m) {
        for (int j = 0; j < n; j++) {
            if (z[j] == m) {
                return j;
            }
        }
        return -1;
    }

    private static double log(double x) {
        return (float) StrictMath.log(x);
    }

    private static double log1p(double x) {
        return (float) StrictMath.log1p(x);
    }

    private void ensureScratch(int n) {
        if (shifted.length < n) {
            logits = new float[n];
            shifted = new float[n];
            exps = new float[n];
            gradient = new float[n];
        }
    }
}
