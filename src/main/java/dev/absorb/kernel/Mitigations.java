package dev.absorb.kernel;

import dev.absorb.format.Format;

import java.math.BigDecimal;
import java.util.List;

/**
 * The mitigations people use in training (docs/recipes.md, "Mitigations"): contiguous chunks of
 * the classes merged by (max, sum), {@code chunk=N} (0: none), and on the gradient label smoothing
 * {@code smooth=ε}, PaLM's z-loss {@code zloss=λ}, a loss scale {@code scale=s} and the format the
 * gradient is stored in, {@code gradfmt=FORMAT} (null: the logits' format). Each value that means
 * "off" (N = 0, ε = 0, λ = 0, s = 1, gradfmt = FORMAT) is that default.
 */
public record Mitigations(int chunk, double smooth, double zloss, double scale, Format gradFormat) {

    public static final Mitigations NONE = new Mitigations(0, 0, 0, 1, null);

    /** The keys, in the canonical order of a recipe's text. */
    public static final List<String> KEYS = List.of("chunk", "smooth", "zloss", "scale", "gradfmt");

    public Mitigations {
        require(chunk >= 0, "chunk must be none or a class count >= 1, not " + chunk);
        require(smooth >= 0 && smooth <= 1, "smooth must be a number from 0 to 1, not " + smooth);
        require(zloss >= 0 && Double.isFinite(zloss), "zloss must be a finite number >= 0, not " + zloss);
        require(scale > 0 && Double.isFinite(scale) && (double) (float) scale == scale,
                "scale must be a number > 0 that fp32 holds exactly (e.g. a power of two), not " + scale);
    }

    /** This with {@code gradfmt} normalised against the recipe's format: FORMAT itself is the default. */
    Mitigations normalised(Format format) {
        return gradFormat != null && gradFormat.equals(format) ? new Mitigations(chunk, smooth, zloss, scale, null) : this;
    }

    /** Whether the gradient is p_j·w − q_j with targets other than the one-hot (smooth) or w other than 1 (zloss). */
    public boolean weighted() {
        return smooth > 0 || zloss > 0;
    }

    /** Whether any of the gradient's keys (smooth, zloss, scale, gradfmt) differs from its default; chunk is the sum's. */
    public boolean any() {
        return weighted() || scale != 1 || gradFormat != null;
    }

    /** The format the gradient is stored in. */
    public Format gradientFormat(Format format) {
        return gradFormat == null ? format : gradFormat;
    }

    /** This with one key set from its text; {@code format} is the recipe's (gradfmt names formats). */
    Mitigations with(String key, String value) {
        switch (key) {
            case "chunk":
                return new Mitigations(chunkSize(value), smooth, zloss, scale, gradFormat);
            case "smooth":
                return new Mitigations(chunk, number(key, value, "a number from 0 to 1", v -> v >= 0 && v <= 1), zloss, scale, gradFormat);
            case "zloss":
                return new Mitigations(chunk, smooth, number(key, value, "a finite number >= 0", v -> v >= 0 && Double.isFinite(v)),
                        scale, gradFormat);
            case "scale":
                return new Mitigations(chunk, smooth, zloss, number(key, value,
                        "a number > 0 that fp32 holds exactly (e.g. 65536 or 0.5)",
                        v -> v > 0 && Double.isFinite(v) && (double) (float) v == v), gradFormat);
            case "gradfmt":
                return new Mitigations(chunk, smooth, zloss, scale, Format.of(value));
            default:
                throw new IllegalStateException("not a mitigation key: " + key);
        }
    }

    /** The keys that differ from {@code d}'s, as {@code key=value}, in canonical order. */
    List<String> parts(Mitigations d) {
        List<String> parts = new java.util.ArrayList<>();
        if (chunk != d.chunk) parts.add("chunk=" + (chunk == 0 ? "none" : String.valueOf(chunk)));
        if (smooth != d.smooth) parts.add("smooth=" + text(smooth));
        if (zloss != d.zloss) parts.add("zloss=" + text(zloss));
        if (scale != d.scale) parts.add("scale=" + text(scale));
        if (!java.util.Objects.equals(gradFormat, d.gradFormat)) parts.add("gradfmt=" + gradFormat.name());
        return parts;
    }

    /** none, or a class count from 1 to 2^31 − 1 written as a plain integer. */
    private static int chunkSize(String value) {
        if (value.equals("none")) {
            return 0;
        }
        if (value.matches("[1-9][0-9]{0,9}")) {
            long n = Long.parseLong(value);
            if (n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key chunk; valid: none, or a class count from 1 to "
                + Integer.MAX_VALUE);
    }

    private static String text(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static double number(String key, String value, String valid, java.util.function.DoublePredicate ok) {
        try {
            double v = Double.parseDouble(value);
            if (ok.test(v) && !value.endsWith("d") && !value.endsWith("f") && !value.endsWith("D") && !value.endsWith("F")) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key " + key + "; valid: " + valid);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
