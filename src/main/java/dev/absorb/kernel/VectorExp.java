package dev.absorb.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.absorb.kernel.ExpPoly.C2;
import static dev.absorb.kernel.ExpPoly.C3;
import static dev.absorb.kernel.ExpPoly.C4;
import static dev.absorb.kernel.ExpPoly.C5;
import static dev.absorb.kernel.ExpPoly.C6;
import static dev.absorb.kernel.ExpPoly.C7;
import static dev.absorb.kernel.ExpPoly.F10;
import static dev.absorb.kernel.ExpPoly.F11;
import static dev.absorb.kernel.ExpPoly.F12;
import static dev.absorb.kernel.ExpPoly.F13;
import static dev.absorb.kernel.ExpPoly.F2;
import static dev.absorb.kernel.ExpPoly.F3;
import static dev.absorb.kernel.ExpPoly.F4;
import static dev.absorb.kernel.ExpPoly.F5;
import static dev.absorb.kernel.ExpPoly.F6;
import static dev.absorb.kernel.ExpPoly.F7;
import static dev.absorb.kernel.ExpPoly.F8;
import static dev.absorb.kernel.ExpPoly.F9;
import static dev.absorb.kernel.ExpPoly.LN2_HI;
import static dev.absorb.kernel.ExpPoly.LN2_HI_F;
import static dev.absorb.kernel.ExpPoly.LN2_LO;
import static dev.absorb.kernel.ExpPoly.LN2_LO_F;
import static dev.absorb.kernel.ExpPoly.LOG2E;
import static dev.absorb.kernel.ExpPoly.LOG2E_F;
import static dev.absorb.kernel.ExpPoly.MAGIC;
import static dev.absorb.kernel.ExpPoly.MAGIC_F;
import static dev.absorb.kernel.ExpPoly.MAX_ARGUMENT;
import static dev.absorb.kernel.ExpPoly.MAX_ARGUMENT_F;
import static dev.absorb.kernel.ExpPoly.MIN_ARGUMENT;
import static dev.absorb.kernel.ExpPoly.MIN_ARGUMENT_F;
import static dev.absorb.kernel.Ieee754.DOUBLE_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.DOUBLE_FRACTION_BITS;
import static dev.absorb.kernel.Ieee754.FLOAT_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * {@link ExpPoly} lane-wise: the same operations in the same order (min, max, mul, add, fma and
 * exponent-field construction, all exactly defined), so every lane equals the scalar
 * {@code ExpPoly.exp} of its input bit for bit, on every JVM and CPU.
 *
 * <p>The only step written differently is n → int: the scalar casts the integral float n; here n
 * + MAGIC holds n in its low mantissa bits, so its bits minus MAGIC's bits are n, with integer
 * lanes only (no F2I conversion, which JDK 17 compiles badly). For a NaN input that integer is
 * garbage, but the polynomial is NaN already and NaN times anything is NaN, as in the scalar.
 * {@link #expModerate} also scales differently (one multiply), where that gives the same bits.
 */
final class VectorExp {

    private static final int MAGIC_F_BITS = Float.floatToRawIntBits(MAGIC_F);
    /** |x| ≤ 87 puts n = rint(x · log2 e) in [−126, 126]: see expModerate. */
    private static final float MODERATE = 87f;
    private static final int MODERATE_BITS = Float.floatToRawIntBits(MODERATE);
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, VectorWidth.FLOATS.vectorShape());
    private static final int SCALE_OFFSET = (FLOAT_EXPONENT_BIAS - MAGIC_F_BITS) << FLOAT_FRACTION_BITS;
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);

    private VectorExp() {
    }

    /** The recipe's exp: this polynomial, SLEEF's expf_u10, or the Vector API's EXP (platform-dependent). */
    static FloatVector exp(FloatVector x, Recipe.Exp kind) {
        switch (kind) {
            case POLY: return exp(x);
            case SLEEF: return SleefExp.exp(x);
            case JDK: return x.lanewise(VectorOperators.EXP);
            default: throw new IllegalArgumentException("no vector exp=" + kind);
        }
    }

    static FloatVector exp(FloatVector x) {
        // The clamp as compare and blend: the same result as Math.max/min for every input (NaN
        // compares false and stays), and cheaper than the Vector API's MAX/MIN, which must
        // also order −0 below +0.
        FloatVector xc = x.blend(MIN_ARGUMENT_F, x.compare(VectorOperators.LT, MIN_ARGUMENT_F));
        xc = xc.blend(MAX_ARGUMENT_F, xc.compare(VectorOperators.GT, MAX_ARGUMENT_F));
        FloatVector shifted = xc.mul(LOG2E_F).add(MAGIC_F);
        FloatVector p = polynomial(shifted, xc);
        IntVector ni = shifted.reinterpretAsInts().sub(MAGIC_F_BITS);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        return p.mul(powerOfTwo(half)).mul(powerOfTwo(ni.sub(half)));
    }

    /**
     * e^r for the reduced argument of x (already clamped): n = (x · log2 e + MAGIC) − MAGIC from
     * {@code shifted}, r = x − n · ln 2 in two fma steps, then ExpPoly's Horner steps. Both exps
     * scale the result by 2^n in their own way.
     */
    private static FloatVector polynomial(FloatVector shifted, FloatVector x) {
        FloatVector n = shifted.sub(MAGIC_F);
        FloatVector r = n.fma(n.broadcast(-LN2_HI_F), x);
        r = n.fma(n.broadcast(-LN2_LO_F), r);
        FloatVector p = r.fma(C7, C6);
        p = p.fma(r, r.broadcast(C5));
        p = p.fma(r, r.broadcast(C4));
        p = p.fma(r, r.broadcast(C3));
        p = p.fma(r, r.broadcast(C2));
        FloatVector one = r.broadcast(1f);
        p = p.fma(r, one);
        p = p.fma(r, one);
        return p;
    }

    /**
     * Whether {@link #expModerate} may stand for {@link #exp(FloatVector)} on inputs in [lo, hi]
     * (false if either is NaN).
     */
    static boolean moderate(float lo, float hi) {
        return lo >= -MODERATE && hi <= MODERATE;
    }

    /**
     * Whether every element of x[from, to) is in [−87, 87]: the bits of |x| as integers (ordered
     * like the values), their maximum by exact integer lanes. A NaN's bits lie above every
     * number's, so a NaN answers false and its loop takes the general exp (also right for it).
     * (to − from) is a multiple of the width. Four maxima, taken in turns: one ran at the
     * latency of its chain (bf16 at C = 32000: 0.070 against 0.027 ns per element, harness).
     */
    static boolean moderate(float[] x, int from, int to) {
        int width = INTS.length();
        IntVector a = IntVector.zero(INTS);
        IntVector b = a;
        IntVector c = a;
        IntVector d = a;
        int j = from;
        for (; j + 4 * width <= to; j += 4 * width) {
            a = a.max(magnitudeBits(x, j));
            b = b.max(magnitudeBits(x, j + width));
            c = c.max(magnitudeBits(x, j + 2 * width));
            d = d.max(magnitudeBits(x, j + 3 * width));
        }
        for (; j < to; j += width) {
            a = a.max(magnitudeBits(x, j));
        }
        return a.max(b).max(c).max(d).reduceLanes(VectorOperators.MAX) <= MODERATE_BITS;
    }

    /** The bits of |x[j]|, |x[j + 1]|, … as integers. */
    private static IntVector magnitudeBits(float[] x, int j) {
        return FloatVector.fromArray(VectorWidth.FLOATS, x, j).reinterpretAsInts().and(0x7FFF_FFFF);
    }

    /**
     * exp(x), bit for bit, where every lane of x is in [−87, 87] or NaN. There the clamps are
     * identities and n is in [−126, 126], so 2^n is a normal float and p · 2^n in one multiply is
     * the same correctly rounded product as the general path's two multiplies (whose first is
     * exact). 2^n's bits come from n + MAGIC's bits by a shift and an add (mod 2^32):
     * (b − MAGIC + 127) << 23. A NaN lane gives NaN (p is NaN). Half the operations of the
     * general path's clamps and scaling; the kernels take it when a bound on their inputs allows.
     */
    static FloatVector expModerate(FloatVector x) {
        FloatVector shifted = x.mul(LOG2E_F).add(MAGIC_F);
        FloatVector p = polynomial(shifted, x);
        FloatVector scale = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, FLOAT_FRACTION_BITS)
                .add(SCALE_OFFSET).reinterpretAsFloats();
        return p.mul(scale);
    }

    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(MIN_ARGUMENT).min(MAX_ARGUMENT);
        DoubleVector shifted = xc.mul(LOG2E).add(MAGIC);
        DoubleVector n = shifted.sub(MAGIC);
        DoubleVector r = n.fma(n.broadcast(-LN2_HI), xc);
        r = n.fma(n.broadcast(-LN2_LO), r);
        // Written out, not a loop over the coefficients: a vector carried around a loop that C2
        // does not unroll is boxed, and in some sweep runs this exp then ran the Vector API's
        // Java fallback (JFR: about half of a 65 s sweep on JDK 25, against 30 s in other runs).
        DoubleVector p = r.fma(F13, F12);
        p = p.fma(r, r.broadcast(F11));
        p = p.fma(r, r.broadcast(F10));
        p = p.fma(r, r.broadcast(F9));
        p = p.fma(r, r.broadcast(F8));
        p = p.fma(r, r.broadcast(F7));
        p = p.fma(r, r.broadcast(F6));
        p = p.fma(r, r.broadcast(F5));
        p = p.fma(r, r.broadcast(F4));
        p = p.fma(r, r.broadcast(F3));
        p = p.fma(r, r.broadcast(F2));
        DoubleVector one = r.broadcast(1.0);
        p = p.fma(r, one);
        p = p.fma(r, one);
        LongVector ni = shifted.reinterpretAsLongs().sub(MAGIC_BITS);
        LongVector half = ni.lanewise(VectorOperators.ASHR, 1);
        return p.mul(powerOfTwo(half)).mul(powerOfTwo(ni.sub(half)));
    }

    private static FloatVector powerOfTwo(IntVector e) {
        return e.add(FLOAT_EXPONENT_BIAS).lanewise(VectorOperators.LSHL, FLOAT_FRACTION_BITS).reinterpretAsFloats();
    }

    private static DoubleVector powerOfTwo(LongVector e) {
        return e.add(DOUBLE_EXPONENT_BIAS).lanewise(VectorOperators.LSHL, DOUBLE_FRACTION_BITS).reinterpretAsDoubles();
    }
}
