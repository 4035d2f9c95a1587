package dev.absorb.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A binary floating-point number format: sign, {@code exponentBits}, {@code mantissaBits}
 * (stored fraction bits, without the hidden bit), exponent bias, and how infinities and NaN are
 * encoded (DESIGN.md §2).
 *
 * <p>Every format except fp64 is a subset of binary32, so its values are carried in float (or
 * double) lanes and produced by {@link Rounding}; storage bits come from {@link #encode} and
 * {@link #decode}.
 *
 * <p>Custom formats are spelled {@code eXmY} (IEEE-like: the all-ones exponent holds inf and NaN)
 * or {@code eXmYfn} (no inf; only the all-ones pattern is NaN), with 2 ≤ X ≤ 8, 1 ≤ Y ≤ 23 and the
 * IEEE bias 2^(X−1)−1. Named formats win over the custom spelling: {@code e3m2} is the MX fp6
 * format, not an IEEE-like one.
 */
public record Format(String name, int exponentBits, int mantissaBits, int bias, Specials specials) {

    /** How a format spends its top codes. */
    public enum Specials {
        /** All-ones exponent: mantissa 0 is ±inf, anything else NaN. */
        IEEE,
        /** No infinities; only S.1…1.1…1 is NaN ("fn", e.g. OCP e4m3). */
        FN,
        /** No infinities, no −0; the pattern 1.0…0 (negative zero) is the only NaN ("fnuz"). */
        FNUZ,
        /** Neither infinities nor NaN; overflow always saturates (OCP MX fp6 / fp4). */
        NONE
    }

    public static final Format FP64 = new Format("fp64", 11, 52, 1023, Specials.IEEE);
    public static final Format FP32 = new Format("fp32", 8, 23, 127, Specials.IEEE);

    private static final Map<String, Format> NAMED = new LinkedHashMap<>();

    static {
        for (Format f : List.of(
                FP64,
                FP32,
                new Format("tf32", 8, 10, 127, Specials.IEEE),
                new Format("bf16", 8, 7, 127, Specials.IEEE),
                new Format("fp16", 5, 10, 15, Specials.IEEE),
                new Format("e5m2", 5, 2, 15, Specials.IEEE),
                new Format("e4m3", 4, 3, 7, Specials.FN),
                new Format("e4m3fnuz", 4, 3, 8, Specials.FNUZ),
                new Format("e5m2fnuz", 5, 2, 16, Specials.FNUZ),
                new Format("e4m3b11fnuz", 4, 3, 11, Specials.FNUZ),
                new Format("e3m4", 3, 4, 3, Specials.IEEE),
                new Format("e3m2", 3, 2, 3, Specials.NONE),
                new Format("e2m3", 2, 3, 1, Specials.NONE),
                new Format("e2m1", 2, 1, 1, Specials.NONE))) {
            NAMED.put(f.name, f);
        }
    }

    private static final Pattern CUSTOM = Pattern.compile("e(\\d)m(\\d{1,2})(fn)?");

    public Format {
        if (exponentBits < 2 || mantissaBits < 1) {
            throw new IllegalArgumentException("format " + name + " needs at least 2 exponent bits and 1 mantissa bit");
        }
    }

    /** All named formats, in the order of DESIGN.md §2. */
    public static List<Format> named() {
        return Collections.unmodifiableList(new ArrayList<>(NAMED.values()));
    }

    /**
     * The format called {@code name}: a named format or a custom {@code eXmY} / {@code eXmYfn}.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static Format of(String name) {
        Format named = NAMED.get(name);
        if (named != null) {
            return named;
        }
        Matcher m = CUSTOM.matcher(name);
        if (m.matches()) {
            int e = Integer.parseInt(m.group(1));
            int man = Integer.parseInt(m.group(2));
            if (e >= 2 && e <= 8 && man >= 1 && man <= 23) {
                return new Format(name, e, man, (1 << (e - 1)) - 1, m.group(3) == null ? Specials.IEEE : Specials.FN);
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; valid: " + String.join(", ", NAMED.keySet())
                + ", or eXmY / eXmYfn with 2<=X<=8, 1<=Y<=23");
    }

    /** Significant bits p, counting the hidden bit. */
    public int precision() {
        return mantissaBits + 1;
    }

    /** Exponent of the smallest normal value, 1 − bias. */
    public int minExponent() {
        return 1 - bias;
    }

    /** Exponent of the largest finite value. IEEE formats keep the all-ones exponent for inf/NaN. */
    public int maxExponent() {
        int top = (1 << exponentBits) - 1;
        return (specials == Specials.IEEE ? top - 1 : top) - bias;
    }

    /** Largest finite value. An fn format loses the all-ones mantissa of its top binade to NaN. */
    public double maxFinite() {
        int lostUlps = specials == Specials.FN ? 2 : 1;
        return Math.scalb(2.0 - Math.scalb((double) lostUlps, -mantissaBits), maxExponent());
    }

    public double minNormal() {
        return Math.scalb(1.0, minExponent());
    }

    public double minSubnormal() {
        return Math.scalb(1.0, minExponent() - mantissaBits);
    }

    /** Whether every value is a float (not fp64, nor eXmYfn with X = 8, whose top binade lies above float's). */
    public boolean fitsFloat() {
        return maxFinite() <= Float.MAX_VALUE;
    }

    public boolean hasInfinity() {
        return specials == Specials.IEEE;
    }

    public boolean hasNaN() {
        return specials != Specials.NONE;
    }

    public boolean hasNegativeZero() {
        return specials != Specials.FNUZ;
    }

    /** Width of the storage encoding: sign, exponent and mantissa bits. */
    public int storageBits() {
        return 1 + exponentBits + mantissaBits;
    }

    public boolean isFp64() {
        return equals(FP64);
    }

    /**
     * Whether an operation on two values of this format, done in fp32 and rounded once to it,
     * equals the operation done in the format: fp32 must carry at least 2p + 2 significant bits.
     */
    public boolean fp32RoundingIsInnocuous() {
        return 2 * precision() + 2 <= FP32.precision();
    }

    /** The storage bits of the largest finite value: positive values are ordered as their codes. */
    public long maxFiniteCode() {
        return encode(maxFinite());
    }

    /**
     * The storage bits of {@code value}, which must be a value of this format (use
     * {@link Rounding} first). NaN encodes as the format's canonical quiet NaN.
     *
     * @throws IllegalArgumentException if the value is not representable
     */
    public long encode(double value) {
        if (isFp64()) {
            return Double.doubleToLongBits(value);
        }
        long signBit = 1L << (exponentBits + mantissaBits);
        long expAllOnes = ((1L << exponentBits) - 1) << mantissaBits;
        long manAllOnes = (1L << mantissaBits) - 1;
        if (Double.isNaN(value)) {
            switch (specials) {
                case IEEE: return expAllOnes | (1L << (mantissaBits - 1));
                case FN: return expAllOnes | manAllOnes;
                case FNUZ: return signBit;
                default: throw notRepresentable(value);
            }
        }
        long sign = (Double.doubleToRawLongBits(value) < 0) ? signBit : 0;
        double a = Math.abs(value);
        if (Double.isInfinite(a)) {
            if (!hasInfinity()) {
                throw notRepresentable(value);
            }
            return sign | expAllOnes;
        }
        if (a == 0) {
            if (sign != 0 && !hasNegativeZero()) {
                throw notRepresentable(value);
            }
            return sign;
        }
        if (a > maxFinite()) {
            throw notRepresentable(value);
        }
        long field;
        double significand;
        if (a < minNormal()) {
            field = 0;
            significand = Math.scalb(a, mantissaBits - minExponent());
        } else {
            int e = Math.getExponent(a);
            field = e + bias;
            significand = Math.scalb(a, mantissaBits - e) - Math.scalb(1.0, mantissaBits);
        }
        if (significand != Math.rint(significand)) {
            throw notRepresentable(value);
        }
        return sign | (field << mantissaBits) | (long) significand;
    }

    /** The value of storage bits {@code code} (only the low {@link #storageBits()} bits count). */
    public double decode(long code) {
        if (isFp64()) {
            return Double.longBitsToDouble(code);
        }
        long signBit = 1L << (exponentBits + mantissaBits);
        long c = code & ((signBit << 1) - 1);
        boolean negative = (c & signBit) != 0;
        long field = (c >>> mantissaBits) & ((1L << exponentBits) - 1);
        long man = c & ((1L << mantissaBits) - 1);
        long topField = (1L << exponentBits) - 1;
        switch (specials) {
            case IEEE:
                if (field == topField) {
                    return man != 0 ? Double.NaN : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                break;
            case FN:
                if (field == topField && man == (1L << mantissaBits) - 1) {
                    return Double.NaN;
                }
                break;
            case FNUZ:
                if (c == signBit) {
                    return Double.NaN;
                }
                break;
            default:
                break;
        }
        double magnitude = field == 0
                ? Math.scalb((double) man, minExponent() - mantissaBits)
                : Math.scalb((double) ((1L << mantissaBits) | man), (int) field - bias - mantissaBits);
        return negative ? -magnitude : magnitude;
    }

    private IllegalArgumentException notRepresentable(double value) {
        return new IllegalArgumentException(value + " is not a value of " + name);
    }

    @Override
    public String toString() {
        return name;
    }
}
