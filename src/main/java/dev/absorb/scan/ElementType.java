package dev.absorb.scan;

import dev.absorb.format.Format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The .npy element types scan reads (docs/scan.md): floats of 2, 4 and 8 bytes, bfloat16 stored as
 * its 16-bit pattern in an unsigned integer ({@code <u2}: numpy has no bfloat16; write
 * {@code a.view(np.uint16)}), and integers of 4 and 8 bytes for targets. Either byte order;
 * {@code |} and {@code =} mean the machine's own, little-endian everywhere absorb runs.
 */
enum ElementType {
    F2("f2", 2, true), F4("f4", 4, true), F8("f8", 8, true), BF16("u2", 2, true), I4("i4", 4, false), I8("i8", 8, false);

    private final String code;
    private final int size;
    private final boolean logits;
    /** fp16 and bf16 by bit pattern, each code decoded once. */
    private static final double[] FP16 = table(Format.of("fp16"));
    private static final double[] BF16_VALUES = table(Format.of("bf16"));

    ElementType(String code, int size, boolean logits) {
        this.code = code;
        this.size = size;
        this.logits = logits;
    }

    int size() {
        return size;
    }

    /** The type and byte order of a dtype string such as {@code <f4}; for logits or for targets. */
    static Typed of(String descr, boolean forLogits, String name) {
        if (descr.length() == 3 && "<>|=".indexOf(descr.charAt(0)) >= 0) {
            for (ElementType t : values()) {
                if (t.code.equals(descr.substring(1)) && t.logits == forLogits) {
                    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN
                            : descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
                    return new Typed(t, order);
                }
            }
        }
        String valid = Arrays.stream(values()).filter(t -> t.logits == forLogits).map(t -> "<" + t.code)
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(name + ": dtype '" + descr + "' is not supported for "
                + (forLogits ? "logits" : "targets") + "; valid: " + valid
                + (forLogits ? " (<u2 holds bfloat16 bit patterns: save a.view(np.uint16))" : ""));
    }

    /** A type with its byte order. */
    record Typed(ElementType type, ByteOrder order) {
    }

    /** The element at the buffer's position, as a double (integers exactly up to 2^53). */
    double read(ByteBuffer buffer) {
        switch (this) {
            case F2: return FP16[buffer.getShort() & 0xffff];
            case BF16: return BF16_VALUES[buffer.getShort() & 0xffff];
            case F4: return buffer.getFloat();
            case F8: return buffer.getDouble();
            case I4: return buffer.getInt();
            default: return buffer.getLong();
        }
    }

    private static double[] table(Format format) {
        double[] values = new double[1 << 16];
        for (int code = 0; code < values.length; code++) {
            values[code] = format.decode(code);
        }
        return values;
    }

    String code() {
        return code.toLowerCase(Locale.ROOT);
    }
}
