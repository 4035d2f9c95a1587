package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.VectorSpecies;

/**
 * Building blocks of the kernels, public so that benchmarks time the very code the kernels run,
 * one block alone: absorb's exp ({@code exp=poly}) one element at a time and lane-wise, and the
 * float-lane kernel's rounding of floats to a format. Lane-wise calls take whole vectors:
 * array lengths a multiple of the lanes of {@link #floats()}.
 */
public final class KernelParts {

    private KernelParts() {
    }

    /** The float species of the kernels' vectors ({@code -Dabsorb.vector.bits}, by default at most 256 bits). */
    public static VectorSpecies<Float> floats() {
        return VectorWidth.FLOATS;
    }

    /** exp=poly of one float, as the scalar reference evaluates it. */
    public static float expPoly(float x) {
        return ExpPoly.exp(x);
    }

    /** out[i] = exp=poly of x[i], lane-wise (the float-lane kernels' polynomial, bit for bit the scalar one). */
    public static void expPolyLanes(float[] x, float[] out) {
        requireWholeVectors(x.length, out.length);
        SimdExp.polynomial(x, out);
    }

    /**
     * The float-lane kernel's rounding to {@code rounding}'s format and mode (round to nearest
     * even by bit tricks for the narrow formats; other modes the long lane-wise path).
     *
     * @throws IllegalArgumentException where lanes do not round to it (fp64, sr, srh, 22-bit significands)
     */
    public static Rounder rounder(Rounding rounding) {
        if (!VectorRounding.supports(rounding)) {
            throw new IllegalArgumentException("no float-lane rounding to " + rounding);
        }
        return new Rounder(new VectorRounding(rounding));
    }

    /** A lane-wise rounding to one format and mode. */
    public static final class Rounder {

        private final VectorRounding lanes;

        private Rounder(VectorRounding lanes) {
            this.lanes = lanes;
        }

        /** out[i] = x[i] rounded, lane-wise: the same bits as {@link Rounding#round(float, int)}. */
        public void round(float[] x, float[] out) {
            requireWholeVectors(x.length, out.length);
            SimdShortRounding.round(lanes, x, out);
        }
    }

    private static void requireWholeVectors(int in, int out) {
        if (in % floats().length() != 0 || out < in) {
            throw new IllegalArgumentException("need whole vectors of " + floats().length() + " floats and out.length >= x.length; got "
                    + in + " and " + out);
        }
    }
}
