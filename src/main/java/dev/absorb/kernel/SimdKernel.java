package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The Vector API kernel: the same evaluation as {@link ScalarKernel}, lane-wise on float lanes,
 * with the same result bit for bit (for {@code exp=poly}; {@code exp=jdk} uses the Vector API's
 * EXP, which is platform-dependent by definition). This class drives one evaluation through its
 * steps; each step is a loop of a class of its own:
 * <ul>
 *   <li>{@link SimdPlan} decides which path each step takes, once per recipe;</li>
 *   <li>{@link SimdRounding} rounds a step's results (short, staged or stochastic);</li>
 *   <li>{@link SimdRange} finds the max, {@link SimdExp} computes exp, {@link SimdSum} sums and
 *   folds, {@link SimdGradient} or {@link SimdFusedPass} writes the gradient;</li>
 *   <li>the variants: {@link SimdOnlineSum}, {@link SimdStableMax}, {@link SimdCap},
 *   {@link SimdCenter} (docs/decisions.md, "SIMD variants");</li>
 *   <li>{@link StorageCodes} takes storage codes in and out.</li>
 * </ul>
 *
 * <h2>Summation order</h2>
 * With W = {@code lanes} partial sums and vectors of V = min(W, the width) lanes, W/V
 * accumulator vectors take turns over consecutive chunks of V elements, so element j lands in
 * partial j mod W, as DESIGN.md §4 fixes; then the fold in the reference's order.
 *
 * <h2>Scope</h2>
 * {@link SimdPlan#supports} says which recipes run here; the others (acc=fp64, online or kahan
 * with sr or srh, fp64 and formats float lanes cannot hold) run on {@link SimdKernel64} or the
 * scalar kernel, and {@link SimdPlan#runsUnboxed} which of these run fast ({@link Kernels}).
 *
 * <p>Not thread-safe: it keeps scratch arrays. Use one instance per thread.
 */
final class SimdKernel implements Kernel {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final Recipe recipe;
    private final SimdPlan plan;
    private final RecipeRoundings roundings;
    /** Null where no step is staged or stochastic. */
    private final StageBuffers stage;
    private final SimdRounding differences;
    private final SimdRange range = new SimdRange();
    private final SimdExp exp;
    private final SimdSum sum;
    private final SimdGradient gradient;
    /** The fused path ({@link SimdPlan#sumInOneLoop}), else null. */
    private final SimdFusedPass fusedPass;
    /** The variants, each null unless the recipe asks for it. */
    private final SimdOnlineSum online;
    private final SimdCap cap;
    private final SimdStableMax stableMax;
    private final SimdCenter center;
    /** chunk=N's per-chunk sums and their merge, or null. */
    private final SimdChunks chunks;
    private final StorageCodes storage;
    private final float[] tailIn = new float[WIDTH];
    private final float[] tailShifted = new float[WIDTH];
    private final float[] tailExps = new float[WIDTH];
    private float[] logits = new float[0];
    private float[] shifted = new float[0];
    private float[] exps = new float[0];
    private float[] gradientScratch = new float[0];

    SimdKernel(Recipe recipe) {
        this.recipe = recipe;
        this.plan = new SimdPlan(recipe);
        this.roundings = new RecipeRoundings(recipe);
        this.stage = roundings.stochastic || plan.staged() ? new StageBuffers(roundings.stochastic) : null;
        this.differences = rounding(plan.differences, roundings.toCompute, roundings.computeLanes, null);
        SimdRounding quotients = rounding(plan.quotients, roundings.toCompute, roundings.computeLanes, null);
        SimdRounding toFormat = rounding(plan.toFormat, roundings.toFormat, roundings.formatLanes, null);
        // The sums add exps of K: where K and A are one small format (e4m3) every such sum is a float.
        SimdRounding accumulate = rounding(plan.sums, roundings.toAcc, roundings.accLanes, recipe.computeFormat());
        this.exp = new SimdExp(recipe.exp(), differences);
        this.sum = new SimdSum(roundings, accumulate, plan.narrowSums);
        SimdRounding toGradient = plan.mitigated ? rounding(plan.toGradient, roundings.toGradient, roundings.gradientLanes, null) : null;
        this.gradient = new SimdGradient(roundings, plan, differences, quotients, toFormat, toGradient, exp, sum);
        this.fusedPass = plan.sumInOneLoop ? new SimdFusedPass(roundings, sum) : null;
        this.online = recipe.algo() == Recipe.Algo.ONLINE ? new SimdOnlineSum(recipe) : null;
        this.cap = recipe.cap() > 0 ? new SimdCap(roundings, quotients) : null;
        this.center = recipe.grad() == Recipe.Gradient.CENTER ? new SimdCenter(roundings) : null;
        this.stableMax = recipe.norm() == Recipe.Norm.STABLEMAX
                ? new SimdStableMax(roundings, plan, differences, quotients, toFormat, sum, center) : null;
        this.chunks = recipe.mitigations().chunk() > 0 ? new SimdChunks(roundings, differences, exp, sum) : null;
        this.storage = new StorageCodes(this);
    }

    /**
     * The rounding of one kind of step to {@code target} on its plan's path; {@code lanes} is the
     * lane-wise rounding to it (null under sr), {@code operands} the format of what its sums add
     * (null: any floats).
     */
    private SimdRounding rounding(SimdPlan.Path path, Rounding target, VectorRounding lanes, Format operands) {
        switch (path) {
            case STOCHASTIC:
                return new SimdStochasticRounding(new VectorStochasticRounding(target, operands), roundings, stage);
            case STAGED:
                return new SimdStagedRounding(new VectorStagedRounding(target), stage);
            default:
                return new SimdShortRounding(lanes, plan.narrowSums);
        }
    }

    @Override
    public Recipe recipe() {
        return recipe;
    }

    @Override
    public Evaluation evaluate(double[] z, int y, double[] grad) {
        return evaluate(z, z.length, y, grad);
    }

    /** Through float scratch: the logits are values of a format floats hold. */
    @Override
    public Evaluation evaluate(double[] z, int n, int y, double[] grad) {
        RowArguments.check(n, y, z.length, grad == null ? -1 : grad.length);
        ensureScratch(n);
        for (int j = 0; j < n; j++) {
            logits[j] = (float) z[j];
        }
        Evaluation e = evaluate(logits, n, y, grad == null ? null : gradientScratch);
        if (grad != null) {
            for (int j = 0; j < n; j++) {
                grad[j] = gradientScratch[j];
            }
        }
        return e;
    }

    /**
     * Evaluates logits {@code z[0..n)} (values of the recipe's format) with target {@code y}:
     * returns lse and loss and writes the gradient, values of the format, to {@code grad[0..n)};
     * with {@code grad == null} only lse and loss are computed (the forward pass).
     */
    @Override
    public Evaluation evaluate(float[] z, int n, int y, float[] grad) {
        RowArguments.check(n, y, z.length, grad == null ? -1 : grad.length);
        ensureScratch(n);
        range.forget();
        if (cap != null) {
            z = cap.apply(z, n);
        }
        if (stableMax != null) {
            return stableMax.evaluate(z, n, y, grad, exps);
        }
        float m;
        double s;
        if (online != null) {
            s = online.sum(z, n);
            m = (float) online.max();
            if (!plan.fused && (grad != null || recipe.lse() == Recipe.Lse.LOG1P)) {
                shiftAndExp(z, n, m, true); // d_j and e_j recomputed with the online max (DESIGN.md §4)
            }
        } else {
            m = range.max(z, n);
            if (recipe.algo() == Recipe.Algo.NAIVE && Float.isFinite(m)) {
                m = 0f; // naive shifts only a non-finite max, as the scalar kernel does
            }
            // The forward pass needs no d_j or e_j: whatever the gradient's form, S in one loop.
            if (chunks != null) {
                s = chunks.sum(z, n);
                if (!plan.fused && grad != null) {
                    shiftAndExp(z, n, m, true); // the gradient's d_j and e_j, with the row's max
                }
            } else if (plan.fused || plan.sumInOneLoop && grad == null) {
                s = fusedPass.sum(z, n, m, differencesModerate(m));
            } else if (plan.roundsExpsInSum) {
                shiftAndExp(z, n, m, false);
                s = sum.roundingSum(exps, n);
            } else {
                shiftAndExp(z, n, m, true);
                s = sum.sum(exps, n, -1);
            }
            s = roundings.storeRowSum(s, Op.ROWSUM_STORE, 0);
        }
        double r;
        if (recipe.lse() == Recipe.Lse.LOG1P) {
            int top = firstIndexOf(z, n, m);
            double rest = sum.sum(exps, n, top);
            if (top >= 0 && Float.isNaN(shifted[top])) {
                rest = Double.NaN; // as the scalar kernel: a +inf maximum must not hide its NaN
            }
            r = roundings.toCompute.round(log1p(rest), roundings.bits(Op.LOG, 0));
        } else {
            r = roundings.storeRowSum(roundings.toCompute.round(log(s), roundings.bits(Op.LOG, 0)), Op.LOG_STORE, 0);
        }
        double lse = roundings.toCompute.add(m, r, roundings.bits(Op.LSE, 0));
        double loss = roundings.toCompute.subtract(lse, z[y], roundings.bits(Op.LOSS, y));
        if (grad != null) {
            if (plan.fused) {
                fusedPass.gradient(z, n, y, m, (float) r, (float) lse, range.low(), range.high(), grad);
            } else if (plan.mitigated) {
                gradient.mitigatedGradient(z, shifted, exps, n, y, (float) r, (float) lse, (float) s, grad, !Float.isNaN(range.high()));
            } else {
                gradient.gradient(z, shifted, exps, n, y, (float) r, (float) lse, (float) s, grad, !Float.isNaN(range.high()));
            }
            if (center != null) {
                center.center(grad, n);
            }
        }
        return new Evaluation(lse, loss);
    }

    @Override
    public Evaluation evaluate(short[] z, int n, int y, short[] grad) {
        return storage.evaluate(z, n, y, grad);
    }

    @Override
    public Evaluation evaluate(byte[] z, int n, int y, byte[] grad) {
        return storage.evaluate(z, n, y, grad);
    }

    /** shifted_j = rd_K(z_j − m), exps_j = rd_K(exp(shifted_j)), or exp(shifted_j) unrounded if not roundExps. */
    private void shiftAndExp(float[] z, int n, float m, boolean roundExps) {
        int full = n - n % WIDTH;
        boolean moderate = differencesModerate(m);
        boolean nanFree = !Float.isNaN(range.high()) && !Float.isNaN(m);
        shiftAndExp(z, 0, full, m, shifted, exps, 0, 0, roundExps, moderate, nanFree);
        if (full < n) {
            // The tail through full-width scratch copies: no masked loads or stores (JDK 17
            // does not intrinsify them on AVX2).
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            // Lanes past n (z = 0) may fall outside the bound: their exps are not copied.
            shiftAndExp(tailIn, 0, WIDTH, m, tailShifted, tailExps, 0, full, roundExps, moderate, nanFree);
            System.arraycopy(tailShifted, 0, shifted, full, n - full);
            System.arraycopy(tailExps, 0, exps, full, n - full);
        }
    }

    /**
     * The chunks of z[from, to) ((to − from) a multiple of the width) into dShift and dExp from
     * {@code out}. Each loop of the kernel is a method of its own and takes arrays, never vectors:
     * a method's vector IR must stay under the JIT's inlining node limit, and a vector passed
     * to a call that is not inlined is boxed.
     */
    private void shiftAndExp(float[] z, int from, int to, float m, float[] dShift, float[] dExp, int out, int first,
                             boolean roundExps, boolean moderate, boolean nanFree) {
        differences.subtract(z, from, to, m, dShift, out, Op.SUBTRACT_MAX, first, nanFree);
        if (roundExps) {
            exp.roundedExp(dShift, out, out + to - from, dExp, out, Op.EXP, first, moderate);
        } else {
            exp.exp(dShift, out, out + to - from, dExp, out, moderate);
        }
    }

    /**
     * Whether every d_j = rd_K(z_j − m) is known to lie in [−87, 87] from the range of z that
     * {@link SimdRange#max} found: a deterministic rounding is monotone, so d_j lies between
     * rd_K(low − m) and rd_K(high − m), and exp's range scan over the d_j can be skipped (sr is
     * not monotone; an unknown or NaN range answers false).
     */
    private boolean differencesModerate(float m) {
        return exp.polynomial() && !roundings.stochastic
                && VectorExp.moderate((float) roundings.toCompute.subtract(range.low(), m, 0),
                        (float) roundings.toCompute.subtract(range.high(), m, 0));
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
            gradientScratch = new float[n];
        }
        if (stage != null) {
            stage.ensure(n);
        }
    }
}
