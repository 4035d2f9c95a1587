package dev.absorb.format;

/**
 * Rounding of a real value, given as a double, to a {@link Format} with a {@link RoundingMode},
 * optional saturation and flush-to-zero (DESIGN.md §2). The result is a value of the format,
 * carried in a double (exact: every format but fp64 is a subset of binary32).
 *
 * <h2>Semantics</h2>
 * The value is rounded on the format's grid extended without an exponent limit; only then is the
 * range applied:
 * <ul>
 *   <li>a magnitude above {@link Format#maxFinite()} overflows: to ±max with {@code sat}, for a
 *   format without inf or NaN (MX), or when the mode rounds toward zero for that sign (rtz, rto,
 *   rdn of a positive, rup of a negative value, as IEEE 754 §7.4 says); otherwise to ±inf where the
 *   format has it, else NaN. Under rne the boundary is thus the midpoint between max and the next
 *   grid point: e4m3 rounds 464 to 448 and 465 to NaN.</li>
 *   <li>±inf becomes ±max with {@code sat} (OCP's saturating conversion, also for formats with
 *   inf) and for MX formats; otherwise it stays ±inf where the format has inf, else it is NaN. NaN stays NaN, also for MX formats, which
 *   have no encoding for it: the carrier keeps the NaN visible and {@link Format#encode} refuses it.</li>
 *   <li>{@code ftz}: a nonzero result below the smallest normal, after rounding, becomes a zero of
 *   the same sign (tininess after rounding, like x86 MXCSR.FTZ).</li>
 *   <li>fnuz formats have no −0: a negative value that rounds to zero gives +0.</li>
 *   <li>fp64 is the carrier itself: rounding is the identity apart from {@code ftz} and
 *   {@code sat}; only rne is defined for it.</li>
 * </ul>
 *
 * <h2>Stochastic rounding</h2>
 * {@code sr} rounds up (away from zero) iff u·2^−32 &lt; f, where u is the unsigned value of the
 * caller's 32 random bits and f the discarded fraction of an ulp, so the probability of rounding
 * up is f quantised to 2^−32. {@code srh} rounds up iff the top random bit is set. The bits come
 * from {@link RandomBits}; the caller chooses the counter.
 */
public final class Rounding {

    private static final double TWO_TO_MINUS_32 = 0x1p-32;

    private final Format format;
    private final RoundingMode mode;
    private final boolean saturate;
    private final boolean flushToZero;
    // The format's parameters, cached: this is the innermost loop of every scalar kernel.
    private final boolean fp64;
    private final int minExponent;
    private final int mantissaBits;
    private final double maxFinite;
    private final double minNormal;
    private final boolean hasInfinity;
    private final boolean alwaysSaturates;
    private final boolean hasNegativeZero;
    // fp32 under rne without saturation is Java's double-to-float conversion (JLS 5.1.3: IEEE 754
    // round to nearest even, gradual underflow, overflow to infinity), the same rules as the grid
    // rounding below; the frameworks' fp32 kernels spend most of the sweep's time here.
    private final boolean nearestFloat;

    public Rounding(Format format, RoundingMode mode, boolean saturate, boolean flushToZero) {
        if (format.isFp64() && mode != RoundingMode.RNE) {
            throw new IllegalArgumentException("fp64 is computed natively in double: only rne, not " + mode.key());
        }
        this.format = format;
        this.mode = mode;
        this.saturate = saturate;
        this.flushToZero = flushToZero;
        this.fp64 = format.isFp64();
        this.minExponent = format.minExponent();
        this.mantissaBits = format.mantissaBits();
        this.maxFinite = format.maxFinite();
        this.minNormal = format.minNormal();
        this.hasInfinity = format.hasInfinity();
        this.alwaysSaturates = format.specials() == Format.Specials.NONE;
        this.hasNegativeZero = format.hasNegativeZero();
        this.nearestFloat = format.equals(Format.FP32) && mode == RoundingMode.RNE && !saturate;
    }

    public Format format() {
        return format;
    }

    public RoundingMode mode() {
        return mode;
    }

    public boolean saturate() {
        return saturate;
    }

    public boolean flushToZero() {
        return flushToZero;
    }

    /** Round to nearest even, no saturation, no flush: the format's default conversion. */
    public static Rounding nearest(Format format) {
        return new Rounding(format, RoundingMode.RNE, false, false);
    }

    public boolean isStochastic() {
        return mode.isStochastic();
    }

    /** {@code x} rounded to the format; {@code randomBits} is read only by sr and srh. */
    public double round(double x, int randomBits) {
        if (fp64) {
            return finishFp64(x);
        }
        if (nearestFloat) {
            float f = (float) x;
            return flushToZero && Math.abs(f) < Float.MIN_NORMAL ? Math.copySign(0.0, f) : f;
        }
        if (Double.isNaN(x)) {
            return x;
        }
        boolean negative = Double.doubleToRawLongBits(x) < 0;
        double a = Math.abs(x);
        double magnitude;
        if (a == Double.POSITIVE_INFINITY) {
            if (saturate || alwaysSaturates) {
                magnitude = maxFinite;
            } else if (hasInfinity) {
                magnitude = a;
            } else {
                return Double.NaN;
            }
        } else {
            int quantumExponent = Math.max(Math.getExponent(a), minExponent) - mantissaBits;
            // Both scalings are by powers of two and stay in double's normal range: exact.
            double scaled = a * powerOfTwo(-quantumExponent);
            double units = Math.floor(scaled);
            double fraction = scaled - units;
            if (fraction != 0) {
                units = roundUnits(units, fraction, negative, randomBits);
            }
            magnitude = units * powerOfTwo(quantumExponent);
            return finish(magnitude, negative);
        }
        return withSign(magnitude, negative);
    }

    /** Applies ftz, the overflow rules and the sign to a magnitude already on the grid. */
    private double finish(double magnitude, boolean negative) {
        if (flushToZero && magnitude < minNormal) {
            magnitude = 0;
        }
        if (magnitude > maxFinite) {
            if (saturate || alwaysSaturates || roundsTowardZero(negative)) {
                magnitude = maxFinite;
            } else if (hasInfinity) {
                magnitude = Double.POSITIVE_INFINITY;
            } else {
                return Double.NaN;
            }
        }
        return withSign(magnitude, negative);
    }

    private double withSign(double magnitude, boolean negative) {
        if (magnitude == 0 && !hasNegativeZero) {
            return 0.0;
        }
        return negative ? -magnitude : magnitude;
    }

    /** {@code x} rounded to the format, for formats carried in float. */
    public float round(float x, int randomBits) {
        return (float) round((double) x, randomBits);
    }

    /*
     * The operations round the exact result once. For every mode but sr, the result rounded to
     * odd in double carries enough bits (RoundToOdd). sr compares the discarded fraction with a
     * 32-bit threshold, but round-to-odd keeps only 52 − m bits of that fraction: too few for
     * m ≥ 20 (fp32), where e.g. 1 + 2^−100 would round up for 8 threshold values instead of 1.
     * So sr compares its threshold with the exact result, given as hi + num/den.
     */

    /** The exact sum a + b rounded once to the format. */
    public double add(double a, double b, int randomBits) {
        if (fp64) {
            return finishFp64(a + b);
        }
        if (nearestFloat && isFloat(a) && isFloat(b)) {
            return round(a + b, 0);
        }
        if (mode == RoundingMode.SR) {
            double s = a + b;
            if (!Double.isFinite(s)) {
                return round(s, randomBits);
            }
            // Knuth's TwoSum: a + b == s + err exactly (do not simplify).
            double bVirtual = s - a;
            double aVirtual = s - bVirtual;
            double err = (a - aVirtual) + (b - bVirtual);
            return stochastic(s, err, 1, randomBits);
        }
        return round(RoundToOdd.sum(a, b), randomBits);
    }

    /** The exact difference a − b rounded once to the format. */
    public double subtract(double a, double b, int randomBits) {
        if (fp64) {
            return finishFp64(a - b);
        }
        if (nearestFloat && isFloat(a) && isFloat(b)) {
            return round(a - b, 0);
        }
        return mode == RoundingMode.SR ? add(a, -b, randomBits) : round(RoundToOdd.difference(a, b), randomBits);
    }

    /** The exact product a·b rounded once to the format. */
    public double multiply(double a, double b, int randomBits) {
        if (fp64) {
            return finishFp64(a * b);
        }
        if (nearestFloat && isFloat(a) && isFloat(b)) {
            return round(a * b, 0);
        }
        if (mode == RoundingMode.SR) {
            double p = a * b;
            if (!Double.isFinite(p) || p == 0) {
                return round(p, randomBits);
            }
            return stochastic(p, Math.fma(a, b, -p), 1, randomBits);
        }
        return round(RoundToOdd.product(a, b), randomBits);
    }

    /** The exact quotient a / b rounded once to the format. */
    public double divide(double a, double b, int randomBits) {
        if (fp64) {
            return finishFp64(a / b);
        }
        if (nearestFloat && isFloat(a) && isFloat(b)) {
            return round(a / b, 0);
        }
        if (mode == RoundingMode.SR) {
            double q = a / b;
            if (!Double.isFinite(q) || q == 0 || Double.isInfinite(b)) {
                return round(q, randomBits);
            }
            // a / b == q + remainder / b exactly, remainder = a − q·b (exact for a correctly rounded q)
            double remainder = Math.fma(-q, b, a);
            return b < 0 ? stochastic(q, -remainder, -b, randomBits) : stochastic(q, remainder, b, randomBits);
        }
        return round(RoundToOdd.quotient(a, b), randomBits);
    }

    /**
     * sr of the exact value hi + num/den, where hi is finite and nonzero, den &gt; 0 and
     * |num/den| is at most half an ulp of hi (hi is the exact value rounded to nearest double).
     */
    private double stochastic(double hi, double num, double den, int randomBits) {
        if (num == 0) {
            return round(hi, randomBits);
        }
        boolean negative = hi < 0;
        double a = Math.abs(hi);
        double low = negative ? -num : num; // |exact| = a + low/den
        // The grid point at or below |exact|: grid points are doubles, and |exact| lies strictly
        // between nextDown(a) and a when low < 0, between a and nextUp(a) when low > 0.
        double below = low < 0 ? Math.nextDown(a) : a;
        int quantumExponent = Math.max(Math.getExponent(below), minExponent) - mantissaBits;
        double quantum = powerOfTwo(quantumExponent);
        double down = Math.floor(below * powerOfTwo(-quantumExponent)) * quantum;
        // Up iff u·2^−32 < (|exact| − down)/quantum, i.e. iff (down − a) + u·2^−32·quantum < low/den.
        // down − a is exact (Sterbenz), so is the sum (at most 34 significant bits past down's ulp),
        // and fma gives the exact sign of threshold·den − low.
        double threshold = (down - a) + Integer.toUnsignedLong(randomBits) * TWO_TO_MINUS_32 * quantum;
        boolean up = Math.fma(threshold, den, -low) < 0;
        return finish(up ? down + quantum : down, negative);
    }

    /** Rounds {@code units + fraction} (fraction in (0, 1)) to an integer number of quanta. */
    private double roundUnits(double units, double fraction, boolean negative, int randomBits) {
        switch (mode) {
            case RNE:
                return fraction > 0.5 || (fraction == 0.5 && isOdd(units)) ? units + 1 : units;
            case RNA:
                return fraction >= 0.5 ? units + 1 : units;
            case RTZ:
                return units;
            case RUP:
                return negative ? units : units + 1;
            case RDN:
                return negative ? units + 1 : units;
            case RTO:
                return isOdd(units) ? units : units + 1;
            case SR:
                return Integer.toUnsignedLong(randomBits) * TWO_TO_MINUS_32 < fraction ? units + 1 : units;
            case SRH:
                return randomBits < 0 ? units + 1 : units;
            default:
                throw new AssertionError(mode);
        }
    }

    private boolean roundsTowardZero(boolean negative) {
        switch (mode) {
            case RTZ:
            case RTO:
                return true;
            case RDN:
                return !negative;
            case RUP:
                return negative;
            default:
                return false;
        }
    }

    private double finishFp64(double x) {
        if (flushToZero && Math.abs(x) < Double.MIN_NORMAL) {
            return Math.copySign(0.0, x);
        }
        if (saturate && Double.isInfinite(x)) {
            return Math.copySign(Double.MAX_VALUE, x);
        }
        return x;
    }

    /**
     * Whether x is a binary32 value. For two of them the double result of +, −, × or ÷ rounded
     * again to binary32 is the exact result rounded once (double rounding is innocuous when the
     * wider precision is at least 2p + 2 bits: 53 ≥ 2·24 + 2; Figueroa, "When is double rounding
     * innocuous?", SIGNUM 1995).
     */
    private static boolean isFloat(double x) {
        return (float) x == x || x != x;
    }

    private static boolean isOdd(double units) {
        return (((long) units) & 1) != 0;
    }

    /** 2^e for e in double's normal exponent range. */
    private static double powerOfTwo(int e) {
        return Double.longBitsToDouble((long) (e + 1023) << 52);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rounding && ((Rounding) o).format.equals(format) && ((Rounding) o).mode == mode
                && ((Rounding) o).saturate == saturate && ((Rounding) o).flushToZero == flushToZero;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(format, mode, saturate, flushToZero);
    }

    @Override
    public String toString() {
        return format.name() + "/" + mode.key() + (saturate ? "/sat" : "") + (flushToZero ? "/ftz" : "");
    }
}
