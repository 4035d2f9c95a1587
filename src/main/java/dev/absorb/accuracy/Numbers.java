package dev.absorb.accuracy;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers in accuracy messages: three significant digits, plain down to 1e-4, below as 4.26e-5. */
final class Numbers {

    private Numbers() {
    }

    static String text(double x) {
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
        // d = unscaled · 10^−scale; print as mantissa e exponent, the mantissa with one digit before the point
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d.signum() < 0 ? "-" : "") + mantissa + "e" + exponent;
    }
}
