package dev.absorb.bench;

import java.util.SplittableRandom;

/**
 * The inputs of the element-wise benchmarks (rounding, exp): {@code offset + scale·u} with u
 * uniform in [0, 1) from {@link Logits#SEED}, as doubles and as floats. Uniform, not Gaussian:
 * {@code nextDouble} gives the same values on every JDK, {@code nextGaussian} does not.
 */
record UniformFloats(double[] wide, float[] values) {

    static UniformFloats of(int n, double offset, double scale) {
        SplittableRandom random = new SplittableRandom(Logits.SEED);
        double[] wide = new double[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            wide[i] = offset + scale * random.nextDouble();
            values[i] = (float) wide[i];
        }
        return new UniformFloats(wide, values);
    }
}
