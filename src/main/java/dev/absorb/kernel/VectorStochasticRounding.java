package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code round=sr} lane-wise: every lane's result equals the scalar {@link Rounding}'s bit for
 * bit, given the same 32 random bits.
 *
 * <p>sr rounds up iff u·2^−32 is below the discarded fraction of the exact result, so the
 * decision needs the exact result, not one rounded to odd. The lanes therefore run the scalar
 * algorithm itself in double lanes (a float vector is two double vectors): a value is rounded
 * from its double; a sum is the double sum plus its exact TwoSum error, a quotient the double
 * quotient plus its exact fma remainder, and the decision compares the threshold with that
 * error exactly ({@code Rounding.stochastic}). Every value carried is a float or a double sum or
 * quotient of floats, all normal doubles, so the double steps are exact where the scalar's are.
 */
final class VectorStochasticRounding {

    private static final VectorSpecies<Float> FLOATS = VectorRounding.FLOATS;
    private static final VectorSpecies<Double> DOUBLES = VectorRounding.DOUBLES;
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, DOUBLES.vectorShape());
    private static final double TWO_TO_MINUS_32 = 0x1p-32;
    private static final double MAGIC = 0x1p52;

    private final int minExponent;
    private final int mantissaBits;
    private final double maxFinite;
    private final double minNormal;
    private final double overflowValue;
    private final double infinityValue;
    private final boolean flushToZero;
    private final boolean hasNegativeZero;

    VectorStochasticRounding(Rounding rounding) {
        if (!supports(rounding)) {
            throw new IllegalArgumentException("no vector stochastic rounding to " + rounding);
        }
        Format format = rounding.format();
        this.minExponent = format.minExponent();
        this.mantissaBits = format.mantissaBits();
        this.maxFinite = format.maxFinite();
        this.minNormal = format.minNormal();
        boolean saturates = rounding.saturate() || format.specials() == Format.Specials.NONE;
        double noSaturation = format.hasInfinity() ? Double.POSITIVE_INFINITY : Double.NaN;
        // sr never rounds toward zero on overflow: beyond max is max with sat, else inf or NaN.
        this.overflowValue = saturates ? maxFinite : noSaturation;
        this.infinityValue = saturates ? maxFinite : noSaturation;
        this.flushToZero = rounding.flushToZero();
        this.hasNegativeZero = format.hasNegativeZero();
    }

    static boolean supports(Rounding rounding) {
        return rounding.mode() == RoundingMode.SR && !rounding.format().isFp64();
    }

    /** The exact float values x rounded with the random bits u. */
    FloatVector round(FloatVector x, IntVector u) {
        // The two halves written out, not looped: a vector carried around a loop is boxed.
        return roundPart(x, u, 0).or(roundPart(x, u, 1)).reinterpretAsFloats();
    }

    private IntVector roundPart(FloatVector x, IntVector u, int part) {
        return narrow(roundValue(widen(x, part), unsigned(u, part)), part);
    }

    /** rd(a + b) with the random bits u. */
    FloatVector add(FloatVector a, FloatVector b, IntVector u) {
        return addPart(a, b, u, 0).or(addPart(a, b, u, 1)).reinterpretAsFloats();
    }

    private IntVector addPart(FloatVector a, FloatVector b, IntVector u, int part) {
        DoubleVector da = widen(a, part);
        DoubleVector db = widen(b, part);
        DoubleVector s = da.add(db);
        // TwoSum: da + db == s + err exactly (do not simplify).
        DoubleVector bVirtual = s.sub(da);
        DoubleVector aVirtual = s.sub(bVirtual);
        DoubleVector err = da.sub(aVirtual).add(db.sub(bVirtual));
        return narrow(stochastic(s, err, s.broadcast(1), unsigned(u, part)), part);
    }

    /** rd(a − b) with the random bits u. */
    FloatVector subtract(FloatVector a, FloatVector b, IntVector u) {
        return add(a, b.neg(), u);
    }

    /** rd(a / b) with the random bits u. */
    FloatVector divide(FloatVector a, FloatVector b, IntVector u) {
        return dividePart(a, b, u, 0).or(dividePart(a, b, u, 1)).reinterpretAsFloats();
    }

    private IntVector dividePart(FloatVector a, FloatVector b, IntVector u, int part) {
        DoubleVector da = widen(a, part);
        DoubleVector db = widen(b, part);
        DoubleVector q = da.div(db);
        // a / b == q + remainder / b exactly; with b < 0 both signs flip so that den > 0.
        DoubleVector remainder = q.neg().fma(db, da);
        VectorMask<Double> negativeB = db.compare(VectorOperators.LT, 0);
        DoubleVector num = remainder.blend(remainder.neg(), negativeB);
        DoubleVector den = db.blend(db.neg(), negativeB);
        // Where q is not finite, zero, or b infinite, the scalar rounds q itself.
        VectorMask<Double> plain = q.test(VectorOperators.IS_FINITE).not()
                .or(q.compare(VectorOperators.EQ, 0)).or(db.test(VectorOperators.IS_INFINITE));
        return narrow(stochastic(q, num.blend(0.0, plain), den.blend(1.0, plain), unsigned(u, part)), part);
    }

    /**
     * sr of hi + num/den (den &gt; 0, |num/den| at most half an ulp of hi), exactly as
     * {@code Rounding.stochastic}; lanes with num = 0 or hi not finite are hi rounded by itself.
     */
    private DoubleVector stochastic(DoubleVector hi, DoubleVector num, DoubleVector den, DoubleVector u) {
        VectorMask<Double> plain = num.compare(VectorOperators.EQ, 0).or(hi.test(VectorOperators.IS_FINITE).not());
        DoubleVector roundedAlone = roundValue(hi, u);
        DoubleVector a = hi.abs();
        VectorMask<Double> negative = hi.compare(VectorOperators.LT, 0);
        DoubleVector low = num.blend(num.neg(), negative);
        // The grid point at or below |exact|: grid points are doubles; |exact| lies between
        // nextDown(a) and a when low < 0 (a > 0 here, so nextDown is the bits minus one).
        VectorMask<Double> lowNegative = low.compare(VectorOperators.LT, 0);
        // A blend, not a masked sub: LongVector's masked sub with a cast mask boxes on AVX2.
        LongVector bits = a.reinterpretAsLongs();
        DoubleVector below = bits.blend(bits.sub(1L), lowNegative.cast(LONGS)).reinterpretAsDoubles();
        LongVector quantumExponent = atLeastMinExponent(exponent(below)).sub(mantissaBits);
        DoubleVector quantum = powerOfTwo(quantumExponent);
        DoubleVector down = floor(below.mul(reciprocalPowerOfTwo(quantumExponent))).mul(quantum);
        // Up iff (down − a) + u·2^−32·quantum < low/den; down − a is exact, so is the sum.
        DoubleVector threshold = down.sub(a).add(u.mul(TWO_TO_MINUS_32).mul(quantum));
        VectorMask<Double> up = threshold.fma(den, low.neg()).compare(VectorOperators.LT, 0);
        DoubleVector magnitude = down.blend(down.add(quantum), up);
        return finish(magnitude, negative).blend(roundedAlone, plain);
    }

    /** sr of the value v by itself: floor on the grid, up iff u·2^−32 < the fraction. */
    private DoubleVector roundValue(DoubleVector v, DoubleVector u) {
        DoubleVector a = v.abs();
        VectorMask<Double> negative = v.reinterpretAsLongs().compare(VectorOperators.LT, 0).cast(DOUBLES);
        LongVector quantumExponent = atLeastMinExponent(exponent(a)).sub(mantissaBits);
        DoubleVector scaled = a.mul(reciprocalPowerOfTwo(quantumExponent));
        DoubleVector units = floor(scaled);
        DoubleVector fraction = scaled.sub(units);
        VectorMask<Double> up = fraction.compare(VectorOperators.NE, 0)
                .and(u.mul(TWO_TO_MINUS_32).compare(VectorOperators.LT, fraction));
        DoubleVector magnitude = units.blend(units.add(1), up).mul(powerOfTwo(quantumExponent));
        VectorMask<Double> infinite = a.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY);
        DoubleVector result = finish(magnitude, negative);
        result = result.blend(infinityValue, infinite);
        result = result.blend(result.neg(), infinite.and(negative));
        return result.blend(Double.NaN, v.test(VectorOperators.IS_NAN));
    }

    /** ftz, overflow and the sign of a finite magnitude on the grid, as {@code Rounding.finish}. */
    private DoubleVector finish(DoubleVector magnitude, VectorMask<Double> negative) {
        if (flushToZero) {
            magnitude = magnitude.blend(0.0, magnitude.compare(VectorOperators.LT, minNormal));
        }
        magnitude = magnitude.blend(overflowValue, magnitude.compare(VectorOperators.GT, maxFinite));
        DoubleVector signed = magnitude.blend(magnitude.neg(), negative);
        if (!hasNegativeZero) {
            signed = signed.blend(0.0, magnitude.compare(VectorOperators.EQ, 0));
        }
        return signed;
    }

    /** floor of non-negative values below 2^53 (larger ones are integers already). */
    private static DoubleVector floor(DoubleVector x) {
        DoubleVector nearest = x.add(MAGIC).sub(MAGIC);
        DoubleVector floor = nearest.blend(nearest.sub(1.0), nearest.compare(VectorOperators.GT, x));
        return floor.blend(x, x.compare(VectorOperators.GE, MAGIC));
    }

    /** max(e, emin) by compare and blend: AVX2 has no 64-bit max, and LongVector.max is not intrinsified there (it boxes). */
    private LongVector atLeastMinExponent(LongVector e) {
        return e.blend(minExponent, e.compare(VectorOperators.LT, minExponent));
    }

    /** The unbiased exponent of positive normal doubles (and −1023 for zero). */
    private static LongVector exponent(DoubleVector a) {
        return a.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 52).and(0x7FFL).sub(1023L);
    }

    /** 2^−e, built as (1023 − e) in the exponent field (LongVector.neg is not intrinsified on AVX2). */
    private static DoubleVector reciprocalPowerOfTwo(LongVector e) {
        return e.broadcast(1023L).sub(e).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }

    private static DoubleVector powerOfTwo(LongVector e) {
        return e.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }

    private static DoubleVector widen(FloatVector x, int part) {
        return (DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLES, part);
    }

    /** The random bits of a part as unsigned values in double lanes. */
    private static DoubleVector unsigned(IntVector u, int part) {
        DoubleVector signed = (DoubleVector) u.convertShape(VectorOperators.I2D, DOUBLES, part);
        return signed.blend(signed.add(0x1p32), signed.compare(VectorOperators.LT, 0));
    }

    /** Double lanes holding format values (exact in float) into the float lanes of a part. */
    private static IntVector narrow(DoubleVector d, int part) {
        return ((FloatVector) d.convertShape(VectorOperators.D2F, FLOATS, -part)).reinterpretAsInts();
    }
}
