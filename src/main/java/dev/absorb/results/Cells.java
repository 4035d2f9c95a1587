package dev.absorb.results;

import java.util.Locale;

/** The cells of compare and gate: a median or ratio with its interval, a verdict, a change in time ({@link Numbers} prints the numbers). */
final class Cells {

    private Cells() {
    }

    static String score(SampleSummary s) {
        return Numbers.cell(s.median()) + " " + interval(s.hasInterval(), s.low(), s.high());
    }

    static String ratio(RatioEstimate r) {
        return Numbers.cell(r.ratio()) + " " + interval(r.hasInterval(), r.low(), r.high());
    }

    static String interval(boolean exists, double low, double high) {
        return exists ? "[" + Numbers.cell(low) + ", " + Numbers.cell(high) + "]" : "[n/a]";
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
