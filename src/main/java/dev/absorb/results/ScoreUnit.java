package dev.absorb.results;

import java.util.Map;

/**
 * Converts JMH score units ({@code ns/op}, {@code ops/ms}, …) into one another, so that two
 * runs made with different {@code -tu} still compare. Units JMH does not write for time
 * (a profiler's {@code B/op}, a custom one) convert only to themselves.
 */
final class ScoreUnit {

    /** JMH's short names of TimeUnit, in seconds. */
    private static final Map<String, Double> SECONDS = Map.of(
            "ns", 1e-9, "us", 1e-6, "ms", 1e-3, "s", 1.0, "min", 60.0, "hr", 3600.0, "day", 86400.0);

    private ScoreUnit() {
    }

    /**
     * The factor that turns a score in {@code from} into one in {@code to}.
     *
     * @throws IllegalArgumentException if the two units do not measure the same thing
     */
    static double factor(String from, String to) {
        if (from.equals(to)) {
            return 1;
        }
        double a = perOperationSeconds(from);
        double b = perOperationSeconds(to);
        if (Double.isNaN(a) || Double.isNaN(b) || (a > 0) != (b > 0)) {
            throw new IllegalArgumentException("units " + from + " and " + to + " do not convert into each other");
        }
        return a > 0 ? a / b : b / a;
    }

    /** Seconds per op for {@code X/op} (positive), minus seconds per "per X" for {@code ops/X}; NaN otherwise. */
    private static double perOperationSeconds(String unit) {
        int slash = unit.indexOf('/');
        if (slash < 0) {
            return Double.NaN;
        }
        String left = unit.substring(0, slash);
        String right = unit.substring(slash + 1);
        if (right.equals("op") && SECONDS.containsKey(left)) {
            return SECONDS.get(left);
        }
        if (left.equals("ops") && SECONDS.containsKey(right)) {
            return -SECONDS.get(right);
        }
        return Double.NaN;
    }
}
