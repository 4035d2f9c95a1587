package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.RoundToOdd;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.absorb.kernel.Ieee754.DOUBLE_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.DOUBLE_FRACTION_BITS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * The deterministic modes (rne, rna, rtz, rup, rdn, rto, with sat and ftz) lane-wise on staged
 * values: the deterministic twin of {@link VectorStochasticRounding}. Every result equals
 * {@code Rounding.round} of the same double bit for bit.
 *
 * <p>An operation is staged first by scalar code: its exact result rounded to odd in double
 * ({@link RoundToOdd}, exactly what {@code Rounding.add/subtract/divide} round), or a value
 * itself. Then one flat vector loop ({@link #round}) rounds the staged doubles to the format
 * with {@code Rounding.round}'s arithmetic in double lanes: quantum from the exponent, units and
 * fraction, the mode's decision, then ftz, overflow, infinities, NaN and the sign. A double
 * rounded to odd has 53 bits, at least p + 2 for every format here, so rounding it once more
 * by any of these modes is the exact result rounded once (Boldo–Melquiond).
 *
 * <p>Why staged: VectorRounding's general path ({@code roundBits}) and its round-to-odd steps
 * are too large for C2 to inline into a kernel loop, which boxes every vector
 * (docs/decisions.md, "SIMD kernel and the JIT"). A loop whose body is only Vector API
 * operations compiles whole. The mode's decision is branch-free: per-instance thresholds
 * blended by sign and parity, so the loop body is the same for every mode.
 */
final class VectorStagedRounding {

    private static final VectorSpecies<Double> DOUBLES = VectorWidth.DOUBLES;
    private static final int LANES = DOUBLES.length();
    /** As many float lanes as DOUBLES has: the conversion keeps the lane count (part 0 only). */
    private static final VectorSpecies<Float> NARROW_FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, DOUBLES.vectorShape());
    private static final double MAGIC = 0x1p52;

    private final long minExponent;
    private final long mantissaBits;
    private final double maxFinite;
    /** Magnitudes below this flush to zero: the smallest normal with ftz, else 0 (nothing does). */
    private final double flushBelow;
    /** What a finite magnitude above max becomes, for a positive and a negative value. */
    private final double overflowPositive;
    private final double overflowNegative;
    private final double infinityValue;
    private final boolean hasNegativeZero;
    /**
     * The mode as thresholds on the discarded fraction f of an ulp: round up (away from zero)
     * iff f &gt; threshold, or f = ½ and the tie goes up. One threshold per sign and parity of
     * the units kept: rne and rna ½, rtz 1 (never), rup 0 (iff inexact) for positives and 1
     * for negatives, rdn the other way round, rto 0 for even units and 1 for odd ones.
     */
    private final double evenPositive;
    private final double evenNegative;
    private final double oddPositive;
    private final double oddNegative;
    /** 1 where a tie (f = ½) rounds up: rna always, rne for odd units; 0 otherwise. */
    private final double tieUpEven;
    private final double tieUpOdd;

    VectorStagedRounding(Rounding rounding) {
        if (!supports(rounding)) {
            throw new IllegalArgumentException("no staged vector rounding to " + rounding);
        }
        Format format = rounding.format();
        RoundingMode mode = rounding.mode();
        this.minExponent = format.minExponent();
        this.mantissaBits = format.mantissaBits();
        this.maxFinite = format.maxFinite();
        this.flushBelow = rounding.flushToZero() ? format.minNormal() : 0.0;
        boolean saturates = rounding.saturate() || format.specials() == Format.Specials.NONE;
        double noSaturation = format.hasInfinity() ? Double.POSITIVE_INFINITY : Double.NaN;
        double overflow = saturates ? maxFinite : noSaturation;
        // IEEE 754 §7.4: a mode that rounds toward zero for the value's sign gives max.
        boolean towardZeroPositive = mode == RoundingMode.RTZ || mode == RoundingMode.RTO || mode == RoundingMode.RDN;
        boolean towardZeroNegative = mode == RoundingMode.RTZ || mode == RoundingMode.RTO || mode == RoundingMode.RUP;
        this.overflowPositive = towardZeroPositive ? maxFinite : overflow;
        this.overflowNegative = towardZeroNegative ? maxFinite : overflow;
        this.infinityValue = saturates ? maxFinite : noSaturation;
        this.hasNegativeZero = format.hasNegativeZero();
        switch (mode) {
            case RNE:
            case RNA:
                evenPositive = evenNegative = oddPositive = oddNegative = 0.5;
                break;
            case RTZ:
                evenPositive = evenNegative = oddPositive = oddNegative = 1.0;
                break;
            case RUP:
                evenPositive = oddPositive = 0.0;
                evenNegative = oddNegative = 1.0;
                break;
            case RDN:
                evenPositive = oddPositive = 1.0;
                evenNegative = oddNegative = 0.0;
                break;
            case RTO:
                evenPositive = evenNegative = 0.0;
                oddPositive = oddNegative = 1.0;
                break;
            default:
                throw new AssertionError(mode);
        }
        this.tieUpEven = mode == RoundingMode.RNA ? 1.0 : 0.0;
        this.tieUpOdd = mode == RoundingMode.RNA || mode == RoundingMode.RNE ? 1.0 : 0.0;
    }

    /** Deterministic modes to formats carried in float (p ≤ 24). */
    static boolean supports(Rounding rounding) {
        return !rounding.mode().isStochastic() && !rounding.format().isFp64() && rounding.format().mantissaBits() <= FLOAT_FRACTION_BITS;
    }

    /** Stages a + b as {@code Rounding.add} rounds it: the exact sum rounded to odd. */
    static void stageSum(double a, double b, double[] staged, int i) {
        staged[i] = RoundToOdd.sum(a, b);
    }

    /** Stages a − b as {@code Rounding.subtract} rounds it. */
    static void stageDifference(double a, double b, double[] staged, int i) {
        staged[i] = RoundToOdd.difference(a, b);
    }

    /** Stages a / b as {@code Rounding.divide} rounds it. */
    static void stageQuotient(double a, double b, double[] staged, int i) {
        staged[i] = RoundToOdd.quotient(a, b);
    }

    /**
     * staged[i] = {@code RoundToOdd.difference(a[from + i], b)} for i &lt; n (n a multiple of
     * {@link #lanes()}), lane-wise: the same doubles as {@link #stageDifference}, without its
     * scalar branches. Knuth's TwoSum in double lanes (a float difference never overflows
     * double), then the sum made odd toward its error.
     */
    static void stageDifferences(float[] a, int from, float b, int n, double[] staged) {
        DoubleVector minusB = DoubleVector.broadcast(DOUBLES, -(double) b);
        for (int i = 0; i < n; i += LANES) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(NARROW_FLOATS, a, from + i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector s = x.add(minusB);
            // Do not simplify: the evaluation order is what makes err exact.
            DoubleVector bVirtual = s.sub(x);
            DoubleVector aVirtual = s.sub(bVirtual);
            DoubleVector err = x.sub(aVirtual).add(minusB.sub(bVirtual));
            // Odd toward err where err != 0 and s is finite and even: raw bits + 1 moves away
            // from zero, so step +1 where err has s's sign, −1 where not (s is never 0 there).
            LongVector bits = s.reinterpretAsLongs();
            VectorMask<Double> adjust = err.compare(VectorOperators.NE, 0.0).and(s.test(VectorOperators.IS_FINITE))
                    .and(bits.and(1L).compare(VectorOperators.EQ, 0L).cast(DOUBLES));
            LongVector step = bits.lanewise(VectorOperators.XOR, err.reinterpretAsLongs())
                    .lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.OR, 1L);
            bits.add(step, adjust.cast(LONGS)).reinterpretAsDoubles().intoArray(staged, i);
        }
    }

    /**
     * staged[i] = {@code RoundToOdd.quotient(e[from + i], b)} for i &lt; n (n a multiple of
     * {@link #lanes()}), lane-wise: the double quotient made odd toward its remainder's side. A
     * quotient of floats is a normal double or zero, inf or NaN (those stay as they are).
     */
    static void stageQuotients(float[] e, int from, float b, int n, double[] staged) {
        DoubleVector divisor = DoubleVector.broadcast(DOUBLES, b);
        long divisorSign = Double.doubleToRawLongBits(b) & Long.MIN_VALUE;
        for (int i = 0; i < n; i += LANES) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(NARROW_FLOATS, e, from + i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector q = x.div(divisor);
            // x / b == q + remainder / b exactly: the exact quotient lies on the side of q that
            // remainder·sign(b) points to.
            DoubleVector remainder = q.neg().fma(divisor, x);
            LongVector direction = remainder.reinterpretAsLongs().lanewise(VectorOperators.XOR, divisorSign);
            LongVector bits = q.reinterpretAsLongs();
            VectorMask<Double> adjust = remainder.compare(VectorOperators.NE, 0.0)
                    .and(remainder.test(VectorOperators.IS_FINITE))
                    .and(q.test(VectorOperators.IS_FINITE)).and(q.compare(VectorOperators.NE, 0.0))
                    .and(bits.and(1L).compare(VectorOperators.EQ, 0L).cast(DOUBLES));
            LongVector step = bits.lanewise(VectorOperators.XOR, direction)
                    .lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.OR, 1L);
            bits.add(step, adjust.cast(LONGS)).reinterpretAsDoubles().intoArray(staged, i);
        }
    }

    /**
     * out[outOffset + i] = {@code Rounding.round(staged[i])} for i &lt; n (n a multiple of
     * {@link #lanes()}).
     */
    void round(double[] staged, int n, float[] out, int outOffset) {
        for (int i = 0; i < n; i += LANES) {
            DoubleVector x = DoubleVector.fromArray(DOUBLES, staged, i);
            LongVector xBits = x.reinterpretAsLongs();
            VectorMask<Double> negative = xBits.compare(VectorOperators.LT, 0L).cast(DOUBLES);
            DoubleVector a = x.abs();
            LongVector exponent = a.reinterpretAsLongs().lanewise(VectorOperators.LSHR, DOUBLE_FRACTION_BITS).sub(DOUBLE_EXPONENT_BIAS);
            // max(exponent, emin) as compare and blend: LongVector.max is not intrinsified on AVX2.
            LongVector quantumExponent = exponent.blend(minExponent, exponent.compare(VectorOperators.LT, minExponent))
                    .sub(mantissaBits);
            DoubleVector quantum = quantumExponent.add(DOUBLE_EXPONENT_BIAS).lanewise(VectorOperators.LSHL, DOUBLE_FRACTION_BITS).reinterpretAsDoubles();
            DoubleVector reciprocal = quantumExponent.broadcast(DOUBLE_EXPONENT_BIAS).sub(quantumExponent)
                    .lanewise(VectorOperators.LSHL, DOUBLE_FRACTION_BITS).reinterpretAsDoubles();
            // Both scalings are exact; scaled < 2^25, so floor is the nearest integer by 2^52,
            // one less where that is above. unitsShifted = units + 2^52 holds units in its low bits.
            DoubleVector scaled = a.mul(reciprocal);
            DoubleVector nearest = scaled.add(MAGIC).sub(MAGIC);
            DoubleVector units = nearest.blend(nearest.sub(1.0), nearest.compare(VectorOperators.GT, scaled));
            DoubleVector fraction = scaled.sub(units);
            VectorMask<Double> odd = units.add(MAGIC).reinterpretAsLongs().and(1L).compare(VectorOperators.NE, 0L).cast(DOUBLES);
            DoubleVector threshold = fraction.broadcast(evenPositive).blend(evenNegative, negative)
                    .blend(fraction.broadcast(oddPositive).blend(oddNegative, negative), odd);
            VectorMask<Double> tieUp = fraction.broadcast(tieUpEven).blend(tieUpOdd, odd).compare(VectorOperators.NE, 0.0);
            VectorMask<Double> up = fraction.compare(VectorOperators.GT, threshold)
                    .or(fraction.compare(VectorOperators.EQ, 0.5).and(tieUp));
            DoubleVector magnitude = units.blend(units.add(1.0), up).mul(quantum);
            // ftz, overflow, infinite and NaN input, and the sign, as Rounding.finish and round.
            magnitude = magnitude.blend(0.0, magnitude.compare(VectorOperators.LT, flushBelow));
            DoubleVector overflow = magnitude.broadcast(overflowPositive).blend(overflowNegative, negative);
            magnitude = magnitude.blend(overflow, magnitude.compare(VectorOperators.GT, maxFinite));
            magnitude = magnitude.blend(infinityValue, a.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
            DoubleVector signed = magnitude.blend(magnitude.neg(), negative);
            if (!hasNegativeZero) {
                signed = signed.blend(0.0, magnitude.compare(VectorOperators.EQ, 0));
            }
            signed = signed.blend(Double.NaN, x.test(VectorOperators.IS_NAN).or(magnitude.test(VectorOperators.IS_NAN)));
            ((FloatVector) signed.convertShape(VectorOperators.D2F, NARROW_FLOATS, 0)).intoArray(out, outOffset + i);
        }
    }

    /** The step of {@link #round}: staged counts are padded to a multiple of it. */
    static int lanes() {
        return LANES;
    }
}
