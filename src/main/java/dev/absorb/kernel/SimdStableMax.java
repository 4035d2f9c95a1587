package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * norm=stablemax (DESIGN.md §4): e_j = rd_K(s(z_j)) and s'_j = rd_K(s'(z_j)) lane-wise, S in the
 * recipe's order, loss = rd_K(log S − log e_y), g_j = rd_K(s'_j / S) and the target's entry by the
 * recipe's gradient form, as {@link ScalarKernel}'s stablemax.
 */
final class SimdStableMax {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final Recipe.Gradient form;
    private final RecipeRoundings roundings;
    private final Rounding toCompute;
    private final Rounding toFormat;
    private final VectorRounding computeLanes;
    private final SimdRounding differences;
    private final SimdRounding quotients;
    private final SimdRounding formatRounding;
    private final SimdSum sum;
    /** grad=center's pass, or null. */
    private final SimdCenter center;
    private final boolean formatIsCompute;
    private final ExactSum exact = new ExactSum();
    private final float[] tailIn = new float[WIDTH];
    private final float[] tailValues = new float[WIDTH];
    private final float[] tailDerivatives = new float[WIDTH];
    /** s(z_j), s'(z_j) and p_j, padded to whole vectors. */
    private float[] values = new float[0];
    private float[] derivatives = new float[0];
    private float[] probabilities = new float[0];

    SimdStableMax(RecipeRoundings roundings, SimdPlan plan, SimdRounding differences, SimdRounding quotients,
                  SimdRounding formatRounding, SimdSum sum, SimdCenter center) {
        this.form = roundings.recipe.grad();
        this.roundings = roundings;
        this.toCompute = roundings.toCompute;
        this.toFormat = roundings.toFormat;
        this.computeLanes = roundings.computeLanes;
        this.differences = differences;
        this.quotients = quotients;
        this.formatRounding = formatRounding;
        this.sum = sum;
        this.center = center;
        this.formatIsCompute = plan.formatIsCompute;
    }

    /**
     * lse (log S) and loss of z[0, n), and with grad the gradient into grad[0, n); {@code exps} is
     * the kernel's scratch of at least n elements, where the sum reads e_j.
     */
    Evaluation evaluate(float[] z, int n, int y, float[] grad, float[] exps) {
        int padded = (n + WIDTH - 1) / WIDTH * WIDTH;
        if (values.length < padded) {
            values = new float[padded];
            derivatives = new float[padded];
            probabilities = new float[padded];
        }
        int full = n - n % WIDTH;
        valuesOf(z, 0, full, values, derivatives);
        if (full < n) {
            Arrays.fill(tailIn, 0f);
            System.arraycopy(z, full, tailIn, 0, n - full);
            valuesOf(tailIn, 0, WIDTH, tailValues, tailDerivatives);
            System.arraycopy(tailValues, 0, values, full, WIDTH);
            System.arraycopy(tailDerivatives, 0, derivatives, full, WIDTH);
        }
        if (roundings.stochastic) {
            differences.round(values, 0, n, Op.STABLEMAX, 0);
            differences.round(derivatives, 0, n, Op.STABLEMAX_DERIVATIVE, 0);
        }
        System.arraycopy(values, 0, exps, 0, n);
        double s = sum.sum(exps, n, -1);
        double logSum = toCompute.round(log(s), roundings.bits(Op.LOG, 0));
        double logTarget = toCompute.round(log(exps[y]), roundings.bits(Op.STABLEMAX_LOG_TARGET, y));
        double loss = toCompute.subtract(logSum, logTarget, roundings.bits(Op.LOSS, y));
        if (grad == null) {
            return new Evaluation(logSum, loss);
        }
        quotients.divide(derivatives, 0, padded, (float) s, probabilities, 0, Op.GRAD_DIVIDE, 0);
        double py = probabilities[y];
        if (!formatIsCompute) {
            formatRounding.round(probabilities, 0, padded, Op.GRAD_STORE, 0);
        }
        System.arraycopy(probabilities, 0, grad, 0, n);
        double derivativeY = derivatives[y];
        double gy;
        switch (form) {
            case COMPLEMENT: {
                double numerator = toCompute.multiply(derivativeY, sum.sum(exps, n, y), roundings.bits(Op.STABLEMAX_NUMERATOR, y));
                double denominator = toCompute.multiply(s, exps[y], roundings.bits(Op.STABLEMAX_DENOMINATOR, y));
                gy = -toCompute.divide(numerator, denominator, roundings.bits(Op.GRAD_DIVIDE, y));
                break;
            }
            case ZEROSUM:
                exact.clear();
                for (int j = 0; j < n; j++) {
                    if (j != y) {
                        exact.add(grad[j]);
                    }
                }
                gy = Double.isNaN(s) ? Double.NaN : toFormat.round(-exact.toOdd(), roundings.bits(Op.GRAD_SUM, y));
                break;
            default: {
                double one = toCompute.divide(derivativeY, exps[y], roundings.bits(Op.STABLEMAX_TARGET_DIVIDE, y));
                gy = toCompute.subtract(py, one, roundings.bits(Op.GRAD_MINUS_ONE, y));
                break;
            }
        }
        grad[y] = (float) toFormat.round(gy, roundings.bits(Op.GRAD_STORE, y));
        if (center != null) {
            center.center(grad, n);
        }
        return new Evaluation(logSum, loss);
    }

    /**
     * s(x) = x + 1 (x ≥ 0) else 1/(1 − x), and s'(x) = 1 else 1/(1 − x)², in fp32 as the reference,
     * rounded to K (under sr left for the staged rounding), over the chunks of z[from, to).
     */
    private void valuesOf(float[] z, int from, int to, float[] values, float[] derivatives) {
        boolean stochastic = roundings.stochastic;
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int j = from; j < to; j += WIDTH) {
            FloatVector x = FloatVector.fromArray(SPECIES, z, j);
            VectorMask<Float> nonNegative = x.compare(VectorOperators.GE, 0f); // false for NaN, as the scalar's x >= 0
            FloatVector t = one.sub(x);
            FloatVector s = one.div(t).blend(x.add(one), nonNegative);
            FloatVector derivative = one.div(t.mul(t)).blend(one, nonNegative);
            if (!stochastic) {
                s = computeLanes.round(s);
                derivative = computeLanes.round(derivative);
            }
            s.intoArray(values, j);
            derivative.intoArray(derivatives, j);
        }
    }

    private static double log(double x) {
        return (float) StrictMath.log(x);
    }
}
