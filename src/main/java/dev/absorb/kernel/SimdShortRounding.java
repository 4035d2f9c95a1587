package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link SimdPlan.Path#SHORT}: the rounding inline in each step's loop, by {@link VectorRounding}'s
 * short paths (the identity, rne by bit tricks, narrow sums and quotients).
 */
final class SimdShortRounding extends SimdRounding {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final VectorRounding rounding;
    /** The scalar rounding to the same target: Kahan's steps on lanes a vector step does not take. */
    private final Rounding scalar;
    /** K and A have p ≤ 11 ({@link SimdPlan#narrowSums}): sums and quotients are a float operation rounded once more. */
    private final boolean narrow;
    private final float[] lane = new float[WIDTH];
    private final float[] laneCompensation = new float[WIDTH];
    private final float[] chunk = new float[WIDTH];

    SimdShortRounding(VectorRounding rounding, Rounding scalar, boolean narrow) {
        this.rounding = rounding;
        this.scalar = scalar;
        this.narrow = narrow;
    }

    @Override
    void subtract(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first, boolean nanFree) {
        if (nanFree && rounding.roundsNonNaNByBits()) {
            subtractNonNaN(a, from, to, b, out, outOffset);
            return;
        }
        FloatVector bVector = FloatVector.broadcast(SPECIES, b);
        for (int j = from; j < to; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, j);
            rounding.subtractNarrow(x, bVector).intoArray(out, outOffset + j - from);
        }
    }

    /**
     * {@link #subtract}'s loop for bf16-like K under rne where a and b hold no NaN. Every a the
     * kernel subtracts from is z (capped under cap, or its zero-padded tail copy) or
     * shifted = rd_K(z − m) (m = max z; under naive 0, or a non-finite max), so a holds no NaN
     * but the default NaN of ∞ − ∞, and a_j − b is not NaN or is such a NaN:
     * {@link VectorRounding#roundNonNaN} rounds it without NaN tests (bf16 subtract-and-round
     * loop 0.16 → 0.065 ns per element, harness, JDK 25).
     */
    private void subtractNonNaN(float[] a, int from, int to, float b, float[] out, int outOffset) {
        FloatVector bVector = FloatVector.broadcast(SPECIES, b);
        for (int j = from; j < to; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, j);
            rounding.roundNonNaN(x.sub(bVector)).intoArray(out, outOffset + j - from);
        }
    }

    @Override
    void round(float[] x, int from, int to, Op op, int first) {
        if (!rounding.isIdentity()) {
            round(rounding, x, from, to);
        }
    }

    /** The chunks of x[from, to) rounded in place. */
    static void round(VectorRounding rounding, float[] x, int from, int to) {
        for (int j = from; j < to; j += WIDTH) {
            rounding.round(FloatVector.fromArray(SPECIES, x, j)).intoArray(x, j);
        }
    }

    /** out[i] = rd(x[i]) over the whole of x (whole vectors): the loop alone, for its benchmark. */
    static void round(VectorRounding rounding, float[] x, float[] out) {
        for (int i = 0; i < x.length; i += WIDTH) {
            rounding.round(FloatVector.fromArray(SPECIES, x, i)).intoArray(out, i);
        }
    }

    /**
     * Where every float product a_j·b is exact (the usual case: K and b narrow), it is rounded
     * once more; otherwise the whole range takes VectorRounding's exact product, a loop of its own
     * (it boxes on JDK 17: bf16/smooth=0.1 allocated 1 MB per call at C = 4096 with it alone).
     */
    @Override
    void multiply(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first) {
        if (!productsExact(a, from, to, b)) {
            multiplyExactly(a, from, to, b, out, outOffset);
            return;
        }
        FloatVector bVector = FloatVector.broadcast(SPECIES, b);
        for (int j = from; j < to; j += WIDTH) {
            rounding.round(FloatVector.fromArray(SPECIES, a, j).mul(bVector)).intoArray(out, outOffset + j - from);
        }
    }

    /**
     * Whether every a_j·b over the chunks of a[from, to) is exact as a float: its fma residual is 0
     * and it is normal, or 0 with a zero factor (a subnormal or underflowed product may hide its
     * residual; NaN and inf fail the test).
     */
    private static boolean productsExact(float[] a, int from, int to, float b) {
        FloatVector bVector = FloatVector.broadcast(SPECIES, b);
        boolean bZero = b == 0f;
        VectorMask<Float> inexact = SPECIES.maskAll(false);
        for (int j = from; j < to; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, j);
            FloatVector p = x.mul(bVector);
            FloatVector residual = x.lanewise(VectorOperators.FMA, bVector, p.neg());
            VectorMask<Float> zero = p.compare(VectorOperators.EQ, 0f);
            VectorMask<Float> tiny = p.abs().compare(VectorOperators.LT, Float.MIN_NORMAL).andNot(zero);
            VectorMask<Float> underflowed = bZero ? SPECIES.maskAll(false) : zero.andNot(x.compare(VectorOperators.EQ, 0f));
            inexact = inexact.or(residual.compare(VectorOperators.NE, 0f)).or(tiny).or(underflowed);
        }
        return !inexact.anyTrue();
    }

    private void multiplyExactly(float[] a, int from, int to, float b, float[] out, int outOffset) {
        FloatVector bVector = FloatVector.broadcast(SPECIES, b);
        for (int j = from; j < to; j += WIDTH) {
            rounding.multiply(FloatVector.fromArray(SPECIES, a, j), bVector).intoArray(out, outOffset + j - from);
        }
    }

    @Override
    void divide(float[] e, int from, int to, float s, float[] out, int outOffset, Op op, int first) {
        FloatVector sVector = FloatVector.broadcast(SPECIES, s);
        for (int j = from; j < to; j += WIDTH) {
            FloatVector ej = FloatVector.fromArray(SPECIES, e, j);
            FloatVector p = narrow ? rounding.divideNarrow(ej, sVector) : rounding.divide(ej, sVector);
            p.intoArray(out, outOffset + j - from);
        }
    }

    @Override
    void sum(float[] exps, int n, int skip, double[] partials, int lanes) {
        if (skip >= 0) {
            sumWithout(exps, n, skip, partials, lanes);
        } else {
            sumInVectors(exps, n, -1, partials, lanes);
        }
    }

    /**
     * {@link #sumInVectors} with exps[skip] as +0 while the loop runs, which is what
     * {@link #partialChunk} gives that lane: the loop then has no call for the skipped chunk. On
     * JDK 25 the loop runs about 3 times slower when that call is taken every evaluation
     * (grad=complement's Σ_{j≠y}, lse=log1p): measured, bf16/grad=complement at C = 32000 spent
     * ~180 µs more than grad=div on JDK 25 against ~50 µs on JDK 17, and ~50 µs on both without
     * the call.
     */
    private void sumWithout(float[] exps, int n, int skip, double[] partials, int lanes) {
        float kept = exps[skip];
        exps[skip] = 0f;
        sumInVectors(exps, n, -1, partials, lanes);
        exps[skip] = kept;
    }

    private void sumInVectors(float[] exps, int n, int skip, double[] partials, int lanes) {
        int accumulators = lanes / WIDTH;
        // Accumulator a takes chunks a, a + A, a + 2A, …: the chains are independent, so running
        // them one after the other gives the interleaved order's result (and no vector escapes
        // into an array, which would box it).
        for (int a = 0; a < accumulators; a++) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int j = a * WIDTH; j < n; j += accumulators * WIDTH) {
                float[] source = exps;
                int at = j;
                if (j + WIDTH > n || (skip >= j && skip < j + WIDTH)) {
                    // Unmasked loads only: masked ones are not intrinsified on AVX2 by JDK 17.
                    source = partialChunk(exps, j, n, skip);
                    at = 0;
                }
                FloatVector e = FloatVector.fromArray(SPECIES, source, at);
                // e_j and the partials are +0, positive, +inf or NaN.
                acc = narrow ? rounding.addNonNegativeNarrow(acc, e) : rounding.add(acc, e);
            }
            acc.intoArray(lane, 0);
            for (int l = 0; l < WIDTH; l++) {
                partials[a * WIDTH + l] = lane[l];
            }
        }
    }

    /**
     * exps[j..) with the lanes past n and the lane of skip set to +0, which leaves a partial
     * unchanged in every deterministic mode (partials are never −0).
     */
    private float[] partialChunk(float[] exps, int j, int n, int skip) {
        Arrays.fill(chunk, 0f);
        System.arraycopy(exps, j, chunk, 0, Math.min(n, j + WIDTH) - j);
        if (skip >= j && skip < j + WIDTH) {
            chunk[skip - j] = 0f;
        }
        return chunk;
    }

    /** The Kahan sum with vector partials: full chunks lane-wise, others through the scalar step. */
    @Override
    void kahanSum(float[] exps, int n, int skip, double[] partials, double[] compensation, int lanes) {
        int accumulators = lanes / WIDTH;
        for (int a = 0; a < accumulators; a++) {
            FloatVector sum = FloatVector.zero(SPECIES);
            FloatVector comp = FloatVector.zero(SPECIES);
            for (int j = a * WIDTH; j < n; j += accumulators * WIDTH) {
                if (j + WIDTH > n || (skip >= j && skip < j + WIDTH)) {
                    // Lanes past n or at skip take no step: run the taken lanes on the scalar step.
                    sum.intoArray(lane, 0);
                    comp.intoArray(laneCompensation, 0);
                    kahanAddPartly(exps, a, j, n, skip, partials, compensation);
                    sum = FloatVector.fromArray(SPECIES, lane, 0);
                    comp = FloatVector.fromArray(SPECIES, laneCompensation, 0);
                    continue;
                }
                FloatVector x = FloatVector.fromArray(SPECIES, exps, j);
                FloatVector corrected;
                FloatVector t;
                if (narrow) {
                    corrected = rounding.subtractNarrow(x, comp);
                    t = rounding.addNarrow(sum, corrected);
                    comp = rounding.subtractNarrow(rounding.subtractNarrow(t, sum), corrected);
                } else {
                    corrected = rounding.subtract(x, comp);
                    t = rounding.add(sum, corrected);
                    comp = rounding.subtract(rounding.subtract(t, sum), corrected);
                }
                sum = t;
            }
            sum.intoArray(lane, 0);
            comp.intoArray(laneCompensation, 0);
            for (int l = 0; l < WIDTH; l++) {
                partials[a * WIDTH + l] = lane[l];
                compensation[a * WIDTH + l] = laneCompensation[l];
            }
        }
    }

    /**
     * The scalar Kahan step for the taken lanes of the chunk at j, on accumulator a's partials as
     * held in lane and laneCompensation (updated in place).
     */
    private void kahanAddPartly(float[] exps, int a, int j, int n, int skip, double[] partials, double[] compensation) {
        for (int l = 0; l < WIDTH; l++) {
            partials[a * WIDTH + l] = lane[l];
            compensation[a * WIDTH + l] = laneCompensation[l];
            if (j + l < n && j + l != skip) {
                SimdSum.kahanAdd(scalar, partials, compensation, a * WIDTH + l, exps[j + l]);
            }
            lane[l] = (float) partials[a * WIDTH + l];
            laneCompensation[l] = (float) compensation[a * WIDTH + l];
        }
    }
}
