package dev.absorb.kernel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Test oracle: exp, log and tanh in BigDecimal to about 60 significant digits, and rounding of an
 * exact value to a binary format with p significant bits. Plain textbook methods, slow and
 * independent of everything in main: nothing here calls ExpPoly, StrictMath, Rounding or ExactSum.
 */
final class BigMath {

    /** Working precision: far beyond double's 17 digits, so the oracle's own error is irrelevant. */
    static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);

    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private BigMath() {
    }

    /**
     * e^x: halve x until |x| < 2^-12, sum the Taylor series there, then square back. Each
     * squaring doubles the relative error, so 80 working digits leave well over 50 after up to
     * 30 squarings (|x| ≤ 10^6).
     */
    static BigDecimal exp(BigDecimal x) {
        MathContext work = new MathContext(80, RoundingMode.HALF_EVEN);
        int halvings = 0;
        BigDecimal small = x;
        BigDecimal limit = new BigDecimal("0.000244140625"); // 2^-12
        while (small.abs().compareTo(limit) > 0) {
            small = small.divide(TWO, work);
            halvings++;
        }
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        BigDecimal epsilon = BigDecimal.ONE.movePointLeft(85);
        for (int k = 1; term.abs().compareTo(epsilon) > 0; k++) {
            term = term.multiply(small, work).divide(BigDecimal.valueOf(k), work);
            sum = sum.add(term, work);
        }
        for (int i = 0; i < halvings; i++) {
            sum = sum.multiply(sum, work);
        }
        return sum.round(MC);
    }

    static BigDecimal exp(double x) {
        return exp(new BigDecimal(x));
    }

    /**
     * ln y for y > 0 by Newton's iteration on e^t = y, started from the double logarithm:
     * t ← t + 2(y − e^t)/(y + e^t) converges cubically, so four steps reach 60 digits.
     */
    static BigDecimal log(BigDecimal y) {
        if (y.signum() <= 0) {
            throw new IllegalArgumentException("log of " + y);
        }
        // Start from log2 of the unscaled value to stay in double's range for any scale.
        int shift = y.unscaledValue().bitLength() - 60;
        double mantissa = new BigDecimal(y.unscaledValue().shiftRight(Math.max(shift, 0))).doubleValue();
        double start = Math.log(mantissa) + Math.max(shift, 0) * Math.log(2) - y.scale() * Math.log(10);
        BigDecimal t = new BigDecimal(start);
        MathContext work = new MathContext(80, RoundingMode.HALF_EVEN);
        for (int i = 0; i < 5; i++) {
            BigDecimal e = exp(t);
            t = t.add(TWO.multiply(y.subtract(e, work), work).divide(y.add(e, work), work), work);
        }
        return t.round(MC);
    }

    /** tanh t = (e^{2t} − 1)/(e^{2t} + 1), for the soft-capping reference. */
    static BigDecimal tanh(BigDecimal t) {
        BigDecimal e = exp(t.multiply(TWO));
        return e.subtract(BigDecimal.ONE).divide(e.add(BigDecimal.ONE), MC);
    }

    // ---- rounding an exact value to p significant bits ---------------------------------------

    private static final java.util.concurrent.ConcurrentHashMap<Integer, BigDecimal> POWERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** 2^k as an exact decimal (cached: 2^-1074 has 1074 digits). */
    static BigDecimal pow2(int k) {
        return POWERS.computeIfAbsent(k, e -> e >= 0
                ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
                : new BigDecimal(BigInteger.valueOf(5).pow(-e), -e));
    }

    /** floor(log2 a) for a > 0. */
    static int floorLog2(BigDecimal a) {
        int e = (int) Math.floor((a.precision() - a.scale() - 1) * 3.321928094887362);
        while (pow2(e).compareTo(a) > 0) {
            e--;
        }
        while (pow2(e + 1).compareTo(a) <= 0) {
            e++;
        }
        return e;
    }

    /**
     * The exact value x rounded to a binary format with {@code mantissaBits} stored fraction bits
     * and smallest normal exponent {@code minExponent} (subnormals included, no upper range: use
     * values well inside the format), with a deterministic mode of {@link dev.absorb.format.RoundingMode}.
     * The grid spacing at |x| is 2^(max(floor(log2|x|), emin) − m); the mode picks one of the two
     * neighbours.
     */
    static double round(BigDecimal x, int mantissaBits, int minExponent, dev.absorb.format.RoundingMode mode) {
        if (x.signum() == 0) {
            return 0.0;
        }
        boolean negative = x.signum() < 0;
        BigDecimal a = x.abs();
        int q = Math.max(floorLog2(a), minExponent) - mantissaBits;
        BigDecimal units = a.multiply(pow2(-q));
        BigInteger lo = units.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        BigDecimal fraction = units.subtract(new BigDecimal(lo));
        BigInteger chosen = lo;
        if (fraction.signum() != 0) {
            int half = fraction.compareTo(new BigDecimal("0.5"));
            boolean up;
            switch (mode) {
                case RNE: up = half > 0 || (half == 0 && lo.testBit(0)); break;
                case RNA: up = half >= 0; break;
                case RTZ: up = false; break;
                case RUP: up = !negative; break;
                case RDN: up = negative; break;
                case RTO: up = !lo.testBit(0); break;
                default: throw new IllegalArgumentException("deterministic modes only: " + mode);
            }
            chosen = up ? lo.add(BigInteger.ONE) : lo;
        }
        double magnitude = new BigDecimal(chosen).multiply(pow2(q)).doubleValue(); // exact: on the grid
        return negative ? -magnitude : magnitude;
    }

    /** Round to nearest even in binary32 (subnormals included). */
    static float toFloat(BigDecimal x) {
        return (float) round(x, 23, -126, dev.absorb.format.RoundingMode.RNE);
    }

    /** Round to nearest even in binary64 (normal range only: m = 52, emin = −1022). */
    static double toDouble(BigDecimal x) {
        return round(x, 52, -1022, dev.absorb.format.RoundingMode.RNE);
    }
}
