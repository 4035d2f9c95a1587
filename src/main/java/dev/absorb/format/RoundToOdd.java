package dev.absorb.format;

/**
 * The exact result of a double operation, rounded to odd in double (53 bits): truncated, with the
 * last bit set when anything was discarded.
 *
 * <p>Why: a result rounded to odd with at least p + 2 bits, then rounded once more to p bits by
 * any mode, equals the exact result rounded to p bits by that mode (Boldo and Melquiond, "Emulation
 * of FMA and correctly rounded sums: proved algorithms using rounding to odd", IEEE TC 57(4),
 * 2008). Every emulated format has p ≤ 24 ≤ 51, so {@code rounding.round(RoundToOdd.sum(a, b))}
 * is the exactly rounded sum for every deterministic mode, even when a and b are far apart.
 * Not for sr: its 32-bit threshold needs p + 33 bits of the result, more than 53 for p &gt; 20
 * (fp32), so {@link Rounding}'s operations decide sr from the exact error term instead.
 *
 * <p>The error terms are exact (TwoSum, an fma residual) as long as nothing overflows; do not
 * "simplify" the TwoSum expressions: their evaluation order is what makes them exact.
 */
public final class RoundToOdd {

    private RoundToOdd() {
    }

    public static double sum(double a, double b) {
        double s = a + b;
        if (Double.isInfinite(s) || Double.isNaN(s)) {
            return s;
        }
        // Knuth's TwoSum: a + b == s + err exactly.
        double bVirtual = s - a;
        double aVirtual = s - bVirtual;
        double err = (a - aVirtual) + (b - bVirtual);
        return toOdd(s, err);
    }

    public static double difference(double a, double b) {
        return sum(a, -b);
    }

    public static double product(double a, double b) {
        double p = a * b;
        if (Double.isInfinite(p) || Double.isNaN(p) || p == 0) {
            return p;
        }
        return toOdd(p, Math.fma(a, b, -p));
    }

    public static double quotient(double a, double b) {
        double q = a / b;
        if (Double.isInfinite(q) || Double.isNaN(q) || q == 0 || Double.isInfinite(b)) {
            return q;
        }
        // a - q*b is exact for a correctly rounded quotient; a/b - q has its sign times sign(b).
        double remainder = Math.fma(-q, b, a);
        return toOdd(q, b < 0 ? -remainder : remainder);
    }

    /** s rounded to odd, given the sign of the exact error (value - s). */
    private static double toOdd(double s, double err) {
        if (err == 0 || (Double.doubleToRawLongBits(s) & 1) != 0) {
            return s;
        }
        return err > 0 ? Math.nextUp(s) : Math.nextDown(s);
    }
}
