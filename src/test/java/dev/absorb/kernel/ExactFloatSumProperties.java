package dev.absorb.kernel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ExactFloatSum} gives {@link ExactSum#toOdd()}'s bits for the same floats. */
class ExactFloatSumProperties {

    @Property(tries = 1000)
    void equalsExactSumOverTheElements(@ForAll("seeds") long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(random.nextBoolean() ? 8 : 3000);
        int style = random.nextInt(6);
        float[] x = new float[n];
        for (int j = 0; j < n; j++) {
            switch (style) {
                case 0: x[j] = Float.intBitsToFloat(random.nextInt()); break; // every encoding, NaN and inf included
                case 1: x[j] = (float) random.nextGaussian() * 1e-3f; break;
                case 2: x[j] = Float.intBitsToFloat(random.nextInt(0x100)) * (random.nextBoolean() ? 1 : -1); break; // subnormals, ±0
                case 3: x[j] = random.nextBoolean() ? -0f : 0f; break;
                case 4: x[j] = j == 0 ? -1f + (float) random.nextDouble() * 1e-7f : (float) random.nextDouble() / n; break; // a gradient
                default: x[j] = (float) Math.scalb(random.nextDouble() - 0.5, random.nextInt(-160, 128)); break;
            }
        }
        ExactSum reference = new ExactSum();
        for (float v : x) {
            reference.add(v);
        }
        double expected = reference.toOdd();
        double actual = new ExactFloatSum().toOdd(x, n);
        if (Double.isNaN(expected)) {
            assertEquals(Double.NaN, actual);
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), () -> expected + " vs " + actual);
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
