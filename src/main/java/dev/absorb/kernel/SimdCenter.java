package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * grad=center: g_j ← rd_F(rd_K(g_j − mean)), the mean of the stored entries taken exactly (fp64),
 * as the reference. The mean is a double, so g_j − mean is not a float operation: a scalar pass
 * takes it exactly (TwoSum in double, rounded to odd at 53 bits) and narrows it to float (rne
 * where K is fp32, else to odd, which K's rounding then rounds once); one vector loop rounds to K
 * and FORMAT. Under sr the reference's scalar steps run as they are.
 */
final class SimdCenter {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int WIDTH = SPECIES.length();

    private final RecipeRoundings roundings;
    private final Rounding toCompute;
    private final Rounding toFormat;
    private final VectorRounding computeLanes;
    private final VectorRounding formatLanes;
    /** K is fp32: the difference narrows to float by rne, not to odd. */
    private final boolean nearest;
    private final ExactFloatSum exactFloatSum = new ExactFloatSum();
    /** The differences g_j − mean narrowed to float, padded to whole vectors. */
    private float[] centered = new float[0];

    SimdCenter(RecipeRoundings roundings) {
        this.roundings = roundings;
        this.toCompute = roundings.toCompute;
        this.toFormat = roundings.toFormat;
        this.computeLanes = roundings.computeLanes;
        this.formatLanes = roundings.formatLanes;
        this.nearest = roundings.recipe.computeFormat().mantissaBits() == FLOAT_FRACTION_BITS;
    }

    /** grad[0, n) centered in place. */
    void center(float[] grad, int n) {
        double mean = exactFloatSum.toOdd(grad, n) / n;
        if (roundings.stochastic) {
            for (int j = 0; j < n; j++) {
                double difference = toCompute.subtract(grad[j], mean, roundings.bits(Op.GRAD_CENTER, j));
                grad[j] = (float) toFormat.round(difference, roundings.bits(Op.GRAD_CENTER_STORE, j));
            }
            return;
        }
        int padded = (n + WIDTH - 1) / WIDTH * WIDTH;
        if (centered.length < padded) {
            centered = new float[padded];
        }
        differenceToFloat(grad, n, mean, nearest, centered);
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
        for (int j = 0; j < n; j += WIDTH) {
            FloatVector v = computeLanes.round(FloatVector.fromArray(SPECIES, x, j));
            formatLanes.round(v).intoArray(x, j);
        }
    }
}
