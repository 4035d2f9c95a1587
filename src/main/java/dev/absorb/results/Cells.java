package dev.absorb.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How compare and gate print numbers: 4 significant digits, plain, as benchstat does. */
final class Cells {

    private static final MathContext FOUR_DIGITS = new MathContext(4);

    private Cells() {
    }

    /** 4 significant digits, never fewer than the integer part has: 0.001235, 2.346, 81235. */
    static String number(double x) {
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
        BigDecimal rounded = magnitude >= 1000 ? value.setScale(0, java.math.RoundingMode.HALF_EVEN) : value.round(FOUR_DIGITS);
        return rounded.stripTrailingZeros().toPlainString();
    }

    static String score(SampleSummary s) {
        return number(s.median()) + " " + interval(s.hasInterval(), s.low(), s.high());
    }

    static String ratio(RatioEstimate r) {
        return number(r.ratio()) + " " + interval(r.hasInterval(), r.low(), r.high());
    }

    static String interval(boolean exists, double low, double high) {
        return exists ? "[" + number(low) + ", " + number(high) + "]" : "[n/a]";
    }

    /** p with two significant digits. */
    static String p(double p) {
        return p >= 0.995 ? "1" : new BigDecimal(p).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    /** '~' when not significant at alpha, else which way the row moved, mode-aware. */
    static String verdict(RatioEstimate r, Direction direction, double alpha) {
        if (!r.significant(alpha)) {
            return "~";
        }
        return direction.timeFactor(r.ratio()) > 1 ? "slower" : "faster";
    }

    /** The change in time per operation as a signed percentage: +12.3 % slower, −8.1 % faster. */
    static String timeChange(double scoreRatio, Direction direction) {
        double change = direction.timeFactor(scoreRatio) - 1;
        return String.format(Locale.ROOT, "%+.1f %%", 100 * change);
    }
}
