package dev.absorb.kernel;

import dev.absorb.format.Rounding;

import java.util.function.DoubleUnaryOperator;

/**
 * The merge of {@code chunk=N}'s per-chunk pairs (m_c, S_c), in chunk order, as both kernels do it
 * (docs/recipes.md, "Mitigations"): a chunk whose max is −inf is empty and skipped; the first other
 * pair starts (M, S); each next one gives M' = max(M, m_c) and
 * S = rd_A(rd_A(S·ε(M − M')) + rd_A(S_c·ε(m_c − M'))), ε(x) = rd_K(exp(rd_K(x))). No pair: NaN.
 */
final class ChunkMerge {

    /** N: the classes of one chunk. */
    final int size;
    private final Rounding toCompute;
    private final Rounding toAcc;
    private final MitigationTerms.Bits bits;
    /** exp as the recipe evaluates it in fp32 (fp64), before the rounding to K. */
    private final DoubleUnaryOperator exp;
    private double max;
    private double sum;
    private boolean started;

    ChunkMerge(Recipe recipe, MitigationTerms.Bits bits, DoubleUnaryOperator exp) {
        this.size = recipe.mitigations().chunk();
        this.toCompute = recipe.roundingTo(recipe.computeFormat());
        this.toAcc = recipe.roundingTo(recipe.accumulatorFormat());
        this.bits = bits;
        this.exp = exp;
    }

    /** The recipe's sum of e[0, len) as of a row of len classes (step 3). */
    interface RowSum {
        double of(double[] e, int len);
    }

    private double[] chunkExps = new double[0];

    /**
     * The scalar reference's S under chunk=N: per chunk of N consecutive classes its max m_c,
     * d_j = rd_K(z_j − m_c) and e_j = rd_K(exp(d_j)) (sr: step 2's bits at j), S_c the recipe's
     * sum of a row of the chunk's length; the pairs merged in chunk order.
     */
    double sum(double[] z, int n, RowSum rowSum) {
        reset();
        for (int start = 0, c = 0; start < n; start += size, c++) {
            int len = Math.min(size, n - start);
            double mc = Double.NEGATIVE_INFINITY;
            for (int j = start; j < start + len; j++) {
                mc = Math.max(mc, z[j]);
            }
            if (chunkExps.length < len) {
                chunkExps = new double[len];
            }
            for (int j = 0; j < len; j++) {
                double d = toCompute.subtract(z[start + j], mc, bits.of(Op.SUBTRACT_MAX, start + j));
                chunkExps[j] = toCompute.round(exp.applyAsDouble(d), bits.of(Op.EXP, start + j));
            }
            add(c, mc, rowSum.of(chunkExps, len));
        }
        return sum();
    }

    void reset() {
        started = false;
        max = Double.NaN;
        sum = Double.NaN;
    }

    /** Merges chunk c's pair: its max m_c (exact) and its sum S_c (a value of A). */
    void add(int c, double mc, double sc) {
        if (mc == Double.NEGATIVE_INFINITY) {
            return; // only −inf: an empty sum, as the online normaliser treats such a partial
        }
        if (!started) {
            max = mc;
            sum = sc;
            started = true;
            return;
        }
        double merged = Math.max(max, mc); // propagates NaN
        double a = toAcc.multiply(sum, epsilon(max, merged, 2 * c), bits.of(Op.CHUNK_RESCALE, 2 * c));
        double b = toAcc.multiply(sc, epsilon(mc, merged, 2 * c + 1), bits.of(Op.CHUNK_RESCALE, 2 * c + 1));
        sum = toAcc.add(a, b, bits.of(Op.CHUNK_MERGE, c));
        max = merged;
    }

    /** The merged S: NaN when every chunk was empty. */
    double sum() {
        return started ? sum : Double.NaN;
    }

    /** ε(a − b), sr's bits at {@code index}: 2c for the running pair's rescale, 2c + 1 for chunk c's. */
    private double epsilon(double a, double b, int index) {
        double shift = toCompute.subtract(a, b, bits.of(Op.CHUNK_SHIFT, index));
        return toCompute.round(exp.applyAsDouble(shift), bits.of(Op.CHUNK_RESCALE_EXP, index));
    }
}
