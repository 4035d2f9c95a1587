package dev.absorb.bench;

import dev.absorb.format.Format;
import dev.absorb.format.RandomBits;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Recipe;

/**
 * A recipe's job written as plain scalar Java: the baseline of the target "≥ 8 × faster than a
 * plain scalar Java loop (Math.exp) doing the same job" (docs/decisions.md, "The plain loop doing
 * the same job"). One element at a time, one accumulator, exp, log, log1p and tanh by
 * {@code Math} in double, and each result rounded to the format the recipe gives it (K, A or
 * FORMAT, DESIGN.md §4) the way a Java programmer would: a float cast where that is fp32 under rne,
 * nothing for fp64, the usual bit trick for bf16 under rne, otherwise the library's scalar
 * {@link Rounding} (sr and srh with 32 bits from {@link RandomBits} per rounding).
 *
 * <p>The same job, not the same bits: the kernels' summation order (lanes, unroll, hsum, short,
 * sum), their exp ({@code exp=poly}, sleef, glibc, xla) and their exact rounding of each operation (round-to-odd, TwoSum) are what
 * make them bit-reproducible; a plain loop rounds what double arithmetic gives it. Logits and the
 * gradient are doubles (values of the format), as the scalar reference takes them.
 *
 * <p>Not thread-safe (scratch arrays for capped logits). One instance per thread.
 */
final class PlainRecipeLoop {

    // The streams of random bits, one per kind of rounding (sr and srh only).
    private static final int SUBTRACT = 0;
    private static final int EXP = 1;
    private static final int ACCUMULATE = 2;
    private static final int SCALAR = 3;
    private static final int GRADIENT = 4;
    private static final int STORE = 5;
    private static final int CAP = 6;
    private static final int STREAMS = 7;

    private final Recipe recipe;
    private final Rounder toCompute;
    private final Rounder toAcc;
    private final Rounder toFormat;
    private final int[] keys = new int[STREAMS];
    private double[] capped = new double[0];
    /** e_j = rd_K(exp(rd_K(z_j − m))), kept for the gradients that divide them by S. */
    private double[] exps = new double[0];
    private double compensation;
    private double m;
    private double r;
    private double sum;

    PlainRecipeLoop(Recipe recipe) {
        this.recipe = recipe;
        this.toCompute = new Rounder(recipe.roundingTo(recipe.computeFormat()));
        // Kahan keeps its sum and compensation in FORMAT (DESIGN.md §4).
        this.toAcc = new Rounder(recipe.roundingTo(recipe.accumulatorFormat()));
        this.toFormat = new Rounder(recipe.roundingTo(recipe.format()));
        for (int k = 0; k < STREAMS; k++) {
            keys[k] = RandomBits.key(recipe.seed(), k);
        }
    }

    /** lse and loss of logits {@code z} with target {@code y}. */
    Evaluation forward(double[] z, int y) {
        double[] logits = capped(z);
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            return stablemax(logits, y, null);
        }
        double lse = lse(logits);
        return new Evaluation(lse, k(lse - logits[y], SCALAR, y));
    }

    /** lse, loss and the gradient, written to {@code grad[0..C)}. */
    Evaluation fused(double[] z, int y, double[] grad) {
        double[] logits = capped(z);
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            return stablemax(logits, y, grad);
        }
        double lse = lse(logits);
        double loss = k(lse - logits[y], SCALAR, y);
        int n = logits.length;
        boolean reciprocal = recipe.grad() == Recipe.Gradient.RECIP || recipe.grad() == Recipe.Gradient.RECIPFMA;
        boolean divides = recipe.grad() == Recipe.Gradient.DIV || recipe.grad() == Recipe.Gradient.COMPLEMENT
                || recipe.grad() == Recipe.Gradient.ZEROSUM || reciprocal;
        if (divides && recipe.algo() == Recipe.Algo.ONLINE && recipe.lse() != Recipe.Lse.LOG1P) {
            for (int j = 0; j < n; j++) {
                exps[j] = exp(logits[j], j); // the online sum kept none: e_j with the final max
            }
        }
        double inverse = reciprocal ? k(1 / sum, GRADIENT, 0) : 0;
        double py = 0;
        boolean logStored = recipe.logp() == Recipe.LogProb.FORMAT;
        for (int j = 0; j < n; j++) {
            double p;
            switch (recipe.grad()) {
                case STANDARD:
                case CENTER:
                    double logp = k(k(logits[j] - m, SUBTRACT, j) - r, GRADIENT, j);
                    p = k(Math.exp(logStored ? toFormat.round(logp, keys[STORE], j) : logp), EXP, j);
                    break;
                case LSE:
                    p = k(Math.exp(k(logits[j] - lse, GRADIENT, j)), EXP, j);
                    break;
                case RECIP:
                    p = k(inverse * exps[j], GRADIENT, j);
                    break;
                case RECIPFMA:
                    p = k(Math.fma(inverse, exps[j], j == y ? -1 : 0), GRADIENT, j);
                    break;
                default:
                    p = j == y && recipe.grad() != Recipe.Gradient.DIV ? 0 : k(exps[j] / sum, GRADIENT, j);
                    break;
            }
            if (j == y) {
                py = p;
            }
            grad[j] = toFormat.round(p, keys[STORE], j);
        }
        double gy;
        switch (recipe.grad()) {
            case COMPLEMENT:
                gy = -k(accumulate(exps, n, y) / sum, GRADIENT, y);
                break;
            case ZEROSUM:
                gy = grad[y] - sumOf(grad, n);
                break;
            case RECIPFMA:
                gy = py;
                break;
            default:
                gy = k(py - 1, GRADIENT, y);
                break;
        }
        grad[y] = toFormat.round(gy, keys[STORE], y);
        if (recipe.grad() == Recipe.Gradient.CENTER) {
            center(grad, n);
        }
        return new Evaluation(lse, loss);
    }

    /** lse = m + log S, leaving m, r = log S and S in the fields for the gradient. */
    private double lse(double[] z) {
        int n = z.length;
        if (exps.length != n) {
            exps = new double[n];
        }
        boolean log1p = recipe.lse() == Recipe.Lse.LOG1P;
        if (recipe.algo() == Recipe.Algo.ONLINE) {
            onlineSum(z);
        } else {
            m = recipe.algo() == Recipe.Algo.NAIVE ? 0 : max(z);
            if (!log1p) {
                sum = stored(sumOfExps(z, -1));
            }
        }
        if (log1p) {
            // log1p of the others' sum: the max's own term, exp(0) = 1, left out (after the
            // online max, a second pass, as DESIGN.md §4 recomputes d_j and e_j).
            double others = sumOfExps(z, indexOf(z, m));
            r = k(Math.log1p(others), SCALAR, 0);
            sum = acc(others + 1, 0); // S, for the quotient gradients
        } else {
            r = stored(k(Math.log(sum), SCALAR, 0));
        }
        return k(m + r, SCALAR, n);
    }

    /** A row sum or its log as the recipe keeps it: stored to FORMAT under rowsum=FORMAT (PyTorch's buffer). */
    private double stored(double x) {
        return recipe.rowsum() == Recipe.RowSum.FORMAT ? toFormat.round(x, keys[STORE], 0) : x;
    }

    /** Σ_{j ≠ skip} e_j, each e_j kept in exps (the sum adds Math.exp's value itself under sumexp=fp32). */
    private double sumOfExps(double[] z, int skip) {
        double s = 0;
        compensation = 0;
        boolean raw = recipe.sumExp() == Recipe.SumExp.FP32;
        for (int j = 0; j < z.length; j++) {
            double x = Math.exp(k(z[j] - m, SUBTRACT, j));
            double e = k(x, EXP, j);
            exps[j] = e;
            if (j != skip) {
                s = add(s, raw ? x : e, j);
            }
        }
        return s;
    }

    /** Σ_{j ≠ skip} e_j over e[0..n) in A. */
    private double accumulate(double[] e, int n, int skip) {
        double s = 0;
        compensation = 0;
        for (int j = 0; j < n; j++) {
            if (j != skip) {
                s = add(s, e[j], j);
            }
        }
        return s;
    }

    /** s + e rounded to A, with Kahan's compensation (in the field) for acc=kahan. */
    private double add(double s, double e, int j) {
        if (recipe.acc() != Recipe.Accumulator.KAHAN) {
            return acc(s + e, j);
        }
        double corrected = acc(e - compensation, j);
        double t = acc(s + corrected, j);
        compensation = acc(acc(t - s, j) - corrected, j);
        return t;
    }

    /** Milakov–Gimelshein: one running max and a sum rescaled whenever the max grows. */
    private void onlineSum(double[] z) {
        double runningMax = Double.NEGATIVE_INFINITY;
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            if (z[j] > runningMax) {
                s = runningMax == Double.NEGATIVE_INFINITY ? 0 : acc(s * k(Math.exp(k(runningMax - z[j], SUBTRACT, j)), EXP, j), j);
                runningMax = z[j];
            }
            s = acc(s + k(Math.exp(k(z[j] - runningMax, SUBTRACT, j)), EXP, j), j);
        }
        m = runningMax;
        sum = s;
    }

    /** StableMax: s(x) = x + 1 (x ≥ 0) or 1/(1 − x), no shift; g_j = s'(z_j)/S, and g_y less s'(z_y)/s(z_y). */
    private Evaluation stablemax(double[] z, int y, double[] grad) {
        int n = z.length;
        double s = 0;
        for (int j = 0; j < n; j++) {
            s = acc(s + stablemax(z[j], j), j);
        }
        double target = stablemax(z[y], y);
        double logSum = k(Math.log(s), SCALAR, 0);
        double loss = k(logSum - k(Math.log(target), SCALAR, y), SCALAR, y);
        if (grad != null) {
            double py = 0;
            for (int j = 0; j < n; j++) {
                double p = k(derivative(z[j], j) / s, GRADIENT, j);
                py = j == y ? p : py;
                grad[j] = toFormat.round(p, keys[STORE], j);
            }
            double dy = derivative(z[y], y);
            double gy;
            switch (recipe.grad()) {
                case COMPLEMENT:
                    gy = -k(k(dy * (s - target), GRADIENT, y) / k(s * target, GRADIENT, y), GRADIENT, y);
                    break;
                case ZEROSUM:
                    gy = grad[y] - sumOf(grad, n);
                    break;
                default:
                    gy = k(py - k(dy / target, GRADIENT, y), GRADIENT, y);
                    break;
            }
            grad[y] = toFormat.round(gy, keys[STORE], y);
            if (recipe.grad() == Recipe.Gradient.CENTER) {
                center(grad, n);
            }
        }
        return new Evaluation(logSum, loss);
    }

    private double stablemax(double x, int j) {
        return k(x >= 0 ? x + 1 : 1 / (1 - x), EXP, j);
    }

    private double derivative(double x, int j) {
        return x >= 0 ? 1 : k(1 / ((1 - x) * (1 - x)), SUBTRACT, j);
    }

    /** g_j ← rd_F(g_j − mean g). */
    private void center(double[] grad, int n) {
        double mean = sumOf(grad, n) / n;
        for (int j = 0; j < n; j++) {
            grad[j] = toFormat.round(k(grad[j] - mean, GRADIENT, j), keys[STORE], j);
        }
    }

    /** Gemma 2's soft cap z ← c·tanh(z/c), each step rounded to K; the logits themselves without cap. */
    private double[] capped(double[] z) {
        if (recipe.cap() == 0) {
            return z;
        }
        if (capped.length != z.length) {
            capped = new double[z.length];
        }
        double c = k(recipe.cap(), CAP, 0);
        for (int j = 0; j < z.length; j++) {
            capped[j] = k(c * k(Math.tanh(k(z[j] / c, CAP, j)), CAP, j), CAP, j);
        }
        return capped;
    }

    private double exp(double zj, int j) {
        return k(Math.exp(k(zj - m, SUBTRACT, j)), EXP, j);
    }

    private double k(double x, int stream, int j) {
        return toCompute.round(x, keys[stream], j);
    }

    private double acc(double x, int j) {
        return toAcc.round(x, keys[ACCUMULATE], j);
    }

    private static double sumOf(double[] g, int n) {
        double total = 0;
        for (int j = 0; j < n; j++) {
            total += g[j];
        }
        return total;
    }

    private static double max(double[] z) {
        double top = Double.NEGATIVE_INFINITY;
        for (double x : z) {
            top = Math.max(top, x);
        }
        return top;
    }

    private static int indexOf(double[] z, double value) {
        for (int j = 0; j < z.length; j++) {
            if (z[j] == value) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Rounding to one format as plain code writes it: nothing for fp64, a cast for fp32, the
     * usual bit trick on that cast for bf16 (rne), otherwise a call to the library's rounding.
     * The cast-then-round of bf16 rounds twice, as plain code does.
     */
    private static final class Rounder {
        private final Rounding rounding;
        private final boolean identity;
        private final boolean fp32Cast;
        private final boolean bf16Trick;
        private final boolean stochastic;

        Rounder(Rounding rounding) {
            this.rounding = rounding;
            Format f = rounding.format();
            boolean plain = !rounding.saturate() && !rounding.flushToZero();
            boolean rne = rounding.mode() == RoundingMode.RNE;
            this.identity = plain && f.isFp64();
            this.fp32Cast = plain && rne && f.equals(Format.FP32);
            this.bf16Trick = plain && rne && f.equals(Format.of("bf16"));
            this.stochastic = rounding.isStochastic();
        }

        double round(double x, int key, int j) {
            if (identity) {
                return x;
            }
            if (fp32Cast) {
                return (float) x;
            }
            if (bf16Trick) {
                int bits = Float.floatToRawIntBits((float) x);
                return Float.intBitsToFloat((bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000);
            }
            return rounding.round(x, stochastic ? RandomBits.of(key, j) : 0);
        }
    }
}
