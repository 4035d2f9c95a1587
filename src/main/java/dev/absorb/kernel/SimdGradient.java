package dev.absorb.kernel;

import dev.absorb.format.Rounding;

import java.util.Arrays;

/**
 * The gradient of the general path (DESIGN.md §4 step 5): p_j by the recipe's form over whole
 * vectors (a zero-padded copy for the tail), rounded to FORMAT, and the target's entry g_y from
 * p_y in K, the complement, or the zero sum. One short loop per operation: see
 * {@link SimdRounding}.
 */
final class SimdGradient {

    private static final int WIDTH = VectorWidth.FLOATS.length();

    private final Recipe.Gradient form;
    private final RecipeRoundings roundings;
    private final Rounding toCompute;
    private final Rounding toFormat;
    private final SimdRounding differences;
    private final SimdRounding quotients;
    private final SimdRounding formatRounding;
    private final SimdExp exp;
    private final SimdSum sum;
    private final boolean storeLogp;
    /** K is FORMAT: the probabilities are not rounded again ({@link SimdPlan#formatIsCompute}). */
    private final boolean formatIsCompute;
    /** The mitigations' scalar terms and the rounding to G (smooth, zloss, scale, gradfmt). */
    private final MitigationTerms terms;
    private final SimdRounding gradientRounding;
    private final boolean gradientIsCompute;
    /** The targets q_j under smoothing, summed into T. */
    private float[] targets = new float[0];
    private final ExactSum exact = new ExactSum();
    private final float[] tailIn = new float[WIDTH];
    private final float[] tailShifted = new float[WIDTH];
    private final float[] tailExps = new float[WIDTH];
    private final float[] lane = new float[WIDTH];

    SimdGradient(RecipeRoundings roundings, SimdPlan plan, SimdRounding differences, SimdRounding quotients,
                 SimdRounding formatRounding, SimdRounding gradientRounding, SimdExp exp, SimdSum sum) {
        this.form = roundings.recipe.grad();
        this.roundings = roundings;
        this.toCompute = roundings.toCompute;
        this.toFormat = roundings.toFormat;
        this.differences = differences;
        this.quotients = quotients;
        this.formatRounding = formatRounding;
        this.exp = exp;
        this.sum = sum;
        this.storeLogp = roundings.recipe.logp() == Recipe.LogProb.FORMAT;
        this.formatIsCompute = plan.formatIsCompute;
        this.terms = new MitigationTerms(roundings.recipe, roundings::bits);
        this.gradientRounding = gradientRounding;
        this.gradientIsCompute = plan.gradientIsCompute;
    }

    /**
     * The gradient with the recipe's mitigations ({@link SimdPlan#mitigated}), as the scalar
     * kernel computes it: the probabilities p_j in K, then lane-wise rd_K(p_j·w), rd_K(· − q_j),
     * rd_K(s·) and rd_G, each pass skipped where it changes nothing; g_y from p_y by
     * {@link MitigationTerms#target}.
     */
    void mitigatedGradient(float[] z, float[] shifted, float[] exps, int n, int y, float r, float lse, float s,
                           float[] grad, boolean logitsNanFree) {
        int full = n - n % WIDTH;
        probabilities(z, shifted, exps, 0, full, r, lse, s, false, grad, 0, 0, logitsNanFree);
        if (full < n) {
            copyTail(z, shifted, exps, full, n);
            probabilities(tailIn, tailShifted, tailExps, 0, WIDTH, r, lse, s, false, lane, 0, full, logitsNanFree);
            System.arraycopy(lane, 0, grad, full, n - full);
        }
        float py = grad[y];
        double off = terms.off(n);
        double qy = terms.on(off, y);
        double t = 1.0;
        if (terms.mitigations.smooth() > 0) {
            if (targets.length < n) {
                targets = new float[n];
            }
            Arrays.fill(targets, 0, n, (float) off);
            targets[y] = (float) qy;
            t = sum.sum(targets, n, -1);
        }
        double w = terms.weight(t, lse);
        mitigationSteps(grad, 0, full, 0, (float) w, (float) off);
        if (full < n) {
            Arrays.fill(lane, 0f);
            System.arraycopy(grad, full, lane, 0, n - full);
            mitigationSteps(lane, 0, WIDTH, full, (float) w, (float) off);
            System.arraycopy(lane, 0, grad, full, n - full);
        }
        grad[y] = (float) terms.target(py, w, qy, y);
    }

    /** The lane-wise steps of {@link #mitigatedGradient} on x[from, to) in place; {@code first} is from's element index. */
    private void mitigationSteps(float[] x, int from, int to, int first, float w, float off) {
        if (w != 1f) {
            differences.multiply(x, from, to, w, x, from, Op.GRAD_WEIGHT, first);
        }
        if (off != 0f) {
            differences.subtract(x, from, to, off, x, from, Op.GRAD_TARGET, first, false);
        }
        float scale = (float) terms.mitigations.scale();
        if (scale != 1f) {
            differences.multiply(x, from, to, scale, x, from, Op.GRAD_SCALE, first);
        }
        if (!gradientIsCompute) {
            gradientRounding.round(x, from, to, Op.GRAD_STORE, first);
        }
    }

    /**
     * The gradient into grad[0, n) from z, shifted = d_j and exps = e_j, r = log S, lse and S;
     * {@code logitsNanFree}: the max found no NaN in z.
     */
    void gradient(float[] z, float[] shifted, float[] exps, int n, int y, float r, float lse, float s, float[] grad,
                  boolean logitsNanFree) {
        int full = n - n % WIDTH;
        probabilities(z, shifted, exps, 0, full, r, lse, s, true, grad, 0, 0, logitsNanFree);
        if (full < n) {
            copyTail(z, shifted, exps, full, n);
            probabilities(tailIn, tailShifted, tailExps, 0, WIDTH, r, lse, s, true, lane, 0, full, logitsNanFree);
            System.arraycopy(lane, 0, grad, full, n - full);
        }
        // p_y once more, on its own chunk: the value in K before rounding to the format.
        float py;
        if (y < full) {
            int chunk = y - y % WIDTH;
            probabilities(z, shifted, exps, chunk, chunk + WIDTH, r, lse, s, false, lane, 0, chunk, logitsNanFree);
            py = lane[y - chunk];
        } else {
            copyTail(z, shifted, exps, full, n);
            probabilities(tailIn, tailShifted, tailExps, 0, WIDTH, r, lse, s, false, lane, 0, full, logitsNanFree);
            py = lane[y - full];
        }
        double gy;
        switch (form) {
            case COMPLEMENT:
                gy = -toCompute.divide(roundings.storeRowSum(sum.sum(exps, n, y), Op.ROWSUM_STORE, y), s,
                        roundings.bits(Op.GRAD_DIVIDE, y));
                break;
            case ZEROSUM: {
                exact.clear();
                for (int i = 0; i < n; i++) {
                    if (i != y) {
                        exact.add(grad[i]);
                    }
                }
                // As the scalar kernel: a NaN S (NaN or infinite logits) gives NaN, not −Σ of nothing.
                gy = Float.isNaN(s) ? Double.NaN : toFormat.round(-exact.toOdd(), roundings.bits(Op.GRAD_SUM, y));
                break;
            }
            default:
                gy = toCompute.subtract(py, 1.0, roundings.bits(Op.GRAD_MINUS_ONE, y));
                break;
        }
        grad[y] = (float) toFormat.round(gy, roundings.bits(Op.GRAD_STORE, y));
    }

    /** z, shifted and exps from {@code from} to n into the zero-padded tail scratch. */
    private void copyTail(float[] z, float[] shifted, float[] exps, int from, int n) {
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
    private void probabilities(float[] z, float[] d, float[] e, int from, int to, float r, float lse, float s,
                               boolean roundToFormat, float[] out, int outOffset, int first, boolean logitsNanFree) {
        int outTo = outOffset + to - from;
        switch (form) {
            case STANDARD:
            case CENTER:
                differences.subtract(d, from, to, r, out, outOffset, Op.GRAD_SUBTRACT, first, logitsNanFree && !Float.isNaN(r));
                if (storeLogp) {
                    formatRounding.round(out, outOffset, outTo, Op.LOGP_STORE, first);
                }
                exp.roundedExp(out, outOffset, outTo, out, outOffset, Op.GRAD_EXP, first, false);
                break;
            case LSE:
                differences.subtract(z, from, to, lse, out, outOffset, Op.GRAD_SUBTRACT, first, logitsNanFree && !Float.isNaN(lse));
                exp.roundedExp(out, outOffset, outTo, out, outOffset, Op.GRAD_EXP, first, false);
                break;
            default:
                quotients.divide(e, from, to, s, out, outOffset, Op.GRAD_DIVIDE, first);
                break;
        }
        if (roundToFormat && !formatIsCompute) {
            formatRounding.round(out, outOffset, outTo, Op.GRAD_STORE, first);
        }
    }
}
