package dev.absorb.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How the CLI reads and prints doubles.
 *
 * <h2>Printing</h2>
 * {@link #format(double)} gives the shortest decimal that parses back to the same double, laid
 * out as Java lays out a double: plain ({@code 0.5}, {@code 448.0}, {@code 0.001}) when the
 * decimal exponent of the first digit is in [−3, 7), otherwise computerized scientific notation
 * ({@code 1.0E-10}, {@code 1.0E7}).
 * This is exactly {@code Double.toString} as specified from JDK 19 on (Giulietti's shortest
 * decimal, JDK-4511638), including its rules that among the shortest decimals the one closest to
 * the value wins (ties: even last digit) and that a one-digit result is chosen among two-digit
 * candidates too ({@code Double.MIN_VALUE} prints {@code 4.9E-324}). JDK 17's
 * {@code Double.toString} round-trips but is sometimes longer than necessary (1e23 prints as
 * {@code 9.999999999999999E22}, 2e23 as {@code 1.9999999999999998E23});
 * this class makes the output the same on every JVM.
 * NaN, ±Infinity and −0.0 print as Java prints them.
 *
 * <h2>Reading</h2>
 * {@link #parse(String)} accepts what {@code Double.parseDouble} accepts (decimal, Java hex float
 * such as {@code 0x1.8p3}, {@code NaN}, {@code Infinity}, surrounding whitespace ignored), plus
 * {@code inf}, {@code infinity} and {@code nan} in any case with an optional sign (as NumPy and C
 * print them). A Java type suffix ({@code 1.5f}, {@code 2d}) is rejected: {@code 0.1f} means the
 * float nearest 0.1, which parseDouble would silently read as the double nearest 0.1.
 */
public final class DecimalText {

    private DecimalText() {
    }

    /** The shortest round-tripping decimal of {@code x}, laid out as JDK 19+ {@code Double.toString}. */
    public static String format(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        if (x == 0) {
            return Double.doubleToRawLongBits(x) < 0 ? "-0.0" : "0.0";
        }
        String sign = x < 0 ? "-" : "";
        return sign + layout(shortest(Math.abs(x)));
    }

    /**
     * The decimal with the fewest significant digits (at least two are considered, see the class
     * comment) that rounds to {@code a}; of two such, the closer one, then the one with the even
     * last digit. For each length p only the two p-digit decimals bracketing a can be closest,
     * and BigDecimal's doubleValue is correctly rounded, so the test is exact.
     */
    private static BigDecimal shortest(double a) {
        BigDecimal exact = new BigDecimal(a);
        for (int p = 2; p <= 17; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean downOk = down.doubleValue() == a;
            boolean upOk = up.doubleValue() == a;
            if (downOk && upOk) {
                int c = exact.subtract(down).compareTo(up.subtract(exact));
                if (c != 0) {
                    return c < 0 ? down : up;
                }
                return down.unscaledValue().testBit(0) ? up : down;
            }
            if (downOk) {
                return down;
            }
            if (upOk) {
                return up;
            }
        }
        throw new AssertionError("17 significant digits always identify a double: " + a);
    }

    private static String layout(BigDecimal positive) {
        BigDecimal d = positive.stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        if (exponent >= -3 && exponent < 7) {
            String plain = d.toPlainString();
            return plain.indexOf('.') < 0 ? plain + ".0" : plain;
        }
        String fraction = digits.length() > 1 ? digits.substring(1) : "0";
        return digits.charAt(0) + "." + fraction + "E" + exponent;
    }

    /**
     * Parses one number (see the class comment).
     *
     * @throws NumberFormatException if {@code text} is not a number
     */
    public static double parse(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        switch (unsigned) {
            case "nan":
                return Double.NaN;
            case "inf":
            case "infinity":
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default:
                break;
        }
        // In a valid Java literal a trailing f/d can only be a type suffix: hex floats end in
        // their binary exponent's digits.
        if (!t.isEmpty() && "fFdD".indexOf(t.charAt(t.length() - 1)) >= 0) {
            throw new NumberFormatException("type suffix");
        }
        return Double.parseDouble(t);
    }

    /**
     * The exact value of a decimal {@code text} (see {@link #parse(String)}), or null when the text
     * is NaN, an infinity or a hex float (those are exact as doubles already, except hex floats
     * with more than 53 significant bits, which are read as {@code parse} reads them).
     *
     * @throws NumberFormatException if {@code text} is not a number
     */
    public static BigDecimal parseExact(String text) {
        double d = parse(text);
        String t = text.strip();
        if (Double.isNaN(d) || Double.isInfinite(d) && !t.matches("[+-]?[0-9.].*")
                || t.toLowerCase(Locale.ROOT).matches("[+-]?0x.*")) {
            return null;
        }
        String digits = t.startsWith("+") ? t.substring(1) : t;
        try {
            return new BigDecimal(digits);
        } catch (NumberFormatException e) {
            // An exponent beyond BigDecimal's range: the value rounds as one just beyond double's.
            String beyond = d == 0 ? "1E-400" : "1E+400";
            return new BigDecimal(digits.startsWith("-") ? "-" + beyond : beyond);
        }
    }

    /**
     * {@code text} rounded to odd in double: truncated to 53 bits, the last bit set when anything
     * was discarded. Rounding that double once more to a format of at most 51 bits gives, in every
     * deterministic mode, the exact decimal value rounded once (see {@link RoundToOdd}).
     *
     * @throws NumberFormatException if {@code text} is not a number
     */
    public static double parseToOdd(String text) {
        BigDecimal exact = parseExact(text);
        if (exact == null) {
            return parse(text);
        }
        if (exact.signum() == 0) {
            return text.strip().startsWith("-") ? -0.0 : 0.0;
        }
        double magnitude = toOdd(exact.abs());
        return exact.signum() < 0 ? -magnitude : magnitude;
    }

    private static double toOdd(BigDecimal positive) {
        double d = positive.doubleValue();
        if (Double.isInfinite(d)) {
            // Above every double; Double.MAX_VALUE is odd, so it stands for "above" in every format.
            return Double.MAX_VALUE;
        }
        int c = new BigDecimal(d).compareTo(positive);
        if (c == 0) {
            return d;
        }
        double truncated = c > 0 ? Math.nextDown(d) : d;
        if ((Double.doubleToRawLongBits(truncated) & 1) != 0) {
            return truncated;
        }
        return Math.nextUp(truncated);
    }
}
