package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.RandomBits;
import dev.absorb.format.Rounding;

import java.util.Arrays;

/**
 * The scalar reference kernel: one evaluation of log-sum-exp, loss and gradient exactly as
 * DESIGN.md §4 defines it, one rounded operation at a time. Slow and obviously right; the SIMD
 * kernels are tested against it bit for bit.
 *
 * <h2>How an operation is rounded</h2>
 * Values are carried in doubles. Each arithmetic operation is computed exactly (round-to-odd in
 * double, see {@link dev.absorb.format.RoundToOdd}) and rounded once to its target format by
 * {@link Rounding}, so every rounding mode, sr included, rounds the exact result. exp, log, log1p
 * and tanh are evaluated in fp32 (fp64 for fp64 recipes): exp by {@link ExpPoly},
 * {@code Math.exp} ({@code exp=jdk}), {@link SleefExp}, {@link GlibcExp}, or {@link XlaExp} and
 * {@link YnnpackExp} ({@code exp=xla}), log, log1p and tanh by {@code StrictMath} in double
 * rounded to fp32; their result is then rounded to K. {@code sum=xla} adds in {@link XlaSum}'s
 * order instead of the lane partials'.
 *
 * <h2>Special values</h2>
 * Never throws on the logits: NaN or +inf anywhere makes lse, loss and the gradient NaN (as
 * inf − inf does in the max shift); −inf logits get probability 0, with every algo (online
 * included: a partial that has seen only −inf is an empty sum); every logit −inf gives NaN
 * (−inf − (−inf) in the max shift), with every algo (naive shifts by a non-finite max) and every
 * gradient form (zerosum with C = 1 too). A −inf logit exists only in formats with infinities:
 * elsewhere it is not a value of the format, and z_j − m rounds like any result (NaN in fn and
 * fnuz formats, −max in MX formats). The caller checks shapes.
 *
 * <h2>Zero-sum bounds</h2>
 * The stored gradient sums (exactly) to zero up to these bounds, tested by ZeroSumProperties:
 * <ul>
 *   <li>{@code grad=zerosum}: g_y is the exact −Σ_{j≠y} g_j rounded once to FORMAT, so
 *   |Σ g| ≤ ½ ulp(g_y) under rne and &lt; 1 ulp(g_y) under the other modes, as long as that sum is
 *   within FORMAT's range (ulp: FORMAT's spacing at |g_y|).</li>
 *   <li>{@code grad=complement} (rne): every entry, g_y included, is a quotient by the same S, so
 *   only the rounding of the quotients and of the sum S₋ remain: |Σ g| ≤ (2δ + γ_h(1 + δ))·Q + C·η
 *   with Q = S₋/S ≈ |g_y|, δ = u_K + u_F + u_K·u_F (u_F alone when K = F, u = 2^−p),
 *   γ_h = h·u_A/(1 − h·u_A) for h = ⌈C/W⌉ + log2 W additions per term (W = lanes), and η the sum
 *   of the smallest subnormals of K, FORMAT and A (underflow). Not for {@code acc=kahan}.</li>
 * </ul>
 * The standard form has no such bound: once p_y rounds to 1, g_y = 0 and |Σ g| = Q.
 *
 * <p>Not thread-safe: it keeps scratch arrays. Use one instance per thread.
 */
public final class ScalarKernel implements Kernel {

    private final Recipe recipe;
    private final Rounding toFormat;
    private final Rounding toCompute;
    private final Rounding toAcc;
    /** chunk=N's merge, or null. */
    private final ChunkMerge chunks;
    /** The mitigations' scalar terms (smooth, zloss, scale, gradfmt). */
    private final MitigationTerms terms;
    private final boolean fp64;
    private final boolean stochastic;
    private final int[] keys;
    private final int lanes;
    private final double[] partialSum;
    private final double[] partialCompensation;
    private final double[] partialMax;
    private final boolean[] partialUsed;
    /** The fold's steps for rows of at least {@code lanes} classes and for shorter ones ({@link FoldOrder}). */
    private final int[] foldSteps;
    private final int[] shortFoldSteps;
    /** XLA:CPU's order ({@code sum=xla}), or null. */
    private final XlaSum xlaSum;
    /** Whether exp=xla takes YNNPACK's exp in this evaluation: fp32 logits, C ≥ 4096. */
    private boolean ynnpackExp;
    private final ExactSum exact = new ExactSum();
    private double[] capped = new double[0];
    private double[] shifted = new double[0];
    private double[] exps = new double[0];
    /** exp(d_j) before its rounding to K, what the sum adds under sumexp=fp32. */
    private double[] rawExps = new double[0];
    /** The target distribution q_j under the mitigations. */
    private double[] targets = new double[0];

    public ScalarKernel(Recipe recipe) {
        this.recipe = recipe;
        this.toFormat = recipe.roundingTo(recipe.format());
        this.toCompute = recipe.roundingTo(recipe.computeFormat());
        this.toAcc = recipe.roundingTo(recipe.accumulatorFormat());
        this.terms = new MitigationTerms(recipe, this::bits);
        this.chunks = recipe.mitigations().chunk() > 0 ? new ChunkMerge(recipe, this::bits, this::exp) : null;
        this.fp64 = recipe.computeFormat().isFp64();
        this.stochastic = recipe.round().isStochastic();
        this.keys = new int[Op.values().length];
        for (Op op : Op.values()) {
            keys[op.ordinal()] = RandomBits.key(recipe.seed(), op.ordinal());
        }
        this.lanes = recipe.lanes();
        this.partialSum = new double[lanes];
        this.partialCompensation = new double[lanes];
        this.partialMax = new double[lanes];
        this.partialUsed = new boolean[lanes];
        this.foldSteps = FoldOrder.steps(recipe, lanes);
        this.shortFoldSteps = FoldOrder.steps(recipe, 1);
        this.xlaSum = recipe.sum() == Recipe.Sum.XLA ? new XlaSum(toAcc, recipe.seed()) : null;
    }

    public Recipe recipe() {
        return recipe;
    }

    /**
     * Evaluates logits {@code z[0..C)} (values of the recipe's format) with target {@code y}:
     * returns lse and loss and writes the gradient to {@code grad[0..C)}, each entry a value of
     * the format.
     */
    public Evaluation evaluate(double[] z, int y, double[] grad) {
        int n = z.length;
        if (n < 1 || y < 0 || y >= n || grad.length < n) {
            throw new IllegalArgumentException("need 1 <= C, 0 <= y < C and grad.length >= C; got C=" + n
                    + ", y=" + y + ", grad.length=" + grad.length);
        }
        ensureScratch(n);
        ynnpackExp = recipe.exp() == Recipe.Exp.XLA && recipe.format().equals(Format.FP32) && n >= XlaSum.YNNPACK_MIN;
        double[] logits = recipe.cap() > 0 ? cap(z, n) : z;
        return recipe.norm() == Recipe.Norm.STABLEMAX
                ? stablemax(logits, n, y, grad)
                : softmax(logits, n, y, grad);
    }

    private Evaluation softmax(double[] z, int n, int y, double[] grad) {
        double m = 0;
        double sum = Double.NaN;
        switch (recipe.algo()) {
            case TWOPASS:
                m = max(z, n);
                break;
            case ONLINE:
                sum = onlineSum(z, n);
                m = partialMax[0];
                break;
            case NAIVE:
                // No shift for finite logits. A non-finite max (NaN, +inf, or every logit −inf)
                // is shifted by as in twopass, so the special logits give what the class Javadoc
                // says for every algo: unshifted, +inf gave lse = +inf with g_j = 0, −1 or NaN,
                // and all −inf gave lse = −inf.
                double top = max(z, n);
                if (!Double.isFinite(top)) {
                    m = top;
                }
                break;
        }
        boolean raw = recipe.sumExp() == Recipe.SumExp.FP32;
        for (int j = 0; j < n; j++) {
            shifted[j] = toCompute.subtract(z[j], m, bits(Op.SUBTRACT_MAX, j));
            double e = exp(shifted[j]);
            exps[j] = toCompute.round(e, bits(Op.EXP, j));
            if (raw) {
                rawExps[j] = e;
            }
        }
        double[] terms = raw ? rawExps : exps;
        if (recipe.algo() != Recipe.Algo.ONLINE) {
            double s = chunks == null ? sum(terms, n, -1) : chunks.sum(z, n, (e, len) -> sum(e, len, -1));
            sum = storeRowSum(s, Op.ROWSUM_STORE, 0);
        }
        double r;
        if (recipe.lse() == Recipe.Lse.LOG1P) {
            int top = firstIndexOf(z, n, m);
            double s = sum(terms, n, top);
            // The left-out term is exp(0) = 1 only when m is finite; for m = +inf its shift is
            // inf − inf = NaN, and leaving it out would hide the NaN (lse = inf, g_y = −1).
            if (top >= 0 && Double.isNaN(shifted[top])) {
                s = Double.NaN;
            }
            r = toCompute.round(log1p(s), bits(Op.LOG, 0));
        } else {
            r = storeRowSum(toCompute.round(log(sum), bits(Op.LOG, 0)), Op.LOG_STORE, 0);
        }
        double lse = toCompute.add(m, r, bits(Op.LSE, 0));
        double loss = toCompute.subtract(lse, z[y], bits(Op.LOSS, y));
        boolean storeLogp = recipe.logp() == Recipe.LogProb.FORMAT;
        boolean reciprocal = recipe.grad() == Recipe.Gradient.RECIP || recipe.grad() == Recipe.Gradient.RECIPFMA;
        double inverse = reciprocal ? toCompute.divide(1.0, sum, bits(Op.GRAD_RECIPROCAL, 0)) : Double.NaN;

        for (int j = 0; j < n; j++) {
            double p;
            switch (recipe.grad()) {
                case STANDARD:
                case CENTER:
                    double logp = toCompute.subtract(shifted[j], r, bits(Op.GRAD_SUBTRACT, j));
                    if (storeLogp) {
                        logp = toFormat.round(logp, bits(Op.LOGP_STORE, j));
                    }
                    p = toCompute.round(exp(logp), bits(Op.GRAD_EXP, j));
                    break;
                case LSE:
                    p = toCompute.round(exp(toCompute.subtract(z[j], lse, bits(Op.GRAD_SUBTRACT, j))), bits(Op.GRAD_EXP, j));
                    break;
                case RECIP:
                    p = toCompute.multiply(inverse, exps[j], bits(Op.GRAD_MULTIPLY, j));
                    break;
                case RECIPFMA:
                    p = fusedMultiplyAdd(inverse, exps[j], j == y ? -1.0 : 0.0, bits(Op.GRAD_MULTIPLY, j));
                    break;
                default:
                    p = j == y && recipe.grad() != Recipe.Gradient.DIV ? 0 : toCompute.divide(exps[j], sum, bits(Op.GRAD_DIVIDE, j));
                    break;
            }
            grad[j] = p;
        }
        if (recipe.mitigations().any()) {
            mitigatedGradient(grad, n, y, lse);
            return new Evaluation(lse, loss);
        }
        double complement = recipe.grad() == Recipe.Gradient.COMPLEMENT
                ? toCompute.divide(storeRowSum(sum(terms, n, y), Op.ROWSUM_STORE, y), sum, bits(Op.GRAD_DIVIDE, y))
                : Double.NaN;
        finishGradient(grad, n, y, 1.0, complement, sum);
        return new Evaluation(lse, loss);
    }

    /**
     * The gradient with the recipe's mitigations (docs/recipes.md, "Mitigations") from the
     * probabilities p_j in grad (values of K): g_j = rd_G(rd_K(s·rd_K(rd_K(p_j·w) − q_j))); a
     * step that changes nothing (w = 1, q_j = 0) is skipped.
     */
    private void mitigatedGradient(double[] grad, int n, int y, double lse) {
        double off = terms.off(n);
        double qy = terms.on(off, y);
        double w = terms.weight(targetSum(off, qy, n, y), lse);
        double py = grad[y];
        for (int j = 0; j < n; j++) {
            if (j != y) {
                double u = w == 1 ? grad[j] : toCompute.multiply(grad[j], w, bits(Op.GRAD_WEIGHT, j));
                grad[j] = terms.store(off == 0 ? u : toCompute.subtract(u, off, bits(Op.GRAD_TARGET, j)), j);
            }
        }
        grad[y] = terms.target(py, w, qy, y);
    }

    /** T = Σ q_j in A in the recipe's order under smoothing (the stored targets' sum), else exactly 1. */
    private double targetSum(double off, double qy, int n, int y) {
        if (terms.mitigations.smooth() == 0) {
            return 1.0;
        }
        Arrays.fill(targets, 0, n, off);
        targets[y] = qy;
        return sum(targets, n, -1);
    }

    /**
     * What the recipe stores for g_y once p_y rounds to 1 on a row of n classes with this lse:
     * 0 without smooth and zloss, else rd_G(rd_K(s·rd_K(rd_K(w) − q_y))). The sweep's absorption
     * predicate is g_y equal to this value: the target's gradient no longer depends on its logit.
     */
    public double saturatedTargetGradient(int n, int y, double lse) {
        if (!terms.mitigations.weighted()) {
            return 0.0;
        }
        ensureScratch(n);
        double off = terms.off(n);
        double qy = terms.on(off, y);
        double w = terms.weight(targetSum(off, qy, n, y), lse);
        return terms.target(1.0, w, qy, y);
    }

    /**
     * What the recipe stores for g_j, j ≠ y, once p_j is 0 on a row of n classes:
     * rd_G(rd_K(s·(−q_off))) under smoothing (sr draws entry j's bits), else 0.
     */
    public double vanishedGradient(int n, int j) {
        double off = terms.off(n);
        return off == 0 ? 0.0 : terms.store(-off, j);
    }

    /**
     * rd_K(a·b + c) rounded once (grad=recipfma). a and b are values of K: for a float K their
     * product is exact in double and the sum is rounded once; fp64 has the fma itself.
     */
    private double fusedMultiplyAdd(double a, double b, double c, int randomBits) {
        return fp64 ? toCompute.round(Math.fma(a, b, c), randomBits) : toCompute.add(a * b, c, randomBits);
    }

    /** A row sum or its log, stored to FORMAT under {@code rowsum=FORMAT} (PyTorch's buffer of the logits' type). */
    private double storeRowSum(double value, Op op, int index) {
        return recipe.rowsum() == Recipe.RowSum.FORMAT ? toFormat.round(value, bits(op, index)) : value;
    }

    /** StableMax (Prieto et al. 2025): s(x) in place of exp, no max shift, its own gradient. */
    private Evaluation stablemax(double[] z, int n, int y, double[] grad) {
        for (int j = 0; j < n; j++) {
            exps[j] = toCompute.round(stablemax(z[j]), bits(Op.STABLEMAX, j));
            shifted[j] = toCompute.round(stablemaxDerivative(z[j]), bits(Op.STABLEMAX_DERIVATIVE, j));
        }
        double sum = sum(exps, n, -1);
        double logSum = toCompute.round(log(sum), bits(Op.LOG, 0));
        double logTarget = toCompute.round(log(exps[y]), bits(Op.STABLEMAX_LOG_TARGET, y));
        double loss = toCompute.subtract(logSum, logTarget, bits(Op.LOSS, y));
        for (int j = 0; j < n; j++) {
            grad[j] = toCompute.divide(shifted[j], sum, bits(Op.GRAD_DIVIDE, j));
        }
        double one = toCompute.divide(shifted[y], exps[y], bits(Op.STABLEMAX_TARGET_DIVIDE, y));
        double complement = Double.NaN;
        if (recipe.grad() == Recipe.Gradient.COMPLEMENT) {
            double numerator = toCompute.multiply(shifted[y], sum(exps, n, y), bits(Op.STABLEMAX_NUMERATOR, y));
            double denominator = toCompute.multiply(sum, exps[y], bits(Op.STABLEMAX_DENOMINATOR, y));
            complement = toCompute.divide(numerator, denominator, bits(Op.GRAD_DIVIDE, y));
        }
        finishGradient(grad, n, y, one, complement, sum);
        return new Evaluation(logSum, loss);
    }

    /**
     * Turns the per-class probabilities p_j (values of K, in grad) into the stored gradient:
     * g_j = rd_F(p_j) for j ≠ y, and for y the recipe's form — p_y − one (rounded in K first),
     * −complement, or minus the exact sum of the others; then the center projection if asked.
     * {@code sum} is S: a NaN S (a NaN or +inf logit, or every logit −inf) makes g_y NaN also
     * where nothing else carries the NaN to it (zerosum with C = 1, an empty sum of others).
     */
    private void finishGradient(double[] grad, int n, int y, double one, double complement, double sum) {
        double py = grad[y];
        for (int j = 0; j < n; j++) {
            if (j != y) {
                grad[j] = toFormat.round(grad[j], bits(Op.GRAD_STORE, j));
            }
        }
        double gy;
        switch (recipe.grad()) {
            case COMPLEMENT:
                gy = -complement;
                break;
            case RECIPFMA:
                gy = py; // rd_K(r·e_y − 1), the 1 subtracted inside the fused step
                break;
            case ZEROSUM:
                exact.clear();
                for (int j = 0; j < n; j++) {
                    if (j != y) {
                        exact.add(grad[j]);
                    }
                }
                // Rounded once, straight to FORMAT: the odd-rounded exact sum rounds correctly
                // only once (ExactSum.toOdd). Rounding to K first would round twice and break
                // the promise |Σ g| <= half an ulp of g_y (e.g. fp16/compute=fp32). fp64 has no
                // rounding after toOdd (the carrier is the format), so it takes the nearest.
                double others = toFormat.format().isFp64() ? exact.toNearest() : exact.toOdd();
                gy = Double.isNaN(sum) ? Double.NaN : toFormat.round(-others, bits(Op.GRAD_SUM, y));
                break;
            default:
                gy = toCompute.subtract(py, one, bits(Op.GRAD_MINUS_ONE, y));
                break;
        }
        grad[y] = toFormat.round(gy, bits(Op.GRAD_STORE, y));
        if (recipe.grad() == Recipe.Gradient.CENTER) {
            exact.clear();
            for (int j = 0; j < n; j++) {
                exact.add(grad[j]);
            }
            // The mean of the stored entries, fp64: the exact sum (to odd) divided by C.
            double mean = exact.toOdd() / n;
            for (int j = 0; j < n; j++) {
                double centered = toCompute.subtract(grad[j], mean, bits(Op.GRAD_CENTER, j));
                grad[j] = toFormat.round(centered, bits(Op.GRAD_CENTER_STORE, j));
            }
        }
    }

    /**
     * Σ e_j over j ≠ skip in the recipe's summation order: XLA's ({@link XlaSum}), or partial
     * l = j mod W in index order, then the partials fold in halves (DESIGN.md §4 step 3).
     */
    private double sum(double[] e, int n, int skip) {
        if (xlaSum != null) {
            return xlaSum.sum(e, n, skip);
        }
        boolean kahan = recipe.acc() == Recipe.Accumulator.KAHAN;
        Arrays.fill(partialSum, 0.0);
        Arrays.fill(partialCompensation, 0.0);
        for (int j = 0; j < n; j++) {
            if (j != skip) {
                int l = j & (lanes - 1);
                if (kahan) {
                    kahanAdd(l, e[j], j);
                } else {
                    partialSum[l] = toAcc.add(partialSum[l], e[j], bits(Op.ACCUMULATE, j));
                }
            }
        }
        int[] steps = n < lanes ? shortFoldSteps : foldSteps;
        for (int k = 0; k < steps.length; k += 4) {
            int i = steps[k];
            int b = steps[k + 1];
            int index = foldIndex(steps[k + 2], steps[k + 3]);
            if (kahan) {
                double value = toAcc.subtract(partialSum[b], partialCompensation[b], bits(Op.KAHAN_RESULT, foldIndex(steps[k + 2], b)));
                kahanAdd(i, value, index);
            } else {
                partialSum[i] = toAcc.add(partialSum[i], partialSum[b], bits(Op.FOLD, index));
            }
        }
        return kahan ? toAcc.subtract(partialSum[0], partialCompensation[0], bits(Op.KAHAN_RESULT, 0)) : partialSum[0];
    }

    /**
     * Kahan's compensated step on partial l, every operation rounded to A. The compensation c
     * holds what the sum overshot, so the partial's value is s − c. Do not reorder.
     */
    private void kahanAdd(int l, double x, int index) {
        double s = partialSum[l];
        double corrected = toAcc.subtract(x, partialCompensation[l], bits(Op.KAHAN_CORRECT, index));
        double t = toAcc.add(s, corrected, bits(Op.ACCUMULATE, index));
        double grown = toAcc.subtract(t, s, bits(Op.KAHAN_ERROR, index));
        partialCompensation[l] = toAcc.subtract(grown, corrected, bits(Op.KAHAN_ERROR_TERM, index));
        partialSum[l] = t;
    }

    /**
     * The online normaliser (Milakov–Gimelshein): per partial a running max and a sum rescaled
     * whenever the max grows; the partials fold like the two-pass sum, both rescaled to the
     * larger max. Leaves the max in partialMax[0] and returns S.
     */
    private double onlineSum(double[] z, int n) {
        Arrays.fill(partialUsed, false);
        Arrays.fill(partialSum, 0.0);
        for (int j = 0; j < n; j++) {
            int l = j & (lanes - 1);
            double zj = z[j];
            double newMax = partialUsed[l] ? Math.max(partialMax[l], zj) : zj;
            if (newMax == Double.NEGATIVE_INFINITY) {
                // Only −inf so far: the partial is an empty sum. ε(−inf − (−inf)) would be NaN
                // and poison S, although a −inf logit has probability 0 (as in twopass).
                partialSum[l] = 0.0;
                partialMax[l] = newMax;
                partialUsed[l] = true;
                continue;
            }
            double rescaled = partialUsed[l] && partialMax[l] != Double.NEGATIVE_INFINITY
                    ? toAcc.multiply(partialSum[l], epsilon(partialMax[l], newMax, Op.ONLINE_SHIFT, Op.ONLINE_RESCALE_EXP, j),
                            bits(Op.ONLINE_RESCALE, j))
                    : 0.0;
            double term = epsilon(zj, newMax, Op.ONLINE_SUBTRACT, Op.ONLINE_EXP, j);
            partialSum[l] = toAcc.add(rescaled, term, bits(Op.ACCUMULATE, j));
            partialMax[l] = newMax;
            partialUsed[l] = true;
        }
        int level = 0;
        for (int width = lanes; width > 1; width >>= 1, level++) {
            int half = width >> 1;
            for (int i = 0; i < half; i++) {
                int b = i + half;
                // A partial that saw only −inf holds an empty sum: skip it like an unused one.
                if (!partialUsed[b] || partialMax[b] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                if (!partialUsed[i] || partialMax[i] == Double.NEGATIVE_INFINITY) {
                    partialMax[i] = partialMax[b];
                    partialSum[i] = partialSum[b];
                    partialUsed[i] = true;
                    continue;
                }
                double newMax = Math.max(partialMax[i], partialMax[b]);
                double sa = toAcc.multiply(partialSum[i], epsilon(partialMax[i], newMax, Op.FOLD_SHIFT, Op.FOLD_RESCALE_EXP, foldIndex(level, i)),
                        bits(Op.FOLD_RESCALE, foldIndex(level, i)));
                double sb = toAcc.multiply(partialSum[b], epsilon(partialMax[b], newMax, Op.FOLD_SHIFT, Op.FOLD_RESCALE_EXP, foldIndex(level, b)),
                        bits(Op.FOLD_RESCALE, foldIndex(level, b)));
                partialSum[i] = toAcc.add(sa, sb, bits(Op.FOLD, foldIndex(level, i)));
                partialMax[i] = newMax;
            }
        }
        // Every logit −inf: NaN, as the max shift −inf − (−inf) makes it in twopass.
        return partialMax[0] == Double.NEGATIVE_INFINITY ? Double.NaN : partialSum[0];
    }

    /** ε(a − b) = rd_K(exp(rd_K(a − b))). */
    private double epsilon(double a, double b, Op subtract, Op exp, int index) {
        return toCompute.round(exp(toCompute.subtract(a, b, bits(subtract, index))), bits(exp, index));
    }

    /** z ← rd_K(c·tanh(rd_K(z / c))), c itself rounded to K (Gemma 2's logit soft-capping). */
    private double[] cap(double[] z, int n) {
        double c = toCompute.round(recipe.cap(), 0);
        for (int j = 0; j < n; j++) {
            double scaled = toCompute.divide(z[j], c, bits(Op.CAP_DIVIDE, j));
            double t = toCompute.round(tanh(scaled), bits(Op.CAP_TANH, j));
            capped[j] = toCompute.multiply(c, t, bits(Op.CAP_MULTIPLY, j));
        }
        return capped;
    }

    private static double max(double[] z, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, z[j]); // propagates NaN
        }
        return m;
    }

    /** The first j with z[j] == m, or −1 (m is NaN). */
    private static int firstIndexOf(double[] z, int n, double m) {
        for (int j = 0; j < n; j++) {
            if (z[j] == m) {
                return j;
            }
        }
        return -1;
    }

    private double exp(double x) {
        if (fp64) {
            return recipe.exp() == Recipe.Exp.POLY ? ExpPoly.exp(x) : Math.exp(x);
        }
        float xf = (float) x;
        switch (recipe.exp()) {
            case POLY: return ExpPoly.exp(xf);
            case SLEEF: return SleefExp.exp(xf);
            case GLIBC: return GlibcExp.exp(xf);
            case XLA: return ynnpackExp ? YnnpackExp.exp(xf) : XlaExp.exp(xf);
            default: return (float) Math.exp(xf);
        }
    }

    private double log(double x) {
        return fp64 ? StrictMath.log(x) : (float) StrictMath.log(x);
    }

    private double log1p(double x) {
        return fp64 ? StrictMath.log1p(x) : (float) StrictMath.log1p(x);
    }

    private double tanh(double x) {
        return fp64 ? StrictMath.tanh(x) : (float) StrictMath.tanh(x);
    }

    /** s(x) = x + 1 for x ≥ 0, 1 / (1 − x) otherwise, evaluated in fp32 (fp64). */
    private double stablemax(double x) {
        if (fp64) {
            return x >= 0 ? x + 1 : 1 / (1 - x);
        }
        float xf = (float) x;
        return xf >= 0 ? xf + 1f : 1f / (1f - xf);
    }

    /** s'(x) = 1 for x ≥ 0, 1 / (1 − x)² otherwise, evaluated in fp32 (fp64). */
    private double stablemaxDerivative(double x) {
        if (fp64) {
            double t = 1 - x;
            return x >= 0 ? 1 : 1 / (t * t);
        }
        float xf = (float) x;
        float t = 1f - xf;
        return xf >= 0 ? 1f : 1f / (t * t);
    }

    private int bits(Op op, int index) {
        return stochastic ? RandomBits.of(keys[op.ordinal()], index) : 0;
    }

    private static int foldIndex(int level, int partial) {
        return -1 - (Recipe.MAX_LANES * level + partial);
    }

    private void ensureScratch(int n) {
        if (shifted.length < n) {
            capped = new double[n];
            shifted = new double[n];
            exps = new double[n];
            rawExps = new double[n];
            targets = new double[n];
        }
    }

    // The entry point on a row prefix and the forward pass: through scratch, as the reference
    // has no forward pass of its own.

    /** z[0..n) when n is not z.length. */
    private double[] row = new double[0];
    /** The gradient a forward pass computes and drops. */
    private double[] dropped = new double[0];

    @Override
    public Evaluation evaluate(double[] z, int n, int y, double[] grad) {
        RowArguments.check(n, y, z.length, grad == null ? -1 : grad.length);
        double[] logits = z;
        if (n != z.length) {
            if (row.length != n) {
                row = new double[n];
            }
            System.arraycopy(z, 0, row, 0, n);
            logits = row;
        }
        if (grad == null) {
            if (dropped.length < n) {
                dropped = new double[n];
            }
            grad = dropped;
        }
        return evaluate(logits, y, grad);
    }
}
