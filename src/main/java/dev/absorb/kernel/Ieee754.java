package dev.absorb.kernel;

/**
 * The field widths and exponent biases of IEEE 754 binary32 (float) and binary64 (double): the
 * bit arithmetic of the scalar code and of its lane-wise twin names them from here.
 */
final class Ieee754 {

    /** Stored significand bits of a float (its precision is one more). */
    static final int FLOAT_FRACTION_BITS = 23;
    static final int FLOAT_EXPONENT_BIAS = 127;
    /** The bits of +inf: every exponent bit set, no fraction. Above it (sign aside): NaN. */
    static final int FLOAT_INFINITY_BITS = 0x7F80_0000;
    /** Stored significand bits of a double. */
    static final int DOUBLE_FRACTION_BITS = 52;
    static final int DOUBLE_EXPONENT_BIAS = 1023;
    static final int DOUBLE_EXPONENT_BITS = 11;

    private Ieee754() {
    }
}
