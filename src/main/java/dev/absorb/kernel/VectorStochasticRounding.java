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
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.absorb.kernel.Ieee754.DOUBLE_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.DOUBLE_FRACTION_BITS;
import static dev.absorb.kernel.Ieee754.FLOAT_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;
import static dev.absorb.kernel.Ieee754.FLOAT_INFINITY_BITS;

/**
 * {@code round=sr} and {@code round=srh} lane-wise: every result equals the scalar
 * {@link Rounding}'s bit for bit, given the same 32 random bits. srh takes sr's decision with u
 * = 0 where the top random bit is set (up iff inexact) and u = 2^32 where it is not (never up).
 *
 * <p>sr rounds up iff u·2^−32 is below the discarded fraction of the exact result, so the
 * decision needs the exact result, not one rounded to odd. Each operation's exact result is
 * hi + num/den in double lanes: a value is itself over 1, a sum or difference (x + b, or a
 * partial + x) the double sum and its TwoSum error over 1, formed in the loop; a quotient the
 * double quotient and its fma remainder over |b|, staged first into three double arrays by
 * {@link #stageQuotient}. One flat vector loop ({@link #run}) then takes the decision of
 * {@code Rounding.stochastic} with the same operations in the same order, given 32 random bits
 * per element drawn beforehand into an int array.
 *
 * <p>Why one loop: the decision is about 43 vector operations; written as helpers called from
 * each kernel loop, C2 stops inlining them part-way and boxes every vector (docs/decisions.md,
 * "SIMD kernel and the JIT"). One loop whose body is only Vector API operations compiles whole.
 */
final class VectorStochasticRounding {

    private static final VectorSpecies<Double> DOUBLES = VectorWidth.DOUBLES;
    private static final int LANES = DOUBLES.length();
    /** As many float and int lanes as DOUBLES has: conversions keep the lane count (part 0 only). */
    private static final VectorSpecies<Float> NARROW_FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> NARROW_INTS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, DOUBLES.vectorShape());
    /** The kernel's float lanes, and int lanes of the same shape: {@link #roundFloats} works on a float's bits. */
    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());

    /** emin + 1023: the biased double exponent of the format's least normal. */
    private final long minBiasedExponent;
    private final long mantissaBits;
    /** 2^(emin − mantissaBits): the format's grid spacing below 2^emin (Format.minSubnormal). */
    private final double minSubnormal;
    private final double maxFinite;
    private final double minNormal;
    private final double overflowValue;
    private final boolean flushToZero;
    private final boolean hasNegativeZero;
    /** srh: up iff inexact and the top random bit is set (as if u were 0), else never (u = 2^32). */
    private final boolean halfUp;
    /** Every float is a value of the format and no sat or ftz applies: a float rounds to itself. */
    private final boolean floatsAreValues;
    // roundFloats' constants: emin, and the float bits of the least subnormal, the least normal,
    // the largest finite value and the overflow value (every format here fits a float).
    private final int minExponent;
    private final int minSubnormalBits;
    private final int minNormalBits;
    private final int maxFiniteBits;
    private final int overflowBits;
    /** 23 − mantissaBits: the float bits below the format's quantum at and above its least normal. */
    private final int dropBits;
    /** The format's least normal is float's (bf16, tf32): k is 23 − mantissaBits for every float, subnormal floats included. */
    private final boolean floatsAllNormal;
    /** Every sum of a partial and an operand is a float (see {@link #sumsAreFloats}): {@link #shortSum} needs no TwoSum. */
    private final boolean exactSums;
    /** {@link #sumFloats}' partials as floats: a vector loads from and stores to arrays only. */
    private final float[] accumulator = new float[FLOATS.length()];
    /** The same partials in double for {@link #run}, which takes the chunks {@link #shortSum} leaves. */
    private final double[] exactAccumulator = new double[FLOATS.length()];

    VectorStochasticRounding(Rounding rounding) {
        this(rounding, null);
    }

    /**
     * A rounding whose {@link #sumFloats} adds values of {@code operands} (null: any floats) into
     * partials of the rounding's format: where every such sum is a float it needs no TwoSum.
     */
    VectorStochasticRounding(Rounding rounding, Format operands) {
        if (!supports(rounding)) {
            throw new IllegalArgumentException("no vector stochastic rounding to " + rounding);
        }
        Format format = rounding.format();
        this.minBiasedExponent = format.minExponent() + DOUBLE_EXPONENT_BIAS;
        this.mantissaBits = format.mantissaBits();
        this.minSubnormal = format.minSubnormal();
        this.maxFinite = format.maxFinite();
        this.minNormal = format.minNormal();
        boolean saturates = rounding.saturate() || format.specials() == Format.Specials.NONE;
        double noSaturation = format.hasInfinity() ? Double.POSITIVE_INFINITY : Double.NaN;
        // sr never rounds toward zero on overflow: beyond max (infinity included) is max with
        // sat, else inf or NaN.
        this.overflowValue = saturates ? maxFinite : noSaturation;
        this.flushToZero = rounding.flushToZero();
        this.hasNegativeZero = format.hasNegativeZero();
        this.halfUp = rounding.mode() == RoundingMode.SRH;
        this.minExponent = format.minExponent();
        this.minSubnormalBits = Float.floatToIntBits((float) minSubnormal);
        this.minNormalBits = Float.floatToIntBits((float) minNormal);
        this.maxFiniteBits = Float.floatToIntBits((float) maxFinite);
        this.overflowBits = Float.floatToIntBits((float) overflowValue);
        this.dropBits = FLOAT_FRACTION_BITS - format.mantissaBits();
        this.floatsAllNormal = format.minExponent() == -126;
        this.exactSums = operands != null && sumsAreFloats(format, operands);
        this.floatsAreValues = format.exponentBits() == 8 && format.mantissaBits() == FLOAT_FRACTION_BITS && format.bias() == FLOAT_EXPONENT_BIAS
                && format.specials() == Format.Specials.IEEE && !rounding.saturate() && !flushToZero;
    }

    /**
     * Whether every float rounds to itself (fp32 without sat or ftz): its discarded fraction is
     * 0, so sr and srh leave it, and rounding values that are floats may be skipped.
     */
    boolean leavesFloats() {
        return floatsAreValues;
    }

    static boolean supports(Rounding rounding) {
        return rounding.mode().isStochastic() && rounding.format().fitsFloat();
    }

    /** Stages a / b as {@code Rounding.divide} does under sr. */
    static void stageQuotient(double a, double b, double[] hi, double[] num, double[] den, int i) {
        double q = a / b;
        hi[i] = q;
        if (!Double.isFinite(q) || q == 0 || Double.isInfinite(b)) {
            num[i] = 0;
            den[i] = 1;
            return;
        }
        // a / b == q + remainder / b exactly; with b < 0 both signs flip so that den > 0.
        double remainder = Math.fma(-q, b, a);
        num[i] = b < 0 ? -remainder : remainder;
        den[i] = Math.abs(b);
    }

    /**
     * out[outOffset + i] = sr(hi[i] + num[i]/den[i]) with the random bits bits[i], for i &lt; n
     * (n a multiple of {@link #lanes()}), as {@code Rounding.stochastic} and
     * {@code Rounding.round} decide it.
     */
    void round(double[] hi, double[] num, double[] den, int[] bits, int n, float[] out, int outOffset) {
        run(Operands.STAGED, hi, num, den, null, 0, n, 0, bits, 0, null, 0, out, outOffset);
    }

    /**
     * out[outOffset + k] = sr(x[from + k]) for k &lt; to − from (a multiple of {@link #floatLanes()}),
     * with the random bits bits[first + k], as {@code Rounding.round} decides it (see
     * {@link #floatLoop}).
     */
    void roundFloats(float[] x, int from, int to, int[] bits, int first, float[] out, int outOffset) {
        if (dropBits > 0 && (floatsAllNormal || normalOrZero(x, from, to))) {
            normalValues(x, from, to, bits, first - from, out, outOffset - from);
        } else {
            floatLoop(x, from, to, bits, first - from, out, outOffset - from);
        }
    }

    /**
     * Whether every x_j in [from, to) (a multiple of {@link #floatLanes()}) is ±0, NaN, ±inf or
     * of magnitude at least the format's least normal: where {@link #normalValues} rounds it.
     */
    private boolean normalOrZero(float[] x, int from, int to) {
        // 0 < |x| < the least normal as one unsigned compare of |x|'s bits − 1; lanes OR-ed in a
        // vector, where a mask carried by the loop would box on JDK 17.
        IntVector zero = IntVector.zero(INTS);
        IntVector subnormal = zero;
        for (int i = from; i < to; i += FLOATS.length()) {
            IntVector below = FloatVector.fromArray(FLOATS, x, i).reinterpretAsInts().and(Integer.MAX_VALUE)
                    .add(Integer.MIN_VALUE - 1);
            subnormal = subnormal.or(zero.blend(1, below.compare(VectorOperators.LT, Integer.MIN_VALUE - 1 + minNormalBits)));
        }
        return subnormal.reduceLanes(VectorOperators.OR) == 0;
    }

    /**
     * {@link #roundFloats} where every x is ±0, NaN, ±inf or of magnitude at least the format's
     * least normal, or the format's least normal is float's (bf16, whose subnormals are float's):
     * there k = 23 − mantissaBits in every lane (a zero's fraction is 0 whatever k), so
     * F·2^(32 − k) is |x|'s bits shifted left by 32 − k and the grid points below and above are
     * those bits with k cleared and that plus 2^k. About half the operations of {@link #floatLoop}.
     */
    private void normalValues(float[] x, int from, int to, int[] bits, int bitsOffset, float[] out, int outOffset) {
        for (int i = from; i < to; i += FLOATS.length()) {
            IntVector xBits = FloatVector.fromArray(FLOATS, x, i).reinterpretAsInts();
            IntVector a = xBits.and(Integer.MAX_VALUE);
            IntVector threshold = a.lanewise(VectorOperators.LSHL, 32 - dropBits);
            IntVector down = a.and(-(1 << dropBits));
            IntVector u = IntVector.fromArray(INTS, bits, bitsOffset + i);
            VectorMask<Integer> roundsUp = halfUp
                    ? u.compare(VectorOperators.LT, 0).and(threshold.compare(VectorOperators.NE, 0))
                    : u.lanewise(VectorOperators.XOR, Integer.MIN_VALUE)
                            .compare(VectorOperators.LT, threshold.lanewise(VectorOperators.XOR, Integer.MIN_VALUE));
            IntVector magnitude = down.blend(down.add(1 << dropBits), roundsUp);
            if (flushToZero) {
                magnitude = magnitude.blend(0, magnitude.compare(VectorOperators.LT, minNormalBits)); // bf16's subnormals
            }
            magnitude = magnitude.blend(overflowBits, magnitude.compare(VectorOperators.GT, maxFiniteBits));
            IntVector signed = magnitude.or(xBits.and(Integer.MIN_VALUE));
            if (!hasNegativeZero) {
                signed = signed.blend(0, magnitude.compare(VectorOperators.EQ, 0));
            }
            signed = signed.blend(Float.floatToIntBits(Float.NaN), a.compare(VectorOperators.GT, FLOAT_INFINITY_BITS));
            ((FloatVector) signed.reinterpretShape(FLOATS, 0)).intoArray(out, outOffset + i);
        }
    }

    /**
     * The sum under sr of x[from, to) (values ≥ +0 or NaN) into W = {@code lanes} partials, as
     * {@link #sum} does it, for a format with fewer than 23 mantissa bits: chunk by chunk in the
     * kernel's float lanes, each accumulator's partials (a vector's width) one chain carried in a register
     * ({@link #shortSum}), where {@link #sum} runs two chains of double lanes through the partials
     * array; a chunk the short decision cannot take runs through {@link #run}'s exact sums. (to −
     * from), first and W are multiples of {@link #floatLanes()}, W a power of two.
     */
    void sumFloats(float[] x, int from, int to, int[] bits, int first, double[] partials, int lanes) {
        int width = FLOATS.length();
        for (int a = 0; a < lanes; a += width) {
            for (int l = 0; l < width; l++) {
                accumulator[l] = (float) partials[a + l]; // exact: a partial is a value of the format
            }
            // The chunks whose first element goes to partial a: index first + i − from ≡ a (mod W).
            int i = from + Math.floorMod(a - first, lanes);
            while (i < to) {
                i = shortSum(x, i, to, lanes, bits, first - from);
                if (i < to) {
                    for (int l = 0; l < width; l++) {
                        exactAccumulator[l] = accumulator[l];
                    }
                    run(Operands.PARTIALS_PLUS_X, null, null, null, x, i, i + width, 0, bits, first + i - from,
                            exactAccumulator, width, null, 0);
                    for (int l = 0; l < width; l++) {
                        accumulator[l] = (float) exactAccumulator[l];
                    }
                    i += lanes;
                }
            }
            for (int l = 0; l < width; l++) {
                partials[a + l] = accumulator[l];
            }
        }
    }

    /**
     * Whether {@link #sumFloats} runs sums into this format: k = 23 − mantissaBits ≥ 1 bits of a
     * float lie below its quantum at and above its least normal (not fp32).
     */
    boolean sumsInFloats() {
        return dropBits > 0;
    }

    /**
     * The chunks at from, from + stride, … below to added into the partials held in
     * {@code accumulator}, up to the first chunk whose sums the short decision may get wrong;
     * returns that chunk's position (or one at or past to), with the partials before it back in
     * {@code accumulator}.
     *
     * <p>The short decision rounds the float sum s = fl(p + x) as {@link #normalValues} rounds a
     * value (k = 23 − mantissaBits, the threshold T = s's bits shifted left by 32 − k). It is sr
     * of the exact p + x except where
     * <ul>
     * <li>0 &lt; s &lt; the format's least normal, where k is larger; where the least normal is
     *     float's (bf16, tf32) k is not, and such sums stay unless ftz would flush them;
     * <li>p + x is not a float (its TwoSum error is not 0; never where {@link #sumsAreFloats})
     *     and, under sr, u is within 2^(31 − k) of T: the exact value lies within half a float ulp
     *     of s, i.e. its threshold within 2^(31 − k) of T (also where it lies below a grid point
     *     s, and the grid point below is the one under s), so elsewhere u decides alike; under
     *     srh, s is a grid point (T = 0), where the exact value is inexact and s is not. A sum
     *     that overflows float (s = +inf, T = 0, the error −inf) is doubted where u would take
     *     the exact value down to the maximum.
     * </ul>
     * Such a chunk leaves the loop; the chain is the sum, the shift, the compare and three blends,
     * and the tests for leaving run beside it.
     */
    private int shortSum(float[] x, int from, int to, int stride, int[] bits, int bitsOffset) {
        // The partials' bits carried: a FloatVector made by reinterpretShape and carried boxed on JDK 17.
        IntVector sumBits = FloatVector.fromArray(FLOATS, accumulator, 0).reinterpretAsInts();
        IntVector zero = IntVector.zero(INTS);
        int i = from;
        for (; i < to; i += stride) {
            FloatVector sum = sumBits.reinterpretAsFloats();
            FloatVector e = FloatVector.fromArray(FLOATS, x, i);
            FloatVector s = sum.add(e);
            IntVector a = s.reinterpretAsInts();
            IntVector threshold = a.lanewise(VectorOperators.LSHL, 32 - dropBits);
            IntVector u = IntVector.fromArray(INTS, bits, bitsOffset + i);
            // Lanes the short decision may get wrong, as 1s in int lanes (a mask merged from
            // branches crashed JDK 17's C2).
            IntVector doubtful = zero;
            if (!floatsAllNormal || flushToZero) {
                doubtful = doubtful.or(zero.blend(1, a.add(Integer.MIN_VALUE - 1)
                        .compare(VectorOperators.LT, Integer.MIN_VALUE - 1 + minNormalBits)));
            }
            if (!exactSums) {
                // Fast2Sum on non-negative operands: the larger one first.
                FloatVector error = sum.min(e).sub(s.sub(sum.max(e)));
                VectorMask<Integer> near = halfUp
                        ? threshold.compare(VectorOperators.EQ, 0)
                        : u.sub(threshold).add(1 << (31 - dropBits)).lanewise(VectorOperators.XOR, Integer.MIN_VALUE)
                                .compare(VectorOperators.LT, (1 << (32 - dropBits)) ^ Integer.MIN_VALUE);
                doubtful = doubtful.or(zero.blend(1, near.and(error.reinterpretAsInts().compare(VectorOperators.NE, 0))));
            }
            if (doubtful.compare(VectorOperators.NE, 0).anyTrue()) {
                break;
            }
            IntVector down = a.and(-(1 << dropBits));
            VectorMask<Integer> roundsUp = halfUp
                    ? u.compare(VectorOperators.LT, 0).and(threshold.compare(VectorOperators.NE, 0))
                    : u.lanewise(VectorOperators.XOR, Integer.MIN_VALUE)
                            .compare(VectorOperators.LT, threshold.lanewise(VectorOperators.XOR, Integer.MIN_VALUE));
            IntVector magnitude = down.blend(down.add(1 << dropBits), roundsUp);
            magnitude = magnitude.blend(overflowBits, magnitude.compare(VectorOperators.GT, maxFiniteBits));
            // NaN by |s|'s bits: x86 returns an operand NaN as it is, a negative one too.
            sumBits = magnitude.blend(Float.floatToIntBits(Float.NaN), a.and(Integer.MAX_VALUE).compare(VectorOperators.GT, FLOAT_INFINITY_BITS));
        }
        ((FloatVector) sumBits.reinterpretShape(FLOATS, 0)).intoArray(accumulator, 0);
        return i;
    }

    /**
     * Whether every sum of a value of {@code a} and a value of {@code b} is a float: both grids
     * are whole multiples of the finer least subnormal, and the sum of the maxima is within 2^24
     * of it (e4m3 and the other 8-bit formats with 4 exponent bits or fewer; not bf16, fp16 or e5m2).
     */
    private static boolean sumsAreFloats(Format a, Format b) {
        double quantum = Math.min(a.minSubnormal(), b.minSubnormal());
        return a.fitsFloat() && b.fitsFloat() && a.maxFinite() + b.maxFinite() <= 0x1p24 * quantum;
    }

    /**
     * {@link #roundFloats} for any floats: out[outOffset + i] for the chunk at i, with the random
     * bits at bits[bitsOffset + i]. One loop with the decision written out once, as {@link #run}:
     * a helper called in it is cut by C2's node count and boxes.
     *
     * <p>A float x is M·2^(E′ − 150) with M its significand as an integer (the hidden bit set
     * for normal floats), E its biased exponent and E′ = max(E, 1). The format's quantum is
     * 2^(max(E − 127, emin) − mantissaBits), 2^k float units: the discarded fraction is F / 2^k
     * with F the low k bits of M, exactly. Where k ≤ 23 (|x| at or above the least subnormal)
     * the grid point below is x's bits with those k bits cleared and the one above that plus 2^k
     * (a carry into the exponent moves to the next binade, as it should); where k &gt; 23 (below the
     * least subnormal) they are 0 and the least subnormal, and F is all of M. sr rounds up iff
     * u·2^−32 &lt; F/2^k, i.e. iff the integer u is below ⌈F·2^(32 − k)⌉: F shifted left by 32 − k
     * where k ≤ 32, ((F − 1) &gt;&gt;&gt; (k − 32)) + 1 beyond (F ≥ 1); compared unsigned.
     */
    private void floatLoop(float[] x, int from, int to, int[] bits, int bitsOffset, float[] out, int outOffset) {
        for (int i = from; i < to; i += FLOATS.length()) {
            IntVector xBits = FloatVector.fromArray(FLOATS, x, i).reinterpretAsInts();
            IntVector sign = xBits.and(Integer.MIN_VALUE);
            IntVector a = xBits.and(Integer.MAX_VALUE);
            IntVector biased = a.lanewise(VectorOperators.LSHR, FLOAT_FRACTION_BITS);
            IntVector quantumExponent = biased.sub(FLOAT_EXPONENT_BIAS).max(minExponent).sub((int) mantissaBits);
            IntVector k = quantumExponent.sub(biased.max(1).sub(150));
            VectorMask<Integer> tiny = k.compare(VectorOperators.GT, FLOAT_FRACTION_BITS);
            IntVector significand = a.and(0x7FFFFF).or(a.broadcast(0x800000).blend(0, biased.compare(VectorOperators.EQ, 0)));
            // 2^min(k, 24) − 1 covers all of M where k > 23 (shift counts are taken modulo 32).
            IntVector unit = a.broadcast(1).lanewise(VectorOperators.LSHL, k.min(24));
            IntVector fraction = significand.and(unit.sub(1));
            IntVector down = a.and(unit.sub(1).not()).blend(0, tiny);
            IntVector up = down.add(unit).blend(minSubnormalBits, tiny);
            // ⌈F·2^(32 − k)⌉: a count of 32 (k = 0, F = 0) shifts by 0, which leaves F = 0.
            IntVector threshold = fraction.lanewise(VectorOperators.LSHL, a.broadcast(32).sub(k))
                    .blend(fraction.sub(1).lanewise(VectorOperators.LSHR, k.sub(32).min(31)).add(1), k.compare(VectorOperators.GT, 32));
            IntVector u = IntVector.fromArray(INTS, bits, bitsOffset + i);
            VectorMask<Integer> roundsUp = halfUp
                    ? u.compare(VectorOperators.LT, 0)
                    : u.lanewise(VectorOperators.XOR, Integer.MIN_VALUE)
                            .compare(VectorOperators.LT, threshold.lanewise(VectorOperators.XOR, Integer.MIN_VALUE));
            IntVector magnitude = down.blend(up, roundsUp.and(fraction.compare(VectorOperators.NE, 0)));
            // ftz, overflow (an infinite x too: its fraction is 0 and down is +inf), the sign and
            // NaN, as Rounding.finish and round; positive floats order as their bits do.
            if (flushToZero) {
                magnitude = magnitude.blend(0, magnitude.compare(VectorOperators.LT, minNormalBits));
            }
            magnitude = magnitude.blend(overflowBits, magnitude.compare(VectorOperators.GT, maxFiniteBits));
            IntVector signed = magnitude.or(sign);
            if (!hasNegativeZero) {
                signed = signed.blend(0, magnitude.compare(VectorOperators.EQ, 0));
            }
            signed = signed.blend(Float.floatToIntBits(Float.NaN), a.compare(VectorOperators.GT, FLOAT_INFINITY_BITS));
            // reinterpretShape names the species: after reinterpretAsFloats, JDK 17 does not know the
            // vector's class where the double loops' 4-lane stores share the profile, and boxes.
            ((FloatVector) signed.reinterpretShape(FLOATS, 0)).intoArray(out, outOffset + i);
        }
    }

    /**
     * Whether x_j − b is a float for every j in [from, to) (a multiple of {@link #floatLanes()}):
     * the float difference's TwoSum error is ±0 in every lane (a NaN or an overflow answers false).
     * Then sr of the exact difference is {@link #roundFloats} of the float one, as
     * {@code Rounding.add} with a zero error is {@code Rounding.round}.
     */
    static boolean differencesAreFloats(float[] x, int from, int to, float b) {
        FloatVector minusB = FloatVector.broadcast(FLOATS, -b);
        // The error's bits, sign cleared, OR-ed: a vector, where a mask carried by the loop would box on JDK 17.
        IntVector errorBits = IntVector.zero(INTS);
        for (int j = from; j < to; j += FLOATS.length()) {
            FloatVector a = FloatVector.fromArray(FLOATS, x, j);
            FloatVector s = a.add(minusB);
            // Knuth's TwoSum in float (do not simplify).
            FloatVector bVirtual = s.sub(a);
            FloatVector aVirtual = s.sub(bVirtual);
            FloatVector error = a.sub(aVirtual).add(minusB.sub(bVirtual));
            errorBits = errorBits.or(error.reinterpretAsInts().and(Integer.MAX_VALUE));
        }
        return errorBits.reduceLanes(VectorOperators.OR) == 0;
    }

    /** The step of {@link #roundFloats}: the kernel's float lanes. */
    static int floatLanes() {
        return FLOATS.length();
    }

    /**
     * out[outOffset + k] = sr(x[from + k] + b) for k &lt; to − from (a multiple of
     * {@link #lanes()}), with the random bits bits[first + k], as {@code Rounding.add} decides
     * it (with b = −m a difference).
     */
    void shift(float[] x, int from, int to, float b, int[] bits, int first, float[] out, int outOffset) {
        run(Operands.X_PLUS_B, null, null, null, x, from, to, b, bits, first, null, 0, out, outOffset);
    }

    /**
     * The sum under sr of x[from, to) into W = {@code lanes} partials, each step rounded:
     * element first + k (position from + k) goes to partial (first + k) mod W, in index order,
     * with the random bits bits[first + k]; the partials' values are exact in double. (to −
     * from), first and W are multiples of {@link #lanes()}, W a power of two. Each step is
     * sr(p + x) with p + x = s + err by TwoSum, as {@code Rounding.add} decides it; the W /
     * {@link #lanes()} chains are independent.
     */
    void sum(float[] x, int from, int to, int[] bits, int first, double[] partials, int lanes) {
        run(Operands.PARTIALS_PLUS_X, null, null, null, x, from, to, 0, bits, first, partials, lanes, null, 0);
    }

    /** Where the loop's exact operands come from. */
    private enum Operands {
        /** hi + num/den from the staged arrays; results to out. */
        STAGED,
        /** x + b, the sum's error by TwoSum; results to out. */
        X_PLUS_B,
        /** partial + x, the partial carried from the previous step; results back to the partials. */
        PARTIALS_PLUS_X
    }

    /**
     * The loop of {@link #round}, {@link #shift} and {@link #sum}. One loop with the decision
     * written out once: C2 inlines no call of ours after the Vector API has grown the loop's
     * graph past its node cutoff, and a call left out of line boxes every vector (a decision
     * split into helpers allocated 7 MB per sum of 32000 elements).
     */
    private void run(Operands operands, double[] hi, double[] num, double[] den, float[] x, int from, int to, float b,
                     int[] bits, int first, double[] partials, int lanes, float[] out, int outOffset) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        DoubleVector shift = DoubleVector.broadcast(DOUBLES, b);
        for (int i = from; i < to; i += LANES) {
            int index = first + i - from;
            int partial = index & (lanes - 1);
            DoubleVector h;
            DoubleVector n;
            DoubleVector d;
            if (operands == Operands.STAGED) {
                h = DoubleVector.fromArray(DOUBLES, hi, i);
                n = DoubleVector.fromArray(DOUBLES, num, i);
                d = DoubleVector.fromArray(DOUBLES, den, i);
            } else {
                DoubleVector p = operands == Operands.PARTIALS_PLUS_X ? DoubleVector.fromArray(DOUBLES, partials, partial) : shift;
                DoubleVector e = (DoubleVector) FloatVector.fromArray(NARROW_FLOATS, x, i)
                        .convertShape(VectorOperators.F2D, DOUBLES, 0);
                h = p.add(e);
                // Knuth's TwoSum: p + e == h + n exactly (do not simplify). Where h is infinite
                // or NaN, n is NaN and so is the decision, but the blends of an infinite and a
                // NaN h below replace it (the scalar sets n to 0 there instead: the same result).
                DoubleVector eVirtual = h.sub(p);
                DoubleVector pVirtual = h.sub(eVirtual);
                n = p.sub(pVirtual).add(e.sub(eVirtual));
                d = one;
            }
            DoubleVector signedBits = (DoubleVector) IntVector.fromArray(NARROW_INTS, bits, index)
                    .convertShape(VectorOperators.I2D, DOUBLES, 0);
            VectorMask<Double> topBit = signedBits.compare(VectorOperators.LT, 0);
            DoubleVector u = halfUp
                    ? signedBits.broadcast(0x1p32).blend(0.0, topBit)
                    : signedBits.blend(signedBits.add(0x1p32), topBit);
            LongVector sign = h.reinterpretAsLongs().and(Long.MIN_VALUE);
            DoubleVector a = h.abs();
            DoubleVector low = n.reinterpretAsLongs().lanewise(VectorOperators.XOR, sign).reinterpretAsDoubles(); // |exact| = a + low/d
            // The grid point at or below |exact|: grid points are doubles, and |exact| lies
            // strictly between nextDown(a) and a when low < 0 (a > 0 then: bits minus one).
            LongVector aBits = a.reinterpretAsLongs();
            LongVector belowBits = aBits.blend(aBits.sub(1L), low.compare(VectorOperators.LT, 0).cast(LONGS));
            DoubleVector below = belowBits.reinterpretAsDoubles();
            // The grid below 2^emin is that of [2^emin, 2^(emin+1)): the quantum is 2^(max(e, emin) −
            // mantissaBits) and down is below with its bits under the quantum cleared, 52 −
            // mantissaBits of them plus emin − e more below 2^emin (below ≥ 0: its top bits are the
            // biased exponent). An infinite a gives down = +inf, a NaN a (quiet: bit 51 set) NaN.
            LongVector biased = belowBits.lanewise(VectorOperators.LSHR, DOUBLE_FRACTION_BITS);
            LongVector subnormalShift = biased.broadcast(minBiasedExponent).sub(biased);
            // max(·, 0) as compare and blend: LongVector.max is not intrinsified on AVX2.
            subnormalShift = subnormalShift.blend(0L, subnormalShift.compare(VectorOperators.LT, 0L));
            LongVector quantumBits = biased.add(subnormalShift).sub(mantissaBits).lanewise(VectorOperators.LSHL, DOUBLE_FRACTION_BITS);
            DoubleVector quantum = quantumBits.reinterpretAsDoubles();
            LongVector cleared = belowBits.broadcast(-1L).lanewise(VectorOperators.LSHL, subnormalShift.add(DOUBLE_FRACTION_BITS - mantissaBits));
            // Below the least subnormal the count passes 52 (the mask reaches the exponent; counts
            // are taken modulo 64): down is 0 there.
            DoubleVector down = belowBits.and(cleared).reinterpretAsDoubles()
                    .blend(0.0, below.compare(VectorOperators.LT, minSubnormal));
            // Up iff u·2^−32 < (|exact| − down)/quantum, i.e. iff (down − a) + u·2^−32·quantum <
            // low/d. down − a is exact, u·2^−32·quantum too (a power of two times u), and so is
            // their sum, which fma forms; then the sign of threshold·d − low, or with d = 1 a compare.
            // With low = 0 this is the decision of rounding a value alone (up iff u·2^−32 < fraction).
            DoubleVector threshold = u.fma(quantumBits.sub(32L << DOUBLE_FRACTION_BITS).reinterpretAsDoubles(), down.sub(a));
            VectorMask<Double> up = operands == Operands.STAGED
                    ? threshold.fma(d, low.neg()).compare(VectorOperators.LT, 0)
                    : threshold.compare(VectorOperators.LT, low);
            DoubleVector magnitude = down.blend(down.add(quantum), up);
            // ftz, overflow (an infinite a too: down is +inf and the threshold NaN), NaN input and
            // the sign, as Rounding.finish and round.
            if (flushToZero) {
                magnitude = magnitude.blend(0.0, magnitude.compare(VectorOperators.LT, minNormal));
            }
            magnitude = magnitude.blend(overflowValue, magnitude.compare(VectorOperators.GT, maxFinite));
            DoubleVector signed = magnitude.reinterpretAsLongs().or(sign).reinterpretAsDoubles();
            if (!hasNegativeZero) {
                signed = signed.blend(0.0, magnitude.compare(VectorOperators.EQ, 0));
            }
            signed = signed.blend(Double.NaN, h.test(VectorOperators.IS_NAN));
            if (operands == Operands.PARTIALS_PLUS_X) {
                signed.intoArray(partials, partial);
            } else {
                ((FloatVector) signed.convertShape(VectorOperators.D2F, NARROW_FLOATS, 0)).intoArray(out, outOffset + i - from);
            }
        }
    }

    /** The step of {@link #round}: staged counts are padded to a multiple of it. */
    static int lanes() {
        return LANES;
    }
}
