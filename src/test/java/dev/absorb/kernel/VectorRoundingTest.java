package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link VectorRounding} against the scalar {@link Rounding}, lane by lane, bit for bit. */
class VectorRoundingTest {

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;

    static Stream<Arguments> roundings() {
        List<Arguments> all = new ArrayList<>();
        List<Format> formats = new ArrayList<>(Format.named());
        formats.remove(Format.FP64);
        formats.add(Format.of("e5m3"));
        formats.add(Format.of("e8m21"));
        formats.add(Format.of("e2m2fn"));
        // bf16's exponent field with fewer mantissa bits: roundNonNaN is claimed for them too (e8m1:
        // the default NaN's quiet bit is the kept lsb).
        formats.add(Format.of("e8m1"));
        formats.add(Format.of("e8m3"));
        for (Format f : formats) {
            for (RoundingMode mode : RoundingMode.values()) {
                for (int flags = 0; flags < 4; flags++) {
                    Rounding r = new Rounding(f, mode, (flags & 1) != 0, (flags & 2) != 0);
                    if (VectorRounding.supports(r)) {
                        all.add(Arguments.of(r));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("roundings")
    void roundingAFloatMatchesTheScalar(Rounding rounding) {
        VectorRounding vector = new VectorRounding(rounding);
        float[] x = new float[SPECIES.length()];
        int filled = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 999_983) {
            x[filled++] = Float.intBitsToFloat((int) bits);
            if (filled == x.length) {
                checkRound(rounding, vector, x);
                filled = 0;
            }
        }
        // Every value of an 8-bit format, its neighbours in float and the midpoints between them.
        SplittableRandom random = new SplittableRandom(rounding.hashCode());
        for (int i = 0; i < 2_000; i++) {
            for (int l = 0; l < x.length; l++) {
                x[l] = interesting(rounding.format(), random);
            }
            checkRound(rounding, vector, x);
        }
    }

    @ParameterizedTest
    @MethodSource("roundings")
    void addSubtractMultiplyDivideRoundTheExactResultOnce(Rounding rounding) {
        VectorRounding vector = new VectorRounding(rounding);
        SplittableRandom random = new SplittableRandom(rounding.hashCode() * 31L);
        float[] a = new float[SPECIES.length()];
        float[] b = new float[SPECIES.length()];
        for (int i = 0; i < 3_000; i++) {
            for (int l = 0; l < a.length; l++) {
                a[l] = interesting(rounding.format(), random);
                b[l] = interesting(rounding.format(), random);
            }
            checkOp("add", rounding, a, b, vector::add, (p, q) -> (float) rounding.add(p, q, 0));
            checkOp("subtract", rounding, a, b, vector::subtract, (p, q) -> (float) rounding.subtract(p, q, 0));
            checkOp("multiply", rounding, a, b, vector::multiply, (p, q) -> (float) rounding.multiply(p, q, 0));
            checkOp("divide", rounding, a, b, vector::divide, (p, q) -> (float) rounding.divide(p, q, 0));
        }
    }

    /**
     * The shortcut for operands that are values of formats with p ≤ 11: exhaustively over every
     * pair of values (NaN and infinities included) of 8-bit and smaller formats, and over random
     * pairs of 16-bit formats.
     */
    @ParameterizedTest
    @MethodSource("roundings")
    void narrowOperandShortcutsMatchTheScalarOnEveryPairOfValues(Rounding rounding) {
        Format f = rounding.format();
        assumeTrue(f.fp32RoundingIsInnocuous(), "the shortcuts are for formats of at most 11 significant bits");
        VectorRounding vector = new VectorRounding(rounding);
        float[] a = new float[SPECIES.length()];
        float[] b = new float[SPECIES.length()];
        int codes = 1 << f.storageBits();
        long pairs = f.storageBits() <= 8 ? (long) codes * codes : 400_000;
        SplittableRandom random = new SplittableRandom(rounding.hashCode());
        int filled = 0;
        for (long i = 0; i < pairs; i++) {
            long ca = f.storageBits() <= 8 ? i / codes : random.nextLong(codes);
            long cb = f.storageBits() <= 8 ? i % codes : random.nextLong(codes);
            a[filled] = (float) f.decode(ca);
            b[filled] = (float) f.decode(cb);
            if (++filled == a.length) {
                filled = 0;
                checkOp("add", rounding, a, b, vector::addNarrow, (p, q) -> (float) rounding.add(p, q, 0));
                checkOp("subtract", rounding, a, b, vector::subtractNarrow, (p, q) -> (float) rounding.subtract(p, q, 0));
                checkOp("divide", rounding, a, b, vector::divideNarrow, (p, q) -> (float) rounding.divide(p, q, 0));
            }
        }
    }

    /**
     * roundNonNaN (the raw-bits trick for bf16-like formats under rne) gives the scalar's bits on
     * every float that is not a NaN within two of a rounding boundary of its binade (the bits below
     * the grid at 0, 1, half − 1, half, half + 1, the grid's unit − 1: ties and their neighbours,
     * above and below every grid point, both signs, overflow to ±inf included), on every 9973rd
     * encoding, and on the default NaNs of x86 and ARM, which stay NaN. Formats it is not claimed
     * for answer false.
     */
    @ParameterizedTest
    @MethodSource("roundings")
    void roundNonNaNMatchesTheScalarOnEveryGridPointsNeighbours(Rounding rounding) {
        VectorRounding vector = new VectorRounding(rounding);
        Format f = rounding.format();
        boolean claimed = rounding.mode() == RoundingMode.RNE && !rounding.saturate() && !rounding.flushToZero()
                && f.exponentBits() == 8 && f.specials() == Format.Specials.IEEE && f.mantissaBits() <= 10;
        assertEquals(claimed, vector.roundsNonNaNByBits(), rounding::toString);
        assumeTrue(claimed, "roundNonNaN is for bf16-like formats under rne");
        int drop = 23 - f.mantissaBits();
        int unit = 1 << drop;
        int half = unit >>> 1;
        int[] lows = {0, 1, 2, half - 2, half - 1, half, half + 1, half + 2, unit - 2, unit - 1};
        NonNaNChecks checks = new NonNaNChecks(rounding, vector);
        for (long top = 0; top < 1L << (32 - drop); top++) {
            for (int low : lows) {
                checks.add(Float.intBitsToFloat((int) (top << drop) | low));
            }
        }
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 9973) {
            checks.add(Float.intBitsToFloat((int) bits));
        }
        checks.add(Float.intBitsToFloat(0xFFC0_0000));
        checks.add(Float.intBitsToFloat(0x7FC0_0000));
        checks.flush();
        assertTrue(checks.count > 400_000, () -> "checked " + checks.count);
    }

    /** Fills vectors with the non-NaN floats (and default NaNs) added and checks roundNonNaN lane by lane. */
    private static final class NonNaNChecks {
        private final Rounding rounding;
        private final VectorRounding vector;
        private final float[] x = new float[SPECIES.length()];
        private final float[] out = new float[SPECIES.length()];
        private int filled;
        long count;

        NonNaNChecks(Rounding rounding, VectorRounding vector) {
            this.rounding = rounding;
            this.vector = vector;
        }

        void add(float v) {
            int bits = Float.floatToRawIntBits(v);
            if (Float.isNaN(v) && bits != 0xFFC0_0000 && bits != 0x7FC0_0000) {
                return; // a NaN with a payload: not roundNonNaN's input
            }
            x[filled++] = v;
            count++;
            if (filled == x.length) {
                flush();
            }
        }

        void flush() {
            vector.roundNonNaN(FloatVector.fromArray(SPECIES, x, 0)).intoArray(out, 0);
            for (int l = 0; l < filled; l++) {
                float in = x[l];
                assertSame((float) rounding.round(in, 0), out[l], () -> rounding + " roundNonNaN(" + in + ")");
            }
            filled = 0;
        }
    }

    /**
     * The step of Σ e_j on operands that are +0, positive, +inf or the canonical NaN gives
     * addNarrow's raw bits: every 997th non-negative finite float encoding (every binade), every
     * float within 256 of the midpoint above the maximum (where overflow begins), +inf and NaN,
     * and every pair of non-negative values of 8-bit formats (random pairs of 16-bit ones; a
     * format's NaN decodes to the canonical NaN). The step of a rounding told that its operands
     * are the format's own values (which skips the subnormal rounding) gives the same bits on
     * those pairs and on pairs of values near the maximum.
     */
    @ParameterizedTest
    @MethodSource("roundings")
    void nonNegativeSumStepGivesAddNarrowsBits(Rounding rounding) {
        Format f = rounding.format();
        assumeTrue(f.fp32RoundingIsInnocuous(), "the sum step is for formats of at most 11 significant bits");
        VectorRounding vector = new VectorRounding(rounding);
        VectorRounding onGrid = new VectorRounding(rounding, f);
        Steps anyFloats = new Steps(rounding, vector, vector);
        for (int bits = 0; bits < 0x7F80_0000; bits += 997) {
            anyFloats.add(Float.intBitsToFloat(bits), 0f);
        }
        double max = f.maxFinite();
        int midpoint = Float.floatToRawIntBits((float) (max + Math.ulp((float) max) / 2
                * Math.scalb(1.0, 23 - f.mantissaBits())));
        for (int bits = midpoint - 256; bits <= midpoint + 256; bits++) {
            anyFloats.add(Float.intBitsToFloat(bits), 0f);
        }
        anyFloats.add(Float.POSITIVE_INFINITY, 0f);
        anyFloats.add(Float.NaN, 0f);
        anyFloats.flush();
        Steps formatValues = new Steps(rounding, vector, onGrid);
        int codes = 1 << f.storageBits();
        long pairs = f.storageBits() <= 8 ? (long) codes * codes : 400_000;
        SplittableRandom random = new SplittableRandom(rounding.hashCode());
        for (long i = 0; i < pairs; i++) {
            formatValues.add((float) Math.abs(f.decode(f.storageBits() <= 8 ? i / codes : random.nextLong(codes))),
                    (float) Math.abs(f.decode(f.storageBits() <= 8 ? i % codes : random.nextLong(codes))));
        }
        // Sums near the maximum (random 16-bit pairs seldom are).
        for (long high = Math.max(0, f.maxFiniteCode() - 64); high <= f.maxFiniteCode(); high++) {
            for (long low = 0; low < 64; low++) {
                formatValues.add((float) f.decode(high), (float) f.decode(Math.max(0, f.maxFiniteCode() - 10 * low)));
            }
        }
        formatValues.flush();
    }

    /** Steps a + b of a vector rounding under test, a vector's worth at a time, against addNarrow's bits. */
    private static final class Steps {
        private final Rounding rounding;
        private final VectorRounding reference;
        private final VectorRounding underTest;
        private final float[] a = new float[SPECIES.length()];
        private final float[] b = new float[SPECIES.length()];
        private int filled;

        Steps(Rounding rounding, VectorRounding reference, VectorRounding underTest) {
            this.rounding = rounding;
            this.reference = reference;
            this.underTest = underTest;
        }

        void add(float x, float y) {
            a[filled] = x;
            b[filled] = y;
            if (++filled == a.length) {
                flush();
            }
        }

        /** Checks the pending steps (the lanes past them repeat the last pair). */
        void flush() {
            if (filled == 0) {
                return;
            }
            java.util.Arrays.fill(a, filled, a.length, a[filled - 1]);
            java.util.Arrays.fill(b, filled, b.length, b[filled - 1]);
            filled = 0;
            float[] expected = new float[a.length];
            float[] actual = new float[a.length];
            FloatVector va = FloatVector.fromArray(SPECIES, a, 0);
            FloatVector vb = FloatVector.fromArray(SPECIES, b, 0);
            reference.addNarrow(va, vb).intoArray(expected, 0);
            underTest.addNonNegativeNarrow(va, vb).intoArray(actual, 0);
            for (int l = 0; l < a.length; l++) {
                int lane = l;
                assertEquals(Float.floatToRawIntBits(expected[l]), Float.floatToRawIntBits(actual[l]),
                        () -> rounding + " step(" + a[lane] + ", " + b[lane] + ")");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void stochasticModesAndFp32WithDirectedModesAreNotClaimed() {
        assertFalse(VectorRounding.supports(new Rounding(Format.of("bf16"), RoundingMode.SR, false, false)));
        assertFalse(VectorRounding.supports(new Rounding(Format.FP32, RoundingMode.RTZ, false, false)));
        assertFalse(VectorRounding.supports(new Rounding(Format.of("e8m22"), RoundingMode.RNE, false, false)));
        assertFalse(VectorRounding.supports(new Rounding(Format.of("e8m3fn"), RoundingMode.RNE, false, false)));
        assertFalse(VectorStochasticRounding.supports(new Rounding(Format.of("e8m3fn"), RoundingMode.SR, false, false)));
        assertTrue(VectorRounding.supports(new Rounding(Format.FP32, RoundingMode.RNE, true, true)));
    }

    /**
     * A float that stresses the rounding: a format value, a neighbour or midpoint of one, a value
     * near the format's overflow or underflow, a random float, or a special value.
     */
    static float interesting(Format f, SplittableRandom random) {
        int kind = random.nextInt(8);
        double v;
        switch (kind) {
            case 0:
                v = f.decode(random.nextLong(f.maxFiniteCode() + 1));
                break;
            case 1: {
                // Midpoint between a value and the next one, or a nudge off it.
                long code = random.nextLong(f.maxFiniteCode());
                double lo = f.decode(code);
                double hi = f.decode(code + 1);
                double mid = (lo + hi) / 2;
                v = random.nextBoolean() ? mid : Math.nextUp((float) mid);
                break;
            }
            case 2:
                v = f.maxFinite() * random.nextDouble(0.9, 1.2);
                break;
            case 3:
                v = f.minSubnormal() * random.nextDouble(0, 4);
                break;
            case 4:
                v = Float.intBitsToFloat(random.nextInt());
                break;
            case 5:
                v = random.nextDouble(-4, 4);
                break;
            case 6:
                v = Math.scalb(random.nextDouble(1, 2), random.nextInt(-150, 128));
                break;
            default: {
                float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, 1f};
                v = specials[random.nextInt(specials.length)];
                break;
            }
        }
        float x = (float) v;
        return random.nextBoolean() ? -x : x;
    }

    private static void checkRound(Rounding rounding, VectorRounding vector, float[] x) {
        float[] out = new float[x.length];
        vector.round(FloatVector.fromArray(SPECIES, x, 0)).intoArray(out, 0);
        for (int l = 0; l < x.length; l++) {
            float in = x[l];
            assertSame((float) rounding.round(in, 0), out[l], () -> rounding + " round(" + in + ")");
        }
    }

    private static void checkOp(String name, Rounding rounding, float[] a, float[] b,
                                BinaryOperator<FloatVector> vector, BinaryOperator<Float> scalar) {
        float[] out = new float[a.length];
        vector.apply(FloatVector.fromArray(SPECIES, a, 0), FloatVector.fromArray(SPECIES, b, 0)).intoArray(out, 0);
        for (int l = 0; l < a.length; l++) {
            float p = a[l];
            float q = b[l];
            assertSame(scalar.apply(p, q), out[l], () -> rounding + " " + name + "(" + p + ", " + q + ")");
        }
    }

    private static void assertSame(float expected, float actual, java.util.function.Supplier<String> message) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), message);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                    () -> message.get() + ": expected " + expected + ", got " + actual);
        }
    }
}
