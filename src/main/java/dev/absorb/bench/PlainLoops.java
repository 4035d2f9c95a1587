package dev.absorb.bench;

/**
 * The in-run baselines: log-sum-exp, loss and gradient the way plain Java code writes them
 * (max, then Σ Math.exp(z_j − max), then max + log Σ), once in double (fp64) and once in float
 * (fp32: every exp and every partial sum rounded to float). No emulation, one accumulator: what a
 * recipe costs is its score divided by these, measured by the same run on the same machine.
 */
final class PlainLoops {

    private PlainLoops() {
    }

    static double forwardDouble(float[] z, int y) {
        return lseDouble(z) - z[y];
    }

    static float forwardFloat(float[] z, int y) {
        return lseFloat(z) - z[y];
    }

    static double fusedDouble(float[] z, int y, float[] grad) {
        double lse = lseDouble(z);
        for (int j = 0; j < z.length; j++) {
            grad[j] = (float) Math.exp(z[j] - lse);
        }
        grad[y] -= 1f;
        return lse - z[y];
    }

    static float fusedFloat(float[] z, int y, float[] grad) {
        float lse = lseFloat(z);
        for (int j = 0; j < z.length; j++) {
            grad[j] = (float) Math.exp(z[j] - lse);
        }
        grad[y] -= 1f;
        return lse - z[y];
    }

    private static double lseDouble(float[] z) {
        double m = max(z);
        double sum = 0;
        for (float x : z) {
            sum += Math.exp(x - m);
        }
        return m + Math.log(sum);
    }

    private static float lseFloat(float[] z) {
        float m = max(z);
        float sum = 0;
        for (float x : z) {
            // The float rounding of each term is the point: an fp32 exp feeding an fp32 sum.
            sum += (float) Math.exp(x - m);
        }
        return m + (float) Math.log(sum);
    }

    private static float max(float[] z) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : z) {
            m = Math.max(m, x);
        }
        return m;
    }
}
