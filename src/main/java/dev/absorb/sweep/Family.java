package dev.absorb.sweep;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A family of logit vectors parameterised by the gap Δ and an offset o added to every logit
 * (DESIGN.md §5). Every logit is rounded (rne) to the format it is stored in.
 *
 * <ul>
 *   <li>{@code flat}: z_y = o + Δ, every other z_j = o.</li>
 *   <li>{@code gauss}: other z_j = o + N(0, σ²) (σ = 1), z_y = max_{j≠y} z_j + Δ.</li>
 *   <li>{@code runnerup}: z_y = o + Δ, one rival (the class after y, cyclically) at o, the rest
 *   at o − 8.</li>
 * </ul>
 *
 * The Gaussian draws use {@link SplittableRandom} and a Box–Muller transform on
 * {@code StrictMath}, not {@code nextGaussian}, whose algorithm is not pinned across JDKs: the
 * logits are the same on every JVM.
 */
public enum Family {
    FLAT, GAUSS, RUNNERUP;

    /** The rival level below the runner-up in {@code runnerup}. */
    static final double RUNNERUP_DROP = 8;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid choices */
    public static Family of(String key) {
        for (Family f : values()) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown family '" + key + "'; valid: "
                + Arrays.stream(values()).map(Family::key).collect(Collectors.joining(", ")));
    }

    /**
     * Fills {@code z} (its length is C) with this family's logits, stored in {@code format}, and
     * returns the stored gap z_y − max_{j≠y} z_j.
     */
    public double fill(double[] z, int target, double gap, double offset, Format format, long seed) {
        Rounding store = Rounding.nearest(format);
        switch (this) {
            case FLAT:
                Arrays.fill(z, store.round(offset, 0));
                break;
            case GAUSS:
                SplittableRandom random = new SplittableRandom(seed);
                for (int j = 0; j < z.length; j++) {
                    z[j] = store.round(offset + gaussian(random), 0);
                }
                break;
            case RUNNERUP:
                Arrays.fill(z, store.round(offset - RUNNERUP_DROP, 0));
                z[(target + 1) % z.length] = store.round(offset, 0);
                break;
        }
        return setGap(z, target, gap, offset, format);
    }

    /**
     * Sets only the target logit for a new gap, on logits that {@link #fill} made with the same
     * target, offset and format (only z_y depends on the gap in every family); returns the
     * stored gap.
     */
    public double setGap(double[] z, int target, double gap, double offset, Format format) {
        Rounding store = Rounding.nearest(format);
        double others = maxOtherThan(z, target);
        double base = this == GAUSS ? others : store.round(offset, 0);
        z[target] = store.round(base + gap, 0);
        return z[target] - others;
    }

    private static double maxOtherThan(double[] z, int target) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            if (j != target) {
                m = Math.max(m, z[j]);
            }
        }
        return m;
    }

    /** One standard normal draw: Box–Muller, both uniforms in (0, 1]. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }
}
