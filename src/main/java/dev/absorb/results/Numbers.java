package dev.absorb.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How absorb prints numbers for people to read (tables, summary.md, report.md, compare and
 * gate): a count of significant digits through BigDecimal, plain notation, no locale, so the
 * same double prints the same on every machine. Files meant for programs keep every digit
 * ({@code DecimalText}); these are for pages.
 */
public final class Numbers {

    /** A value that does not exist, on report.md. */
    public static final String NONE = "–";

    private Numbers() {
    }

    /** Finite {@code x} to {@code digits} significant digits (half up), plain: 80510, 2.515, 0.0006123. */
    public static String significant(double x, int digits) {
        String text = new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    /** Four significant digits; NaN and infinities as Java prints them (summary.md, progress lines, scores). */
    public static String readable(double x) {
        return Double.isFinite(x) ? significant(x, 4) : Double.toString(x);
    }

    /** {@code 80510 ± 1234}, or the score alone where there is no error (JMH's NaN). */
    public static String withError(double score, double error) {
        return Double.isFinite(error) ? readable(score) + " ± " + readable(error) : readable(score);
    }

    /** {@code digits} significant digits on report.md: {@link #NONE} for NaN, ∞ for infinities. */
    public static String onPage(double x, int digits) {
        if (Double.isNaN(x)) {
            return NONE;
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "∞" : "−∞";
        }
        return significant(x, digits);
    }

    /** A gap or threshold on a page: six significant digits, as the sweep's table prints them. */
    public static String gap(double x) {
        return onPage(x, 6);
    }

    /** A ratio, a score or an error on report.md: three significant digits. */
    public static String three(double x) {
        return onPage(x, 3);
    }

    /**
     * A cell of compare and gate, as benchstat prints them: 4 significant digits but never fewer
     * than the integer part has (0.001235, 2.346, 81235), an exponent below 1e-4 and from 1e12,
     * n/a for NaN.
     */
    public static String cell(double x) {
        if (Double.isNaN(x)) {
            return "n/a";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        double magnitude = Math.abs(x);
        if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e12)) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        BigDecimal value = new BigDecimal(x);
        BigDecimal rounded = magnitude >= 1000 ? value.setScale(0, RoundingMode.HALF_EVEN) : value.round(new MathContext(4));
        return rounded.stripTrailingZeros().toPlainString();
    }

    /**
     * A measured error or bound in an accuracy message: three significant digits, plain down to
     * 1e-4 and below that as 4.26e-5; NaN and infinities as NaN, inf, -inf.
     */
    public static String compact(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros();
        if (Math.abs(x) >= 1e-4 || x == 0) {
            return d.toPlainString();
        }
        // d = unscaled · 10^−scale: one digit before the point, then the exponent
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d.signum() < 0 ? "-" : "") + mantissa + "e" + exponent;
    }

    /** A p-value: two significant digits, 1 from 0.995 on. */
    public static String p(double p) {
        return p >= 0.995 ? "1" : significant(p, 2);
    }

    /** A fraction as a percentage with {@code digits} significant digits: {@code 10 %}. */
    public static String percent(double fraction, int digits) {
        return significant(100 * fraction, digits) + " %";
    }
}
