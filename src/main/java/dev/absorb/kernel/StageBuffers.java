package dev.absorb.kernel;

/**
 * The scratch of the staged and stochastic roundings, shared by every step of one kernel (the
 * steps run one after the other): under sr a quotient's exact result as hi + num/den and the
 * random bits, under the deterministic modes the exact results rounded to odd in {@link #hi}
 * alone; then the rounded results. Arrays grow with the row and are read afresh by each step.
 */
final class StageBuffers {

    private static final int WIDTH = VectorWidth.FLOATS.length();

    private final boolean stochastic;
    double[] hi = new double[0];
    double[] num = new double[0];
    double[] den = new double[0];
    /** sr's random bits: at the element's index (drawn per step), or from 0 (a staged quotient's). */
    int[] bits = new int[0];
    float[] out = new float[0];

    StageBuffers(boolean stochastic) {
        this.stochastic = stochastic;
    }

    /** Room for a row of n elements, the partials and a padded tail. */
    void ensure(int n) {
        int size = n + Recipe.MAX_LANES + WIDTH;
        if (hi.length < size) {
            hi = new double[size];
            out = new float[size];
            if (stochastic) {
                num = new double[size];
                den = new double[size];
                bits = new int[size];
            }
        }
    }
}
