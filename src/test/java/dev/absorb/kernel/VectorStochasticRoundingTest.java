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
            // A value itself: x + (−0).
            vector.shift(a, 0, n, -0f, u, 0, out, 0);
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

    private static void check(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": expected NaN, got " + actual);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), () -> what + ": expected " + expected + ", got " + actual);
        }
    }
}
