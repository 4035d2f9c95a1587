package dev.absorb.kernel;

import dev.absorb.format.RandomBits;
import dev.absorb.format.Rounding;

/**
 * A recipe's roundings to FORMAT, K and A, scalar and lane-wise, and sr's random bits per
 * operation and index as {@link ScalarKernel} draws them: what every piece of {@link SimdKernel}
 * rounds its scalar steps and short lane-wise steps with.
 */
final class RecipeRoundings {

    final Recipe recipe;
    /** round=sr or srh: the lane-wise roundings below are null, the staged sr takes their place. */
    final boolean stochastic;
    final Rounding toFormat;
    final Rounding toCompute;
    final Rounding toAcc;
    /** To the gradient's format G ({@code gradfmt}, FORMAT by default). */
    final Rounding toGradient;
    /** Lane-wise roundings (null under sr and srh); the one to A adds exps of K ({@link VectorRounding#addNonNegativeNarrow}). */
    final VectorRounding formatLanes;
    final VectorRounding computeLanes;
    final VectorRounding accLanes;
    final VectorRounding gradientLanes;
    /** RandomBits keys per {@link Op}, as the scalar kernel derives them. */
    private final int[] keys;

    RecipeRoundings(Recipe recipe) {
        this.recipe = recipe;
        this.stochastic = recipe.round().isStochastic();
        this.toFormat = recipe.roundingTo(recipe.format());
        this.toCompute = recipe.roundingTo(recipe.computeFormat());
        this.toAcc = recipe.roundingTo(recipe.accumulatorFormat());
        this.toGradient = recipe.roundingTo(recipe.gradientFormat());
        this.gradientLanes = stochastic ? null : new VectorRounding(toGradient);
        this.formatLanes = stochastic ? null : new VectorRounding(toFormat);
        this.computeLanes = stochastic ? null : new VectorRounding(toCompute);
        this.accLanes = stochastic ? null : new VectorRounding(toAcc, recipe.computeFormat());
        this.keys = new int[Op.values().length];
        for (Op op : Op.values()) {
            keys[op.ordinal()] = RandomBits.key(recipe.seed(), op.ordinal());
        }
    }

    /** The RandomBits key of op's stochastic bits. */
    int key(Op op) {
        return keys[op.ordinal()];
    }

    /** sr's random bits for a scalar step, as the scalar kernel draws them; 0 otherwise. */
    int bits(Op op, int index) {
        return stochastic ? RandomBits.of(keys[op.ordinal()], index) : 0;
    }

    /** A row sum or its log, stored to FORMAT under {@code rowsum=FORMAT}. */
    double storeRowSum(double value, Op op, int index) {
        return recipe.rowsum() == Recipe.RowSum.FORMAT ? toFormat.round(value, bits(op, index)) : value;
    }
}
