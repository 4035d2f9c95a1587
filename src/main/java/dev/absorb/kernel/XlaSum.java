package dev.absorb.kernel;

import dev.absorb.format.RandomBits;
import dev.absorb.format.Rounding;

import java.util.Arrays;

/**
 * The row sum of {@code sum=xla}: the order in which XLA:CPU (jaxlib 0.10.2) adds the C terms of a
 * [1, C] row, every addition rounded to A. It depends on C (docs/presets.md, "sum=xla"):
 * <ul>
 *   <li>C ≤ 32: one accumulator from 0, t_0 first.</li>
 *   <li>33 ≤ C &lt; 4096: XLA's tree reduction. The row is padded with zeros to m·32 terms
 *   (m = ⌈C/32⌉), ⌊(m·32 − C)/2⌋ of them in front, and each window of 32 is summed as above; the m
 *   window sums form the next row, until 32 or fewer are left, which are summed as above.</li>
 *   <li>C ≥ 4096: YNNPACK's sum (its AVX-512 kernel, 16 lanes): rows of more than 32768 terms are
 *   cut into chunks of 32768 from the start, each chunk summed alone, and the chunk sums summed
 *   again the same way.</li>
 * </ul>
 * Adding a padding zero changes no sum, so padding is not added. S₋ (a term left out) sums the
 * row with that term taken as 0, in the same order.
 *
 * <h2>Stochastic rounding</h2>
 * The first addition of each term draws the bits of {@link Op#ACCUMULATE} at the term's index
 * (as in DESIGN.md §4's lanes); every later addition draws those of {@link Op#FOLD} at
 * −1 − k for the k-th such addition of the sum, in the order above.
 *
 * <p>Not thread-safe: it keeps scratch arrays.
 */
final class XlaSum {

    /** XLA:CPU hands a reduction of this many elements or more to YNNPACK (ynn_support.cc). */
    static final int YNNPACK_MIN = 4096;
    /** The window of XLA's tree reduction rewriter on the CPU. */
    static final int WINDOW = 32;
    /** YNNPACK sums rows longer than this in chunks of it. */
    static final int CHUNK = 32768;
    private static final int LANES = 16;
    private static final int BLOCK = 4 * LANES;
    private static final int KAHAN_EVERY = 1024;

    private final Rounding toAcc;
    private final boolean stochastic;
    private final int accumulateKey;
    private final int foldKey;
    private double[] terms = new double[0];
    private double[] windows = new double[0];
    private final double[] acc0 = new double[LANES];
    private final double[] acc1 = new double[LANES];
    private final double[] error = new double[LANES];
    private final double[] block = new double[LANES];
    private final double[] group = new double[LANES];
    private int folds;

    XlaSum(Rounding toAcc, long seed) {
        this.toAcc = toAcc;
        this.stochastic = toAcc.isStochastic();
        this.accumulateKey = RandomBits.key(seed, Op.ACCUMULATE.ordinal());
        this.foldKey = RandomBits.key(seed, Op.FOLD.ordinal());
    }

    /** Σ e_j over j in [0, n), e_skip taken as 0 (skip −1: none), in XLA's order for a row of n classes. */
    double sum(double[] e, int n, int skip) {
        if (terms.length < n) {
            terms = new double[n];
            windows = new double[(n + WINDOW - 1) / WINDOW];
        }
        System.arraycopy(e, 0, terms, 0, n);
        if (skip >= 0) {
            terms[skip] = 0.0;
        }
        folds = 0;
        return n >= YNNPACK_MIN ? ynnpack(terms, n, true) : tree(terms, n);
    }

    /** XLA's tree reduction: windows of 32 while more than 32 values are left, then one serial sum. */
    private double tree(double[] x, int n) {
        boolean first = true;
        while (n > WINDOW) {
            int m = (n + WINDOW - 1) / WINDOW;
            int front = (m * WINDOW - n) / 2;
            for (int w = 0; w < m; w++) {
                int from = Math.max(0, w * WINDOW - front);
                int to = Math.min(n, (w + 1) * WINDOW - front);
                windows[w] = serial(x, from, to, first);
            }
            System.arraycopy(windows, 0, x, 0, m);
            n = m;
            first = false;
        }
        return serial(x, 0, n, first);
    }

    private double serial(double[] x, int from, int to, boolean terms) {
        double s = 0.0;
        for (int j = from; j < to; j++) {
            s = terms ? add(s, x[j], j) : fold(s, x[j]);
        }
        return s;
    }

    /** YNNPACK's sum of x[0..n): chunks of 32768, then the chunk sums, again by this method. */
    private double ynnpack(double[] x, int n, boolean terms) {
        if (n <= CHUNK) {
            return chunk(x, 0, n, terms);
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] sums = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            sums[c] = chunk(x, c * CHUNK, Math.min(n, (c + 1) * CHUNK), terms);
        }
        return ynnpack(sums, chunks, false);
    }

    /**
     * YNNPACK's sum_k1 kernel for fp32 on AVX-512 over x[from..to): 16 lane sums. Each block of 64
     * terms is summed by lane as ((x_0 + x_16) + x_32) + x_48 (from 0); four blocks at a time are
     * added to each other, then to acc0; every 1024 terms acc0 is added into acc1 by Kahan's step
     * (the compensation reset where it is not finite) and cleared. Blocks of 64 and then the last
     * partial block follow singly. The lanes of acc1 + (acc0 − compensation) are reduced by
     * halving (i + 8, i + 4, i + 2, then lane 0 + lane 1), and the result added to 0.
     */
    private double chunk(double[] x, int from, int to, boolean terms) {
        Arrays.fill(acc0, 0.0);
        Arrays.fill(acc1, 0.0);
        Arrays.fill(error, 0.0);
        int pos = from;
        while (to - pos >= 4 * BLOCK) {
            blockSums(x, pos, to, terms, group);
            for (int b = 1; b < 4; b++) {
                blockSums(x, pos + b * BLOCK, to, terms, block);
                for (int l = 0; l < LANES; l++) {
                    group[l] = fold(group[l], block[l]);
                }
            }
            for (int l = 0; l < LANES; l++) {
                acc0[l] = fold(acc0[l], group[l]);
            }
            pos += 4 * BLOCK;
            kahanIfDue(pos - from);
        }
        while (to - pos >= BLOCK) {
            addBlock(x, pos, to, terms);
            pos += BLOCK;
            kahanIfDue(pos - from);
        }
        addBlock(x, pos, to, terms); // the last partial block, zeros where it is empty
        double[] t = group;
        for (int l = 0; l < LANES; l++) {
            t[l] = fold(fold(acc1[l], foldSubtract(acc0[l], error[l])), 0.0);
        }
        for (int width = LANES / 2; width > 1; width >>= 1) {
            for (int l = 0; l < width; l++) {
                t[l] = fold(t[l], t[l + width]);
            }
        }
        return fold(0.0, fold(t[0], t[1]));
    }

    private void addBlock(double[] x, int pos, int to, boolean terms) {
        blockSums(x, pos, to, terms, block);
        for (int l = 0; l < LANES; l++) {
            acc0[l] = fold(acc0[l], block[l]);
        }
    }

    /** Lane l of the block at pos: ((0 + x_l) + x_{l+16}) + x_{l+32}) + x_{l+48}, zeros past {@code to}. */
    private void blockSums(double[] x, int pos, int to, boolean terms, double[] out) {
        for (int l = 0; l < LANES; l++) {
            out[l] = 0.0;
        }
        for (int i = 0; i < 4; i++) {
            for (int l = 0; l < LANES; l++) {
                int j = pos + i * LANES + l;
                double v = j < to ? x[j] : 0.0;
                out[l] = terms && j < to ? add(out[l], v, j) : fold(out[l], v);
            }
        }
    }

    /** Kahan's step of acc0 into acc1 after every 1024 terms of the chunk; acc0 starts again from 0. */
    private void kahanIfDue(int done) {
        if (done % KAHAN_EVERY != 0) {
            return;
        }
        for (int l = 0; l < LANES; l++) {
            double y = foldSubtract(acc0[l], error[l]);
            double t = fold(acc1[l], y);
            double e = foldSubtract(foldSubtract(t, acc1[l]), y);
            error[l] = Double.isFinite(e) ? e : 0.0;
            acc1[l] = t;
            acc0[l] = 0.0;
        }
    }

    /** The first addition of term j. */
    private double add(double s, double term, int j) {
        return toAcc.add(s, term, stochastic ? RandomBits.of(accumulateKey, j) : 0);
    }

    private double fold(double a, double b) {
        return toAcc.add(a, b, nextFoldBits());
    }

    private double foldSubtract(double a, double b) {
        return toAcc.subtract(a, b, nextFoldBits());
    }

    private int nextFoldBits() {
        int k = folds++;
        return stochastic ? RandomBits.of(foldKey, -1 - k) : 0;
    }
}
