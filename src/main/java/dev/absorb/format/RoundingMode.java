package dev.absorb.format;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a value between two neighbours of a format is rounded (DESIGN.md §2). */
public enum RoundingMode {
    /** Nearest, ties to the even significand. */
    RNE,
    /** Nearest, ties away from zero. */
    RNA,
    /** Toward zero (truncation). */
    RTZ,
    /** Toward +inf. */
    RUP,
    /** Toward −inf. */
    RDN,
    /** Round to odd: truncate, and set the last bit when anything was discarded. */
    RTO,
    /** Stochastic: up with probability equal to the discarded fraction of an ulp. */
    SR,
    /** Stochastic: up or down with probability ½ whenever the value is inexact. */
    SRH;

    /** The recipe spelling, e.g. {@code rne}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isStochastic() {
        return this == SR || this == SRH;
    }

    /**
     * @throws IllegalArgumentException naming the valid choices
     */
    public static RoundingMode of(String key) {
        for (RoundingMode m : values()) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown rounding '" + key + "'; valid: " + choices());
    }

    public static String choices() {
        return Arrays.stream(values()).map(RoundingMode::key).collect(Collectors.joining(", "));
    }
}
