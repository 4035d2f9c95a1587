package dev.absorb.bench;

import dev.absorb.format.Format;
import dev.absorb.sweep.Family;

/**
 * The logits every kernel benchmark evaluates: the sweep's own families (DESIGN.md §5; the same
 * values on every JVM) at a fixed seed, stored in a format, with the target at C/3 (away from both
 * ends, so it is neither the first element nor in the tail of a vector loop).
 *
 * @param values  the logits as doubles (what the scalar reference kernel takes)
 * @param target  the correct class y
 * @param storedGap the gap after rounding to the format (flat at gap 88 in e4m3 stores 88, at 110 stores 112)
 */
record Logits(double[] values, int target, double storedGap) {

    static final long SEED = 42;

    static Logits of(String family, int classes, double gap, Format format) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, not " + classes);
        }
        double[] z = new double[classes];
        int target = classes / 3;
        double stored = Family.of(family).fill(z, target, gap, 0, format, SEED);
        return new Logits(z, target, stored);
    }

    /** The same logits in float lanes (exact for every format but fp64). */
    float[] floats() {
        float[] f = new float[values.length];
        for (int j = 0; j < f.length; j++) {
            f[j] = (float) values[j];
        }
        return f;
    }
}
