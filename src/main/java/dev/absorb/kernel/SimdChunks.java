package dev.absorb.kernel;

import java.util.Arrays;

/**
 * S under {@code chunk=N} on float lanes, as {@link ChunkMerge#sum} computes it in the scalar
 * reference: per chunk of N consecutive classes its max, then d_j and e_j by the kernel's own
 * subtraction and exp loops (on a zero-padded copy of the chunk, with step 2's sr bits at j), S_c
 * by {@link SimdSum} as for a row of the chunk's length, and the pairs merged by {@link ChunkMerge}.
 */
final class SimdChunks {

    private static final int WIDTH = VectorWidth.FLOATS.length();

    private final int size;
    private final ChunkMerge merge;
    private final SimdRounding differences;
    private final SimdExp exp;
    private final SimdSum sum;
    private float[] in = new float[0];
    private float[] shifted = new float[0];
    private float[] exps = new float[0];

    SimdChunks(RecipeRoundings roundings, SimdRounding differences, SimdExp exp, SimdSum sum) {
        Recipe recipe = roundings.recipe;
        this.size = recipe.mitigations().chunk();
        Recipe.Exp kind = recipe.exp();
        this.merge = new ChunkMerge(recipe, roundings::bits, x -> scalarExp(kind, x));
        this.differences = differences;
        this.exp = exp;
        this.sum = sum;
    }

    /** The merged S of z[0, n). */
    double sum(float[] z, int n) {
        merge.reset();
        for (int start = 0, c = 0; start < n; start += size, c++) {
            int len = Math.min(size, n - start);
            int padded = (len + WIDTH - 1) / WIDTH * WIDTH;
            if (in.length < padded) {
                in = new float[padded];
                shifted = new float[padded];
                exps = new float[padded];
            }
            float mc = Float.NEGATIVE_INFINITY;
            for (int j = start; j < start + len; j++) {
                mc = Math.max(mc, z[j]); // propagates NaN, as the reference's max
            }
            System.arraycopy(z, start, in, 0, len);
            Arrays.fill(in, len, padded, 0f);
            differences.subtract(in, 0, padded, mc, shifted, 0, Op.SUBTRACT_MAX, start, false);
            exp.roundedExp(shifted, 0, padded, exps, 0, Op.EXP, start, false);
            merge.add(c, mc, sum.sum(exps, len, -1));
        }
        return merge.sum();
    }

    /** exp in fp32 as the scalar reference evaluates it for the float-lane recipes. */
    private static double scalarExp(Recipe.Exp kind, double x) {
        float xf = (float) x;
        switch (kind) {
            case POLY: return ExpPoly.exp(xf);
            case SLEEF: return SleefExp.exp(xf);
            default: return (float) Math.exp(xf);
        }
    }
}
