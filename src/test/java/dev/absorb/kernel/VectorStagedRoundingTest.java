package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link VectorStagedRounding} against the scalar {@link Rounding}, lane by lane, bit for bit. */
class VectorStagedRoundingTest {

    private static final RoundingMode[] DETERMINISTIC = {
            RoundingMode.RNE, RoundingMode.RNA, RoundingMode.RTZ, RoundingMode.RUP, RoundingMode.RDN, RoundingMode.RTO};

    static Stream<Rounding> roundings() {
        List<Rounding> all = new ArrayList<>();
        List<Format> formats = new ArrayList<>(Format.named());
        formats.remove(Format.FP64);
        formats.add(Format.of("e5m3"));
        formats.add(Format.of("e8m21"));
        formats.add(Format.of("e2m2fn"));
        for (Format f : formats) {
            for (RoundingMode mode : DETERMINISTIC) {
                for (int flags = 0; flags < 4; flags++) {
                    all.add(new Rounding(f, mode, (flags & 1) != 0, (flags & 2) != 0));
                }
            }
        }
        return all.stream();
    }

    /**
     * Every code of formats up to 16 bits with its neighbourhood in double: the value, its
     * neighbours, the midpoint to the next code and the doubles either side of it, of both signs;
     * for wider formats random codes. Plus the specials and values past the range.
     */
    @ParameterizedTest
    @MethodSource("roundings")
    void everyCodeNeighbourhoodRoundsAsTheScalar(Rounding rounding) {
        Format f = rounding.format();
        Checker checker = new Checker(rounding);
        SplittableRandom random = new SplittableRandom(rounding.hashCode());
        long codes = f.maxFiniteCode() + 1;
        boolean every = f.storageBits() <= 16;
        long count = every ? codes : 200_000;
        for (long i = 0; i < count; i++) {
            long code = every ? i : random.nextLong(codes);
            double v = f.decode(code);
            double next = code + 1 < codes ? f.decode(code + 1) : f.maxFinite() + f.maxFinite() * Math.scalb(1.0, -f.mantissaBits());
            double mid = (v + next) / 2;
            for (double x : new double[] {v, Math.nextUp(v), Math.nextDown(v), mid, Math.nextUp(mid), Math.nextDown(mid),
                    (v + mid) / 2, (mid + next) / 2}) {
                checker.add(x);
                checker.add(-x);
            }
        }
        for (double x : new double[] {0.0, Double.NaN, Double.POSITIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE,
                Float.MIN_NORMAL, f.minSubnormal() / 2, f.minSubnormal() / 4, Math.nextUp(f.minSubnormal() / 2), 0x1p200,
                Double.MAX_VALUE, 2 * f.maxFinite(), Math.nextUp(f.maxFinite())}) {
            checker.add(x);
            checker.add(-x);
        }
        checker.flush();
    }

    /** The staged sums, differences and quotients of stressing floats round as Rounding's operations. */
    @ParameterizedTest
    @MethodSource("roundings")
    void stagedSumsDifferencesAndQuotientsMatchTheScalarOperations(Rounding rounding) {
        VectorStagedRounding vector = new VectorStagedRounding(rounding);
        SplittableRandom random = new SplittableRandom(rounding.hashCode() * 31L);
        int n = 4 * VectorStagedRounding.lanes();
        float[] a = new float[n];
        float[] b = new float[n];
        double[] staged = new double[n];
        float[] out = new float[n];
        for (int i = 0; i < 2_000; i++) {
            for (int l = 0; l < n; l++) {
                a[l] = VectorRoundingTest.interesting(rounding.format(), random);
                b[l] = random.nextInt(4) == 0 ? a[l] * (float) random.nextDouble(0.5, 2) : VectorRoundingTest.interesting(rounding.format(), random);
            }
            for (int l = 0; l < n; l++) {
                VectorStagedRounding.stageSum(a[l], b[l], staged, l);
            }
            vector.round(staged, n, out, 0);
            for (int l = 0; l < n; l++) {
                int k = l;
                check((float) rounding.add(a[l], b[l], 0), out[l], () -> rounding + " add(" + a[k] + ", " + b[k] + ")");
            }
            for (int l = 0; l < n; l++) {
                VectorStagedRounding.stageDifference(a[l], b[l], staged, l);
            }
            vector.round(staged, n, out, 0);
            for (int l = 0; l < n; l++) {
                int k = l;
                check((float) rounding.subtract(a[l], b[l], 0), out[l], () -> rounding + " subtract(" + a[k] + ", " + b[k] + ")");
            }
            for (int l = 0; l < n; l++) {
                VectorStagedRounding.stageQuotient(a[l], b[l], staged, l);
            }
            vector.round(staged, n, out, 0);
            for (int l = 0; l < n; l++) {
                int k = l;
                check((float) rounding.divide(a[l], b[l], 0), out[l], () -> rounding + " divide(" + a[k] + ", " + b[k] + ")");
            }
        }
    }

    /** The lane-wise staging gives RoundToOdd's doubles bit for bit (the scalar staging's). */
    @Test
    void laneWiseStagingOfDifferencesAndQuotientsEqualsRoundToOdd() {
        SplittableRandom random = new SplittableRandom(42);
        int n = 4 * VectorStagedRounding.lanes();
        float[] a = new float[n + 3];
        double[] staged = new double[n];
        double[] expected = new double[n];
        for (Format f : List.of(Format.FP32, Format.of("bf16"), Format.of("fp16"), Format.of("e4m3"), Format.of("e2m1"))) {
            for (int i = 0; i < 20_000; i++) {
                for (int l = 0; l < a.length; l++) {
                    a[l] = VectorRoundingTest.interesting(f, random);
                }
                float b = random.nextInt(3) == 0 ? a[random.nextInt(a.length)] : VectorRoundingTest.interesting(f, random);
                int from = random.nextInt(4);
                VectorStagedRounding.stageDifferences(a, from, b, n, staged);
                for (int l = 0; l < n; l++) {
                    VectorStagedRounding.stageDifference(a[from + l], b, expected, l);
                }
                assertStaged(expected, staged, "difference", a, from, b);
                VectorStagedRounding.stageQuotients(a, from, b, n, staged);
                for (int l = 0; l < n; l++) {
                    VectorStagedRounding.stageQuotient(a[from + l], b, expected, l);
                }
                assertStaged(expected, staged, "quotient", a, from, b);
            }
        }
    }

    private static void assertStaged(double[] expected, double[] actual, String op, float[] a, int from, float b) {
        for (int l = 0; l < expected.length; l++) {
            int k = l;
            if (Double.isNaN(expected[l])) {
                assertTrue(Double.isNaN(actual[l]), () -> op + "(" + a[from + k] + ", " + b + ")");
            } else {
                assertEquals(Double.doubleToRawLongBits(expected[l]), Double.doubleToRawLongBits(actual[l]),
                        () -> op + "(" + a[from + k] + ", " + b + ")");
            }
        }
    }

    @Test
    void claimsTheDeterministicModesOnFormatsCarriedInFloatOnly() {
        assertTrue(VectorStagedRounding.supports(new Rounding(Format.of("bf16"), RoundingMode.RTO, true, true)));
        assertTrue(VectorStagedRounding.supports(new Rounding(Format.FP32, RoundingMode.RNE, true, false)));
        assertFalse(VectorStagedRounding.supports(new Rounding(Format.of("bf16"), RoundingMode.SR, false, false)));
        assertFalse(VectorStagedRounding.supports(Rounding.nearest(Format.FP64)));
    }

    /** Collects values, rounds them a batch at a time and compares every lane with the scalar. */
    private static final class Checker {
        private final Rounding rounding;
        private final VectorStagedRounding vector;
        private final double[] staged = new double[64 * VectorStagedRounding.lanes()];
        private final float[] out = new float[staged.length];
        private int filled;

        Checker(Rounding rounding) {
            this.rounding = rounding;
            this.vector = new VectorStagedRounding(rounding);
        }

        void add(double x) {
            staged[filled++] = x;
            if (filled == staged.length) {
                flush();
            }
        }

        void flush() {
            int padded = (filled + VectorStagedRounding.lanes() - 1) / VectorStagedRounding.lanes() * VectorStagedRounding.lanes();
            for (int i = filled; i < padded; i++) {
                staged[i] = 0.0;
            }
            vector.round(staged, padded, out, 0);
            for (int i = 0; i < filled; i++) {
                double x = staged[i];
                check((float) rounding.round(x, 0), out[i], () -> rounding + " round(" + x + " = " + Double.toHexString(x) + ")");
            }
            filled = 0;
        }
    }

    private static void check(float expected, float actual, Supplier<String> message) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), message);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), message);
        }
    }
}
