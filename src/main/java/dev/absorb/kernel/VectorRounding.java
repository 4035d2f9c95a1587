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

import static dev.absorb.kernel.Ieee754.FLOAT_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;
import static dev.absorb.kernel.Ieee754.FLOAT_INFINITY_BITS;

/**
 * {@link Rounding} lane-wise, for float lanes: every lane's result equals the scalar
 * {@code Rounding}'s bit for bit (NaN lanes are the canonical NaN, except that
 * {@link #roundNonNaN} passes the default NaN it is given through).
 *
 * <h2>How the exact result is rounded once</h2>
 * A float operation rounds to 24 bits, and rounding that again to the format would round twice.
 * So each operation first produces its exact result rounded to odd in float: a sum from Knuth's
 * TwoSum (its error term is exact, subnormals included), a product or quotient in double lanes
 * (a product of two floats is exact there; a quotient's remainder comes from fma) narrowed to
 * float by round-to-odd. Rounding a value rounded to odd with at least two more bits than the
 * target gives the correctly rounded result in every deterministic mode, so this works for
 * formats with at most 21 mantissa bits, down to the format's subnormals (float's grid is at least
 * 4 times finer there too, as the exponent field has at most 8 bits).
 *
 * <p>fp32 itself (23 mantissa bits) is rounded by the float operations: supported with rne only.
 * Stochastic modes and formats with 22 mantissa bits are not supported yet ({@link #supports}).
 *
 * <h2>Rounding a float value</h2>
 * On the float encoding itself: the k low bits of |x|'s bits that lie below the format's grid
 * (more in the format's subnormal range) are cleared (toward zero) or the next grid point is
 * taken (one unit 1 &lt;&lt; k added to the bits), as the mode decides from the discarded bits;
 * then ftz, overflow and the sign are applied exactly as {@link Rounding} does.
 */
final class VectorRounding {

    private final Format format;
    private final RoundingMode mode;
    private final boolean identity;
    private final boolean flushToZero;
    private final int mantissaBits;
    private final int minExponent;
    private final float maxFinite;
    private final float minNormal;
    private final float overflowValue;
    private final float overflowTowardZeroValue;
    /** The least float that rne takes above maxFinite: x ≥ it overflows (for the short paths' formats). */
    private final float overflowThreshold;
    private final float infinityValue;
    private final boolean hasNegativeZero;
    private final boolean fp32;
    /** rne with fp32 carrying 2p + 2 bits: one float operation on two values of such formats, rounded once more, is exact-once. */
    private final boolean narrowArithmetic;
    /** rne without sat or ftz to a format with p ≤ 11: the short bit tricks of {@link #roundNearest}. */
    private final boolean nearestFast;
    private final boolean bf16Like;
    private final int dropBits;
    /** k of {@link #roundBits} is this minus the exponent field (at least dropBits). */
    private final int belowGridTop;
    private final int minSubnormalBits;
    private final int halfMinSubnormalBits;
    private final float subnormalMagic;
    /** Sums of the operands of {@link #addNonNegativeNarrow} below the least normal are exact (see the constructor). */
    private final boolean subnormalSumsExact;

    VectorRounding(Rounding rounding) {
        this(rounding, null);
    }

    /**
     * A rounding whose {@link #addNonNegativeNarrow} adds values of {@code operands} (null:
     * any floats). Where every such value is a whole multiple of the target's least subnormal
     * (operands no finer than the target there), a sum below the least normal is exact and
     * already one of the target's values, and the sum step skips its subnormal rounding.
     */
    VectorRounding(Rounding rounding, Format operands) {
        if (!supports(rounding)) {
            throw new IllegalArgumentException("no vector rounding to " + rounding);
        }
        this.format = rounding.format();
        this.mode = rounding.mode();
        this.fp32 = format.mantissaBits() == FLOAT_FRACTION_BITS;
        this.flushToZero = rounding.flushToZero();
        this.identity = fp32 && !rounding.saturate() && !flushToZero;
        this.mantissaBits = format.mantissaBits();
        this.minExponent = format.minExponent();
        this.maxFinite = (float) format.maxFinite();
        this.minNormal = (float) format.minNormal();
        boolean saturates = rounding.saturate() || format.specials() == Format.Specials.NONE;
        float noSaturation = format.hasInfinity() ? Float.POSITIVE_INFINITY : Float.NaN;
        this.overflowValue = saturates ? maxFinite : noSaturation;
        this.overflowTowardZeroValue = maxFinite;
        this.overflowThreshold = overflowThreshold(format);
        this.infinityValue = saturates ? maxFinite : noSaturation;
        this.hasNegativeZero = format.hasNegativeZero();
        this.narrowArithmetic = mode == RoundingMode.RNE && format.fp32RoundingIsInnocuous();
        this.nearestFast = narrowArithmetic && !rounding.saturate() && !flushToZero;
        this.bf16Like = format.exponentBits() == 8 && format.specials() == Format.Specials.IEEE;
        this.dropBits = FLOAT_FRACTION_BITS - mantissaBits;
        this.belowGridTop = minExponent + FLOAT_EXPONENT_BIAS + dropBits;
        float minSubnormal = Math.scalb(1f, minExponent - mantissaBits);
        this.minSubnormalBits = Float.floatToRawIntBits(minSubnormal);
        this.halfMinSubnormalBits = Float.floatToRawIntBits(minSubnormal / 2);
        this.subnormalMagic = Math.scalb(1f, minExponent - mantissaBits + FLOAT_FRACTION_BITS);
        // Both least subnormals are powers of two.
        this.subnormalSumsExact = operands != null && operands.minSubnormal() >= format.minSubnormal();
    }

    /** Whether lanes can round to this target exactly as the scalar does. */
    static boolean supports(Rounding rounding) {
        Format f = rounding.format();
        if (f.isFp64() || rounding.mode().isStochastic()) {
            return false;
        }
        if (f.mantissaBits() == FLOAT_FRACTION_BITS) {
            // fp32 itself (e8m23 is the same set of values): the float operations round it.
            return f.exponentBits() == 8 && f.specials() == Format.Specials.IEEE && rounding.mode() == RoundingMode.RNE;
        }
        return f.mantissaBits() <= 21 && f.fitsFloat();
    }

    /**
     * Whether {@link #round}, {@link #addNarrow}, {@link #subtractNarrow} and
     * {@link #divideNarrow} take their short paths (identity, or rne by bit tricks without sat
     * and ftz to a format with p ≤ 11). The other paths are correct but too large for C2 to
     * inline into a kernel loop, which boxes their vectors (docs/decisions.md, "SIMD kernel and
     * the JIT"): {@link SimdKernel} stages those steps instead ({@link VectorStagedRounding}).
     */
    boolean isShort() {
        return identity || nearestFast;
    }

    /** Whether rounding a float to this target changes nothing (fp32 without sat or ftz). */
    boolean isIdentity() {
        return identity;
    }

    /** The exact float values {@code x} rounded to the format. */
    FloatVector round(FloatVector x) {
        if (identity) {
            return x;
        }
        return roundChanging(x);
    }

    /**
     * {@link #round} for a rounding that is not the identity. A loop that may see both kinds
     * calls this one after its own test: where round's two returns merge, JDK 17's C2 lost the
     * vector's class, and the loop's store boxed it (bf16/compute=fp32: 16 B per element).
     */
    FloatVector roundChanging(FloatVector x) {
        return nearestFast ? roundNearest(x) : roundBits(x, x.species().maskAll(false));
    }

    /**
     * {@link #round} for a rounding that {@link #isShort} and is not the identity: rne by bits. Its
     * body holds no {@link #roundBits}, which C2 parses wherever the branch profile saw it taken
     * (by any instance): Kahan's step, two roundings per call, then stays within C2's inlining
     * budget; four of round in one loop left one un-inlined and boxed its vectors (40 B per element).
     */
    FloatVector roundShort(FloatVector x) {
        return roundNearest(x);
    }

    /**
     * rd(a + b) where a and b are values of formats with p ≤ 11 (fp32 rounding is innocuous for
     * them, Figueroa 1995): under rne the float sum rounded once more is the exact sum rounded
     * once. Otherwise as {@link #add}.
     */
    FloatVector addNarrow(FloatVector a, FloatVector b) {
        return narrowArithmetic ? round(a.add(b)) : add(a, b);
    }

    /**
     * {@link #addNarrow} where a and b are each +0, positive, +inf or the canonical NaN (as every
     * rounding of this class returns): the step of Σ e_j. Under the short rne path the sum's
     * sign, −0, an infinite input and NaN need no handling (below), so a loop-carried chain of
     * these is several operations shorter than {@link #addNarrow}'s (measured: bf16's chain over
     * 32000 floats 0.4 against 0.8 ns per element). A rounding constructed with the operands'
     * format requires a and b to be values of it (see that constructor).
     */
    FloatVector addNonNegativeNarrow(FloatVector a, FloatVector b) {
        return nearestFast ? roundNonNegative(a.add(b)) : addNarrow(a, b);
    }

    /** rd(a − b) for operands of formats with p ≤ 11; see {@link #addNarrow}. */
    FloatVector subtractNarrow(FloatVector a, FloatVector b) {
        return narrowArithmetic ? round(a.sub(b)) : subtract(a, b);
    }

    /** rd(a / b) for operands of formats with p ≤ 11; see {@link #addNarrow}. */
    FloatVector divideNarrow(FloatVector a, FloatVector b) {
        return narrowArithmetic ? round(a.div(b)) : divide(a, b);
    }

    /**
     * rne without sat or ftz by bit tricks: normal magnitudes add half an ulp minus one plus the
     * kept lsb and truncate (a carry runs into the exponent as it should); the format's subnormal
     * range is rounded by adding and subtracting 2^(emin − m + 23), whose ulp is the format's
     * quantum there. bf16's subnormals are float's, so the first trick covers it all.
     */
    private FloatVector roundNearest(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        FloatVector magnitude = nearestOnGrid(bits.and(0x7FFF_FFFF)).reinterpretAsFloats();
        if (!bf16Like) {
            FloatVector absolute = x.abs();
            FloatVector subnormal = absolute.add(subnormalMagic).sub(subnormalMagic);
            magnitude = magnitude.blend(subnormal, absolute.compare(VectorOperators.LT, minNormal));
            // Also an infinite x: its bits pass the trick unchanged and compare above the
            // maximum, and infinityValue is overflowValue.
            magnitude = magnitude.blend(overflowValue, magnitude.compare(VectorOperators.GT, maxFinite));
        }
        IntVector signed = magnitude.reinterpretAsInts().or(bits.and(0x8000_0000));
        if (!hasNegativeZero) {
            signed = signed.blend(0, magnitude.reinterpretAsInts().compare(VectorOperators.EQ, 0));
        }
        FloatVector result = signed.reinterpretAsFloats();
        // The rounded value is NaN where overflow gives NaN, and the sign may have made it a
        // negative one. (Testing it only in formats whose overflow is NaN, with a mask assigned
        // in a branch, crashed JDK 17's C2; with two returns instead, online's loop boxed on
        // JDK 17: 1 MB per call.)
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN).or(magnitude.test(VectorOperators.IS_NAN));
        return result.blend(Float.NaN, nan);
    }

    /**
     * {@link #roundNearest} of x ≥ +0, +inf or the canonical NaN: the same bits (where
     * subnormalSumsExact, for x a sum of two operands of the constructor's format). A sum of such
     * operands is one of them (IEEE 754 returns an input NaN, and both are canonical). +inf and
     * the canonical NaN have no bits below any format's grid, so the bit trick leaves them as
     * they are; +inf then compares above the overflow threshold like any overflow, and without
     * sat overflow and infinity give the same value; NaN compares false and stays.
     */
    private FloatVector roundNonNegative(FloatVector x) {
        FloatVector result = nearestOnGrid(x.reinterpretAsInts()).reinterpretAsFloats();
        if (!bf16Like) {
            // Both masks test x, not the rounded value: they leave the loop-carried chain. An
            // exact sum below the least normal is left as it is by the bit trick (its bits below
            // the format's quantum are zero, and that quantum is no finer than the trick's).
            if (!subnormalSumsExact) {
                result = result.blend(x.add(subnormalMagic).sub(subnormalMagic), x.compare(VectorOperators.LT, minNormal));
            }
            result = result.blend(overflowValue, x.compare(VectorOperators.GE, overflowThreshold));
        }
        return result;
    }

    /**
     * {@link #round} of an x with no NaN lane, or whose NaN lanes are NaNs that an invalid
     * operation made from operands that are not NaN (the platform's default NaN: x86's
     * 0xFFC00000, ARM's 0x7FC00000; no bits below any format's grid), where
     * {@link #roundsNonNaNByBits}: the bit trick alone on the raw bits. For a float that is not a
     * NaN the carry of the trick runs through the magnitude, into the exponent and at most up to
     * infinity's encoding, never into the sign bit, so the sign needs no handling; ±0, ±inf and
     * such a NaN have no bits below the grid and keep their bits; overflow reaches ±inf as rne
     * does for these formats, and their subnormals are float's. Five integer operations where
     * {@link #roundNearest} takes twelve (its NaN tests guard NaNs whose payload reaches below
     * the grid, which the trick could turn into infinity or zero).
     */
    FloatVector roundNonNaN(FloatVector x) {
        return nearestOnGrid(x.reinterpretAsInts()).reinterpretAsFloats();
    }

    /**
     * Whether {@link #roundNonNaN} may be used: rne without sat or ftz to a format with float's
     * exponent field and p ≤ 11 (bf16, tf32, e8mY with Y ≤ 10).
     */
    boolean roundsNonNaNByBits() {
        return nearestFast && bf16Like;
    }

    /**
     * Round to nearest, ties to even, on float bits: half the grid's unit minus one plus the kept
     * lsb, then the bits below the grid cleared; a carry runs into the exponent as it should.
     */
    private IntVector nearestOnGrid(IntVector bits) {
        return bits.add((1 << (dropBits - 1)) - 1)
                .add(bits.lanewise(VectorOperators.LSHR, dropBits).and(1))
                .and(-(1 << dropBits));
    }

    /**
     * The midpoint above the format's maximum, or the float after it where rne takes that tie
     * down to an even maximum (e4m3's 448): the least float that rounds above the maximum. The
     * midpoint of a maximum within float's range, p ≤ 22, is itself a float.
     */
    private static float overflowThreshold(Format format) {
        double max = format.maxFinite();
        float midpoint = (float) (max + Math.scalb(1.0, Math.getExponent(max) - format.mantissaBits() - 1));
        boolean maxIsOdd = (Float.floatToRawIntBits((float) max) >>> (FLOAT_FRACTION_BITS - format.mantissaBits()) & 1) == 1;
        return maxIsOdd ? midpoint : Math.nextUp(midpoint);
    }

    /** rd(a + b). */
    FloatVector add(FloatVector a, FloatVector b) {
        FloatVector s = a.add(b);
        if (fp32) {
            return round(s);
        }
        // Fast2Sum on the operands ordered by magnitude: big + small == s + err exactly. (Knuth's
        // TwoSum needs no ordering, but its s − a can overflow next to float's max.)
        VectorMask<Float> swap = a.abs().compare(VectorOperators.LT, b.abs());
        FloatVector big = a.blend(b, swap);
        FloatVector small = b.blend(a, swap);
        FloatVector err = small.sub(s.sub(big));
        VectorMask<Float> overflowed = s.test(VectorOperators.IS_INFINITE)
                .andNot(a.test(VectorOperators.IS_INFINITE)).andNot(b.test(VectorOperators.IS_INFINITE));
        return roundBits(toOdd(s, err), overflowed);
    }

    /** rd(a − b). */
    FloatVector subtract(FloatVector a, FloatVector b) {
        return add(a, b.neg());
    }

    /** rd(a · b). */
    FloatVector multiply(FloatVector a, FloatVector b) {
        if (fp32) {
            return round(a.mul(b));
        }
        IntVector odd = a.reinterpretAsInts().broadcast(0);
        for (int part = 0; part < 2; part++) {
            DoubleVector da = (DoubleVector) a.convertShape(VectorOperators.F2D, VectorWidth.DOUBLES, part);
            DoubleVector db = (DoubleVector) b.convertShape(VectorOperators.F2D, VectorWidth.DOUBLES, part);
            // A product of two floats is exact in double.
            odd = odd.or(narrowToOdd(da.mul(db), part, a.species()).reinterpretAsInts());
        }
        return roundFromOdd(odd.reinterpretAsFloats(), a, b);
    }

    /** rd(a / b). */
    FloatVector divide(FloatVector a, FloatVector b) {
        if (fp32) {
            return round(a.div(b));
        }
        IntVector odd = a.reinterpretAsInts().broadcast(0);
        for (int part = 0; part < 2; part++) {
            DoubleVector da = (DoubleVector) a.convertShape(VectorOperators.F2D, VectorWidth.DOUBLES, part);
            DoubleVector db = (DoubleVector) b.convertShape(VectorOperators.F2D, VectorWidth.DOUBLES, part);
            DoubleVector q = da.div(db);
            // a / b == q + remainder / b exactly: the remainder's sign against b's says where
            // the exact quotient lies. A quotient of floats is a normal double: no underflow.
            DoubleVector remainder = q.neg().fma(db, da);
            DoubleVector direction = remainder.reinterpretAsLongs()
                    .lanewise(VectorOperators.XOR, db.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles()
                    .blend(0.0, remainder.test(VectorOperators.IS_FINITE).not());
            odd = odd.or(narrowToOdd(toOdd(q, direction), part, a.species()).reinterpretAsInts());
        }
        return roundFromOdd(odd.reinterpretAsFloats(), a, b);
    }

    /** rd of a value rounded to odd in float; a float overflow of finite operands is a finite overflow. */
    private FloatVector roundFromOdd(FloatVector odd, FloatVector a, FloatVector b) {
        VectorMask<Float> overflowed = odd.test(VectorOperators.IS_INFINITE)
                .andNot(a.test(VectorOperators.IS_INFINITE)).andNot(b.test(VectorOperators.IS_INFINITE))
                .andNot(b.compare(VectorOperators.EQ, 0));
        return roundBits(odd, overflowed);
    }

    /**
     * Double lanes (exact, or rounded to odd) narrowed to float by round-to-odd, in the float
     * lanes of {@code part}; the other lanes are +0.
     */
    private static FloatVector narrowToOdd(DoubleVector d, int part, VectorSpecies<Float> species) {
        // Rounding to odd at 53 and then at 24 bits is rounding to odd at 24 bits; narrowing by
        // rne and then making the float odd where the narrowing was inexact does the latter.
        FloatVector f = (FloatVector) d.convertShape(VectorOperators.D2F, species, -part);
        DoubleVector back = (DoubleVector) f.convertShape(VectorOperators.F2D, d.species(), part);
        // d − back is exact; only its sign is needed, and ±1 survives the narrowing.
        DoubleVector difference = d.sub(back);
        DoubleVector side = difference.reinterpretAsLongs().and(Long.MIN_VALUE).or(Double.doubleToRawLongBits(1.0))
                .reinterpretAsDoubles()
                .blend(0.0, difference.compare(VectorOperators.EQ, 0).or(difference.test(VectorOperators.IS_NAN)));
        return toOdd(f, (FloatVector) side.convertShape(VectorOperators.D2F, species, -part));
    }

    /** s made odd toward {@code err} where err is nonzero and s is even and finite. */
    private static FloatVector toOdd(FloatVector s, FloatVector err) {
        IntVector bits = s.reinterpretAsInts();
        VectorMask<Float> adjust = err.compare(VectorOperators.NE, 0)
                .and(s.test(VectorOperators.IS_FINITE))
                .and(bits.and(1).compare(VectorOperators.EQ, 0).cast(s.species()));
        // Raw bits + 1 moves away from zero for either sign: toward err when it has s's sign.
        IntVector step = bits.lanewise(VectorOperators.XOR, err.reinterpretAsInts())
                .lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.OR, 1);
        return bits.add(step, adjust.cast(bits.species())).reinterpretAsFloats();
    }

    private static DoubleVector toOdd(DoubleVector q, DoubleVector direction) {
        LongVector bits = q.reinterpretAsLongs();
        VectorMask<Double> adjust = direction.compare(VectorOperators.NE, 0)
                .and(q.test(VectorOperators.IS_FINITE))
                .and(bits.and(1L).compare(VectorOperators.EQ, 0).cast(q.species()));
        LongVector step = bits.lanewise(VectorOperators.XOR, direction.reinterpretAsLongs())
                .lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.OR, 1L);
        return bits.add(step, adjust.cast(bits.species())).reinterpretAsDoubles();
    }

    /**
     * Rounds float lanes, exact or rounded to odd; lanes in {@code finiteOverflow} hold an inf
     * that stands for a finite value beyond float's range.
     *
     * <p>One flat method on purpose: C2 stops inlining our own helpers once a compilation has
     * parsed about 18000 IR nodes (NodeCountInliningCutoff, not settable in product JVMs), and
     * every Vector API operation costs hundreds before it is intrinsified; a helper that is
     * not inlined boxes every vector passed to it. The Vector API's own methods are
     * force-inlined past that limit, so straight-line code here is safe where nested helpers
     * were not (docs/decisions.md, "SIMD kernel and the JIT").
     */
    private FloatVector roundBits(FloatVector x, VectorMask<Float> finiteOverflow) {
        VectorSpecies<Float> fs = x.species();
        IntVector bits = x.reinterpretAsInts();
        IntVector magnitudeBits = bits.and(0x7FFF_FFFF);
        VectorMask<Integer> negative = bits.compare(VectorOperators.LT, 0);
        // The grid below |x| on the encoding itself: k low bits of the magnitude's bits lie below
        // the format's quantum (dropBits for the format's normal numbers, more in its subnormal
        // range; float subnormals count as exponent field 1, which has the same quantum). Float
        // encodings of positive values are ordered like the values, so clearing those bits is
        // rounding toward zero, adding 1 << k is the next grid point (a carry into the exponent
        // field is right), and the discarded bits compare with half a unit as integers.
        IntVector exponentField = magnitudeBits.lanewise(VectorOperators.LSHR, FLOAT_FRACTION_BITS).max(1);
        IntVector k = exponentField.broadcast(belowGridTop).sub(exponentField).max(dropBits);
        IntVector unit = exponentField.broadcast(1).lanewise(VectorOperators.LSHL, k);
        IntVector down = magnitudeBits.and(unit.neg());
        IntVector up = down.add(unit);
        IntVector remainder = magnitudeBits.sub(down);
        IntVector half = unit.lanewise(VectorOperators.LSHR, 1);
        // The parity of the units is bit k, except at k = 23, where it is the implicit bit.
        VectorMask<Integer> odd = down.and(unit).compare(VectorOperators.NE, 0)
                .andNot(k.compare(VectorOperators.EQ, FLOAT_FRACTION_BITS))
                .or(k.compare(VectorOperators.EQ, FLOAT_FRACTION_BITS).and(magnitudeBits.compare(VectorOperators.GE, 0x80_0000)));
        // k ≥ 24: |x| is below the format's smallest subnormal q: the grid points around it are
        // 0 and q, and |x| against q/2 compares as encodings.
        VectorMask<Integer> belowSmallest = k.compare(VectorOperators.GT, FLOAT_FRACTION_BITS);
        down = down.blend(0, belowSmallest);
        up = up.blend(minSubnormalBits, belowSmallest);
        remainder = remainder.blend(magnitudeBits, belowSmallest);
        half = half.blend(halfMinSubnormalBits, belowSmallest);
        odd = odd.andNot(belowSmallest);
        VectorMask<Integer> inexact = remainder.compare(VectorOperators.NE, 0);
        VectorMask<Integer> roundsUp;
        switch (mode) {
            case RNE:
                roundsUp = remainder.compare(VectorOperators.GT, half).or(remainder.compare(VectorOperators.EQ, half).and(odd))
                        .and(inexact);
                break;
            case RNA:
                roundsUp = remainder.compare(VectorOperators.GE, half).and(inexact);
                break;
            case RTZ:
                roundsUp = inexact.andNot(inexact);
                break;
            case RUP:
                roundsUp = inexact.andNot(negative);
                break;
            case RDN:
                roundsUp = inexact.and(negative);
                break;
            case RTO:
                roundsUp = inexact.andNot(odd);
                break;
            default:
                throw new AssertionError(mode);
        }
        FloatVector magnitude = down.blend(up, roundsUp).reinterpretAsFloats();

        // ftz, overflow, infinities, NaN and the sign, as Rounding.finish does.
        if (flushToZero) {
            magnitude = magnitude.blend(0f, magnitude.compare(VectorOperators.LT, minNormal));
        }
        // Overflow of a finite value (beyond max, or beyond float's range).
        VectorMask<Float> special = magnitudeBits.compare(VectorOperators.GE, FLOAT_INFINITY_BITS).cast(fs);
        VectorMask<Float> overflow = magnitude.compare(VectorOperators.GT, maxFinite).andNot(special).or(finiteOverflow);
        // The modes that round toward zero for the value's sign give max, the others overflow.
        VectorMask<Float> negativeFloat = negative.cast(fs);
        VectorMask<Float> towardZero;
        switch (mode) {
            case RTZ:
            case RTO:
                towardZero = negativeFloat.or(negativeFloat.not());
                break;
            case RDN:
                towardZero = negativeFloat.not();
                break;
            case RUP:
                towardZero = negativeFloat;
                break;
            default:
                towardZero = negativeFloat.andNot(negativeFloat);
                break;
        }
        magnitude = magnitude.blend(overflowValue, overflow.andNot(towardZero));
        magnitude = magnitude.blend(overflowTowardZeroValue, overflow.and(towardZero));
        // Infinite input (not a finite overflow) and NaN input.
        VectorMask<Float> infinite = magnitudeBits.compare(VectorOperators.EQ, FLOAT_INFINITY_BITS).cast(fs).andNot(finiteOverflow);
        magnitude = magnitude.blend(infinityValue, infinite);
        VectorMask<Float> nan = magnitudeBits.compare(VectorOperators.GT, FLOAT_INFINITY_BITS).cast(fs).or(magnitude.test(VectorOperators.IS_NAN));
        IntVector signed = magnitude.reinterpretAsInts().lanewise(VectorOperators.OR, 0x8000_0000, negative);
        if (!hasNegativeZero) {
            signed = signed.blend(0, magnitude.compare(VectorOperators.EQ, 0).cast(bits.species()));
        }
        return signed.reinterpretAsFloats().blend(Float.NaN, nan);
    }

    @Override
    public String toString() {
        return format.name() + "/" + mode.key();
    }
}
