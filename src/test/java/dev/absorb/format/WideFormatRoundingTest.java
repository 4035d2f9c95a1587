package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * fp32 and tf32 are too big to enumerate: random double and float inputs over their whole range
 * (subnormals, overflow, and points next to grid points and midpoints), every mode, sat and ftz,
 * against the oracle; and fp32 under rne against Java's own double-to-float conversion.
 */
class WideFormatRoundingTest {

    private static final int SAMPLES = 10_000;

    /** Doubles spread over [2^-160, 2^130) in magnitude, with many near grid points and ties. */
    static double[] randomDoubles(Format f, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] xs = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            int exponent = random.nextInt(-160, 130);
            double x = Math.scalb(1 + random.nextDouble(), exponent);
            switch (i % 4) {
                case 1: // a tie: half a quantum above a value of the format
                    x = truncate(f, x) + quantum(f, x) / 2;
                    break;
                case 2: // a few double ulps off a tie
                    x = truncate(f, x) + quantum(f, x) / 2 + Math.ulp(x) * random.nextInt(-3, 4);
                    break;
                case 3: // a few double ulps off a value of the format
                    x = truncate(f, x) + Math.ulp(x) * random.nextInt(-3, 4);
                    break;
                default:
                    break;
            }
            xs[i] = random.nextBoolean() ? -x : x;
        }
        return xs;
    }

    /** x truncated to the format's grid (plain double arithmetic: only used to make inputs). */
    private static double truncate(Format f, double x) {
        double q = quantum(f, x);
        return Math.floor(x / q) * q;
    }

    private static double quantum(Format f, double x) {
        return Math.scalb(1.0, Math.max(Math.getExponent(x), f.minExponent()) - f.mantissaBits());
    }

    @ParameterizedTest(name = "{0} sat={1} ftz={2}")
    @CsvSource({"fp32, false, false", "fp32, true, true", "tf32, false, false", "tf32, true, false", "tf32, false, true"})
    void randomDoublesRoundAsTheOracleSays(String name, boolean sat, boolean ftz) {
        // given
        Format f = Format.of(name);
        ExactRounding exact = ExactRounding.of(f, sat, ftz);
        double[] xs = randomDoubles(f, name.hashCode());
        List<String> failures = new ArrayList<>();

        // when
        for (RoundingMode mode : RoundingMode.values()) {
            Rounding r = new Rounding(f, mode, sat, ftz);
            for (int i = 0; i < xs.length; i++) {
                int bits = (int) (xs[i] * 0x1p20) ^ i * 0x9E3779B9; // arbitrary random bits
                double expected = exact.round(xs[i], mode, bits);
                double actual = r.round(xs[i], bits);
                if (!TestFormats.same(expected, actual) && failures.size() < 20) {
                    failures.add(r + " of " + TestFormats.show(xs[i]) + ": expected " + expected + ", got " + actual);
                }
            }
        }

        // then
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fp32", "tf32", "bf16"})
    void randomFloatsRoundAsTheOracleSays(String name) {
        // given: floats are the typical carrier of emulated values
        Format f = Format.of(name);
        ExactRounding exact = ExactRounding.of(f);
        SplittableRandom random = new SplittableRandom(11);
        List<String> failures = new ArrayList<>();

        for (int i = 0; i < SAMPLES; i++) {
            float x = Float.intBitsToFloat(random.nextInt()); // every float is equally likely
            for (RoundingMode mode : RoundingMode.values()) {
                int bits = random.nextInt();
                // when
                float actual = new Rounding(f, mode, false, false).round(x, bits);
                double expected = exact.round(x, mode, bits);
                // then
                if (!TestFormats.same(expected, actual) && failures.size() < 20) {
                    failures.add(name + "/" + mode.key() + " of " + x + ": expected " + expected + ", got " + actual);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @Test
    void floatsAreFixedPointsOfFp32() {
        SplittableRandom random = new SplittableRandom(3);
        for (RoundingMode mode : RoundingMode.values()) {
            Rounding r = new Rounding(Format.FP32, mode, false, false);
            for (int i = 0; i < SAMPLES; i++) {
                float x = Float.intBitsToFloat(random.nextInt());
                float rounded = r.round(x, random.nextInt());
                assertTrue(Float.floatToIntBits(x) == Float.floatToIntBits(rounded), () -> mode + " changed " + x);
            }
        }
    }

    @Test
    void fp32RneIsJavasDoubleToFloatConversion() {
        // given
        Rounding rne = Rounding.nearest(Format.FP32);
        double[] xs = randomDoubles(Format.FP32, 5);

        // then
        for (double x : xs) {
            assertEquals((double) (float) x, rne.round(x, 0), () -> TestFormats.show(x));
        }
        assertEquals(Double.POSITIVE_INFINITY, rne.round(Double.MAX_VALUE, 0));
        assertEquals(0.0, rne.round(Double.MIN_VALUE, 0));
    }
}
