package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The recipe's exp over the chunks of an array, in fp32, not rounded further: the general loop,
 * and for exp=poly the moderate one where every input is known (or found) to lie in [−87, 87]:
 * the same bits, fewer operations ({@link VectorExp#expModerate}). Two loops, not a branch per
 * vector: both paths in one loop were parsed together and boxed on JDK 17.
 */
final class SimdExp {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final Recipe.Exp kind;
    private final boolean polynomial;
    /** The rounding of exp's results to K. */
    private final SimdRounding toCompute;

    SimdExp(Recipe.Exp kind, SimdRounding toCompute) {
        this.kind = kind;
        this.polynomial = kind == Recipe.Exp.POLY;
        this.toCompute = toCompute;
    }

    /** Whether this is exp=poly, whose moderate loop a bound on the inputs may select. */
    boolean polynomial() {
        return polynomial;
    }

    /**
     * out[..] = rd_K(exp(x_j)) over the chunks of x[from, to): the exps, then the rounding in a
     * loop of its own (measured on JDK 17 and 25: the two loops together take about two thirds of
     * the time of one loop doing both). {@code moderate}: see {@link #exp}.
     */
    void roundedExp(float[] x, int from, int to, float[] out, int outOffset, Op op, int first, boolean moderate) {
        exp(x, from, to, out, outOffset, moderate);
        toCompute.round(out, outOffset, outOffset + to - from, op, first);
    }

    /**
     * out[..] = exp(x_j) over the chunks of x[from, to); {@code moderate}: every x_j whose exp is
     * used is known to be in [−87, 87] (exp=poly), so no range scan (a padded tail's extra lanes
     * may lie outside; their exps are never copied out).
     */
    void exp(float[] x, int from, int to, float[] out, int outOffset, boolean moderate) {
        if (moderate || polynomial && VectorExp.moderate(x, from, to)) {
            moderate(x, from, to, out, outOffset);
        } else {
            general(x, from, to, out, outOffset);
        }
    }

    /**
     * {@link #exp} for any input. A method of its own, like {@link #moderate}: inlined beside the
     * range scan, the general exp passed C2's node cutoff and boxed every vector (0.5–1 MB per
     * call at C = 32000, gap 100).
     */
    private void general(float[] x, int from, int to, float[] out, int outOffset) {
        for (int j = from; j < to; j += WIDTH) {
            VectorExp.exp(FloatVector.fromArray(SPECIES, x, j), kind).intoArray(out, outOffset + j - from);
        }
    }

    /** {@link #exp} where every x_j is in [−87, 87] or NaN (exp=poly). */
    private void moderate(float[] x, int from, int to, float[] out, int outOffset) {
        for (int j = from; j < to; j += WIDTH) {
            VectorExp.expModerate(FloatVector.fromArray(SPECIES, x, j)).intoArray(out, outOffset + j - from);
        }
    }

    /** out[i] = exp=poly of x[i] lane-wise over whole vectors of x: the polynomial alone, for its benchmark. */
    static void polynomial(float[] x, float[] out) {
        for (int i = 0; i < x.length; i += WIDTH) {
            VectorExp.exp(FloatVector.fromArray(SPECIES, x, i)).intoArray(out, i);
        }
    }
}
