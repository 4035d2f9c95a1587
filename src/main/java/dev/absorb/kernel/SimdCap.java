package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * cap=c: z_j ← rd_K(c·tanh(rd_K(z_j / c))), c rounded to K. The quotient and the product run
 * lane-wise; tanh is a scalar pass: the reference's tanh is StrictMath.tanh in double rounded to
 * fp32, and no vector tanh has those bits (docs/decisions.md, "SIMD variants"). Under sr the
 * reference's scalar steps run as they are.
 */
final class SimdCap {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final double cap;
    private final RecipeRoundings roundings;
    private final Rounding toCompute;
    private final VectorRounding computeLanes;
    private final SimdRounding quotients;
    /** c·t is a float product rounded once (SimdOnlineSum.exactProducts for K). */
    private final boolean exactProducts;
    private float[] capped = new float[0];

    SimdCap(RecipeRoundings roundings, SimdRounding quotients) {
        Recipe recipe = roundings.recipe;
        this.cap = recipe.cap();
        this.roundings = roundings;
        this.toCompute = roundings.toCompute;
        this.computeLanes = roundings.computeLanes;
        this.quotients = quotients;
        this.exactProducts = SimdOnlineSum.exactProducts(recipe.computeFormat(), recipe.round());
    }

    /** The capped logits of z[0, n), in an array of this instance's (padded to whole vectors with zeros). */
    float[] apply(float[] z, int n) {
        int padded = (n + WIDTH - 1) / WIDTH * WIDTH;
        if (capped.length < padded) {
            capped = new float[padded];
        }
        float c = (float) toCompute.round(cap, 0);
        if (roundings.stochastic) {
            for (int j = 0; j < n; j++) {
                double scaled = toCompute.divide(z[j], c, roundings.bits(Op.CAP_DIVIDE, j));
                double t = toCompute.round((float) StrictMath.tanh(scaled), roundings.bits(Op.CAP_TANH, j));
                capped[j] = (float) toCompute.multiply(c, t, roundings.bits(Op.CAP_MULTIPLY, j));
            }
            return capped;
        }
        System.arraycopy(z, 0, capped, 0, n);
        Arrays.fill(capped, n, padded, 0f);
        // x_j ← rd_K(x_j / c); x_j values of FORMAT, c of K: the gradient's quotient loop, narrow where K is.
        quotients.divide(capped, 0, padded, c, capped, 0, Op.CAP_DIVIDE, 0);
        for (int j = 0; j < n; j++) {
            capped[j] = (float) StrictMath.tanh(capped[j]);
        }
        roundAndScale(capped, padded, c);
        return capped;
    }

    /**
     * x_j ← rd_K(c·rd_K(x_j)): tanh's fp32 result rounded to K, then the product in K. Two loops
     * of one rounding each: a loop with two calls of our helpers was boxed in some JMH forks.
     */
    private void roundAndScale(float[] x, int n, float c) {
        SimdShortRounding.round(computeLanes, x, 0, n);
        if (exactProducts) {
            scaleExactly(x, n, c);
        } else {
            scale(x, n, c);
        }
    }

    /** x_j ← rd_K(c·x_j) where the float product is exact-once. */
    private void scaleExactly(float[] x, int n, float c) {
        FloatVector scale = FloatVector.broadcast(SPECIES, c);
        for (int j = 0; j < n; j += WIDTH) {
            computeLanes.round(FloatVector.fromArray(SPECIES, x, j).mul(scale)).intoArray(x, j);
        }
    }

    /** x_j ← rd_K(c·x_j), the general (odd-rounding) product. */
    private void scale(float[] x, int n, float c) {
        FloatVector scale = FloatVector.broadcast(SPECIES, c);
        for (int j = 0; j < n; j += WIDTH) {
            computeLanes.multiply(scale, FloatVector.fromArray(SPECIES, x, j)).intoArray(x, j);
        }
    }
}
