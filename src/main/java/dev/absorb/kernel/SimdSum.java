package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * S = Σ e_j in the recipe's order on float lanes: W = {@code lanes} partial sums, element j into
 * partial j mod W in index order, then the fold of the partials in the recipe's order
 * ({@link FoldOrder}; DESIGN.md §4 step 3). With W ≥ the width the partials are lanes of W/V
 * accumulator vectors, updated by the sums' {@link SimdRounding} (short, staged or stochastic,
 * with or without Kahan); with W &lt; the width by the scalar rounding (such a sum is one long
 * dependency chain anyway). The fold runs on the scalar rounding, in the reference's order.
 */
final class SimdSum {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final int lanes;
    private final boolean kahan;
    private final RecipeRoundings roundings;
    private final Rounding toAcc;
    /** The partials' updates for W ≥ the width. */
    private final SimdRounding accumulate;
    /** {@link SimdPlan#narrowSums}: the rounding sum's adds are a float add rounded once more. */
    private final boolean narrowSums;
    /** The fold's steps for rows of at least {@code lanes} classes, and for shorter rows (FoldOrder). */
    private final int[] foldSteps;
    private final int[] shortFoldSteps;
    private final double[] partials;
    /** Kahan's compensation per partial (acc=kahan): the partial's value is partials − compensation. */
    private final double[] compensation;
    private final float[] lane = new float[WIDTH];
    private final float[] tail = new float[WIDTH];

    SimdSum(RecipeRoundings roundings, SimdRounding accumulate, boolean narrowSums) {
        Recipe recipe = roundings.recipe;
        this.lanes = recipe.lanes();
        this.kahan = recipe.acc() == Recipe.Accumulator.KAHAN;
        this.roundings = roundings;
        this.toAcc = roundings.toAcc;
        this.accumulate = accumulate;
        this.narrowSums = narrowSums;
        this.foldSteps = FoldOrder.steps(recipe, lanes);
        this.shortFoldSteps = FoldOrder.steps(recipe, 1);
        this.partials = new double[lanes];
        this.compensation = new double[lanes];
    }

    /** Σ exps_j over j ≠ skip (skip &lt; 0: every j) of exps[0, n). */
    double sum(float[] exps, int n, int skip) {
        Arrays.fill(partials, 0.0);
        Arrays.fill(compensation, 0.0);
        if (lanes < WIDTH) {
            for (int j = 0; j < n; j++) {
                if (j != skip) {
                    int l = j & (lanes - 1);
                    if (kahan) {
                        kahanAdd(toAcc, partials, compensation, l, exps[j]);
                    } else {
                        partials[l] = toAcc.add(partials[l], exps[j], roundings.bits(Op.ACCUMULATE, j));
                    }
                }
            }
        } else if (kahan) {
            accumulate.kahanSum(exps, n, skip, partials, compensation, lanes);
        } else {
            accumulate.sum(exps, n, skip, partials, lanes);
        }
        return fold(n);
    }

    /**
     * S = Σ e_j (no skip) where exps holds exp(d_j) not yet rounded to K ({@link SimdPlan#roundsExpsInSum}):
     * each chunk is rounded in place and added in the same loop. The sum is a loop-carried chain,
     * latency-bound; the rounding's independent work runs in its shadow (measured: bf16 at
     * C = 32000 spends about the chain's time alone, where a rounding pass and then the chain
     * took both).
     */
    double roundingSum(float[] exps, int n) {
        Arrays.fill(partials, 0.0);
        int full = n - n % WIDTH;
        int accumulators = lanes / WIDTH;
        for (int a = 0; a < accumulators; a++) {
            if (narrowSums) {
                roundAndAccumulate(exps, a * WIDTH, full, accumulators * WIDTH);
            } else {
                roundAndAccumulateInFloat(exps, a * WIDTH, full, accumulators * WIDTH);
            }
            for (int l = 0; l < WIDTH; l++) {
                partials[a * WIDTH + l] = lane[l];
            }
        }
        if (full < n) {
            // The tail is the last chunk of its accumulator: rounded and added last, lane by lane.
            Arrays.fill(tail, 0f);
            System.arraycopy(exps, full, tail, 0, n - full);
            SimdShortRounding.round(roundings.computeLanes, tail, 0, WIDTH);
            System.arraycopy(tail, 0, exps, full, n - full);
            int base = full / WIDTH % accumulators * WIDTH;
            for (int l = 0; l < n - full; l++) {
                partials[base + l] = toAcc.add(partials[base + l], tail[l], 0);
            }
        }
        return fold(n);
    }

    /**
     * The chunks from, from + step, … below to of exps: rounded to K in place, summed into
     * {@code lane}. K is not fp32 ({@link SimdPlan#roundsExpsInSum}), hence roundChanging.
     */
    private void roundAndAccumulate(float[] exps, int from, int to, int step) {
        VectorRounding toCompute = roundings.computeLanes;
        VectorRounding toAccLanes = roundings.accLanes;
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int j = from; j < to; j += step) {
            FloatVector e = toCompute.roundChanging(FloatVector.fromArray(SPECIES, exps, j));
            e.intoArray(exps, j);
            acc = toAccLanes.addNonNegativeNarrow(acc, e);
        }
        VectorWidth.storeCarried(acc, lane, 0);
    }

    /**
     * {@link #roundAndAccumulate} with A = fp32: the float add itself. A loop of its own: with
     * {@code accLanes.add} beside the rounding, JDK 17 left that call out of line and boxed
     * (bf16/acc=fp32: 8 B per element, JMH -prof gc).
     */
    private void roundAndAccumulateInFloat(float[] exps, int from, int to, int step) {
        VectorRounding toCompute = roundings.computeLanes;
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int j = from; j < to; j += step) {
            FloatVector e = toCompute.roundChanging(FloatVector.fromArray(SPECIES, exps, j));
            e.intoArray(exps, j);
            acc = acc.add(e);
        }
        VectorWidth.storeCarried(acc, lane, 0);
    }

    /** The W partials set to the float {@code values} (W = the width: one accumulator vector), folded. */
    double fold(float[] values, int n) {
        for (int l = 0; l < lanes; l++) {
            partials[l] = values[l];
        }
        return fold(n);
    }

    /** The partials folded in the recipe's order ({@link FoldOrder}) for a row of n classes, until one is left. */
    private double fold(int n) {
        int[] steps = n < lanes ? shortFoldSteps : foldSteps;
        for (int k = 0; k < steps.length; k += 4) {
            int i = steps[k];
            int b = steps[k + 1];
            if (kahan) {
                kahanAdd(toAcc, partials, compensation, i, toAcc.subtract(partials[b], compensation[b], 0));
            } else {
                partials[i] = toAcc.add(partials[i], partials[b],
                        roundings.bits(Op.FOLD, -1 - (Recipe.MAX_LANES * steps[k + 2] + steps[k + 3])));
            }
        }
        return kahan ? toAcc.subtract(partials[0], compensation[0], 0) : partials[0];
    }

    /**
     * Kahan's step on partial l, every operation rounded to A, as {@link ScalarKernel} does it:
     * the compensation holds what the sum overshot. Do not reorder.
     */
    static void kahanAdd(Rounding toAcc, double[] partials, double[] compensation, int l, double x) {
        double s = partials[l];
        double corrected = toAcc.subtract(x, compensation[l], 0);
        double t = toAcc.add(s, corrected, 0);
        compensation[l] = toAcc.subtract(toAcc.subtract(t, s, 0), corrected, 0);
        partials[l] = t;
    }
}
