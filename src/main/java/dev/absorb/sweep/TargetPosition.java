package dev.absorb.sweep;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/** Where the correct class sits among the C logits; its index matters to the summation order. */
public enum TargetPosition {
    FIRST, LAST, RANDOM;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The target index for C classes; {@code random} is drawn from the seed. */
    public int index(int classes, long seed) {
        switch (this) {
            case FIRST: return 0;
            case LAST: return classes - 1;
            default: return new SplittableRandom(seed).nextInt(classes);
        }
    }

    /** @throws IllegalArgumentException naming the valid choices */
    public static TargetPosition of(String key) {
        for (TargetPosition t : values()) {
            if (t.key().equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + key + "'; valid: "
                + Arrays.stream(values()).map(TargetPosition::key).collect(Collectors.joining(", ")));
    }
}
