package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * m = max_j z_j, and the range [min z, max z] of the logits, which bounds the inputs of exp where
 * the kernel may take {@link VectorExp#expModerate}: a deterministic rounding is monotone, so
 * d_j = rd_K(z_j − m) lies between rd_K(low − m) and rd_K(high − m).
 */
final class SimdRange {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private float low = Float.NaN;
    private float high = Float.NaN;

    /** The range is unknown (NaN) until the next {@link #max}: online and stablemax do not take it. */
    void forget() {
        low = Float.NaN;
        high = Float.NaN;
    }

    /** The least logit of the last {@link #max}, or NaN. */
    float low() {
        return low;
    }

    /** The largest logit of the last {@link #max} (NaN if a logit is NaN), or NaN. */
    float high() {
        return high;
    }

    /** max_j z_j over z[0, n); also sets {@link #low} and {@link #high}. */
    float max(float[] z, int n) {
        // max is exact and Math.max-like (NaN wins, +0 over −0), so associative and commutative:
        // any order gives the same bits. Four independent chains, because the Vector API's MAX
        // (Java semantics on AVX2: a compare-and-blend sequence) is latency-bound on one. The
        // minimum only bounds exp's inputs: compare and blend (NaN is in the maximum anyway).
        FloatVector neg = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector pos = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
        FloatVector max0 = neg;
        FloatVector max1 = neg;
        FloatVector max2 = neg;
        FloatVector max3 = neg;
        FloatVector min0 = pos;
        FloatVector min1 = pos;
        int j = 0;
        for (; j <= n - 4 * WIDTH; j += 4 * WIDTH) {
            FloatVector z0 = FloatVector.fromArray(SPECIES, z, j);
            FloatVector z1 = FloatVector.fromArray(SPECIES, z, j + WIDTH);
            FloatVector z2 = FloatVector.fromArray(SPECIES, z, j + 2 * WIDTH);
            FloatVector z3 = FloatVector.fromArray(SPECIES, z, j + 3 * WIDTH);
            max0 = max0.max(z0);
            max1 = max1.max(z1);
            max2 = max2.max(z2);
            max3 = max3.max(z3);
            FloatVector low0 = z0.blend(z1, z1.compare(VectorOperators.LT, z0));
            FloatVector low1 = z2.blend(z3, z3.compare(VectorOperators.LT, z2));
            min0 = min0.blend(low0, low0.compare(VectorOperators.LT, min0));
            min1 = min1.blend(low1, low1.compare(VectorOperators.LT, min1));
        }
        for (; j <= n - WIDTH; j += WIDTH) {
            FloatVector zj = FloatVector.fromArray(SPECIES, z, j);
            max0 = max0.max(zj);
            min0 = min0.blend(zj, zj.compare(VectorOperators.LT, min0));
        }
        float m = max0.max(max1).max(max2.max(max3)).reduceLanes(VectorOperators.MAX);
        float least = Math.min(min0.reduceLanes(VectorOperators.MIN), min1.reduceLanes(VectorOperators.MIN));
        for (; j < n; j++) {
            m = Math.max(m, z[j]);
            least = Math.min(least, z[j]);
        }
        low = least;
        high = m;
        return m;
    }
}
