package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link VectorStochasticRounding} against the scalar {@link Rounding}, lane by lane, bit for bit. */
class VectorStochasticRoundingTest {

    static Stream<Rounding> roundings() {
        List<Rounding> all = new ArrayList<>();
        List<Format> formats = new ArrayList<>(Format.named());
        formats.remove(Format.FP64);
        formats.add(Format.of("e8m22"));
        formats.add(Format.of("e5m23")); // fp32's significand in a narrower range
        formats.add(Format.of("e3m3fn"));
        for (Format f : formats) {
            for (int flags = 0; flags < 4; flags++) {
                all.add(new Rounding(f, RoundingMode.SR, (flags & 1) != 0, (flags & 2) != 0));
                all.add(new Rounding(f, RoundingMode.SRH, (flags & 1) != 0, (flags & 2) != 0));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("roundings")
    void valuesSumsDifferencesCarriedSumsAndQuotientsMatchTheScalarForTheSameRandomBits(Rounding rounding) {
        VectorStochasticRounding vector = new VectorStochasticRounding(rounding);
        SplittableRandom random = new SplittableRandom(rounding.hashCode());
        int n = 4 * VectorStochasticRounding.lanes();
        float[] a = new float[n];
        float[] b = new float[n];
        int[] u = new int[n];
        double[] hi = new double[n];
        double[] num = new double[n];
        double[] den = new double[n];
        float[] out = new float[n];
        for (int i = 0; i < 2_000; i++) {
            for (int l = 0; l < n; l++) {
                a[l] = VectorRoundingTest.interesting(rounding.format(), random);
                b[l] = random.nextInt(4) == 0 ? a[l] * (float) random.nextDouble(0.5, 2) : VectorRoundingTest.interesting(rounding.format(), random);
                // Extremes of the threshold too: 0, all ones, and values near a fraction.
                u[l] = random.nextInt(5) == 0 ? (random.nextBoolean() ? 0 : -1) : random.nextInt();
            }
            // A value itself.
            vector.roundFloats(a, 0, n, u, 0, out, 0);
            for (int l = 0; l < n; l++) {
                check((float) rounding.round(a[l], u[l]), out[l], rounding + " round(" + a[l] + ", " + u[l] + ")");
            }
            // Differences x − b and sums x + b with one b for all lanes, read from an offset.
            float b0 = b[0];
            vector.shift(a, 0, n, -b0, u, 0, out, 0);
            for (int l = 0; l < n; l++) {
                check((float) rounding.subtract(a[l], b0, u[l]), out[l], rounding + " subtract(" + a[l] + ", " + b0 + ", " + u[l] + ")");
            }
            int step = VectorStochasticRounding.lanes();
            vector.shift(b, step, n, a[0], u, 1, out, 0);
            for (int l = 0; l < n - step; l++) {
                check((float) rounding.add(b[step + l], a[0], u[1 + l]), out[l],
                        rounding + " add(" + b[step + l] + ", " + a[0] + ", " + u[1 + l] + ")");
            }
            // Sums carried in W partials: element j into partial j mod W, in order.
            for (int lanes : new int[] {step, 2 * step}) {
                double[] partials = new double[lanes];
                double[] expected = new double[lanes];
                for (int l = 0; l < lanes; l++) {
                    partials[l] = expected[l] = rounding.round(b[l], 0);
                }
                vector.sum(a, 0, n, u, 0, partials, lanes);
                for (int j = 0; j < n; j++) {
                    expected[j % lanes] = rounding.add(expected[j % lanes], a[j], u[j]);
                }
                for (int l = 0; l < lanes; l++) {
                    check((float) expected[l], (float) partials[l], rounding + " sum into partial " + l + " of " + lanes);
                }
            }
            for (int l = 0; l < n; l++) {
                VectorStochasticRounding.stageQuotient(a[l], b[l], hi, num, den, l);
            }
            vector.round(hi, num, den, u, n, out, 0);
            for (int l = 0; l < n; l++) {
                check((float) rounding.divide(a[l], b[l], u[l]), out[l], rounding + " divide(" + a[l] + ", " + b[l] + ", " + u[l] + ")");
            }
        }
    }

    /**
     * roundFloats on floats of every binade (both signs, zeros, subnormals, infinities, NaN) with
     * mantissas at and around each possible count of discarded bits, and the random bits on both
     * sides of each one's threshold ⌈fraction·2^32⌉, with the fraction computed here in double
     * (exact: a power-of-two scaling of a float and its integer part).
     */
    @ParameterizedTest
    @MethodSource("roundings")
    void floatValuesMatchTheScalarAtEveryThreshold(Rounding rounding) {
        VectorStochasticRounding vector = new VectorStochasticRounding(rounding);
        Format format = rounding.format();
        SplittableRandom random = new SplittableRandom(rounding.hashCode());
        List<Integer> mantissas = new ArrayList<>(List.of(0, 1, 2, 3, 0x3FFFFF, 0x400000, 0x400001, 0x7FFFFE, 0x7FFFFF));
        for (int j = 1; j < 23; j++) {
            mantissas.addAll(List.of((1 << j) - 1, 1 << j, (1 << j) + 1, (1 << j) | (1 << (j - 1))));
        }
        for (int r = 0; r < 8; r++) {
            mantissas.add(random.nextInt(1 << 23));
        }
        List<Float> xs = new ArrayList<>();
        List<Integer> us = new ArrayList<>();
        for (int biased = 0; biased < 256; biased++) {
            for (int mantissa : mantissas) {
                for (int sign = 0; sign < 2; sign++) {
                    float x = Float.intBitsToFloat(sign << 31 | biased << 23 | mantissa);
                    for (long u : thresholdNeighbours(x, format)) {
                        xs.add(x);
                        us.add((int) u);
                    }
                }
            }
        }
        int step = VectorStochasticRounding.floatLanes();
        int n = (xs.size() + step - 1) / step * step;
        float[] x = new float[n];
        int[] u = new int[n];
        for (int i = 0; i < xs.size(); i++) {
            x[i] = xs.get(i);
            u[i] = us.get(i);
        }
        float[] out = new float[n];
        // Chunk by chunk: a chunk without the format's subnormals takes the short loop, others the general one.
        for (int i = 0; i < n; i += step) {
            vector.roundFloats(x, i, i + step, u, i, out, i);
        }
        for (int i = 0; i < n; i++) {
            check((float) rounding.round(x[i], u[i]), out[i], rounding + " round(" + x[i] + ", " + Integer.toUnsignedString(u[i]) + ")");
        }
    }

    static Stream<Rounding> roundingsWithFloatSums() {
        return roundings().filter(r -> new VectorStochasticRounding(r).sumsInFloats());
    }

    /**
     * sumFloats against the scalar chain of Rounding.add, element j into partial j mod W, with
     * operands ≥ +0: values of the format (zeros, subnormals, the maximum, NaN and infinity among
     * them), and in other trials floats that are not (inexact sums for every format). Partials
     * start at zero in half the trials (subnormal sums, which leave the short loop). The random
     * bits are chosen at each step from the scalar chain: around the exact sum's threshold, and
     * around the edges of the window within which the short loop doubts an inexact sum. In two
     * calls, the second from an offset of the bits that is not a multiple of W (as the kernel's
     * padded tail).
     */
    @ParameterizedTest
    @MethodSource("roundingsWithFloatSums")
    void floatSumsMatchTheScalarChainAtEveryThreshold(Rounding rounding) {
        Format format = rounding.format();
        SplittableRandom random = new SplittableRandom(rounding.hashCode());
        int step = VectorStochasticRounding.floatLanes();
        int n = 80 * step;
        int window = 1 << (31 - (23 - format.mantissaBits()));
        for (int lanes : new int[] {step, 2 * step, 8 * step}) {
            for (int trial = 0; trial < 24; trial++) {
                boolean formatValues = trial % 4 != 3;
                VectorStochasticRounding vector = new VectorStochasticRounding(rounding, formatValues ? format : null);
                float[] x = new float[n];
                int[] u = new int[n];
                double[] start = new double[lanes];
                double[] expected = new double[lanes];
                for (int l = 0; l < lanes; l++) {
                    start[l] = expected[l] = trial % 2 == 0 ? 0 : format.decode(random.nextLong(format.maxFiniteCode() + 1));
                }
                for (int j = 0; j < n; j++) {
                    int kind = random.nextInt(100);
                    x[j] = kind < 10 ? 0f
                            : kind < 12 ? (kind == 10 ? Float.NaN : Float.intBitsToFloat(-1)) // a NaN with the sign and every payload bit set
                            : kind < 14 && format.hasInfinity() ? Float.POSITIVE_INFINITY
                            : kind < 40 ? (float) format.decode(random.nextLong(Math.min(8, format.maxFiniteCode() + 1)))
                            : (float) format.decode(random.nextLong(format.maxFiniteCode() + 1) >> random.nextInt(4));
                    if (trial % 3 == 0) {
                        x[j] = (float) rounding.round(x[j] / 64, 0); // smaller steps: the partials stay below the maximum
                    }
                    if (!formatValues && Float.isFinite(x[j])) {
                        x[j] *= (float) random.nextDouble(0.75, 1.5); // not a value of the format
                    }
                    double p = expected[j % lanes];
                    List<Long> candidates = thresholdNeighbours(p + x[j], format);
                    float s = (float) p + x[j];
                    int shortThreshold = Float.floatToRawIntBits(s) << (32 - (23 - format.mantissaBits()));
                    for (int edge : new int[] {-window, window}) {
                        for (int d = -1; d <= 1; d++) {
                            candidates.add(Integer.toUnsignedLong(shortThreshold + edge + d));
                        }
                    }
                    u[j] = random.nextInt(4) == 0 ? random.nextInt() : (int) (long) candidates.get(random.nextInt(candidates.size()));
                    expected[j % lanes] = rounding.add(p, x[j], u[j]);
                }
                double[] partials = start.clone();
                int split = 25 * step; // not a multiple of W = 16 or 64: the second call starts mid-way through the partials
                vector.sumFloats(x, 0, split, u, 0, partials, lanes);
                float[] rest = java.util.Arrays.copyOfRange(x, split, n);
                vector.sumFloats(rest, 0, n - split, u, split, partials, lanes);
                for (int l = 0; l < lanes; l++) {
                    check((float) expected[l], (float) partials[l], rounding + " sum into partial " + l + " of " + lanes + ", trial " + trial);
                }
            }
        }
    }

    /**
     * Float sums that tie (1 + 2^−24 rounds down to 1, error +2^−24; 1 + 3·2^−24 rounds up to
     * 1 + 2^−22, error −2^−24) put the exact threshold at the very edge of the short loop's doubt
     * window. Each u around it runs in a chunk of its own (one doubted lane sends the whole chunk
     * to the exact decision), so both the short and the exact decision meet that edge.
     */
    @ParameterizedTest
    @MethodSource("roundingsWithFloatSums")
    void tiedFloatSumsAreDecidedAtTheirExactThresholds(Rounding rounding) {
        VectorStochasticRounding vector = new VectorStochasticRounding(rounding, null);
        int step = VectorStochasticRounding.floatLanes();
        for (float x : new float[] {0x1p-24f, 0x3p-24f}) {
            long threshold = thresholdNeighbours(1.0 + x, rounding.format()).get(3); // T of T − 1, T, T + 1
            for (long t = threshold - 2; t <= threshold + 2; t++) {
                int u = (int) t;
                double[] partials = new double[step];
                java.util.Arrays.fill(partials, 1.0);
                float[] xs = new float[step];
                java.util.Arrays.fill(xs, x);
                int[] us = new int[step];
                java.util.Arrays.fill(us, u);
                vector.sumFloats(xs, 0, step, us, 0, partials, step);
                for (int l = 0; l < step; l++) {
                    check((float) rounding.add(1.0, x, u), (float) partials[l],
                            rounding + " sum 1 + " + x + ", u = " + Integer.toUnsignedString(u));
                }
            }
        }
    }

    /**
     * A sum past float's maximum (the float sum is +inf) that sr may still round down to bf16's
     * maximum: max + nextDown(2^120) is 2^128 − 2^96, whose threshold is 2^32 − 2^8.
     */
    @org.junit.jupiter.api.Test
    void aSumPastFloatsMaximumMayStillRoundDown() {
        Rounding rounding = new Rounding(Format.of("bf16"), RoundingMode.SR, false, false);
        VectorStochasticRounding vector = new VectorStochasticRounding(rounding, null);
        int step = VectorStochasticRounding.floatLanes();
        float max = (float) Format.of("bf16").maxFinite();
        float[] x = new float[step];
        int[] u = new int[step];
        double[] partials = new double[step];
        for (int l = 0; l < step; l++) {
            x[l] = Math.nextDown(0x1p120f);
            u[l] = l % 2 == 0 ? -1 : -257; // down, then up
            partials[l] = max;
        }
        vector.sumFloats(x, 0, step, u, 0, partials, step);
        for (int l = 0; l < step; l++) {
            double expected = rounding.add(max, x[l], u[l]);
            assertEquals(l % 2 == 0 ? max : Float.POSITIVE_INFINITY, expected, "the scalar reference");
            check((float) expected, (float) partials[l], "sum of max and nextDown(2^120), u = " + Integer.toUnsignedString(u[l]));
        }
    }

    /** 0, 2^32 − 1 and T − 1, T, T + 1 for T = ⌈fraction·2^32⌉ (clamped to 32 bits), the fraction of |x| in the format's quantum. */
    private static List<Long> thresholdNeighbours(double x, Format format) {
        List<Long> us = new ArrayList<>(List.of(0L, 0xFFFF_FFFFL));
        double a = Math.abs(x);
        if (Double.isFinite(a)) {
            int quantumExponent = Math.max(Math.getExponent(a), format.minExponent()) - format.mantissaBits();
            double scaled = Math.scalb(a, -quantumExponent);
            double fraction = scaled - Math.floor(scaled);
            long threshold = (long) Math.ceil(Math.scalb(fraction, 32));
            for (long t = threshold - 1; t <= threshold + 1; t++) {
                us.add(Math.max(0, Math.min(t, 0xFFFF_FFFFL)));
            }
        }
        return us;
    }

    private static void check(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": expected NaN, got " + actual);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), () -> what + ": expected " + expected + ", got " + actual);
        }
    }
}
