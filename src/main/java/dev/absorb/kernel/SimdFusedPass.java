package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The path where K and A are fp32 (every rounding in between is the float operation itself) and
 * one accumulator vector holds the W partials ({@link SimdPlan#sumInOneLoop}): S = Σ exp(z_j − m)
 * in one loop, and under {@link SimdPlan#fused} p_j = exp((z_j − m) − r) or exp(z_j − lse) from
 * z in one loop, rounded to FORMAT inline. d_j, e_j and the sum never leave registers; the same
 * operations in the same order as the general path.
 */
final class SimdFusedPass {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final Recipe.Exp kind;
    private final boolean polynomial;
    private final boolean standard;
    private final Rounding toFormat;
    private final Rounding toCompute;
    private final VectorRounding formatLanes;
    private final SimdSum sum;
    private final float[] tailIn = new float[WIDTH];
    private final float[] tailExps = new float[WIDTH];
    private final float[] lane = new float[WIDTH];

    SimdFusedPass(RecipeRoundings roundings, SimdSum sum) {
        Recipe recipe = roundings.recipe;
        this.kind = recipe.exp();
        this.polynomial = kind == Recipe.Exp.POLY;
        this.standard = recipe.grad() == Recipe.Gradient.STANDARD;
        this.toFormat = roundings.toFormat;
        this.toCompute = roundings.toCompute;
        this.formatLanes = roundings.formatLanes;
        this.sum = sum;
    }

    /** S of z[0, n) shifted by m; {@code moderate}: every z_j − m is known to be in [−87, 87]. */
    double sum(float[] z, int n, float m, boolean moderate) {
        int full = n - n % WIDTH;
        if (moderate) {
            moderateExpSum(z, full, m);
        } else {
            expSum(z, full, m);
        }
        if (full < n) {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            VectorExp.exp(FloatVector.fromArray(SPECIES, tailIn, 0).sub(m), kind).intoArray(tailExps, 0);
            // Lanes past n add nothing; a float add per lane is the vector add.
            for (int l = 0; l < n - full; l++) {
                lane[l] += tailExps[l];
            }
        }
        return sum.fold(lane, n);
    }

    /** Σ exp(z_j − m) over the full chunks into the W float partials {@code lane}, in index order. */
    private void expSum(float[] z, int full, float m) {
        FloatVector max = FloatVector.broadcast(SPECIES, m);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int j = 0; j < full; j += WIDTH) {
            acc = acc.add(VectorExp.exp(FloatVector.fromArray(SPECIES, z, j).sub(max), kind));
        }
        VectorWidth.storeCarried(acc, lane, 0);
    }

    /** {@link #expSum} where every z_j − m is in [−87, 87] or NaN (exp=poly): the same bits, fewer operations. */
    private void moderateExpSum(float[] z, int full, float m) {
        FloatVector max = FloatVector.broadcast(SPECIES, m);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int j = 0; j < full; j += WIDTH) {
            acc = acc.add(VectorExp.expModerate(FloatVector.fromArray(SPECIES, z, j).sub(max)));
        }
        VectorWidth.storeCarried(acc, lane, 0);
    }

    /**
     * The gradient (grad standard or lse) into grad[0, n): p_j from z in one loop; zMin and zMax
     * are the range of z (the float differences are monotone in z_j: exp's inputs lie between
     * those of zMin and zMax).
     */
    void gradient(float[] z, int n, int y, float m, float r, float lse, float zMin, float zMax, float[] grad) {
        int full = n - n % WIDTH;
        float lo = standard ? zMin - m - r : zMin - lse;
        float hi = standard ? zMax - m - r : zMax - lse;
        if (polynomial && VectorExp.moderate(lo, hi)) {
            moderateProbabilities(z, full, m, r, lse, grad);
        } else {
            probabilities(z, 0, full, m, r, lse, true, grad, 0);
        }
        if (full < n) {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            probabilities(tailIn, 0, WIDTH, m, r, lse, true, lane, 0);
            System.arraycopy(lane, 0, grad, full, n - full);
        }
        float py;
        if (y < full) {
            int chunk = y - y % WIDTH;
            probabilities(z, chunk, chunk + WIDTH, m, r, lse, false, lane, 0);
            py = lane[y - chunk];
        } else {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            probabilities(tailIn, 0, WIDTH, m, r, lse, false, lane, 0);
            py = lane[y - full];
        }
        grad[y] = (float) toFormat.round(toCompute.subtract(py, 1.0, 0), 0);
    }

    /** p_j = exp((z_j − m) − r) (standard) or exp(z_j − lse) (lse) in fp32, rounded to FORMAT if asked. */
    private void probabilities(float[] z, int from, int to, float m, float r, float lse, boolean roundToFormat,
                               float[] out, int outOffset) {
        boolean standard = this.standard;
        FloatVector max = FloatVector.broadcast(SPECIES, m);
        FloatVector shift = FloatVector.broadcast(SPECIES, standard ? r : lse);
        for (int j = from; j < to; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, z, j);
            FloatVector p = VectorExp.exp((standard ? x.sub(max) : x).sub(shift), kind);
            (roundToFormat ? formatLanes.round(p) : p).intoArray(out, outOffset + j - from);
        }
    }

    /** {@link #probabilities} of the full chunks, rounded to FORMAT, where every input of exp is in [−87, 87]. */
    private void moderateProbabilities(float[] z, int full, float m, float r, float lse, float[] out) {
        boolean standard = this.standard;
        FloatVector max = FloatVector.broadcast(SPECIES, m);
        FloatVector shift = FloatVector.broadcast(SPECIES, standard ? r : lse);
        for (int j = 0; j < full; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, z, j);
            formatLanes.round(VectorExp.expModerate((standard ? x.sub(max) : x).sub(shift))).intoArray(out, j);
        }
    }
}
