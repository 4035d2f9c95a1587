package dev.absorb.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prints a double as the shortest correctly rounded decimal that parses back to the same double,
 * in Java's {@code Double.toString} layout ({@code 0.5}, {@code 1.0}, {@code 1.0E-10},
 * {@code -0.0}, {@code NaN}, {@code Infinity}).
 *
 * <p>Why not {@code Double.toString}: before JDK 19 it sometimes printed more digits than needed
 * (JDK-4511638), so the same double printed differently on JDK 17 and 25, and result files would
 * differ across JVMs although every number in them is bit-identical.
 */
public final class DecimalText {

    private DecimalText() {
    }

    public static String of(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
            return Double.toString(x);
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == x) {
                shortest = candidate;
                break;
            }
        }
        return layout(shortest.stripTrailingZeros());
    }

    /** Double.toString's layout: plain for 10^-3 <= |x| < 10^7, else d.dddE±n. */
    private static String layout(BigDecimal d) {
        String sign = d.signum() < 0 ? "-" : "";
        BigDecimal a = d.abs();
        String digits = a.unscaledValue().toString();
        int exponent = digits.length() - 1 - a.scale();
        if (exponent >= -3 && exponent < 7) {
            String plain = a.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits + ".0" : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "E" + exponent;
    }
}
