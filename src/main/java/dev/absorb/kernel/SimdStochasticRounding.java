package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link SimdPlan.Path#STOCHASTIC}: round=sr and srh, each step's results staged and decided from
 * the exact value and the random bits of (seed, operation, element) by the flat loops of
 * {@link VectorStochasticRounding}: in int lanes where the values are floats, else from the exact
 * value in double lanes. The same bits as the scalar reference draws.
 */
final class SimdStochasticRounding extends SimdRounding {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();
    /** The elements of one decision between sr's float and double paths for differences (a multiple of the width). */
    private static final int SR_BLOCK = 512;

    private final VectorStochasticRounding rounding;
    private final RecipeRoundings roundings;
    private final StageBuffers stage;
    /** The last elements (fewer than a step's lanes) of a rounding or a sum, padded with +0. */
    private final float[] tail = new float[WIDTH];

    SimdStochasticRounding(VectorStochasticRounding rounding, RecipeRoundings roundings, StageBuffers stage) {
        this.rounding = rounding;
        this.roundings = roundings;
        this.stage = stage;
    }

    /**
     * Block by block: where every difference of a block is a float (the usual case), it is
     * rounded in int lanes, else from the exact sums in double lanes. A few logits near 0 make
     * their bf16 differences longer than a float: they cost their block, not the loop.
     */
    @Override
    void subtract(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first, boolean nanFree) {
        drawBits(op, first, to - from);
        FloatVector bVector = FloatVector.broadcast(SPECIES, b);
        for (int start = from; start < to; start += SR_BLOCK) {
            int end = Math.min(start + SR_BLOCK, to);
            int at = outOffset + start - from;
            if (VectorStochasticRounding.differencesAreFloats(a, start, end, b)) {
                for (int j = start; j < end; j += WIDTH) {
                    FloatVector.fromArray(SPECIES, a, j).sub(bVector).intoArray(out, outOffset + j - from);
                }
                rounding.roundFloats(out, at, at + end - start, stage.bits, first + start - from, out, at);
            } else {
                rounding.shift(a, start, end, -b, stage.bits, first + start - from, out, at);
            }
        }
    }

    /** x[from, to) rounded in place with the bits of op for elements first, first + 1, …. */
    @Override
    void round(float[] x, int from, int to, Op op, int first) {
        if (rounding.leavesFloats()) {
            return; // a float is a value of fp32; bits are keyed by operation and element, so none shift
        }
        int count = to - from;
        drawBits(op, first, count);
        int step = VectorStochasticRounding.floatLanes();
        int full = count - count % step;
        rounding.roundFloats(x, from, from + full, stage.bits, first, x, from);
        if (full < count) {
            // The last few through a padded copy: no read past the array.
            Arrays.fill(tail, 0f);
            System.arraycopy(x, from + full, tail, 0, count - full);
            rounding.roundFloats(tail, 0, step, stage.bits, first + full, tail, 0);
            System.arraycopy(tail, 0, x, from + full, count - full);
        }
    }

    /** The exact products (a product of two floats is exact in double) staged as hi + 0/1, then rounded with op's bits. */
    @Override
    void multiply(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first) {
        int count = to - from;
        for (int i = 0; i < count; i++) {
            stage.hi[i] = (double) a[from + i] * b;
            stage.num[i] = 0;
            stage.den[i] = 1;
        }
        int padded = (count + WIDTH - 1) / WIDTH * WIDTH;
        int key = roundings.key(op);
        for (int i = 0; i < padded; i += WIDTH) {
            VectorRandomBits.of(key, first + i).intoArray(stage.bits, i);
        }
        rounding.round(stage.hi, stage.num, stage.den, stage.bits, padded, stage.out, 0);
        System.arraycopy(stage.out, 0, out, outOffset, count);
    }

    /** The exact quotients staged as hi + num/den, then rounded with op's bits for elements first, first + 1, …. */
    @Override
    void divide(float[] e, int from, int to, float s, float[] out, int outOffset, Op op, int first) {
        int count = to - from;
        for (int i = 0; i < count; i++) {
            VectorStochasticRounding.stageQuotient(e[from + i], s, stage.hi, stage.num, stage.den, i);
        }
        int padded = (count + WIDTH - 1) / WIDTH * WIDTH;
        int key = roundings.key(op);
        for (int i = 0; i < padded; i += WIDTH) {
            VectorRandomBits.of(key, first + i).intoArray(stage.bits, i);
        }
        rounding.round(stage.hi, stage.num, stage.den, stage.bits, padded, stage.out, 0);
        System.arraycopy(stage.out, 0, out, outOffset, count);
    }

    /**
     * The random bits of every element at once, then {@link VectorStochasticRounding#sumFloats}
     * in float lanes where A has fewer than 23 mantissa bits, else
     * {@link VectorStochasticRounding#sum} with the partials in double (exact: they are values of
     * A). exps[skip] is +0 while it runs, which leaves its partial as it is (the exact sum is the
     * partial, and sr of a value of A is that value); the tail of fewer than a step's elements
     * runs padded with +0 the same way.
     */
    @Override
    void sum(float[] exps, int n, int skip, double[] partials, int lanes) {
        int step = rounding.sumsInFloats() ? VectorStochasticRounding.floatLanes() : VectorStochasticRounding.lanes();
        int full = n - n % step;
        drawBits(Op.ACCUMULATE, 0, n);
        float skipped = skip >= 0 ? exps[skip] : 0f;
        if (skip >= 0) {
            exps[skip] = 0f;
        }
        accumulate(exps, full, 0, partials, lanes);
        if (full < n) {
            Arrays.fill(tail, 0f);
            System.arraycopy(exps, full, tail, 0, n - full);
            accumulate(tail, step, full, partials, lanes);
        }
        if (skip >= 0) {
            exps[skip] = skipped;
        }
    }

    /** x[0, count) added into the partials, as elements first, first + 1, …. */
    private void accumulate(float[] x, int count, int first, double[] partials, int lanes) {
        if (rounding.sumsInFloats()) {
            rounding.sumFloats(x, 0, count, stage.bits, first, partials, lanes);
        } else {
            rounding.sum(x, 0, count, stage.bits, first, partials, lanes);
        }
    }

    @Override
    void kahanSum(float[] exps, int n, int skip, double[] partials, double[] compensation, int lanes) {
        throw new IllegalStateException("acc=kahan under sr is not staged: SimdPlan refuses it");
    }

    /** stage.bits[first + i] = the random bits of op for element first + i, i &lt; count (and up to the next multiple of the width). */
    private void drawBits(Op op, int first, int count) {
        int key = roundings.key(op);
        int[] bits = stage.bits;
        for (int i = 0; i < count; i += WIDTH) {
            VectorRandomBits.of(key, first + i).intoArray(bits, first + i);
        }
    }
}
