package dev.absorb.report;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How the report prints numbers: a fixed count of significant digits through BigDecimal, plain
 * notation, no locale (so the same on every machine). The CSVs keep every digit; a page to read
 * needs fewer.
 */
final class Numbers {

    static final String NONE = "–";

    private Numbers() {
    }

    /** A gap or threshold: six significant digits, as the sweep's table prints them. */
    static String gap(double x) {
        return significant(x, 6);
    }

    /** A ratio, a score or an error: three significant digits. */
    static String three(double x) {
        return significant(x, 3);
    }

    static String significant(double x, int digits) {
        if (Double.isNaN(x)) {
            return NONE;
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "∞" : "−∞";
        }
        String text = new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }
}
