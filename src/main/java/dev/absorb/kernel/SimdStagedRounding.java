package dev.absorb.kernel;

/**
 * {@link SimdPlan.Path#STAGED}: each exact result rounded to odd in double by scalar code, then
 * rounded to the target by one flat double-lane loop ({@link VectorStagedRounding}): the steps
 * whose lane-wise rounding is too long to compile unboxed (any mode but rne, sat, ftz, p &gt; 11,
 * sums and quotients that are not narrow).
 */
final class SimdStagedRounding extends SimdRounding {

    private static final int WIDTH = VectorWidth.FLOATS.length();

    private final VectorStagedRounding rounding;
    private final StageBuffers stage;
    /** One chunk's new partials; under Kahan its corrected terms, new partials, and t − s then the new compensation. */
    private final float[] stagePartials = new float[Recipe.MAX_LANES];
    private final float[] kahanCorrected = new float[Recipe.MAX_LANES];
    private final float[] kahanSum = new float[Recipe.MAX_LANES];
    private final float[] kahanStep = new float[Recipe.MAX_LANES];

    SimdStagedRounding(VectorStagedRounding rounding, StageBuffers stage) {
        this.rounding = rounding;
        this.stage = stage;
    }

    @Override
    void subtract(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first, boolean nanFree) {
        VectorStagedRounding.stageDifferences(a, from, b, to - from, stage.hi);
        roundStaged(to - from, out, outOffset);
    }

    @Override
    void round(float[] x, int from, int to, Op op, int first) {
        int count = to - from;
        double[] hi = stage.hi;
        for (int i = 0; i < count; i++) {
            hi[i] = x[from + i];
        }
        roundStaged(count, x, from);
    }

    /** A product of two floats is exact in double: staged as it is. */
    @Override
    void multiply(float[] a, int from, int to, float b, float[] out, int outOffset, Op op, int first) {
        int count = to - from;
        double[] hi = stage.hi;
        for (int i = 0; i < count; i++) {
            hi[i] = (double) a[from + i] * b;
        }
        roundStaged(count, out, outOffset);
    }

    @Override
    void divide(float[] e, int from, int to, float s, float[] out, int outOffset, Op op, int first) {
        VectorStagedRounding.stageQuotients(e, from, s, to - from, stage.hi);
        roundStaged(to - from, out, outOffset);
    }

    /** The staged elements hi[0, count) rounded into out[outOffset, outOffset + count). */
    private void roundStaged(int count, float[] out, int outOffset) {
        int padded = (count + WIDTH - 1) / WIDTH * WIDTH;
        rounding.round(stage.hi, padded, stage.out, 0);
        System.arraycopy(stage.out, 0, out, outOffset, count);
    }

    /**
     * Chunk by chunk of W elements, the W partials plus the chunk's exps (+0 past n and at skip:
     * an exact no-op, partials are never −0) staged and rounded at once.
     */
    @Override
    void sum(float[] exps, int n, int skip, double[] partials, int lanes) {
        double[] hi = stage.hi;
        for (int start = 0; start < n; start += lanes) {
            for (int l = 0; l < lanes; l++) {
                int j = start + l;
                double e = j < n && j != skip ? exps[j] : 0.0;
                VectorStagedRounding.stageSum(partials[l], e, hi, l);
            }
            rounding.round(hi, lanes, stagePartials, 0);
            for (int l = 0; l < lanes; l++) {
                partials[l] = stagePartials[l];
            }
        }
    }

    /**
     * Kahan's sum: each of {@link SimdSum#kahanAdd}'s four operations staged for the chunk's W
     * partials and rounded at once; lanes past n and at skip take no step (adding +0 is not a
     * no-op for Kahan's compensation), so they keep their partial and compensation.
     */
    @Override
    void kahanSum(float[] exps, int n, int skip, double[] partials, double[] compensation, int lanes) {
        double[] hi = stage.hi;
        for (int start = 0; start < n; start += lanes) {
            for (int l = 0; l < lanes; l++) {
                int j = start + l;
                double x = j < n && j != skip ? exps[j] : 0.0;
                VectorStagedRounding.stageDifference(x, compensation[l], hi, l);
            }
            rounding.round(hi, lanes, kahanCorrected, 0);
            for (int l = 0; l < lanes; l++) {
                VectorStagedRounding.stageSum(partials[l], kahanCorrected[l], hi, l);
            }
            rounding.round(hi, lanes, kahanSum, 0);
            for (int l = 0; l < lanes; l++) {
                VectorStagedRounding.stageDifference(kahanSum[l], partials[l], hi, l);
            }
            rounding.round(hi, lanes, kahanStep, 0);
            for (int l = 0; l < lanes; l++) {
                VectorStagedRounding.stageDifference(kahanStep[l], kahanCorrected[l], hi, l);
            }
            rounding.round(hi, lanes, kahanStep, 0);
            for (int l = 0; l < lanes; l++) {
                int j = start + l;
                if (j < n && j != skip) {
                    partials[l] = kahanSum[l];
                    compensation[l] = kahanStep[l];
                }
            }
        }
    }
}
