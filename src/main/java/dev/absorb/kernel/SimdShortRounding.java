package dev.absorb.kernel;

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
    /** K and A have p ≤ 11 ({@link SimdPlan#narrowSums}): sums and quotients are a float operation rounded once more. */
    private final boolean narrow;
    private final float[] lane = new float[WIDTH];
    private final float[] laneCompensation = new float[WIDTH];
    private final float[] chunk = new float[WIDTH];
    /** Kahan's step: the lanes it takes in a partial chunk, all of them, and y and t between its two halves. */
    private final float[] taken = new float[WIDTH];
    private final float[] allTaken = filled(1f);
    private final float[] laneCorrected = new float[WIDTH];
    private final float[] laneNext = new float[WIDTH];

    private static float[] filled(float value) {
        float[] lanes = new float[WIDTH];
        Arrays.fill(lanes, value);
        return lanes;
    }

    SimdShortRounding(VectorRounding rounding, boolean narrow) {
        this.rounding = rounding;
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
        if (rounding.isIdentity()) {
            return;
        }
        for (int j = from; j < to; j += WIDTH) {
            rounding.roundChanging(FloatVector.fromArray(SPECIES, x, j)).intoArray(x, j);
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

    /**
     * The plan stages quotients unless they are narrow or fp32 ({@link SimdPlan}): the float
     * quotient rounded once more, or as it is. One loop for each, with no choice inside: where two
     * vectors merge in a loop, JDK 17's C2 lost their class and boxed them (fp16/compute=fp32/grad=div:
     * 16 B per element).
     */
    @Override
    void divide(float[] e, int from, int to, float s, float[] out, int outOffset, Op op, int first) {
        FloatVector sVector = FloatVector.broadcast(SPECIES, s);
        if (rounding.isIdentity()) {
            for (int j = from; j < to; j += WIDTH) {
                FloatVector.fromArray(SPECIES, e, j).div(sVector).intoArray(out, outOffset + j - from);
            }
        } else if (narrow && rounding.isShort()) {
            for (int j = from; j < to; j += WIDTH) {
                rounding.roundChanging(FloatVector.fromArray(SPECIES, e, j).div(sVector)).intoArray(out, outOffset + j - from);
            }
        } else {
            throw new IllegalStateException("quotients on the short path are narrow or fp32");
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
            VectorWidth.storeCarried(acc, lane, 0);
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

    /**
     * The Kahan sum with vector partials. The plan gives sums this path only for a short rounding
     * with K and A narrow, or fp32 ({@link SimdPlan}): each step is the float operation rounded
     * once more ({@link VectorRounding#addNarrow}) by {@link VectorRounding#roundShort}, or, for
     * fp32, not rounded at all.
     */
    @Override
    void kahanSum(float[] exps, int n, int skip, double[] partials, double[] compensation, int lanes) {
        if (!rounding.isShort() || !(narrow || rounding.isIdentity())) {
            throw new IllegalStateException("Kahan's sum on the short path needs a short rounding of narrow or fp32 sums");
        }
        int accumulators = lanes / WIDTH;
        for (int a = 0; a < accumulators; a++) {
            if (rounding.isIdentity()) {
                floatKahanChain(exps, n, skip, a, accumulators);
            } else {
                kahanChain(exps, n, skip, a, accumulators);
            }
            for (int l = 0; l < WIDTH; l++) {
                partials[a * WIDTH + l] = lane[l];
                compensation[a * WIDTH + l] = laneCompensation[l];
            }
        }
    }

    /**
     * Accumulator a's chain of Kahan steps (the scalar step's operations in its order:
     * {@link SimdSum#kahanAdd}), in lane and laneCompensation. Each step is two calls of two
     * roundings each, the vectors passing through those arrays: four roundings in one loop
     * outgrow C2's inlining budget (NodeCountInliningCutoff), and the one left out boxed its
     * vectors, 32-40 B per element. A chunk with lanes past n or at skip takes the step on a copy
     * with those lanes +0 and keeps their old sum and compensation: each lane takes the scalar
     * steps, whether its chunk is whole or not.
     */
    private void kahanChain(float[] exps, int n, int skip, int a, int accumulators) {
        Arrays.fill(lane, 0f);
        Arrays.fill(laneCompensation, 0f);
        for (int j = a * WIDTH; j < n; j += accumulators * WIDTH) {
            if (j + WIDTH > n || (skip >= j && skip < j + WIDTH)) {
                kahanAdd(partialChunk(exps, j, n, skip), 0);
                kahanCompensate(takenLanes(j, n, skip));
            } else {
                kahanAdd(exps, j);
                kahanCompensate(allTaken);
            }
        }
    }

    /** {@link #kahanChain} where K and A are fp32 (no rounding): one loop, the vectors in registers. */
    private void floatKahanChain(float[] exps, int n, int skip, int a, int accumulators) {
        FloatVector sum = FloatVector.zero(SPECIES);
        FloatVector comp = FloatVector.zero(SPECIES);
        for (int j = a * WIDTH; j < n; j += accumulators * WIDTH) {
            boolean partial = j + WIDTH > n || (skip >= j && skip < j + WIDTH);
            FloatVector x = FloatVector.fromArray(SPECIES, partial ? partialChunk(exps, j, n, skip) : exps, partial ? 0 : j);
            FloatVector corrected = x.sub(comp);
            FloatVector next = sum.add(corrected);
            FloatVector c = next.sub(sum).sub(corrected);
            if (partial) {
                VectorMask<Float> steps = FloatVector.fromArray(SPECIES, takenLanes(j, n, skip), 0).compare(VectorOperators.NE, 0f);
                sum = sum.blend(next, steps);
                comp = comp.blend(c, steps);
            } else {
                sum = next;
                comp = c;
            }
        }
        VectorWidth.storeCarried(sum, lane, 0);
        VectorWidth.storeCarried(comp, laneCompensation, 0);
    }

    /** Kahan's y = rd(x − c) and t = rd(s + y) for the chunk of source at {@code at}, into laneCorrected and laneNext. */
    private void kahanAdd(float[] source, int at) {
        FloatVector compensated = FloatVector.fromArray(SPECIES, source, at)
                .sub(FloatVector.fromArray(SPECIES, laneCompensation, 0));
        FloatVector corrected = rounding.roundShort(compensated);
        corrected.intoArray(laneCorrected, 0);
        rounding.roundShort(FloatVector.fromArray(SPECIES, lane, 0).add(corrected)).intoArray(laneNext, 0);
    }

    /** Kahan's c = rd(rd(t − s) − y), then s = t, on the lanes whose taken entry is not 0. */
    private void kahanCompensate(float[] taken) {
        FloatVector sum = FloatVector.fromArray(SPECIES, lane, 0);
        FloatVector next = FloatVector.fromArray(SPECIES, laneNext, 0);
        FloatVector difference = rounding.roundShort(next.sub(sum));
        FloatVector c = rounding.roundShort(difference.sub(FloatVector.fromArray(SPECIES, laneCorrected, 0)));
        VectorMask<Float> steps = FloatVector.fromArray(SPECIES, taken, 0).compare(VectorOperators.NE, 0f);
        sum.blend(next, steps).intoArray(lane, 0);
        FloatVector.fromArray(SPECIES, laneCompensation, 0).blend(c, steps).intoArray(laneCompensation, 0);
    }

    /** 1 for the lanes of the chunk at j that take a step (below n, not skip), 0 for the others. */
    private float[] takenLanes(int j, int n, int skip) {
        for (int l = 0; l < WIDTH; l++) {
            taken[l] = j + l < n && j + l != skip ? 1f : 0f;
        }
        return taken;
    }
}
