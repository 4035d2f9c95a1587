package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * ExactSum against BigDecimal: the sum of random doubles (every exponent from subnormals to
 * 2^1000, and sums built to cancel almost entirely) rounded to odd and to nearest, and the use
 * the kernel makes of toOdd: rounding it once more to a narrower format, in any deterministic
 * mode, gives the exact sum correctly rounded (Boldo and Melquiond 2008), where rounding a plain
 * double sum would round twice.
 */
class ExactSumProperties {

    /** Doubles of either sign, exponents −1074 … 1000 (subnormals included), plus small integers. */
    @Provide
    Arbitrary<Double> doubles() {
        Arbitrary<Double> spread = Combinators.combine(
                        Arbitraries.longs().between(0, (1L << 52) - 1),
                        Arbitraries.integers().between(-1074, 1000),
                        Arbitraries.of(1.0, -1.0))
                .as((mantissa, exponent, sign) -> sign * Math.scalb((double) ((1L << 52) | mantissa), exponent - 52));
        Arbitrary<Double> narrow = Combinators.combine(
                        Arbitraries.doubles().between(-1, 1), Arbitraries.integers().between(-60, 60))
                .as(Math::scalb);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, spread),
                net.jqwik.api.Tuple.of(4, narrow),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-3, 3).map(i -> (double) i)));
    }

    @Provide
    Arbitrary<List<Double>> lists() {
        return doubles().list().ofMinSize(0).ofMaxSize(60);
    }

    /**
     * Huge cancellation: a list, its negation in another order, and a few small leftovers, so
     * the exact sum is the leftovers, far below the terms' magnitudes.
     */
    @Provide
    Arbitrary<List<Double>> cancelling() {
        return Combinators.combine(lists(), doubles().list().ofMaxSize(3), Arbitraries.longs())
                .as((values, leftovers, seed) -> {
                    List<Double> out = new ArrayList<>(values);
                    for (double v : values) {
                        out.add(-v);
                    }
                    for (double small : leftovers) {
                        out.add(Math.scalb(small, -600));
                    }
                    Collections.shuffle(out, new Random(seed));
                    return out;
                });
    }

    static BigDecimal exact(List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum;
    }

    static ExactSum sumOf(List<Double> values) {
        ExactSum s = new ExactSum();
        for (double v : values) {
            s.add(v);
        }
        return s;
    }

    /** The exact value rounded to binary64 in a mode (subnormals included). */
    static double toDouble(BigDecimal x, RoundingMode mode) {
        return BigMath.round(x, 52, -1022, mode);
    }

    @Property(tries = 600)
    void toOddAndToNearestOfRandomDoubles(@ForAll("lists") List<Double> values) {
        BigDecimal exact = exact(values);
        ExactSum s = sumOf(values);
        assertEquals(signedZero(toDouble(exact, RoundingMode.RTO), values), s.toOdd(), () -> "toOdd of " + values);
        assertEquals(signedZero(toDouble(exact, RoundingMode.RNE), values), s.toNearest(), () -> "toNearest of " + values);
    }

    @Property(tries = 600)
    void copiesAddedAtOnceGiveTheExactSumOfTheCopies(@ForAll("lists") List<Double> values,
                                                      @ForAll("doubles") double x,
                                                      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 300000) int times) {
        BigDecimal exact = exact(values).add(new BigDecimal(x).multiply(BigDecimal.valueOf(times)));
        ExactSum s = sumOf(values);
        s.add(x, times);
        assertEquals(toDouble(exact, RoundingMode.RTO), s.toOdd(), 0.0, () -> times + " × " + x + " after " + values);
    }

    @Property(tries = 600)
    void toOddAndToNearestUnderHugeCancellation(@ForAll("cancelling") List<Double> values) {
        BigDecimal exact = exact(values);
        ExactSum s = sumOf(values);
        assertEquals(signedZero(toDouble(exact, RoundingMode.RTO), values), s.toOdd(), () -> "toOdd of " + values);
        assertEquals(signedZero(toDouble(exact, RoundingMode.RNE), values), s.toNearest(), () -> "toNearest of " + values);
    }

    /**
     * A zero sum's sign as IEEE 754 addition gives it (BigDecimal has no −0): −0 only when every
     * term is −0 (found by this property: the sum of [−0.0] is −0.0).
     */
    private static double signedZero(double sum, List<Double> values) {
        boolean allNegativeZero = !values.isEmpty()
                && values.stream().allMatch(v -> Double.doubleToRawLongBits(v) == Long.MIN_VALUE);
        return sum == 0 && allNegativeZero ? -0.0 : sum;
    }

    /** The order of the terms does not matter: the sum is exact. */
    @Property(tries = 500)
    void orderDoesNotMatter(@ForAll("cancelling") List<Double> values, @ForAll long seed) {
        List<Double> shuffled = new ArrayList<>(values);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(sumOf(values).toOdd(), sumOf(shuffled).toOdd());
        assertEquals(sumOf(values).toNearest(), sumOf(shuffled).toNearest());
    }

    /**
     * toOdd rounded once more to fp32, bf16 or fp16 (p ≤ 24 ≤ 51) in any deterministic mode is the
     * exact sum rounded in that mode. Terms are kept in the formats' ranges (|x| ≤ 2^10, down to
     * 2^-40) so that nothing overflows; the exact sum usually needs far more than 53 bits.
     */
    @Property(tries = 2000)
    void toOddRoundsCorrectlyToNarrowerFormats(@ForAll("narrowLists") List<Double> values,
            @ForAll("narrowFormats") String format, @ForAll("modes") RoundingMode mode) {
        Format f = Format.of(format);
        BigDecimal exact = exact(values);
        double once = new Rounding(f, mode, false, false).round(sumOf(values).toOdd(), 0);
        double expected = BigMath.round(exact, f.mantissaBits(), f.minExponent(), mode);
        assertEquals(expected, once, () -> format + " " + mode + " of " + values);
    }

    @Provide
    Arbitrary<List<Double>> narrowLists() {
        Arbitrary<Double> term = Combinators.combine(
                        Arbitraries.doubles().between(-1, 1), Arbitraries.integers().between(-40, 10))
                .as(Math::scalb);
        return term.list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> narrowFormats() {
        return Arbitraries.of("fp32", "bf16", "fp16", "tf32");
    }

    @Provide
    Arbitrary<RoundingMode> modes() {
        return Arbitraries.of(RoundingMode.RNE, RoundingMode.RNA, RoundingMode.RTZ, RoundingMode.RUP,
                RoundingMode.RDN, RoundingMode.RTO);
    }

    @Example
    void oddRoundingKeepsTheStickyBitThatAPlainDoubleSumLoses() {
        // 1 + 2^-24 is a tie between the floats 1 and 1 + 2^-23; the extra 2^-80 puts the exact sum
        // above it, so fp32 rne must round up. The plain double sum drops 2^-80 and then rounds
        // the tie to even (1): double rounding. toOdd keeps a sticky last bit.
        List<Double> values = List.of(1.0, 0x1p-24, 0x1p-80);
        double plain = 0;
        for (double v : values) {
            plain += v;
        }
        assertEquals(1.0f, (float) plain);
        ExactSum s = sumOf(values);
        assertEquals(1 + 0x1p-24 + 0x1p-52, s.toOdd());
        assertEquals(1 + 0x1p-23, (float) s.toOdd());
        assertEquals(1 + 0x1p-24, s.toNearest());
    }

    @Example
    void toNearestBreaksATieByTheTermsBelowIt() {
        // 1 + 2^-53 is a tie between 1 and 1 + 2^-52; a third term decides it either way.
        assertEquals(1 + 0x1p-52, sumOf(List.of(1.0, 0x1p-53, 0x1p-200)).toNearest());
        assertEquals(1.0, sumOf(List.of(1.0, 0x1p-53, -0x1p-200)).toNearest());
        assertEquals(1.0, sumOf(List.of(1.0, 0x1p-53)).toNearest()); // the exact tie: to even
        assertEquals(1 + 0x1p-52, sumOf(List.of(1.0, 0x1p-53)).toOdd());
    }

    @Example
    void cancellationLeavesTheSmallTerm() {
        assertEquals(1.0, sumOf(List.of(1e300, 1.0, -1e300)).toOdd());
        assertEquals(0x1p-1074, sumOf(List.of(0x1p1000, Double.MIN_VALUE, -0x1p1000)).toNearest());
        assertEquals(0.0, sumOf(List.of(0.1, 0.2, -0.1, -0.2)).toOdd());
    }

    @Example
    void overflowOfTheRunningSumIsInfinityNotNaN() {
        // 2^1023 + 2^1023 = 2^1024 is past Double.MAX_VALUE: inf, as plain summation gives
        assertEquals(Double.POSITIVE_INFINITY, sumOf(List.of(0x1p1023, 0x1p1023)).toOdd());
        assertEquals(Double.NEGATIVE_INFINITY, sumOf(List.of(-Double.MAX_VALUE, -Double.MAX_VALUE, 1.0)).toNearest());
        assertTrue(Double.isNaN(sumOf(List.of(Double.MAX_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY)).toOdd()));
        // and a large sum that stays in range is exact
        assertEquals(Double.MAX_VALUE, sumOf(List.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE)).toOdd());
    }

    @Example
    void specialValuesAndClear() {
        ExactSum s = new ExactSum();
        assertEquals(0.0, s.toOdd());
        assertEquals(0.0, s.toNearest());
        s.add(1.0);
        s.add(Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, s.toOdd());
        assertEquals(Double.POSITIVE_INFINITY, s.toNearest());
        s.add(Double.NEGATIVE_INFINITY);
        assertTrue(Double.isNaN(s.toOdd()));
        s.clear();
        s.add(Double.NaN);
        assertTrue(Double.isNaN(s.toNearest()));
        s.clear();
        s.add(2.5);
        assertEquals(2.5, s.toOdd());
    }
}
