package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * {@code algo=online} on float lanes (Milakov–Gimelshein): per partial l = j mod W a running max
 * m_l and a sum s_l ← rd_A(rd_A(s_l·ε(m_l − m')) + ε(z_j − m')), ε(x) = rd_K(exp(rd_K(x))), then
 * the fold of the (m, s) pairs in halves, exactly as {@link ScalarKernel}'s onlineSum, bit for bit.
 *
 * <h2>Why in three passes</h2>
 * Only s_l is a loop-carried chain that needs rounding: the running max m' of element j is a
 * prefix max per partial, which needs no rounding. So (1) one loop writes each element's running
 * max M_j and its partial's previous max M_{j−W} (−inf for a partial's first element); (2) plain
 * element-wise loops, without a carried value, compute both ε's of every element; (3) one small
 * loop carries s through rd_A(rd_A(s·ε_old) + ε_new). Each loop stays a few dozen vector
 * operations, the shape C2 compiles without boxing (docs/decisions.md, "SIMD kernel and the
 * JIT"); a single loop with both exps and four roundings did not fit.
 *
 * <h2>Special values</h2>
 * As the reference: a partial whose running max is −inf holds an empty sum (s = 0: the blend on
 * M_j = −inf), a partial whose previous max is −inf is not rescaled (the blend on M_{j−W} = −inf,
 * which also covers the partial's first element), NaN and +inf propagate through max and ε, and
 * every logit −inf gives S = NaN. Lanes past C (the zero-padded tail) get ε_old = 1 and ε_new = 0,
 * which leaves their partial unchanged: s·1 and s + 0 are exact.
 *
 * <p>Deterministic modes only: sr would need each rounding of the carried chain staged.
 * Not thread-safe (scratch arrays).
 */
final class SimdOnlineSum {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final int lanes;
    private final Rounding toCompute;
    private final Rounding toAcc;
    private final VectorRounding vectorToCompute;
    private final VectorRounding vectorToAcc;
    private final boolean polynomialExp;
    /** A is fp32 or narrow (p ≤ 11 in K and A) under rne: a float sum rounded once more is exact-once. */
    private final boolean narrowSums;
    /** A product of two values of K and A is exact in float, so rounding the float product is rounding once. */
    private final boolean exactProducts;
    private final double[] partialMax;
    private final double[] partialSum;
    private final boolean[] partialUsed;
    private final float[] lane = new float[WIDTH];
    private float[] logits = new float[0];
    private float[] runningMax = new float[0];
    private float[] previousMax = new float[0];
    private float[] rescale = new float[0];
    private float[] term = new float[0];

    SimdOnlineSum(Recipe recipe) {
        this.lanes = recipe.lanes();
        this.toCompute = recipe.roundingTo(recipe.computeFormat());
        this.toAcc = recipe.roundingTo(recipe.accumulatorFormat());
        this.vectorToCompute = new VectorRounding(toCompute);
        this.vectorToAcc = new VectorRounding(toAcc);
        this.polynomialExp = recipe.exp() == Recipe.Exp.POLY;
        this.narrowSums = recipe.computeFormat().fp32RoundingIsInnocuous() && recipe.accumulatorFormat().fp32RoundingIsInnocuous();
        this.exactProducts = exactProducts(recipe);
        this.partialMax = new double[lanes];
        this.partialSum = new double[lanes];
        this.partialUsed = new boolean[lanes];
    }

    /**
     * Whether rd_A(s·ε) is the float product rounded once: A is fp32 (the product rounded by
     * float itself), or K = A = FORMAT with p ≤ 11, whose products have at most 22 bits and are
     * exact in float unless they fall below float's subnormal grid. That cannot happen when the
     * format's smallest subnormal squared is at least 2^−149 (exponent fields of up to 6 bits);
     * bf16-like formats (8-bit exponent, p ≤ 8) under rne are safe too: a product inexact in float
     * is below 2^−134, half the format's smallest subnormal 2^−133, and rounds to 0 either way
     * (a float result of exactly 2^−134 is a tie, to even: 0).
     */
    static boolean exactProducts(Recipe recipe) {
        Format k = recipe.computeFormat();
        Format a = recipe.accumulatorFormat();
        if (a.mantissaBits() == FLOAT_FRACTION_BITS) {
            return true;
        }
        return k.equals(a) && exactProducts(k, recipe.round());
    }

    /** Whether the float product of two values of {@code f}, rounded to f by {@code mode}, is rd(a·b): see above. */
    static boolean exactProducts(Format f, RoundingMode mode) {
        if (f.mantissaBits() == FLOAT_FRACTION_BITS) {
            return true;
        }
        if (!f.fp32RoundingIsInnocuous()) {
            return false;
        }
        double smallest = f.minSubnormal();
        return smallest * smallest >= 0x1p-149
                || f.exponentBits() == 8 && f.mantissaBits() <= 7 && f.minExponent() == -126 && mode == RoundingMode.RNE;
    }

    /** S of z[0..n); the max m is then {@link #max()}. */
    double sum(float[] z, int n) {
        int padded = (n + WIDTH - 1) / WIDTH * WIDTH;
        ensureScratch(padded);
        System.arraycopy(z, 0, logits, 0, n);
        Arrays.fill(logits, n, padded, 0f);
        if (lanes >= WIDTH) {
            runningMax(logits, padded, lanes, runningMax, previousMax);
        } else {
            for (int j = 0; j < padded; j++) {
                previousMax[j] = j < lanes ? Float.NEGATIVE_INFINITY : runningMax[j - lanes];
                runningMax[j] = Math.max(previousMax[j], logits[j]);
            }
        }
        // Both ε's of every element, no carried value.
        subtract(previousMax, runningMax, padded, rescale);
        exp(rescale, padded);
        subtract(logits, runningMax, padded, term);
        exp(term, padded);
        for (int j = n; j < padded; j++) {
            rescale[j] = 1f;
            term[j] = 0f;
            previousMax[j] = 0f;
            runningMax[j] = 0f;
        }
        Arrays.fill(partialSum, 0.0);
        if (lanes >= WIDTH) {
            int accumulators = lanes / WIDTH;
            for (int a = 0; a < accumulators; a++) {
                accumulate(a * WIDTH, padded, accumulators * WIDTH);
                for (int l = 0; l < WIDTH; l++) {
                    partialSum[a * WIDTH + l] = lane[l];
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                int l = j & (lanes - 1);
                double rescaled = previousMax[j] == Float.NEGATIVE_INFINITY ? 0.0 : toAcc.multiply(partialSum[l], rescale[j], 0);
                double s = toAcc.add(rescaled, term[j], 0);
                partialSum[l] = runningMax[j] == Float.NEGATIVE_INFINITY ? 0.0 : s;
            }
        }
        for (int l = 0; l < lanes; l++) {
            partialUsed[l] = l < n;
            partialMax[l] = l < n ? runningMax[l + (n - 1 - l) / lanes * lanes] : Double.NEGATIVE_INFINITY;
        }
        return fold();
    }

    /** m: the largest logit (NaN if any is NaN), valid after {@link #sum}. */
    double max() {
        return partialMax[0];
    }

    /** M_j = max(M_{j−W}, z_j) and P_j = M_{j−W}, with M_{j−W} = −inf for j < W; W ≥ the width. */
    private static void runningMax(float[] z, int n, int lanes, float[] running, float[] previous) {
        FloatVector none = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int first = Math.min(lanes, n);
        for (int j = 0; j < first; j += WIDTH) {
            none.intoArray(previous, j);
            FloatVector.fromArray(SPECIES, z, j).intoArray(running, j); // max(−inf, z) is z, NaN and −0 included
        }
        for (int j = first; j < n; j += WIDTH) {
            FloatVector before = FloatVector.fromArray(SPECIES, running, j - lanes);
            before.intoArray(previous, j);
            before.max(FloatVector.fromArray(SPECIES, z, j)).intoArray(running, j); // Math.max: NaN wins
        }
    }

    /** out_j = rd_K(a_j − b_j); a and b are values of FORMAT. */
    private void subtract(float[] a, float[] b, int n, float[] out) {
        for (int j = 0; j < n; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, j);
            vectorToCompute.subtractNarrow(x, FloatVector.fromArray(SPECIES, b, j)).intoArray(out, j);
        }
    }

    /** x_j ← rd_K(exp(x_j)). */
    private void exp(float[] x, int n) {
        for (int j = 0; j < n; j += WIDTH) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(SPECIES, x, j), polynomialExp ? Recipe.Exp.POLY : Recipe.Exp.JDK);
            vectorToCompute.round(e).intoArray(x, j);
        }
    }

    /**
     * The carried chain of the accumulator vector whose first chunk starts at {@code from}, every
     * {@code step} elements: s ← rd_A(rd_A(s·ε_old) + ε_new), rescaling only where the previous
     * max is not −inf, and s = 0 where the running max is −inf. Leaves s in {@code lane}.
     */
    private void accumulate(int from, int to, int step) {
        FloatVector s = FloatVector.zero(SPECIES);
        for (int j = from; j < to; j += step) {
            FloatVector e = FloatVector.fromArray(SPECIES, rescale, j);
            FloatVector rescaled = exactProducts ? vectorToAcc.round(s.mul(e)) : vectorToAcc.multiply(s, e);
            rescaled = rescaled.blend(0f, FloatVector.fromArray(SPECIES, previousMax, j).compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            FloatVector t = FloatVector.fromArray(SPECIES, term, j);
            FloatVector next = narrowSums ? vectorToAcc.addNarrow(rescaled, t) : vectorToAcc.add(rescaled, t);
            s = next.blend(0f, FloatVector.fromArray(SPECIES, runningMax, j).compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
        }
        VectorWidth.storeCarried(s, lane, 0);
    }

    /** The fold of the (m, s) pairs in halves, both rescaled to the larger max, as the reference. */
    private double fold() {
        int level = 0;
        for (int width = lanes; width > 1; width >>= 1, level++) {
            int half = width >> 1;
            for (int i = 0; i < half; i++) {
                int b = i + half;
                if (!partialUsed[b] || partialMax[b] == Double.NEGATIVE_INFINITY) {
                    continue; // an empty sum
                }
                if (!partialUsed[i] || partialMax[i] == Double.NEGATIVE_INFINITY) {
                    partialMax[i] = partialMax[b];
                    partialSum[i] = partialSum[b];
                    partialUsed[i] = true;
                    continue;
                }
                double newMax = Math.max(partialMax[i], partialMax[b]);
                double sa = toAcc.multiply(partialSum[i], epsilon(partialMax[i], newMax), 0);
                double sb = toAcc.multiply(partialSum[b], epsilon(partialMax[b], newMax), 0);
                partialSum[i] = toAcc.add(sa, sb, 0);
                partialMax[i] = newMax;
            }
        }
        return partialMax[0] == Double.NEGATIVE_INFINITY ? Double.NaN : partialSum[0];
    }

    /** ε(a − b) = rd_K(exp(rd_K(a − b))), exp in fp32 as the reference evaluates it. */
    private double epsilon(double a, double b) {
        float x = (float) toCompute.subtract(a, b, 0);
        float e = polynomialExp ? ExpPoly.exp(x) : (float) Math.exp(x);
        return toCompute.round(e, 0);
    }

    private void ensureScratch(int padded) {
        if (logits.length < padded) {
            logits = new float[padded];
            runningMax = new float[padded];
            previousMax = new float[padded];
            rescale = new float[padded];
            term = new float[padded];
        }
    }
}
