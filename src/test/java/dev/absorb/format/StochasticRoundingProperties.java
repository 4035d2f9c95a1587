package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;

/**
 * Stochastic rounding with counter-based bits: sr is unbiased, srh is a fair coin, and a value's
 * rounding depends only on (seed, operation, index).
 *
 * <p>Bounds. With N independent draws, each up with probability f (the discarded fraction), the
 * fraction of ups p̂ obeys Bernstein's inequality
 * P(|p̂ − f| ≥ t) ≤ 2·exp(−N t² / (2(f(1−f) + t/3))). We take the t at which the right side is
 * 10^−9 (t solves N t² = 2L(f(1−f) + t/3), L = ln(2·10^9) ≈ 21.4), so a correct implementation
 * fails one try in 10^9; the hash is not truly random, but a good mixer should pass such a test.
 * sr's probability is f quantised up to 2^−32, which adds at most 2^−32 to the bias.
 */
class StochasticRoundingProperties {

    private static final int DRAWS = 20_000;
    private static final double L = Math.log(2e9);

    /** Bernstein deviation bound for a mean of N Bernoulli(f) at failure probability 1e-9. */
    static double bernstein(double f, int n) {
        double variance = f * (1 - f);
        double b = 2 * L / 3;
        return (b + Math.sqrt(b * b + 4.0 * n * 2 * L * variance)) / (2.0 * n);
    }

    @Provide
    Arbitrary<Format> formats() {
        return Arbitraries.of("bf16", "fp16", "e4m3", "e5m2", "e2m1", "tf32", "fp32").map(Format::of);
    }

    /** A format and a finite, nonzero value strictly inside its range, usually between grid points. */
    @Provide
    Arbitrary<Tuple2<Format, Double>> valueInRange() {
        return formats().flatMap(f -> Combinators.combine(
                        Arbitraries.doubles().between(0.001, 0.999).ofScale(12),
                        Arbitraries.integers().between(-10, 10),
                        Arbitraries.of(1.0, -1.0))
                .as((u, e, s) -> Tuple.of(f, s * Math.min(f.maxFinite() * 0.99, Math.scalb(1 + u, e)))));
    }

    @Property(tries = 60)
    void srIsUnbiased(@ForAll("valueInRange") Tuple2<Format, Double> v, @ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int op) {
        // given
        Format f = v.get1();
        double x = v.get2();
        Rounding sr = new Rounding(f, RoundingMode.SR, false, false);
        BigDecimal[] n = ExactRounding.of(f).neighbours(new BigDecimal(Math.abs(x)));
        double lo = n[0].doubleValue();
        double hi = n[1].doubleValue();
        double fraction = (Math.abs(x) - lo) / (hi - lo);
        int key = RandomBits.key(seed, op);

        // when
        int ups = 0;
        for (int i = 0; i < DRAWS; i++) {
            double r = Math.abs(sr.round(x, RandomBits.of(key, i)));
            assertTrue(r == lo || r == hi, () -> "sr gives a neighbour: " + r);
            ups += r == hi ? 1 : 0;
        }

        // then
        double observed = (double) ups / DRAWS;
        double bound = bernstein(fraction, DRAWS) + 0x1p-32;
        assertTrue(Math.abs(observed - fraction) <= bound,
                () -> f + " x=" + x + " f=" + fraction + " observed " + observed + " bound " + bound);
        // the mean of the rounded values converges to x: the same bound in units of the gap
        double mean = lo + observed * (hi - lo);
        assertEquals(Math.abs(x), mean, bound * (hi - lo) + Math.ulp(x));
    }

    @Property(tries = 40)
    void srhRoundsUpHalfTheTime(@ForAll("valueInRange") Tuple2<Format, Double> v, @ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int op) {
        // given
        Format f = v.get1();
        double x = v.get2();
        Rounding srh = new Rounding(f, RoundingMode.SRH, false, false);
        double rne = Rounding.nearest(f).round(x, 0);
        Assume.that(rne != x); // exact values are never rounded
        double lo = new Rounding(f, RoundingMode.RTZ, false, false).round(x, 0);
        int key = RandomBits.key(seed, op);

        // when
        int ups = 0;
        for (int i = 0; i < DRAWS; i++) {
            ups += srh.round(x, RandomBits.of(key, i)) != lo ? 1 : 0;
        }

        // then: Hoeffding, P(|p̂ − ½| ≥ t) ≤ 2exp(−2Nt²) = 1e-9
        double bound = Math.sqrt(L / (2.0 * DRAWS));
        assertEquals(0.5, (double) ups / DRAWS, bound, f + " x=" + x);
    }

    @Property(tries = 200)
    void exactValuesAreNeverMovedByStochasticModes(@ForAll("formats") Format f, @ForAll int code, @ForAll int bits) {
        double x = f.decode(Integer.toUnsignedLong(code) % Math.min(f.maxFiniteCode() + 1, 1L << 30));
        assertEquals(x, new Rounding(f, RoundingMode.SR, false, false).round(x, bits));
        assertEquals(x, new Rounding(f, RoundingMode.SRH, false, false).round(x, bits));
    }

    @Property(tries = 100)
    void resultDependsOnlyOnSeedOperationAndIndex(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int op,
            @ForAll long shuffleSeed, @ForAll("formats") Format f) {
        // given: a list of values, each with its element index
        Rounding sr = new Rounding(f, RoundingMode.SR, false, false);
        Random random = new Random(shuffleSeed);
        int size = 500;
        double[] xs = new double[size];
        for (int i = 0; i < size; i++) {
            xs[i] = (random.nextDouble() * 2 - 1) * Math.min(f.maxFinite(), 100);
        }
        int key = RandomBits.key(seed, op);
        double[] inOrder = new double[size];
        for (int i = 0; i < size; i++) {
            inOrder[i] = sr.round(xs[i], RandomBits.of(key, i));
        }

        // when: evaluated in a shuffled order, with the key recomputed each time
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        double[] shuffled = new double[size];
        for (int i : order) {
            shuffled[i] = sr.round(xs[i], RandomBits.of(RandomBits.key(seed, op), i));
        }

        // then
        for (int i = 0; i < size; i++) {
            assertTrue(TestFormats.same(inOrder[i], shuffled[i]), "element " + i);
        }
    }

    @Property(tries = 100)
    void differentOperationsAndSeedsDrawDifferentBits(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int op) {
        // the streams of two operations (or two seeds) agree on about 1 in 2^32 elements
        int a = RandomBits.key(seed, op);
        int b = RandomBits.key(seed, op + 1);
        int c = RandomBits.key(seed + 1, op);
        int sameAB = 0;
        int sameAC = 0;
        for (int i = 0; i < 1000; i++) {
            sameAB += RandomBits.of(a, i) == RandomBits.of(b, i) ? 1 : 0;
            sameAC += RandomBits.of(a, i) == RandomBits.of(c, i) ? 1 : 0;
        }
        assertTrue(sameAB <= 1 && sameAC <= 1);
    }

    @Property(tries = 20)
    void randomBitsAreBalanced(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int op) {
        // every one of the 32 bit positions is set about half the time (Hoeffding, 1e-9 per bit)
        int key = RandomBits.key(seed, op);
        int[] ones = new int[32];
        for (int i = 0; i < DRAWS; i++) {
            int bits = RandomBits.of(key, i);
            for (int b = 0; b < 32; b++) {
                ones[b] += (bits >>> b) & 1;
            }
        }
        double bound = Math.sqrt(L / (2.0 * DRAWS));
        for (int b = 0; b < 32; b++) {
            assertEquals(0.5, (double) ones[b] / DRAWS, bound, "bit " + b);
        }
    }
}
