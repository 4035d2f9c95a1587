package dev.absorb.kernel;

import dev.absorb.format.RandomBits;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The Vector API kernel: the same evaluation as {@link ScalarKernel}, lane-wise on float lanes,
 * with the same result bit for bit (for {@code exp=poly}; {@code exp=jdk} uses the Vector API's
 * EXP, which is platform-dependent by definition).
 *
 * <h2>Summation order</h2>
 * With W = {@code lanes} partial sums and vectors of V = min(W, preferred) lanes, W/V
 * accumulator vectors take turns over consecutive chunks of V elements, so element j lands in
 * partial j mod W, as DESIGN.md §4 fixes. The fold of the last W partials (W − 1 additions) runs
 * on the scalar rounding, in the reference's order. With W &lt; 4 the partials are updated by
 * the scalar rounding too: such a sum is one long dependency chain anyway.
 *
 * <h2>Scope</h2>
 * {@link #supports} says which recipes run here; the others (acc=fp64, online or kahan with sr
 * or srh, fp64 and formats with 22 mantissa bits) run on {@link SimdKernel64} or the scalar
 * kernel, and {@link #runsUnboxed} which of these run fast ({@link Kernels}). sr and srh are
 * staged ({@link VectorStochasticRounding}), and so are the deterministic roundings whose bit
 * tricks are too long to compile unboxed ({@link VectorStagedRounding}). algo=online runs on
 * {@link SimdOnlineSum}; norm=stablemax lane-wise; grad=center and cap partly in scalar passes
 * (docs/decisions.md, "SIMD variants").
 *
 * <p>Not thread-safe: it keeps scratch arrays. Use one instance per thread.
 */
public final class SimdKernel implements Kernel {

    private final Recipe recipe;
    private static final VectorSpecies<Float> species = VectorWidth.FLOATS;
    private static final int width = species.length();
    /** The elements of one decision between sr's float and double paths for differences (a multiple of width). */
    private static final int SR_BLOCK = 512;
    private final int lanes;
    private final VectorRounding vectorToFormat;
    private final VectorRounding vectorToCompute;
    private final VectorRounding vectorToAcc;
    private final Rounding toFormat;
    private final Rounding toCompute;
    private final Rounding toAcc;
    private final boolean polynomialExp;
    private final Recipe.Exp expKind;
    /** The fold's steps for rows of at least {@code lanes} classes, and for shorter rows (FoldOrder). */
    private final int[] foldSteps;
    private final int[] shortFoldSteps;
    private final boolean storeLogp;
    /** round=sr: the stochastic roundings below replace the vector roundings above (then null). */
    private final boolean stochastic;
    private final VectorStochasticRounding srFormat;
    private final VectorStochasticRounding srCompute;
    private final VectorStochasticRounding srAcc;
    /**
     * The deterministic modes where VectorRounding's path is long (any mode but rne, sat, ftz, or
     * a format with p &gt; 11; sums and quotients that are not narrow): each such operation is
     * staged and rounded by one flat loop ({@link VectorStagedRounding}), which does not box.
     * Null under sr and srh.
     */
    private final VectorStagedRounding stagedFormat;
    private final VectorStagedRounding stagedCompute;
    private final VectorStagedRounding stagedAcc;
    /** Rounding a value to FORMAT is staged. */
    private final boolean formatStaged;
    /** Roundings to K of values and of differences (operands of K or FORMAT) are staged. */
    private final boolean computeStaged;
    /** Sums in A (and Kahan's steps) are staged. */
    private final boolean sumsStaged;
    /** Quotients in K (e_j / S) are staged. */
    private final boolean quotientsStaged;
    /** RandomBits keys per {@link Op}, as the scalar kernel derives them. */
    private final int[] keys;
    /**
     * Whether K and A both have p ≤ 11, so that sums (A + K) and quotients (K / A) of their
     * values are exact-once as a float operation rounded once more (under rne). Subtractions in K
     * always have K or FORMAT operands, so VectorRounding decides those alone.
     */
    private final boolean narrowSums;
    /**
     * K and A are fp32, one accumulator vector, no Kahan, lse=log: S is Σ exp(z_j − m) in one
     * loop ({@link #fusedSum}), without storing d_j and e_j. The forward pass takes it whatever
     * the gradient's form; the fused pass only with {@link #fused}.
     */
    private final boolean sumInOneLoop;
    /** {@link #sumInOneLoop}, FORMAT rounded inline and grad standard or lse: the fused path. */
    private final boolean fused;
    /**
     * K is FORMAT: rd_FORMAT of a value of K is that value (a representable value rounds to
     * itself in every mode, sr and srh included: its discarded fraction is 0; sat and ftz leave
     * it), so that pass is skipped.
     */
    private final boolean formatIsCompute;
    /** S rounds the exps to K as it sums them ({@link #roundingSum}): the short paths, lanes ≥ the width, no Kahan. */
    private final boolean roundsExpsInSum;
    private final double[] partials;
    private final ExactSum exact = new ExactSum();
    /** Kahan's compensation per partial (acc=kahan): the partial's value is partials − compensation. */
    private final double[] compensation;
    private final boolean kahan;
    private final float[] lane;
    private final float[] laneCompensation;
    private final float[] tailIn;
    /** The last elements (fewer than a double vector's lanes) of a rounding under sr, padded. */
    private final float[] stageTail;
    private final float[] tailShifted;
    private final float[] tailExps;
    private float[] logits = new float[0];
    private float[] shifted = new float[0];
    private float[] exps = new float[0];
    private float[] gradient = new float[0];
    /**
     * Staged operations: under sr a quotient's exact result as hi + num/den, and the random bits
     * (drawBits stores them at the element's index, roundStaged from 0); under the deterministic
     * modes the exact result rounded to odd in stageHi alone; then the results.
     */
    private double[] stageHi = new double[0];
    private double[] stageNum = new double[0];
    private double[] stageDen = new double[0];
    private int[] stageBits = new int[0];
    private float[] stageOut = new float[0];
    private final float[] stagePartials = new float[Recipe.MAX_LANES];
    /** Staged Kahan: the chunk's corrected terms, new partials, and t − s then the new compensation. */
    private final float[] kahanCorrected = new float[Recipe.MAX_LANES];
    private final float[] kahanSum = new float[Recipe.MAX_LANES];
    private final float[] kahanStep = new float[Recipe.MAX_LANES];
    /** cap=c: c·t is a float product rounded once (SimdOnlineSum.exactProducts for K). */
    private final boolean exactCapProducts;
    /** algo=online: the running-max sum, else null. */
    private final SimdOnlineSum online;
    /** cap=c: the capped logits. */
    private float[] capped = new float[0];
    /** norm=stablemax: s(z_j), s'(z_j) and p_j, padded to whole vectors. */
    private float[] stableValues = new float[0];
    private float[] stableDerivatives = new float[0];
    private float[] stableProbabilities = new float[0];
    /** grad=center: the differences g_j − mean narrowed to float, padded to whole vectors. */
    private float[] centered = new float[0];
    private final ExactFloatSum exactFloatSum = new ExactFloatSum();
    /** The range of the logits of the current evaluation, set by {@link #max}; NaN where it did not run. */
    private float zMin;
    private float zMax;

    public SimdKernel(Recipe recipe) {
        if (!supports(recipe)) {
            throw new IllegalArgumentException("the SIMD kernel does not run " + recipe);
        }
        this.recipe = recipe;
        this.lanes = recipe.lanes();
        this.toFormat = recipe.roundingTo(recipe.format());
        this.toCompute = recipe.roundingTo(recipe.computeFormat());
        this.toAcc = recipe.roundingTo(recipe.accumulatorFormat());
        this.stochastic = recipe.round().isStochastic();
        this.vectorToFormat = stochastic ? null : new VectorRounding(toFormat);
        this.vectorToCompute = stochastic ? null : new VectorRounding(toCompute);
        this.vectorToAcc = stochastic ? null : new VectorRounding(toAcc, recipe.computeFormat()); // its sums add exps of K
        this.srFormat = stochastic ? new VectorStochasticRounding(toFormat) : null;
        this.srCompute = stochastic ? new VectorStochasticRounding(toCompute) : null;
        // Its sums add exps of K: where K and A are one small format (e4m3) every such sum is a float.
        this.srAcc = stochastic ? new VectorStochasticRounding(toAcc, recipe.computeFormat()) : null;
        this.keys = new int[Op.values().length];
        for (Op op : Op.values()) {
            keys[op.ordinal()] = RandomBits.key(recipe.seed(), op.ordinal());
        }
        this.polynomialExp = recipe.exp() == Recipe.Exp.POLY;
        this.expKind = recipe.exp();
        this.foldSteps = FoldOrder.steps(recipe, recipe.lanes());
        this.shortFoldSteps = FoldOrder.steps(recipe, 1);
        this.storeLogp = recipe.logp() == Recipe.LogProb.FORMAT;
        this.narrowSums = narrowSums(recipe);
        this.stagedFormat = stochastic ? null : new VectorStagedRounding(toFormat);
        this.stagedCompute = stochastic ? null : new VectorStagedRounding(toCompute);
        this.stagedAcc = stochastic ? null : new VectorStagedRounding(toAcc);
        this.computeStaged = !stochastic && !vectorToCompute.isShort();
        this.sumsStaged = !stochastic && !(vectorToAcc.isShort() && (narrowSums || vectorToAcc.isIdentity()));
        // Only recipes that divide (divide() is their loop) stage quotients: the flag also stages
        // the rounding to FORMAT below, which made fused bf16/acc=fp32 (standard) 4x slower.
        this.quotientsStaged = !stochastic && divides(recipe)
                && !(vectorToCompute.isShort() && (narrowSums || vectorToCompute.isIdentity()));
        // With staged quotients the probabilities are rounded to FORMAT staged too: on JDK 17 the
        // short loop after a staged quotient boxed (fused bf16/acc=fp32/grad=div: 40 B per element).
        this.formatStaged = !stochastic && (!vectorToFormat.isShort() || quotientsStaged);
        // The fused loop rounds to FORMAT inline: only on the short path (e5m12/compute=fp32/acc=fp32 is not).
        // Not with exp=sleef: its exp inlined into the one loop passed C2's limits and boxed every
        // vector (-prof gc: 118 KB per forward call of torch:fp32 at C = 4096); the separate exp loop does not.
        this.sumInOneLoop = !stochastic && recipe.exp() != Recipe.Exp.SLEEF
                && vectorToCompute.isIdentity() && vectorToAcc.isIdentity() && lanes == width
                && recipe.acc() != Recipe.Accumulator.KAHAN && recipe.lse() == Recipe.Lse.LOG;
        this.fused = sumInOneLoop && !formatStaged && recipe.logp() == Recipe.LogProb.COMPUTE
                && (recipe.grad() == Recipe.Gradient.STANDARD || recipe.grad() == Recipe.Gradient.LSE);
        this.roundsExpsInSum = !stochastic && !fused && !computeStaged && !sumsStaged && !vectorToCompute.isIdentity()
                && lanes >= width && recipe.acc() != Recipe.Accumulator.KAHAN;
        this.formatIsCompute = recipe.computeFormat().equals(recipe.format());
        this.partials = new double[lanes];
        this.compensation = new double[lanes];
        this.kahan = recipe.acc() == Recipe.Accumulator.KAHAN;
        this.lane = new float[width];
        this.laneCompensation = new float[width];
        this.tailIn = new float[width];
        this.stageTail = new float[width];
        this.tailShifted = new float[width];
        this.tailExps = new float[width];
        this.online = recipe.algo() == Recipe.Algo.ONLINE ? new SimdOnlineSum(recipe) : null;
        this.exactCapProducts = SimdOnlineSum.exactProducts(recipe.computeFormat(), recipe.round());
    }

    /** Whether this kernel runs the recipe (else {@link ScalarKernel} does). */
    public static boolean supports(Recipe recipe) {
        // online under sr or srh: its loop-carried sum is not staged (docs/decisions.md).
        // exp=glibc has no vector form here: it stays on the scalar reference.
        return recipe.exp() != Recipe.Exp.GLIBC && (recipe.algo() != Recipe.Algo.ONLINE || !recipe.round().isStochastic())
                && recipe.acc() != Recipe.Accumulator.FP64
                && recipe.format().fitsFloat()
                && (recipe.round().isStochastic()
                    ? recipe.acc() != Recipe.Accumulator.KAHAN
                    : VectorRounding.supports(recipe.roundingTo(recipe.format()))
                        && VectorRounding.supports(recipe.roundingTo(recipe.computeFormat()))
                        && VectorRounding.supports(recipe.roundingTo(recipe.accumulatorFormat())));
    }

    /**
     * Whether every vector step of the recipe compiles without boxing (measured with JMH
     * {@code -prof gc}). Each step of twopass and naive takes a short path (the identity, rne by
     * bit tricks, narrow sums and quotients) or is staged and rounded by one flat loop: sr and
     * srh by {@link VectorStochasticRounding}, every other mode, sat, ftz and the sums and
     * quotients that are not narrow by {@link VectorStagedRounding}. The variants (online, cap,
     * stablemax, center) are fast where their own loops' roundings are short.
     */
    public static boolean runsUnboxed(Recipe recipe) {
        if (!supports(recipe)) {
            return false;
        }
        boolean variant = recipe.algo() == Recipe.Algo.ONLINE || recipe.cap() > 0
                || recipe.norm() == Recipe.Norm.STABLEMAX || recipe.grad() == Recipe.Gradient.CENTER;
        if (!variant || recipe.round().isStochastic()) {
            return true; // every step short or staged (sr, srh: VectorStochasticRounding; else VectorStagedRounding)
        }
        // The variants' own loops (online's carried sum, cap's and stablemax's products and
        // quotients) use the vector roundings directly: fast only where those are short.
        VectorRounding toFormat = new VectorRounding(recipe.roundingTo(recipe.format()));
        VectorRounding toCompute = new VectorRounding(recipe.roundingTo(recipe.computeFormat()));
        VectorRounding toAcc = new VectorRounding(recipe.roundingTo(recipe.accumulatorFormat()));
        boolean narrowSums = narrowSums(recipe);
        boolean divides = divides(recipe);
        // online's rescale s·ε (in A) and cap's c·t (in K) are products: short only where the float product is exact.
        boolean onlineShort = recipe.algo() != Recipe.Algo.ONLINE || SimdOnlineSum.exactProducts(recipe);
        boolean capShort = recipe.cap() == 0 || SimdOnlineSum.exactProducts(recipe.computeFormat(), recipe.round());
        return toFormat.isShort() && toCompute.isShort() && toAcc.isShort()
                && (narrowSums || toAcc.isIdentity())
                && (!divides || narrowSums || toCompute.isIdentity())
                && onlineShort && capShort;
    }

    /** Whether the recipe's loops divide (e_j / S, stablemax's s'/S, cap's z / c). */
    private static boolean divides(Recipe recipe) {
        return recipe.grad() == Recipe.Gradient.DIV || recipe.grad() == Recipe.Gradient.COMPLEMENT
                || recipe.grad() == Recipe.Gradient.ZEROSUM || recipe.norm() == Recipe.Norm.STABLEMAX || recipe.cap() > 0;
    }

    /** See {@link #narrowSums the field}. */
    private static boolean narrowSums(Recipe recipe) {
        return recipe.computeFormat().fp32RoundingIsInnocuous() && recipe.accumulatorFormat().fp32RoundingIsInnocuous();
    }

    @Override
    public Recipe recipe() {
        return recipe;
    }

    @Override
    public Evaluation evaluate(double[] z, int y, double[] grad) {
        int n = z.length;
        ensureScratch(n);
        for (int j = 0; j < n; j++) {
            logits[j] = (float) z[j];
        }
        Evaluation e = evaluate(logits, n, y, gradient);
        for (int j = 0; j < n; j++) {
            grad[j] = gradient[j];
        }
        return e;
    }

    /**
     * Evaluates logits {@code z[0..n)} (values of the recipe's format) with target {@code y}:
     * returns lse and loss and writes the gradient, values of the format, to {@code grad[0..n)};
     * with {@code grad == null} only lse and loss are computed (the forward pass).
     */
    public Evaluation evaluate(float[] z, int n, int y, float[] grad) {
        if (n < 1 || y < 0 || y >= n || z.length < n || grad != null && grad.length < n) {
            throw new IllegalArgumentException("need 1 <= n <= z.length, 0 <= y < n and grad.length >= n; got n=" + n
                    + ", y=" + y + ", z.length=" + z.length + ", grad.length=" + (grad == null ? "-" : grad.length));
        }
        ensureScratch(n);
        // Unknown until max() sets them (online and stablemax do not): the general exp then.
        zMin = Float.NaN;
        zMax = Float.NaN;
        if (recipe.cap() > 0) {
            z = cap(z, n);
        }
        if (recipe.norm() == Recipe.Norm.STABLEMAX) {
            return stablemax(z, n, y, grad);
        }
        float m;
        double sum;
        if (recipe.algo() == Recipe.Algo.ONLINE) {
            sum = online.sum(z, n);
            m = (float) online.max();
            if (!fused && (grad != null || recipe.lse() == Recipe.Lse.LOG1P)) {
                shiftAndExp(z, n, m, true); // d_j and e_j recomputed with the online max (DESIGN.md §4)
            }
        } else {
            m = max(z, n);
            if (recipe.algo() == Recipe.Algo.NAIVE && Float.isFinite(m)) {
                m = 0f; // naive shifts only a non-finite max, as the scalar kernel does
            }
            // The forward pass needs no d_j or e_j: whatever the gradient's form, S in one loop.
            if (fused || sumInOneLoop && grad == null) {
                sum = fusedSum(z, n, m);
            } else if (roundsExpsInSum) {
                shiftAndExp(z, n, m, false);
                sum = roundingSum(n);
            } else {
                shiftAndExp(z, n, m, true);
                sum = sum(n, -1);
            }
            sum = storeRowSum(sum, Op.ROWSUM_STORE, 0);
        }
        double r;
        if (recipe.lse() == Recipe.Lse.LOG1P) {
            int top = firstIndexOf(z, n, m);
            double s = sum(n, top);
            if (top >= 0 && Float.isNaN(shifted[top])) {
                s = Double.NaN; // as the scalar kernel: a +inf maximum must not hide its NaN
            }
            r = toCompute.round(log1p(s), bits(Op.LOG, 0));
        } else {
            r = storeRowSum(toCompute.round(log(sum), bits(Op.LOG, 0)), Op.LOG_STORE, 0);
        }
        double lse = toCompute.add(m, r, bits(Op.LSE, 0));
        double loss = toCompute.subtract(lse, z[y], bits(Op.LOSS, y));
        if (grad != null) {
            if (fused) {
                fusedGradient(z, n, y, m, (float) r, (float) lse, grad);
            } else {
                gradient(z, n, y, (float) r, (float) lse, (float) sum, grad);
            }
            if (recipe.grad() == Recipe.Gradient.CENTER) {
                center(grad, n);
            }
        }
        return new Evaluation(lse, loss);
    }

    /** shifted_j = rd_K(z_j − m), exps_j = rd_K(exp(shifted_j)), or exp(shifted_j) unrounded if not roundExps. */
    private void shiftAndExp(float[] z, int n, float m, boolean roundExps) {
        int full = n - n % width;
        boolean moderate = differencesModerate(m);
        shiftAndExp(z, 0, full, m, shifted, exps, 0, 0, roundExps, moderate);
        if (full < n) {
            // The tail through full-width scratch copies: no masked loads or stores (JDK 17
            // does not intrinsify them on AVX2).
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            // Lanes past n (z = 0) may fall outside the bound: their exps are not copied.
            shiftAndExp(tailIn, 0, width, m, tailShifted, tailExps, 0, full, roundExps, moderate);
            System.arraycopy(tailShifted, 0, shifted, full, n - full);
            System.arraycopy(tailExps, 0, exps, full, n - full);
        }
    }

    /**
     * Whether every d_j = rd_K(z_j − m) is known to lie in [−87, 87] from the range of z that
     * {@link #max} found: a deterministic rounding is monotone, so d_j lies between
     * rd_K(zMin − m) and rd_K(zMax − m), and exp's range scan over the d_j can be skipped (sr
     * is not monotone; an unknown or NaN range answers false).
     */
    private boolean differencesModerate(float m) {
        return polynomialExp && !stochastic
                && VectorExp.moderate((float) toCompute.subtract(zMin, m, 0), (float) toCompute.subtract(zMax, m, 0));
    }

    /**
     * The chunks of z[from, to) ((to − from) a multiple of the width) into dShift and dExp from
     * {@code out}. Each loop of the kernel is a method of its own and takes arrays, never vectors:
     * a method's vector IR must stay under the JIT's inlining node limit, and a vector passed
     * to a call that is not inlined is boxed.
     */
    private void shiftAndExp(float[] z, int from, int to, float m, float[] dShift, float[] dExp, int out, int first,
                             boolean roundExps, boolean moderate) {
        subtract(z, from, to, m, dShift, out, Op.SUBTRACT_MAX, first);
        if (roundExps) {
            expOf(dShift, out, out + to - from, dExp, out, Op.EXP, first, moderate);
        } else {
            exactExpOf(dShift, out, out + to - from, dExp, out, moderate);
        }
    }

    /**
     * out[..] = rd_K(a_j − b) over the chunks of a[from, to); {@code first} is the element index of
     * position {@code from} (for sr's random bits, drawn per operation and element).
     */
    private void subtract(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first) {
        if (stochastic) {
            drawBits(op, first, to - from);
            // Block by block: where every difference of a block is a float (the usual case), it
            // is rounded in int lanes, else from the exact sums in double lanes. A few logits near
            // 0 make their bf16 differences longer than a float: they cost their block, not the loop.
            FloatVector bVector = FloatVector.broadcast(species, b);
            for (int start = from; start < to; start += SR_BLOCK) {
                int end = Math.min(start + SR_BLOCK, to);
                int at = outOffset + start - from;
                if (VectorStochasticRounding.differencesAreFloats(a, start, end, b)) {
                    for (int j = start; j < end; j += width) {
                        FloatVector.fromArray(species, a, j).sub(bVector).intoArray(out, outOffset + j - from);
                    }
                    srCompute.roundFloats(out, at, at + end - start, stageBits, first + start - from, out, at);
                } else {
                    srCompute.shift(a, start, end, -b, stageBits, first + start - from, out, at);
                }
            }
            return;
        }
        if (computeStaged) {
            VectorStagedRounding.stageDifferences(a, from, b, to - from, stageHi);
            roundStaged(stagedCompute, to - from, out, outOffset);
            return;
        }
        if (vectorToCompute.roundsNonNaNByBits() && !Float.isNaN(zMax) && !Float.isNaN(b)) {
            subtractNonNaN(a, from, to, b, out, outOffset);
            return;
        }
        FloatVector bVector = FloatVector.broadcast(species, b);
        for (int j = from; j < to; j += width) {
            FloatVector x = FloatVector.fromArray(species, a, j);
            vectorToCompute.subtractNarrow(x, bVector).intoArray(out, outOffset + j - from);
        }
    }

    /**
     * {@link #subtract}'s loop for bf16-like K under rne where {@link #max} found no NaN in z and
     * b is not NaN. Every a passed to subtract is z (capped under cap, or its zero-padded tail
     * copy) or shifted = rd_K(z − m) (m = max z; under naive 0, or a non-finite max), so a holds
     * no NaN but the default NaN of ∞ − ∞, and a_j − b is not NaN or is such a NaN:
     * {@link VectorRounding#roundNonNaN} rounds it without NaN tests (bf16 subtract-and-round
     * loop 0.16 → 0.065 ns per element, harness, JDK 25).
     */
    private void subtractNonNaN(float[] a, int from, int to, float b, float[] out, int outOffset) {
        FloatVector bVector = FloatVector.broadcast(species, b);
        for (int j = from; j < to; j += width) {
            FloatVector x = FloatVector.fromArray(species, a, j);
            vectorToCompute.roundNonNaN(x.sub(bVector)).intoArray(out, outOffset + j - from);
        }
    }

    /**
     * out[..] = rd_K(exp(x_j)) over the chunks of x[from, to): the exps, then the rounding in a
     * loop of its own (measured on JDK 17 and 25: the two loops together take about two thirds of
     * the time of one loop doing both). {@code moderate}: see {@link #exactExpOf}.
     */
    private void expOf(float[] x, int from, int to, float[] out, int outOffset, Op op, int first, boolean moderate) {
        exactExpOf(x, from, to, out, outOffset, moderate);
        if (stochastic) {
            roundStagedValues(srCompute, op, first, out, outOffset, to - from);
        } else if (computeStaged) {
            roundStagedValues(stagedCompute, out, outOffset, to - from);
        } else if (!vectorToCompute.isIdentity()) {
            roundInPlace(vectorToCompute, out, outOffset, outOffset + to - from);
        }
    }

    /**
     * out[..] = exp(x_j) in fp32, not rounded further, over the chunks of x[from, to);
     * {@code moderate}: every x_j whose exp is used is known to be in [−87, 87] (exp=poly), so no
     * range scan (a padded tail's extra lanes may lie outside; their exps are never copied out).
     */
    private void exactExpOf(float[] x, int from, int to, float[] out, int outOffset, boolean moderate) {
        if (moderate || polynomialExp && VectorExp.moderate(x, from, to)) {
            moderateExpOf(x, from, to, out, outOffset);
        } else {
            generalExpOf(x, from, to, out, outOffset);
        }
    }

    /**
     * {@link #exactExpOf} for any input. A method of its own, like {@link #moderateExpOf}: inlined
     * beside the range scan, the general exp passed C2's node cutoff and boxed every vector
     * (0.5–1 MB per call at C = 32000, gap 100).
     */
    private void generalExpOf(float[] x, int from, int to, float[] out, int outOffset) {
        for (int j = from; j < to; j += width) {
            VectorExp.exp(FloatVector.fromArray(species, x, j), expKind).intoArray(out, outOffset + j - from);
        }
    }

    /** {@link #exactExpOf} where every x_j is in [−87, 87] or NaN (exp=poly): the same bits, fewer operations. */
    private void moderateExpOf(float[] x, int from, int to, float[] out, int outOffset) {
        for (int j = from; j < to; j += width) {
            VectorExp.expModerate(FloatVector.fromArray(species, x, j)).intoArray(out, outOffset + j - from);
        }
    }

    /** The chunks of x[from, to) rounded in place. */
    private static void roundInPlace(VectorRounding rounding, float[] x, int from, int to) {
        for (int j = from; j < to; j += width) {
            rounding.round(FloatVector.fromArray(species, x, j)).intoArray(x, j);
        }
    }

    /** x[from, to) rounded to FORMAT in place (under sr with op's bits). */
    private void roundToFormat(float[] x, int from, int to, int first, Op op) {
        if (stochastic) {
            roundStagedValues(srFormat, op, first, x, from, to - from);
            return;
        }
        if (formatStaged) {
            roundStagedValues(stagedFormat, x, from, to - from);
            return;
        }
        roundInPlace(vectorToFormat, x, from, to);
    }

    /** x[offset, offset + count) rounded in place by sr, with the bits of op for elements first, …. */
    private void roundStagedValues(VectorStochasticRounding target, Op op, int first, float[] x, int offset, int count) {
        if (target.leavesFloats()) {
            return; // a float is a value of fp32; bits are keyed by operation and element, so none shift
        }
        drawBits(op, first, count);
        int step = VectorStochasticRounding.floatLanes();
        int full = count - count % step;
        target.roundFloats(x, offset, offset + full, stageBits, first, x, offset);
        if (full < count) {
            // The last few through a padded copy: no read past the array.
            Arrays.fill(stageTail, 0f);
            System.arraycopy(x, offset + full, stageTail, 0, count - full);
            target.roundFloats(stageTail, 0, step, stageBits, first + full, stageTail, 0);
            System.arraycopy(stageTail, 0, x, offset + full, count - full);
        }
    }

    /** stageBits[first + i] = the random bits of op for element first + i, i < count (and up to the next multiple of the width). */
    private void drawBits(Op op, int first, int count) {
        int key = keys[op.ordinal()];
        for (int i = 0; i < count; i += width) {
            VectorRandomBits.of(key, first + i).intoArray(stageBits, first + i);
        }
    }

    /**
     * The staged elements [0, count) rounded by sr into out[outOffset, outOffset + count), with
     * the random bits of op for element indices first, first + 1, … (as the scalar draws them).
     */
    private void roundStaged(VectorStochasticRounding target, Op op, int first, int count, float[] out, int outOffset) {
        int padded = (count + width - 1) / width * width;
        int key = keys[op.ordinal()];
        for (int i = 0; i < padded; i += width) {
            VectorRandomBits.of(key, first + i).intoArray(stageBits, i);
        }
        target.round(stageHi, stageNum, stageDen, stageBits, padded, stageOut, 0);
        System.arraycopy(stageOut, 0, out, outOffset, count);
    }

    /** x[offset, offset + count) rounded in place by a deterministic staged rounding. */
    private void roundStagedValues(VectorStagedRounding target, float[] x, int offset, int count) {
        for (int i = 0; i < count; i++) {
            stageHi[i] = x[offset + i];
        }
        roundStaged(target, count, x, offset);
    }

    /** The staged elements stageHi[0, count) rounded into out[outOffset, outOffset + count). */
    private void roundStaged(VectorStagedRounding target, int count, float[] out, int outOffset) {
        int padded = (count + width - 1) / width * width;
        target.round(stageHi, padded, stageOut, 0);
        System.arraycopy(stageOut, 0, out, outOffset, count);
    }

    /**
     * Σ exps_j over j ≠ skip in the recipe's order: partial l = j mod W in index order, then the
     * partials fold in halves (DESIGN.md §4 step 3).
     */
    private double sum(int n, int skip) {
        Arrays.fill(partials, 0.0);
        Arrays.fill(compensation, 0.0);
        if (lanes < width) {
            for (int j = 0; j < n; j++) {
                if (j != skip) {
                    int l = j & (lanes - 1);
                    if (kahan) {
                        kahanAdd(l, exps[j]);
                    } else {
                        partials[l] = toAcc.add(partials[l], exps[j], bits(Op.ACCUMULATE, j));
                    }
                }
            }
        } else if (kahan && sumsStaged) {
            stagedKahanSum(n, skip);
        } else if (kahan) {
            kahanSumInVectors(n, skip);
        } else if (stochastic) {
            stochasticSum(n, skip);
        } else if (sumsStaged) {
            stagedSum(n, skip);
        } else if (skip >= 0) {
            sumInVectorsWithout(n, skip);
        } else {
            sumInVectors(n, skip);
        }
        return fold(n);
    }

    /**
     * sumInVectors(n, skip) with exps[skip] as +0 while the loop runs, which is what partialChunk
     * gives that lane: the loop then has no call for the skipped chunk. On JDK 25 the loop runs
     * about 3 times slower when that call is taken every evaluation (grad=complement's
     * Σ_{j≠y}, lse=log1p): measured, bf16/grad=complement at C = 32000 spent ~180 µs more than
     * grad=div on JDK 25 against ~50 µs on JDK 17, and ~50 µs on both without the call.
     */
    private void sumInVectorsWithout(int n, int skip) {
        float kept = exps[skip];
        exps[skip] = 0f;
        sumInVectors(n, -1);
        exps[skip] = kept;
    }

    /**
     * Kahan's step on partial l, every operation rounded to A, as {@link ScalarKernel} does it:
     * the compensation holds what the sum overshot. Do not reorder.
     */
    private void kahanAdd(int l, double x) {
        double s = partials[l];
        double corrected = toAcc.subtract(x, compensation[l], 0);
        double t = toAcc.add(s, corrected, 0);
        compensation[l] = toAcc.subtract(toAcc.subtract(t, s, 0), corrected, 0);
        partials[l] = t;
    }

    /** The Kahan sum with vector partials: full chunks lane-wise, others through the scalar step. */
    private void kahanSumInVectors(int n, int skip) {
        int accumulators = lanes / width;
        for (int a = 0; a < accumulators; a++) {
            FloatVector sum = FloatVector.zero(species);
            FloatVector comp = FloatVector.zero(species);
            for (int j = a * width; j < n; j += accumulators * width) {
                if (j + width > n || (skip >= j && skip < j + width)) {
                    // Lanes past n or at skip take no step: run the taken lanes on the scalar step.
                    sum.intoArray(lane, 0);
                    comp.intoArray(laneCompensation, 0);
                    kahanAddPartly(a, j, n, skip);
                    sum = FloatVector.fromArray(species, lane, 0);
                    comp = FloatVector.fromArray(species, laneCompensation, 0);
                    continue;
                }
                FloatVector x = FloatVector.fromArray(species, exps, j);
                FloatVector corrected;
                FloatVector t;
                if (narrowSums) {
                    corrected = vectorToAcc.subtractNarrow(x, comp);
                    t = vectorToAcc.addNarrow(sum, corrected);
                    comp = vectorToAcc.subtractNarrow(vectorToAcc.subtractNarrow(t, sum), corrected);
                } else {
                    corrected = vectorToAcc.subtract(x, comp);
                    t = vectorToAcc.add(sum, corrected);
                    comp = vectorToAcc.subtract(vectorToAcc.subtract(t, sum), corrected);
                }
                sum = t;
            }
            sum.intoArray(lane, 0);
            comp.intoArray(laneCompensation, 0);
            for (int l = 0; l < width; l++) {
                partials[a * width + l] = lane[l];
                compensation[a * width + l] = laneCompensation[l];
            }
        }
    }

    /**
     * The scalar Kahan step for the taken lanes of the chunk at j, on accumulator a's partials as
     * held in lane and laneCompensation (updated in place).
     */
    private void kahanAddPartly(int a, int j, int n, int skip) {
        for (int l = 0; l < width; l++) {
            partials[a * width + l] = lane[l];
            compensation[a * width + l] = laneCompensation[l];
            if (j + l < n && j + l != skip) {
                kahanAdd(a * width + l, exps[j + l]);
            }
            lane[l] = (float) partials[a * width + l];
            laneCompensation[l] = (float) compensation[a * width + l];
        }
    }

    /** The partials folded in the recipe's order ({@link FoldOrder}) for a row of n classes, until one is left. */
    private double fold(int n) {
        int[] steps = n < lanes ? shortFoldSteps : foldSteps;
        for (int k = 0; k < steps.length; k += 4) {
            int i = steps[k];
            int b = steps[k + 1];
            if (kahan) {
                kahanAdd(i, toAcc.subtract(partials[b], compensation[b], 0));
            } else {
                partials[i] = toAcc.add(partials[i], partials[b], bits(Op.FOLD, -1 - (Recipe.MAX_LANES * steps[k + 2] + steps[k + 3])));
            }
        }
        return kahan ? toAcc.subtract(partials[0], compensation[0], 0) : partials[0];
    }

    /** A row sum or its log, stored to FORMAT under {@code rowsum=FORMAT}. */
    private double storeRowSum(double value, Op op, int index) {
        return recipe.rowsum() == Recipe.RowSum.FORMAT ? toFormat.round(value, bits(op, index)) : value;
    }

    /**
     * The sum under sr for W ≥ the vector width: the random bits of every element at once, then
     * {@link VectorStochasticRounding#sumFloats} in float lanes where A has fewer than 23 mantissa
     * bits, else {@link VectorStochasticRounding#sum} with the partials in double (exact: they are
     * values of A). exps[skip] is +0 while it runs, which leaves its partial as
     * it is (the exact sum is the partial, and sr of a value of A is that value); the tail of
     * fewer than a step's elements runs padded with +0 the same way.
     */
    private void stochasticSum(int n, int skip) {
        int step = srAcc.sumsInFloats() ? VectorStochasticRounding.floatLanes() : VectorStochasticRounding.lanes();
        int full = n - n % step;
        drawBits(Op.ACCUMULATE, 0, n);
        float skipped = skip >= 0 ? exps[skip] : 0f;
        if (skip >= 0) {
            exps[skip] = 0f;
        }
        stochasticSum(exps, full, 0);
        if (full < n) {
            Arrays.fill(tailExps, 0f);
            System.arraycopy(exps, full, tailExps, 0, n - full);
            stochasticSum(tailExps, step, full);
        }
        if (skip >= 0) {
            exps[skip] = skipped;
        }
    }

    /** x[0, count) added under sr into the partials, as elements first, first + 1, …. */
    private void stochasticSum(float[] x, int count, int first) {
        if (srAcc.sumsInFloats()) {
            srAcc.sumFloats(x, 0, count, stageBits, first, partials, lanes);
        } else {
            srAcc.sum(x, 0, count, stageBits, first, partials, lanes);
        }
    }

    /**
     * The sum on the staged path for W ≥ the vector width: chunk by chunk of W elements, the W
     * partials plus the chunk's exps (+0 past n and at skip: an exact no-op, partials are never
     * −0) staged and rounded at once.
     */
    private void stagedSum(int n, int skip) {
        for (int start = 0; start < n; start += lanes) {
            for (int l = 0; l < lanes; l++) {
                int j = start + l;
                double e = j < n && j != skip ? exps[j] : 0.0;
                VectorStagedRounding.stageSum(partials[l], e, stageHi, l);
            }
            stagedAcc.round(stageHi, lanes, stagePartials, 0);
            for (int l = 0; l < lanes; l++) {
                partials[l] = stagePartials[l];
            }
        }
    }

    /**
     * Kahan's sum on the staged path for W ≥ the vector width: each of {@link #kahanAdd}'s four
     * operations staged for the chunk's W partials and rounded at once; lanes past n and at
     * skip take no step (adding +0 is not a no-op for Kahan's compensation), so they keep their
     * partial and compensation.
     */
    private void stagedKahanSum(int n, int skip) {
        for (int start = 0; start < n; start += lanes) {
            for (int l = 0; l < lanes; l++) {
                int j = start + l;
                double x = j < n && j != skip ? exps[j] : 0.0;
                VectorStagedRounding.stageDifference(x, compensation[l], stageHi, l);
            }
            stagedAcc.round(stageHi, lanes, kahanCorrected, 0);
            for (int l = 0; l < lanes; l++) {
                VectorStagedRounding.stageSum(partials[l], kahanCorrected[l], stageHi, l);
            }
            stagedAcc.round(stageHi, lanes, kahanSum, 0);
            for (int l = 0; l < lanes; l++) {
                VectorStagedRounding.stageDifference(kahanSum[l], partials[l], stageHi, l);
            }
            stagedAcc.round(stageHi, lanes, kahanStep, 0);
            for (int l = 0; l < lanes; l++) {
                VectorStagedRounding.stageDifference(kahanStep[l], kahanCorrected[l], stageHi, l);
            }
            stagedAcc.round(stageHi, lanes, kahanStep, 0);
            for (int l = 0; l < lanes; l++) {
                int j = start + l;
                if (j < n && j != skip) {
                    partials[l] = kahanSum[l];
                    compensation[l] = kahanStep[l];
                }
            }
        }
    }

    /**
     * S = Σ e_j (no skip) where exps holds exp(d_j) not yet rounded to K: each chunk is rounded in
     * place and added in the same loop. The sum is a loop-carried chain, latency-bound; the
     * rounding's independent work runs in its shadow (measured: bf16 at C = 32000 spends about
     * the chain's time alone, where a rounding pass and then the chain took both).
     */
    private double roundingSum(int n) {
        Arrays.fill(partials, 0.0);
        int full = n - n % width;
        int accumulators = lanes / width;
        for (int a = 0; a < accumulators; a++) {
            if (narrowSums) {
                roundAndAccumulate(a * width, full, accumulators * width);
            } else {
                roundAndAccumulateInFloat(a * width, full, accumulators * width);
            }
            for (int l = 0; l < width; l++) {
                partials[a * width + l] = lane[l];
            }
        }
        if (full < n) {
            // The tail is the last chunk of its accumulator: rounded and added last, lane by lane.
            Arrays.fill(tailExps, 0f);
            System.arraycopy(exps, full, tailExps, 0, n - full);
            roundInPlace(vectorToCompute, tailExps, 0, width);
            System.arraycopy(tailExps, 0, exps, full, n - full);
            int base = full / width % accumulators * width;
            for (int l = 0; l < n - full; l++) {
                partials[base + l] = toAcc.add(partials[base + l], tailExps[l], 0);
            }
        }
        return fold(n);
    }

    /** The chunks from, from + step, … below to of exps: rounded to K in place, summed into {@code lane}. */
    private void roundAndAccumulate(int from, int to, int step) {
        FloatVector acc = FloatVector.zero(species);
        for (int j = from; j < to; j += step) {
            FloatVector e = vectorToCompute.round(FloatVector.fromArray(species, exps, j));
            e.intoArray(exps, j);
            acc = vectorToAcc.addNonNegativeNarrow(acc, e);
        }
        acc.intoArray(lane, 0);
    }

    /**
     * {@link #roundAndAccumulate} with A = fp32: the float add itself. A loop of its own: with
     * {@code vectorToAcc.add} beside the rounding, JDK 17 left that call out of line and boxed
     * (bf16/acc=fp32: 8 B per element, JMH -prof gc).
     */
    private void roundAndAccumulateInFloat(int from, int to, int step) {
        FloatVector acc = FloatVector.zero(species);
        for (int j = from; j < to; j += step) {
            FloatVector e = vectorToCompute.round(FloatVector.fromArray(species, exps, j));
            e.intoArray(exps, j);
            acc = acc.add(e);
        }
        acc.intoArray(lane, 0);
    }

    private void sumInVectors(int n, int skip) {
        int accumulators = lanes / width;
        // Accumulator a takes chunks a, a + A, a + 2A, …: the chains are independent, so running
        // them one after the other gives the interleaved order's result (and no vector escapes
        // into an array, which would box it).
        for (int a = 0; a < accumulators; a++) {
            FloatVector acc = FloatVector.zero(species);
            for (int j = a * width; j < n; j += accumulators * width) {
                float[] source = exps;
                int at = j;
                if (j + width > n || (skip >= j && skip < j + width)) {
                    // Unmasked loads only: masked ones are not intrinsified on AVX2 by JDK 17.
                    source = partialChunk(j, n, skip);
                    at = 0;
                }
                FloatVector e = FloatVector.fromArray(species, source, at);
                // e_j and the partials are +0, positive, +inf or NaN.
                acc = narrowSums ? vectorToAcc.addNonNegativeNarrow(acc, e) : vectorToAcc.add(acc, e);
            }
            acc.intoArray(lane, 0);
            for (int l = 0; l < width; l++) {
                partials[a * width + l] = lane[l];
            }
        }
    }

    /**
     * exps[j..) with the lanes past n and the lane of skip set to +0, which leaves a partial
     * unchanged in every deterministic mode (partials are never −0).
     */
    private float[] partialChunk(int j, int n, int skip) {
        Arrays.fill(tailExps, 0f);
        System.arraycopy(exps, j, tailExps, 0, Math.min(n, j + width) - j);
        if (skip >= j && skip < j + width) {
            tailExps[skip - j] = 0f;
        }
        return tailExps;
    }

    /**
     * S in one loop where K and A are fp32 (every rounding in between is the float operation
     * itself) and one accumulator vector holds the W partials: d_j, e_j and the sum never leave
     * registers. The same operations in the same order as the general path.
     */
    private double fusedSum(float[] z, int n, float m) {
        int full = n - n % width;
        // z_j − m (a float subtraction here, K being fp32) is monotone in z_j: see differencesModerate.
        if (differencesModerate(m)) {
            moderateExpSum(z, full, m);
        } else {
            expSum(z, full, m);
        }
        if (full < n) {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            VectorExp.exp(FloatVector.fromArray(species, tailIn, 0).sub(m), expKind).intoArray(tailExps, 0);
            // Lanes past n add nothing; a float add per lane is the vector add.
            for (int l = 0; l < n - full; l++) {
                lane[l] += tailExps[l];
            }
        }
        for (int l = 0; l < width; l++) {
            partials[l] = lane[l];
        }
        return fold(n);
    }

    /** Σ exp(z_j − m) over the full chunks into the W float partials {@code lane}, in index order. */
    private void expSum(float[] z, int full, float m) {
        FloatVector max = FloatVector.broadcast(species, m);
        FloatVector acc = FloatVector.zero(species);
        for (int j = 0; j < full; j += width) {
            acc = acc.add(VectorExp.exp(FloatVector.fromArray(species, z, j).sub(max), expKind));
        }
        acc.intoArray(lane, 0);
    }

    /** {@link #expSum} where every z_j − m is in [−87, 87] or NaN (exp=poly): the same bits, fewer operations. */
    private void moderateExpSum(float[] z, int full, float m) {
        FloatVector max = FloatVector.broadcast(species, m);
        FloatVector acc = FloatVector.zero(species);
        for (int j = 0; j < full; j += width) {
            acc = acc.add(VectorExp.expModerate(FloatVector.fromArray(species, z, j).sub(max)));
        }
        acc.intoArray(lane, 0);
    }

    /** The gradient where K is fp32 and grad is standard or lse: p_j from z in one loop. */
    private void fusedGradient(float[] z, int n, int y, float m, float r, float lse, float[] grad) {
        int full = n - n % width;
        // The float differences are monotone in z_j: exp's inputs lie between those of zMin and zMax.
        boolean standard = recipe.grad() == Recipe.Gradient.STANDARD;
        float lo = standard ? zMin - m - r : zMin - lse;
        float hi = standard ? zMax - m - r : zMax - lse;
        if (polynomialExp && VectorExp.moderate(lo, hi)) {
            moderateProbabilities(z, full, m, r, lse, grad);
        } else {
            fusedProbabilities(z, 0, full, m, r, lse, true, grad, 0);
        }
        if (full < n) {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            fusedProbabilities(tailIn, 0, width, m, r, lse, true, lane, 0);
            System.arraycopy(lane, 0, grad, full, n - full);
        }
        float py;
        if (y < full) {
            int chunk = y - y % width;
            fusedProbabilities(z, chunk, chunk + width, m, r, lse, false, lane, 0);
            py = lane[y - chunk];
        } else {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            fusedProbabilities(tailIn, 0, width, m, r, lse, false, lane, 0);
            py = lane[y - full];
        }
        grad[y] = (float) toFormat.round(toCompute.subtract(py, 1.0, 0), 0);
    }

    /** p_j = exp((z_j − m) − r) (standard) or exp(z_j − lse) (lse) in fp32, rounded to FORMAT if asked. */
    private void fusedProbabilities(float[] z, int from, int to, float m, float r, float lse, boolean toFormat,
                                    float[] out, int outOffset) {
        boolean standard = recipe.grad() == Recipe.Gradient.STANDARD;
        FloatVector max = FloatVector.broadcast(species, m);
        FloatVector shift = FloatVector.broadcast(species, standard ? r : lse);
        for (int j = from; j < to; j += width) {
            FloatVector x = FloatVector.fromArray(species, z, j);
            FloatVector p = VectorExp.exp((standard ? x.sub(max) : x).sub(shift), expKind);
            (toFormat ? vectorToFormat.round(p) : p).intoArray(out, outOffset + j - from);
        }
    }

    /** {@link #fusedProbabilities} of the full chunks, rounded to FORMAT, where every input of exp is in [−87, 87]. */
    private void moderateProbabilities(float[] z, int full, float m, float r, float lse, float[] out) {
        boolean standard = recipe.grad() == Recipe.Gradient.STANDARD;
        FloatVector max = FloatVector.broadcast(species, m);
        FloatVector shift = FloatVector.broadcast(species, standard ? r : lse);
        for (int j = 0; j < full; j += width) {
            FloatVector x = FloatVector.fromArray(species, z, j);
            vectorToFormat.round(VectorExp.expModerate((standard ? x.sub(max) : x).sub(shift))).intoArray(out, j);
        }
    }

    private void gradient(float[] z, int n, int y, float r, float lse, float sum, float[] grad) {
        Recipe.Gradient form = recipe.grad();
        int full = n - n % width;
        probabilities(z, shifted, exps, 0, full, r, lse, sum, true, grad, 0, 0);
        if (full < n) {
            copyTail(z, full, n);
            probabilities(tailIn, tailShifted, tailExps, 0, width, r, lse, sum, true, lane, 0, full);
            System.arraycopy(lane, 0, grad, full, n - full);
        }
        // p_y once more, on its own chunk: the value in K before rounding to the format.
        float py;
        if (y < full) {
            int chunk = y - y % width;
            probabilities(z, shifted, exps, chunk, chunk + width, r, lse, sum, false, lane, 0, chunk);
            py = lane[y - chunk];
        } else {
            copyTail(z, full, n);
            probabilities(tailIn, tailShifted, tailExps, 0, width, r, lse, sum, false, lane, 0, full);
            py = lane[y - full];
        }
        double gy;
        switch (form) {
            case COMPLEMENT:
                gy = -toCompute.divide(storeRowSum(sum(n, y), Op.ROWSUM_STORE, y), sum, bits(Op.GRAD_DIVIDE, y));
                break;
            case ZEROSUM: {
                exact.clear();
                for (int i = 0; i < n; i++) {
                    if (i != y) {
                        exact.add(grad[i]);
                    }
                }
                // As the scalar kernel: a NaN S (NaN or infinite logits) gives NaN, not −Σ of nothing.
                gy = Float.isNaN(sum) ? Double.NaN : toFormat.round(-exact.toOdd(), bits(Op.GRAD_SUM, y));
                break;
            }
            default:
                gy = toCompute.subtract(py, 1.0, bits(Op.GRAD_MINUS_ONE, y));
                break;
        }
        grad[y] = (float) toFormat.round(gy, bits(Op.GRAD_STORE, y));
    }

    /** z, shifted and exps from {@code from} to n into the zero-padded tail scratch. */
    private void copyTail(float[] z, int from, int n) {
        Arrays.fill(tailIn, 0f);
        Arrays.fill(tailShifted, 0f);
        Arrays.fill(tailExps, 0f);
        System.arraycopy(z, from, tailIn, 0, n - from);
        System.arraycopy(shifted, from, tailShifted, 0, n - from);
        System.arraycopy(exps, from, tailExps, 0, n - from);
    }

    /**
     * p_j over the chunks of [from, to): rd_K(exp(rd_K(d_j − r))), rd_K(exp(rd_K(z_j − lse))) or
     * rd_K(e_j / S), rounded to FORMAT if asked, written to {@code out} from {@code outOffset}.
     */
    private void probabilities(float[] z, float[] d, float[] e, int from, int to, float r, float lse, float sum,
                               boolean toFormat, float[] out, int outOffset, int first) {
        // One short loop per operation: see shiftAndExp.
        int outTo = outOffset + to - from;
        switch (recipe.grad()) {
            case STANDARD:
            case CENTER:
                subtract(d, from, to, r, out, outOffset, Op.GRAD_SUBTRACT, first);
                if (storeLogp) {
                    roundToFormat(out, outOffset, outTo, first, Op.LOGP_STORE);
                }
                expOf(out, outOffset, outTo, out, outOffset, Op.GRAD_EXP, first, false);
                break;
            case LSE:
                subtract(z, from, to, lse, out, outOffset, Op.GRAD_SUBTRACT, first);
                expOf(out, outOffset, outTo, out, outOffset, Op.GRAD_EXP, first, false);
                break;
            default:
                divide(e, from, to, sum, out, outOffset, first);
                break;
        }
        if (toFormat && !formatIsCompute) {
            roundToFormat(out, outOffset, outTo, first, Op.GRAD_STORE);
        }
    }

    /** out[..] = rd_K(e_j / sum) over the chunks of e[from, to). */
    private void divide(float[] e, int from, int to, float sum, float[] out, int outOffset, int first) {
        if (stochastic) {
            for (int i = 0; i < to - from; i++) {
                VectorStochasticRounding.stageQuotient(e[from + i], sum, stageHi, stageNum, stageDen, i);
            }
            roundStaged(srCompute, Op.GRAD_DIVIDE, first, to - from, out, outOffset);
            return;
        }
        if (quotientsStaged) {
            VectorStagedRounding.stageQuotients(e, from, sum, to - from, stageHi);
            roundStaged(stagedCompute, to - from, out, outOffset);
            return;
        }
        FloatVector sumVector = FloatVector.broadcast(species, sum);
        for (int j = from; j < to; j += width) {
            FloatVector ej = FloatVector.fromArray(species, e, j);
            FloatVector p = narrowSums ? vectorToCompute.divideNarrow(ej, sumVector) : vectorToCompute.divide(ej, sumVector);
            p.intoArray(out, outOffset + j - from);
        }
    }

    /**
     * max_j z_j; also sets {@link #zMin} and {@link #zMax}, the range of z that bounds exp's
     * inputs where the kernel takes {@link VectorExp#expModerate}.
     */
    private float max(float[] z, int n) {
        // max is exact and Math.max-like (NaN wins, +0 over −0), so associative and commutative:
        // any order gives the same bits. Four independent chains, because the Vector API's MAX
        // (Java semantics on AVX2: a compare-and-blend sequence) is latency-bound on one. The
        // minimum only bounds exp's inputs: compare and blend (NaN is in the maximum anyway).
        FloatVector neg = FloatVector.broadcast(species, Float.NEGATIVE_INFINITY);
        FloatVector pos = FloatVector.broadcast(species, Float.POSITIVE_INFINITY);
        FloatVector max0 = neg;
        FloatVector max1 = neg;
        FloatVector max2 = neg;
        FloatVector max3 = neg;
        FloatVector min0 = pos;
        FloatVector min1 = pos;
        int j = 0;
        for (; j <= n - 4 * width; j += 4 * width) {
            FloatVector z0 = FloatVector.fromArray(species, z, j);
            FloatVector z1 = FloatVector.fromArray(species, z, j + width);
            FloatVector z2 = FloatVector.fromArray(species, z, j + 2 * width);
            FloatVector z3 = FloatVector.fromArray(species, z, j + 3 * width);
            max0 = max0.max(z0);
            max1 = max1.max(z1);
            max2 = max2.max(z2);
            max3 = max3.max(z3);
            FloatVector low0 = z0.blend(z1, z1.compare(VectorOperators.LT, z0));
            FloatVector low1 = z2.blend(z3, z3.compare(VectorOperators.LT, z2));
            min0 = min0.blend(low0, low0.compare(VectorOperators.LT, min0));
            min1 = min1.blend(low1, low1.compare(VectorOperators.LT, min1));
        }
        for (; j <= n - width; j += width) {
            FloatVector zj = FloatVector.fromArray(species, z, j);
            max0 = max0.max(zj);
            min0 = min0.blend(zj, zj.compare(VectorOperators.LT, min0));
        }
        float m = max0.max(max1).max(max2.max(max3)).reduceLanes(VectorOperators.MAX);
        float low = Math.min(min0.reduceLanes(VectorOperators.MIN), min1.reduceLanes(VectorOperators.MIN));
        for (; j < n; j++) {
            m = Math.max(m, z[j]);
            low = Math.min(low, z[j]);
        }
        zMin = low;
        zMax = m;
        return m;
    }

    /**
     * cap=c: z_j ← rd_K(c·tanh(rd_K(z_j / c))), c rounded to K. The quotient and the product run
     * lane-wise; tanh is a scalar pass: the reference's tanh is StrictMath.tanh in double rounded
     * to fp32, and no vector tanh has those bits (docs/decisions.md, "SIMD variants"). Under sr
     * the reference's scalar steps run as they are.
     */
    private float[] cap(float[] z, int n) {
        int padded = (n + width - 1) / width * width;
        if (capped.length < padded) {
            capped = new float[padded];
        }
        float c = (float) toCompute.round(recipe.cap(), 0);
        if (stochastic) {
            for (int j = 0; j < n; j++) {
                double scaled = toCompute.divide(z[j], c, bits(Op.CAP_DIVIDE, j));
                double t = toCompute.round((float) StrictMath.tanh(scaled), bits(Op.CAP_TANH, j));
                capped[j] = (float) toCompute.multiply(c, t, bits(Op.CAP_MULTIPLY, j));
            }
            return capped;
        }
        System.arraycopy(z, 0, capped, 0, n);
        Arrays.fill(capped, n, padded, 0f);
        divideInPlace(capped, padded, c);
        for (int j = 0; j < n; j++) {
            capped[j] = (float) StrictMath.tanh(capped[j]);
        }
        roundAndScale(capped, padded, c);
        return capped;
    }

    /** x_j ← rd_K(x_j / c); x_j values of FORMAT, c of K (deterministic modes: sr takes the scalar steps). */
    private void divideInPlace(float[] x, int n, float c) {
        // The gradient's quotient loop: rd_K(x_j / c), narrow where K is.
        divide(x, 0, n, c, x, 0, 0);
    }

    /**
     * x_j ← rd_K(c·rd_K(x_j)): tanh's fp32 result rounded to K, then the product in K. Two loops
     * of one rounding each: a loop with two calls of our helpers was boxed in some JMH forks.
     */
    private void roundAndScale(float[] x, int n, float c) {
        roundToCompute(x, n);
        if (exactCapProducts) {
            scaleExactly(x, n, c);
        } else {
            scale(x, n, c);
        }
    }

    /** x_j ← rd_K(x_j). */
    private void roundToCompute(float[] x, int n) {
        for (int j = 0; j < n; j += width) {
            vectorToCompute.round(FloatVector.fromArray(species, x, j)).intoArray(x, j);
        }
    }

    /** x_j ← rd_K(c·x_j) where the float product is exact-once. */
    private void scaleExactly(float[] x, int n, float c) {
        FloatVector scale = FloatVector.broadcast(species, c);
        for (int j = 0; j < n; j += width) {
            vectorToCompute.round(FloatVector.fromArray(species, x, j).mul(scale)).intoArray(x, j);
        }
    }

    /** x_j ← rd_K(c·x_j), the general (odd-rounding) product. */
    private void scale(float[] x, int n, float c) {
        FloatVector scale = FloatVector.broadcast(species, c);
        for (int j = 0; j < n; j += width) {
            vectorToCompute.multiply(scale, FloatVector.fromArray(species, x, j)).intoArray(x, j);
        }
    }

    /**
     * norm=stablemax (DESIGN.md §4): e_j = rd_K(s(z_j)) and s'_j = rd_K(s'(z_j)) lane-wise, S in
     * the recipe's order, loss = rd_K(log S − log e_y), g_j = rd_K(s'_j / S) and the target's
     * entry by the recipe's gradient form, as {@link ScalarKernel}'s stablemax.
     */
    private Evaluation stablemax(float[] z, int n, int y, float[] grad) {
        int padded = (n + width - 1) / width * width;
        if (stableValues.length < padded) {
            stableValues = new float[padded];
            stableDerivatives = new float[padded];
            stableProbabilities = new float[padded];
        }
        int full = n - n % width;
        stablemaxOf(z, 0, full, stableValues, stableDerivatives);
        if (full < n) {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            stablemaxOf(tailIn, 0, width, tailExps, tailShifted);
            System.arraycopy(tailExps, 0, stableValues, full, width);
            System.arraycopy(tailShifted, 0, stableDerivatives, full, width);
        }
        if (stochastic) {
            roundStagedValues(srCompute, Op.STABLEMAX, 0, stableValues, 0, n);
            roundStagedValues(srCompute, Op.STABLEMAX_DERIVATIVE, 0, stableDerivatives, 0, n);
        }
        System.arraycopy(stableValues, 0, exps, 0, n); // sum() reads exps
        double sum = sum(n, -1);
        double logSum = toCompute.round(log(sum), bits(Op.LOG, 0));
        double logTarget = toCompute.round(log(exps[y]), bits(Op.STABLEMAX_LOG_TARGET, y));
        double loss = toCompute.subtract(logSum, logTarget, bits(Op.LOSS, y));
        if (grad == null) {
            return new Evaluation(logSum, loss);
        }
        divide(stableDerivatives, 0, padded, (float) sum, stableProbabilities, 0, 0);
        double py = stableProbabilities[y];
        if (!formatIsCompute) {
            roundToFormat(stableProbabilities, 0, padded, 0, Op.GRAD_STORE);
        }
        System.arraycopy(stableProbabilities, 0, grad, 0, n);
        double derivativeY = stableDerivatives[y];
        double gy;
        switch (recipe.grad()) {
            case COMPLEMENT: {
                double numerator = toCompute.multiply(derivativeY, sum(n, y), bits(Op.STABLEMAX_NUMERATOR, y));
                double denominator = toCompute.multiply(sum, exps[y], bits(Op.STABLEMAX_DENOMINATOR, y));
                gy = -toCompute.divide(numerator, denominator, bits(Op.GRAD_DIVIDE, y));
                break;
            }
            case ZEROSUM:
                exact.clear();
                for (int j = 0; j < n; j++) {
                    if (j != y) {
                        exact.add(grad[j]);
                    }
                }
                gy = Double.isNaN(sum) ? Double.NaN : toFormat.round(-exact.toOdd(), bits(Op.GRAD_SUM, y));
                break;
            default: {
                double one = toCompute.divide(derivativeY, exps[y], bits(Op.STABLEMAX_TARGET_DIVIDE, y));
                gy = toCompute.subtract(py, one, bits(Op.GRAD_MINUS_ONE, y));
                break;
            }
        }
        grad[y] = (float) toFormat.round(gy, bits(Op.GRAD_STORE, y));
        if (recipe.grad() == Recipe.Gradient.CENTER) {
            center(grad, n);
        }
        return new Evaluation(logSum, loss);
    }

    /**
     * s(x) = x + 1 (x ≥ 0) else 1/(1 − x), and s'(x) = 1 else 1/(1 − x)², in fp32 as the reference,
     * rounded to K (under sr left for the staged rounding), over the chunks of z[from, to).
     */
    private void stablemaxOf(float[] z, int from, int to, float[] values, float[] derivatives) {
        FloatVector one = FloatVector.broadcast(species, 1f);
        for (int j = from; j < to; j += width) {
            FloatVector x = FloatVector.fromArray(species, z, j);
            VectorMask<Float> nonNegative = x.compare(VectorOperators.GE, 0f); // false for NaN, as the scalar's x >= 0
            FloatVector t = one.sub(x);
            FloatVector s = one.div(t).blend(x.add(one), nonNegative);
            FloatVector derivative = one.div(t.mul(t)).blend(one, nonNegative);
            if (!stochastic) {
                s = vectorToCompute.round(s);
                derivative = vectorToCompute.round(derivative);
            }
            s.intoArray(values, j);
            derivative.intoArray(derivatives, j);
        }
    }

    /**
     * grad=center: g_j ← rd_F(rd_K(g_j − mean)), the mean of the stored entries taken exactly
     * (fp64), as the reference. The mean is a double, so g_j − mean is not a float operation: a
     * scalar pass takes it exactly (TwoSum in double, rounded to odd at 53 bits) and narrows it to
     * float (rne where K is fp32, else to odd, which K's rounding then rounds once); one vector
     * loop rounds to K and FORMAT. Under sr the reference's scalar steps run as they are.
     */
    private void center(float[] grad, int n) {
        double mean = exactFloatSum.toOdd(grad, n) / n;
        if (stochastic) {
            for (int j = 0; j < n; j++) {
                double difference = toCompute.subtract(grad[j], mean, bits(Op.GRAD_CENTER, j));
                grad[j] = (float) toFormat.round(difference, bits(Op.GRAD_CENTER_STORE, j));
            }
            return;
        }
        int padded = (n + width - 1) / width * width;
        if (centered.length < padded) {
            centered = new float[padded];
        }
        differenceToFloat(grad, n, mean, recipe.computeFormat().mantissaBits() == 23, centered);
        roundTwice(centered, padded);
        System.arraycopy(centered, 0, grad, 0, n);
    }

    /**
     * out_j = g_j − mean narrowed to float: rounded to nearest (for K = fp32) or to odd (then
     * rounded once more to K), from the exact difference rounded to odd in double.
     */
    private static void differenceToFloat(float[] g, int n, double mean, boolean nearest, float[] out) {
        for (int j = 0; j < n; j++) {
            double a = g[j];
            double d = a - mean;
            // TwoSum: a − mean == d + error exactly.
            double virtual = d - a;
            double error = (a - (d - virtual)) + (-mean - (virtual));
            // Written as selects, not branches: the conditions are coin flips, and C2 makes
            // these conditional moves. Raw bits ± 1 move away from / toward zero.
            long bits = Double.doubleToRawLongBits(d);
            long step = ((bits ^ Double.doubleToRawLongBits(error)) >> 63) | 1; // toward error's side
            boolean even = (bits & 1) == 0 && error != 0 && Double.isFinite(d);
            d = Double.longBitsToDouble(bits + (even ? step : 0));
            float f = (float) d;
            double rest = d - f; // exact; |d| is far below float's max (|g_j| ≤ 1 unless NaN)
            int fbits = Float.floatToRawIntBits(f);
            // Toward d: away from zero where rest has f's sign (f = ±0 has d's sign).
            int fstep = ((int) (Double.doubleToRawLongBits(rest) >>> 32) ^ fbits) >> 31 | 1;
            boolean fEven = !nearest & rest != 0 & (fbits & 1) == 0;
            out[j] = Float.intBitsToFloat(fbits + (fEven ? fstep : 0));
        }
    }

    /** x_j ← rd_F(rd_K(x_j)) over the chunks of x[0, n). */
    private void roundTwice(float[] x, int n) {
        for (int j = 0; j < n; j += width) {
            FloatVector v = vectorToCompute.round(FloatVector.fromArray(species, x, j));
            vectorToFormat.round(v).intoArray(x, j);
        }
    }

    /** sr's random bits for a scalar step, as the scalar kernel draws them; 0 otherwise. */
    private int bits(Op op, int index) {
        return stochastic ? RandomBits.of(keys[op.ordinal()], index) : 0;
    }

    private static int firstIndexOf(float[] z, int n, float m) {
        for (int j = 0; j < n; j++) {
            if (z[j] == m) {
                return j;
            }
        }
        return -1;
    }

    private static double log(double x) {
        return (float) StrictMath.log(x);
    }

    private static double log1p(double x) {
        return (float) StrictMath.log1p(x);
    }

    private void ensureScratch(int n) {
        if (shifted.length < n) {
            logits = new float[n];
            shifted = new float[n];
            exps = new float[n];
            gradient = new float[n];
        }
        int size = n + Recipe.MAX_LANES + width;
        if (stochastic && stageNum.length < size) {
            stageNum = new double[size];
            stageDen = new double[size];
            stageBits = new int[size];
        }
        if ((stochastic || staged()) && stageHi.length < size) {
            stageHi = new double[size];
            stageOut = new float[size];
        }
    }

    /** Whether any step is staged (VectorStagedRounding): the short paths must not be. */
    boolean staged() {
        return formatStaged || computeStaged || sumsStaged || quotientsStaged;
    }

    // Storage-typed entry points: codes in, codes out, through VectorCodec.

    /** Created on the first storage-typed call: the float[] path never needs it. */
    private VectorCodec storage;

    /**
     * As {@link #evaluate(float[], int, int, float[])} on the storage codes of a 9- to 16-bit
     * format (bf16, fp16): z[0..n) decoded with one vector loop, the float evaluation, and the
     * gradient encoded into {@code grad[0..n)} with one vector loop ({@code grad == null}: forward
     * only). Codes as {@link dev.absorb.format.Format#encode}; see {@link VectorCodec}.
     *
     * @throws IllegalArgumentException for a format not stored in 16 bits, or bad n, y or lengths
     */
    public Evaluation evaluate(short[] z, int n, int y, short[] grad) {
        VectorCodec codec = storageCodec(Short.SIZE);
        requireStorageArguments(n, y, z.length, grad == null ? -1 : grad.length);
        ensureScratch(n);
        codec.decode(z, n, logits);
        Evaluation e = evaluate(logits, n, y, grad == null ? null : gradient);
        if (grad != null) {
            codec.encode(gradient, n, grad);
        }
        return e;
    }

    /** As {@link #evaluate(short[], int, int, short[])} for formats of at most 8 bits (fp8, MX). */
    public Evaluation evaluate(byte[] z, int n, int y, byte[] grad) {
        VectorCodec codec = storageCodec(Byte.SIZE);
        requireStorageArguments(n, y, z.length, grad == null ? -1 : grad.length);
        ensureScratch(n);
        codec.decode(z, n, logits);
        Evaluation e = evaluate(logits, n, y, grad == null ? null : gradient);
        if (grad != null) {
            codec.encode(gradient, n, grad);
        }
        return e;
    }

    private VectorCodec storageCodec(int bits) {
        if (!VectorCodec.supports(recipe.format()) || VectorCodec.storageWidth(recipe.format()) != bits) {
            String valid = VectorCodec.supports(recipe.format())
                    ? "use the " + (VectorCodec.storageWidth(recipe.format()) == Byte.SIZE ? "byte[]" : "short[]") + " entry point"
                    : "use float[] values";
            throw new IllegalArgumentException(recipe.format() + " (" + recipe.format().storageBits() + " bits) is not stored in "
                    + (bits == Byte.SIZE ? "byte[] (formats of at most 8 bits)" : "short[] (formats of 9 to 16 bits)") + ": " + valid);
        }
        if (storage == null) {
            storage = new VectorCodec(recipe.format());
        }
        return storage;
    }

    private static void requireStorageArguments(int n, int y, int zLength, int gradLength) {
        if (n < 1 || y < 0 || y >= n || zLength < n || gradLength >= 0 && gradLength < n) {
            throw new IllegalArgumentException("need 1 <= n <= z.length, 0 <= y < n and grad.length >= n; got n=" + n
                    + ", y=" + y + ", z.length=" + zLength + ", grad.length=" + (gradLength < 0 ? "-" : gradLength));
        }
    }
}
