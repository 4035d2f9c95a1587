package dev.absorb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.absorb.kernel.Ieee754.FLOAT_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;

/**
 * The float exp of SLEEF's {@code Sleef_expf8_u10} and {@code Sleef_expf16_u10}, bit for bit:
 * PyTorch's {@code Vectorized<float>::exp} at the AVX2 and AVX-512 dispatch levels, which its
 * CPU kernels such as softmax use, so absorb can emulate those kernels exactly. ({@code torch.exp}
 * on a float32 tensor is not one of them: it calls MKL's vsExp.) It is not absorb's own exp
 * ({@link ExpPoly}) and not correctly rounded: SLEEF's u10 bound is 1 ulp, and on about 9% of
 * the inputs with |x| in [2^-6, 87] (a dense sample) the result is the other neighbour of e^x
 * than {@code (float) StrictMath.exp(x)}, never further away.
 *
 * <h2>Method</h2>
 * SLEEF's {@code xexpf} (sleefsimdsp.c), step by step, each step an operation Java defines
 * exactly, so every JVM and CPU, scalar or SIMD, gets the same bits:
 * <ol>
 *   <li>q = rint(x · R_LN2), the product rounded to float first, then to the nearest integer,
 *   ties to even (SLEEF: {@code cvtps2dq} under the default rounding mode).</li>
 *   <li>s = x − q · ln 2 in two fma steps with ln 2 split as L2U + L2L (L2U has 15 significant
 *   bits, so the first step is exact for the q that occur, |q| ≤ 150).</li>
 *   <li>u = a degree-5 minimax polynomial in s by Horner, each step one fma (SLEEF's
 *   {@code vmla} is {@code _mm256_fmadd_ps} / {@code _mm512_fmadd_ps} in the AVX2 and AVX-512F
 *   helpers, a true fma; only the "nofma" AVX-512 build would round twice).</li>
 *   <li>u = 1 + fma(s · s, u, s): s · s is rounded on its own, then one fma, then the add.</li>
 *   <li>u · 2^(q >> 1) · 2^(q − (q >> 1)), two multiplies by powers of two built in the exponent
 *   field (SLEEF's {@code vldexp2}): the first is exact, so a subnormal result is rounded once.</li>
 * </ol>
 * The vector exp takes q by the magic-number trick instead of a float-to-int conversion (as
 * {@link VectorExp} does, for JDK 17's F2I): (p + 1.5·2^23) − 1.5·2^23 rounds p = x · R_LN2 to
 * an integer with ties to even, which equals rint(p) for |p| &lt; 2^22, and the bits of p +
 * 1.5·2^23 minus the constant's bits are q as an int. Where |x| is larger the result is
 * replaced (below), so its garbage q does not matter.
 *
 * <h2>Special values</h2>
 * x &lt; −104 gives +0 and x &gt; 100 gives +inf (SLEEF's two final selects; −inf and +inf
 * included). Between them the computation itself gives inf from x = 88.72284 (0x1.62e43p6),
 * subnormals below −87.33655 and +0 from x = −103.972084 (−0x1.9fe36ap6) down. NaN gives the input NaN with its quiet bit set (sign and
 * payload kept): what SLEEF's x86 arithmetic returns, since the NaN enters every step as an
 * operand; here it is set explicitly, because Java does not define NaN payloads of arithmetic.
 *
 * <h2>References</h2>
 * <ul>
 *   <li>SLEEF, src/libm/sleefsimdsp.c: {@code xexpf}, {@code vldexp2_vf_vf_vi2},
 *   {@code vpow2i_vf_vi2}; src/common/misc.h: R_LN2f, L2Uf, L2Lf; src/arch/helperavx2.h and
 *   helperavx512f.h: {@code vmla_vf_vf_vf_vf}, {@code vrint_vi2_vf}.</li>
 *   <li>PyTorch ATen/cpu/vec/vec256/vec256_float.h and vec512/vec512_float.h:
 *   {@code Vectorized<float>::exp} calls {@code Sleef_expf8_u10} / {@code Sleef_expf16_u10}.</li>
 *   <li>SleefExpTest checks a golden file of the SLEEF symbols inside torch 2.13.0's
 *   libtorch_cpu.so (scripts/sleef-expf-golden); the AVX2 and AVX-512 ones give the same bits,
 *   and the scalar and vector exp here matched both on every one of the 2^32 float bit
 *   patterns (JDK 17 and 25).</li>
 * </ul>
 */
final class SleefExp {

    /** SLEEF's R_LN2f: log2 e rounded to float. */
    static final float R_LN2 = 0x1.715476p0f;
    /** SLEEF's L2Uf = 0.693145751953125: the upper part of ln 2, 12 trailing zero bits. */
    static final float L2U = 0x1.62e4p-1f;
    /** SLEEF's L2Lf = 1.428606765330187045e-06: ln 2 − L2U rounded to float. */
    static final float L2L = 0x1.7f7d1cp-20f;
    /**
     * The polynomial's coefficients, highest degree first. SLEEF writes them as decimals
     * (0.000198527617612853646278381, 0.00139304355252534151077271, 0.00833336077630519866943359,
     * 0.0416664853692054748535156, 0.166666671633720397949219, 0.5), each the exact value of a
     * float, so these are those floats.
     */
    static final float P5 = 0x1.a057b4p-13f;
    static final float P4 = 0x1.6d2d92p-10f;
    static final float P3 = 0x1.11114cp-7f;
    static final float P2 = 0x1.5554f4p-5f;
    static final float P1 = 0x1.555556p-3f;
    static final float P0 = 0.5f;
    /** Below this the result is +0, above {@link #OVERFLOW} +inf (SLEEF's bounds, not exact ones). */
    static final float UNDERFLOW = -104f;
    static final float OVERFLOW = 100f;

    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final int QUIET_BIT = 0x0040_0000;

    private SleefExp() {
    }

    static float exp(float x) {
        if (x != x) {
            return Float.intBitsToFloat(Float.floatToRawIntBits(x) | QUIET_BIT);
        }
        if (x < UNDERFLOW) {
            return 0f;
        }
        if (x > OVERFLOW) {
            return Float.POSITIVE_INFINITY;
        }
        // The product is a float (one rounding), then rint of that float, exact in double.
        float qf = (float) Math.rint(x * R_LN2);
        int q = (int) qf;
        float s = Math.fma(qf, -L2U, x);
        s = Math.fma(qf, -L2L, s);
        float u = Math.fma(P5, s, P4);
        u = Math.fma(u, s, P3);
        u = Math.fma(u, s, P2);
        u = Math.fma(u, s, P1);
        u = Math.fma(u, s, P0);
        u = 1f + Math.fma(s * s, u, s);
        // q is in [−150, 145] here, so both halves are normal powers of two.
        int half = q >> 1;
        return u * powerOfTwo(half) * powerOfTwo(q - half);
    }

    static FloatVector exp(FloatVector x) {
        // Two steps, never fused: the product must be rounded to float before the integer
        // rounding, as SLEEF's vmul then cvtps2dq.
        FloatVector shifted = x.mul(R_LN2).add(MAGIC);
        FloatVector qf = shifted.sub(MAGIC);
        FloatVector s = qf.fma(qf.broadcast(-L2U), x);
        s = qf.fma(qf.broadcast(-L2L), s);
        FloatVector u = s.fma(P5, P4);
        u = u.fma(s, s.broadcast(P3));
        u = u.fma(s, s.broadcast(P2));
        u = u.fma(s, s.broadcast(P1));
        u = u.fma(s, s.broadcast(P0));
        u = s.mul(s).fma(u, s).add(1f);
        IntVector q = shifted.reinterpretAsInts().sub(MAGIC_BITS);
        IntVector half = q.lanewise(VectorOperators.ASHR, 1);
        u = u.mul(powerOfTwo(half)).mul(powerOfTwo(q.sub(half)));
        // The selects last, as SLEEF's: they also cover the lanes whose q above was garbage
        // (|x| large, infinite or NaN). Comparisons with NaN are false, so NaN lanes keep u
        // until the last blend.
        u = u.blend(0f, x.compare(VectorOperators.LT, UNDERFLOW));
        u = u.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, OVERFLOW));
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN);
        return u.blend(x.reinterpretAsInts().or(QUIET_BIT).reinterpretAsFloats(), nan);
    }

    private static float powerOfTwo(int e) {
        return Float.intBitsToFloat((e + FLOAT_EXPONENT_BIAS) << FLOAT_FRACTION_BITS);
    }

    private static FloatVector powerOfTwo(IntVector e) {
        return e.add(FLOAT_EXPONENT_BIAS).lanewise(VectorOperators.LSHL, FLOAT_FRACTION_BITS).reinterpretAsFloats();
    }
}
