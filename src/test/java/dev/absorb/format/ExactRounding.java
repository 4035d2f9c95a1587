package dev.absorb.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test oracle: a slow, exact rounding of a real number to a {@link Format}, written from the
 * format's parameters (exponent bits, mantissa bits, bias, specials) and the rules of DESIGN.md §2
 * and the {@link Rounding} Javadoc. All arithmetic is BigDecimal; nothing here calls
 * {@link Rounding}, {@link Format#encode}, {@link Format#decode} or the format's own limits.
 *
 * <p>Method: the finite values of a format are sign · k · 2^(q) on a grid whose spacing (quantum)
 * is 2^(max(E, emin) − m) in the binade [2^E, 2^(E+1)), and the grid goes on above the largest
 * finite value as if the exponent were unbounded. For a magnitude a that is not on the grid, the
 * two neighbours lo &lt; a &lt; hi are consecutive grid points; the mode picks one by distance,
 * direction or parity; only then is the range applied (overflow, ftz, fnuz's missing −0).
 */
final class ExactRounding {

    /** Powers of two as exact decimals, shared by all instances. */
    private static final ConcurrentHashMap<Integer, BigDecimal> POWERS = new ConcurrentHashMap<>();

    /** Enough digits to keep a truncated quotient of doubles off every grid point and midpoint. */
    private static final MathContext QUOTIENT_DIGITS = new MathContext(1500, java.math.RoundingMode.DOWN);

    private final String name;
    private final int mantissaBits;
    private final int minExponent;
    private final Format.Specials specials;
    private final BigDecimal maxFinite;
    private final BigDecimal minNormal;
    private final boolean saturate;
    private final boolean flushToZero;

    private ExactRounding(Format format, boolean saturate, boolean flushToZero) {
        this.name = format.name();
        this.mantissaBits = format.mantissaBits();
        this.minExponent = 1 - format.bias();
        this.specials = format.specials();
        this.saturate = saturate;
        this.flushToZero = flushToZero;
        // The largest finite code, read off the encoding rules:
        //   IEEE: exponent field all ones is inf/NaN, so the top finite field is all-ones − 1,
        //         with every mantissa bit set;
        //   FN:   top field all ones is finite except mantissa all ones (NaN);
        //   FNUZ, NONE: every nonnegative code is finite.
        long topField = (1L << format.exponentBits()) - 1;
        long allOnes = (1L << mantissaBits) - 1;
        long field;
        long mantissa;
        switch (specials) {
            case IEEE: field = topField - 1; mantissa = allOnes; break;
            case FN: field = topField; mantissa = allOnes - 1; break;
            default: field = topField; mantissa = allOnes; break;
        }
        this.maxFinite = valueOf(field, mantissa);
        this.minNormal = pow2(minExponent);
    }

    static ExactRounding of(Format format) {
        return new ExactRounding(format, false, false);
    }

    static ExactRounding of(Format format, boolean saturate, boolean flushToZero) {
        return new ExactRounding(format, saturate, flushToZero);
    }

    static ExactRounding of(Rounding r) {
        return new ExactRounding(r.format(), r.saturate(), r.flushToZero());
    }

    /** The value of the (exponent field, mantissa field) pair of a finite positive code. */
    BigDecimal valueOf(long field, long mantissa) {
        if (field == 0) {
            return new BigDecimal(BigInteger.valueOf(mantissa)).multiply(pow2(minExponent - mantissaBits));
        }
        long significand = (1L << mantissaBits) + mantissa;
        int exponent = (int) field - (1 - minExponent) - mantissaBits;
        return new BigDecimal(BigInteger.valueOf(significand)).multiply(pow2(exponent));
    }

    BigDecimal maxFinite() {
        return maxFinite;
    }

    BigDecimal minNormal() {
        return minNormal;
    }

    BigDecimal minSubnormal() {
        return pow2(minExponent - mantissaBits);
    }

    /**
     * Every nonnegative finite value, ascending, enumerated field by field from the encoding (only
     * for small formats).
     */
    List<BigDecimal> nonnegativeValues() {
        List<BigDecimal> values = new ArrayList<>();
        for (long field = 0; ; field++) {
            for (long mantissa = 0; mantissa < (1L << mantissaBits); mantissa++) {
                BigDecimal v = valueOf(field, mantissa);
                if (v.compareTo(maxFinite) > 0) {
                    return values;
                }
                values.add(v);
            }
        }
    }

    /** The exponent of the grid spacing at magnitude a > 0: max(floor(log2 a), emin) − m. */
    int quantumExponent(BigDecimal a) {
        return Math.max(floorLog2(a), minExponent) - mantissaBits;
    }

    /** The grid points lo ≤ a &lt; hi around a magnitude a ≥ 0 (the grid has no top). */
    BigDecimal[] neighbours(BigDecimal a) {
        if (a.signum() == 0) {
            return new BigDecimal[] {BigDecimal.ZERO, minSubnormal()};
        }
        int j = quantumExponent(a);
        BigDecimal q = pow2(j);
        BigInteger k = a.multiply(pow2(-j)).setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
        BigDecimal lo = new BigDecimal(k).multiply(q);
        return new BigDecimal[] {lo, lo.add(q)};
    }

    /** A deterministic mode's rounding of the double x (exact value of x). */
    double round(double x, RoundingMode mode) {
        return round(x, mode, 0);
    }

    /** The rounding of the double x; randomBits is read by sr and srh only. */
    double round(double x, RoundingMode mode, int randomBits) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        boolean negative = Double.doubleToRawLongBits(x) < 0;
        if (Double.isInfinite(x)) {
            // OCP's saturating conversion maps ±inf to ±max; MX formats always saturate.
            if (saturate || specials == Format.Specials.NONE) {
                return sign(negative, maxFinite.doubleValue());
            }
            return specials == Format.Specials.IEEE ? x : Double.NaN;
        }
        return round(new BigDecimal(x), negative, mode, randomBits);
    }

    /** The rounding of an exact value; {@code negative} gives the sign of a zero. */
    double round(BigDecimal exact, boolean negative, RoundingMode mode, int randomBits) {
        if (exact.signum() != 0) {
            negative = exact.signum() < 0;
        }
        BigDecimal a = exact.abs();
        BigDecimal chosen;
        if (a.signum() == 0) {
            chosen = BigDecimal.ZERO;
        } else {
            BigDecimal[] n = neighbours(a);
            BigDecimal lo = n[0];
            BigDecimal hi = n[1];
            chosen = lo.compareTo(a) == 0 ? lo : choose(a, lo, hi, negative, mode, randomBits);
        }
        if (chosen.compareTo(maxFinite) > 0) {
            boolean towardZero = mode == RoundingMode.RTZ || mode == RoundingMode.RTO
                    || (mode == RoundingMode.RDN && !negative) || (mode == RoundingMode.RUP && negative);
            if (saturate || specials == Format.Specials.NONE || towardZero) {
                chosen = maxFinite;
            } else if (specials == Format.Specials.IEEE) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            } else {
                return Double.NaN;
            }
        }
        if (flushToZero && chosen.signum() != 0 && chosen.compareTo(minNormal) < 0) {
            chosen = BigDecimal.ZERO;
        }
        if (chosen.signum() == 0 && specials == Format.Specials.FNUZ) {
            return 0.0; // no −0 in fnuz formats
        }
        return sign(negative, chosen.doubleValue());
    }

    /** Which of the magnitudes lo &lt; a &lt; hi the mode picks. */
    private BigDecimal choose(BigDecimal a, BigDecimal lo, BigDecimal hi, boolean negative, RoundingMode mode,
            int randomBits) {
        int nearer = a.subtract(lo).compareTo(hi.subtract(a)); // < 0: lo is nearer, 0: tie
        int j = quantumExponent(a); // lo and hi are k·2^j and (k+1)·2^j
        boolean loIsEven = !lo.multiply(pow2(-j)).toBigIntegerExact().testBit(0);
        switch (mode) {
            case RNE:
                return nearer < 0 ? lo : nearer > 0 ? hi : loIsEven ? lo : hi;
            case RNA:
                return nearer < 0 ? lo : hi;
            case RTZ:
                return lo;
            case RUP: // toward +inf: the larger magnitude for a positive value
                return negative ? lo : hi;
            case RDN:
                return negative ? hi : lo;
            case RTO:
                return loIsEven ? hi : lo;
            case SR: {
                // up iff unsigned(bits) · 2^−32 < (a − lo) / q
                BigDecimal u = new BigDecimal(Integer.toUnsignedLong(randomBits)).multiply(pow2(-32));
                BigDecimal fraction = a.subtract(lo).multiply(pow2(-j));
                return u.compareTo(fraction) < 0 ? hi : lo;
            }
            case SRH:
                return (randomBits >>> 31) == 1 ? hi : lo;
            default:
                throw new AssertionError(mode);
        }
    }

    // ---- exact operands -------------------------------------------------------------------

    static BigDecimal exact(double x) {
        return new BigDecimal(x);
    }

    /**
     * a / b, exact if the quotient is a finite decimal; otherwise truncated to 1500 digits and
     * nudged by half a unit of the last digit, which leaves it strictly inside the same gap between
     * points of the form k · 2^j (|j| ≤ 1200) as the true quotient: every grid point, midpoint
     * and stochastic threshold of a format lies on such a point, so every mode rounds the proxy
     * as it would round a / b.
     */
    static BigDecimal quotient(double a, double b) {
        BigDecimal x = exact(a);
        BigDecimal y = exact(b);
        BigDecimal q = x.divide(y, QUOTIENT_DIGITS);
        if (q.multiply(y).compareTo(x) == 0) {
            return q;
        }
        BigDecimal halfUnit = BigDecimal.valueOf(5, q.scale() + 1);
        return q.add(q.signum() >= 0 ? halfUnit : halfUnit.negate());
    }

    // ---- helpers ---------------------------------------------------------------------------

    static BigDecimal pow2(int k) {
        return POWERS.computeIfAbsent(k, e -> e >= 0
                ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
                : new BigDecimal(BigInteger.valueOf(5).pow(-e), -e));
    }

    /** floor(log2 a) for a > 0, found by comparing with exact powers of two. */
    static int floorLog2(BigDecimal a) {
        int e = (int) Math.floor((a.precision() - a.scale() - 1) * 3.321928094887362); // ≈ log2(10)·log10(a)
        while (pow2(e).compareTo(a) > 0) {
            e--;
        }
        while (pow2(e + 1).compareTo(a) <= 0) {
            e++;
        }
        return e;
    }

    private static double sign(boolean negative, double magnitude) {
        return negative ? -magnitude : magnitude;
    }

    @Override
    public String toString() {
        return "ExactRounding[" + name + (saturate ? "/sat" : "") + (flushToZero ? "/ftz" : "") + "]";
    }
}
