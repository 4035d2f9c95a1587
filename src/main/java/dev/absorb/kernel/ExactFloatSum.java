package dev.absorb.kernel;

import static dev.absorb.kernel.Ieee754.FLOAT_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * The exact sum of floats rounded to odd in double, as {@link ExactSum#toOdd()} gives it for the
 * same values, in a few nanoseconds per element: each float's signed significand (24 bits) is
 * added to a long bucket per exponent field, so a float costs a shift, a mask and an integer add;
 * the 256 buckets then go through ExactSum, each as two doubles that hold it exactly.
 *
 * <p>A sum is the same real number whichever way it is added, and toOdd depends only on that
 * number, so the result equals ExactSum's over the elements, with two exceptions that take
 * ExactSum's own path: NaN or infinite elements (ExactSum's special-value rules), and an exact
 * sum of 0, whose sign ExactSum takes from the elements' signed zeros.
 *
 * <p>Not thread-safe (the buckets).
 */
final class ExactFloatSum {

    /** Significands below 2^24 times at most 2^31 elements: below 2^55, no long overflow. */
    private final long[] buckets = new long[256];
    private final ExactSum exact = new ExactSum();

    /** Σ x[0..n) exactly, rounded to odd in double. */
    double toOdd(float[] x, int n) {
        boolean special = false;
        for (int j = 0; j < n; j++) {
            int bits = Float.floatToRawIntBits(x[j]);
            int field = (bits >>> FLOAT_FRACTION_BITS) & 0xFF;
            long significand = (bits & 0x7F_FFFF) | (field == 0 ? 0 : 0x80_0000);
            buckets[field] += bits < 0 ? -significand : significand;
            special |= field == 0xFF;
        }
        exact.clear();
        boolean zero = true;
        for (int field = 0; field < 255; field++) {
            long b = buckets[field];
            if (b != 0) {
                zero = false;
                // Subnormals (field 0) have the quantum of field 1. b = high·2^26 + low, each exact in double.
                double quantum = Math.scalb(1.0, Math.max(field, 1) - FLOAT_EXPONENT_BIAS - FLOAT_FRACTION_BITS);
                exact.add((double) (b >> 26) * 0x1p26 * quantum);
                exact.add((double) (b & ((1L << 26) - 1)) * quantum);
            }
            buckets[field] = 0;
        }
        buckets[255] = 0;
        if (special || zero) {
            exact.clear();
            for (int j = 0; j < n; j++) {
                exact.add(x[j]);
            }
        }
        return exact.toOdd();
    }
}
