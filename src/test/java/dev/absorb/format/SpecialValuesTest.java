package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Signed zeros, fnuz's missing −0, NaN, subnormals and flush-to-zero. */
class SpecialValuesTest {

    static java.util.stream.Stream<String> formats() {
        return java.util.stream.Stream.concat(TestFormats.enumerable(), java.util.stream.Stream.of("fp32", "tf32"));
    }

    private static Rounding rounding(String format, RoundingMode mode, boolean sat, boolean ftz) {
        return new Rounding(Format.of(format), mode, sat, ftz);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void zerosKeepTheirSignExceptInFnuz(String name) {
        for (RoundingMode mode : RoundingMode.values()) {
            // given
            Rounding r = rounding(name, mode, false, false);
            boolean hasNegativeZero = r.format().hasNegativeZero();

            // when / then
            assertTrue(TestFormats.same(0.0, r.round(0.0, 0)), mode.key());
            assertTrue(TestFormats.same(hasNegativeZero ? -0.0 : 0.0, r.round(-0.0, 0)), mode.key());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void nanStaysNaN(String name) {
        for (RoundingMode mode : RoundingMode.values()) {
            for (boolean sat : new boolean[] {false, true}) {
                Rounding r = rounding(name, mode, sat, true);
                assertTrue(Double.isNaN(r.round(Double.NaN, 0)), r.toString());
                assertTrue(Float.isNaN(r.round(Float.NaN, 0)), r.toString());
            }
        }
    }

    @Test
    void fnuzHasNoNegativeZeroEvenWhenANegativeValueRoundsToZero() {
        // given: 2^-12 is far below e4m3fnuz's smallest subnormal 2^-10
        Rounding rne = Rounding.nearest(Format.of("e4m3fnuz"));
        Rounding ftz = rounding("e4m3fnuz", RoundingMode.RNE, false, true);

        // then
        assertTrue(TestFormats.same(0.0, rne.round(-0x1p-12, 0)));
        assertTrue(TestFormats.same(0.0, ftz.round(-0x1p-9, 0)), "flushed negative subnormal is +0");
        assertEquals(Format.of("e4m3fnuz").encode(0.0), Format.of("e4m3fnuz").encode(rne.round(-0x1p-12, 0)));
    }

    @Test
    void negativeValueRoundingToZeroIsMinusZeroWhereThatExists() {
        Rounding rne = Rounding.nearest(Format.of("fp16"));
        assertTrue(TestFormats.same(-0.0, rne.round(-0x1p-26, 0)));
        Rounding rtz = rounding("e4m3", RoundingMode.RTZ, false, false);
        assertTrue(TestFormats.same(-0.0, rtz.round(-0x1p-10, 0)));
    }

    @Test
    void subnormalsAreGradual() {
        // given: fp16 subnormals are multiples of 2^-24 below 2^-14
        Rounding rne = Rounding.nearest(Format.of("fp16"));

        // then
        assertEquals(0x1p-24, rne.round(0x1p-24, 0));
        assertEquals(3 * 0x1p-24, rne.round(2.6 * 0x1p-24, 0));
        assertEquals(0x1p-24, rne.round(0.51 * 0x1p-24, 0));
        assertEquals(0.0, rne.round(0.5 * 0x1p-24, 0), "tie between 0 (even) and 2^-24 (odd)");
        assertEquals(2 * 0x1p-24, rne.round(1.5 * 0x1p-24, 0), "tie goes to the even 2·2^-24");
        assertEquals(0x1p-14 - 0x1p-24, rne.round(0x1p-14 - 0x1p-24, 0), "largest subnormal");
        assertEquals(0x1p-24, rounding("fp16", RoundingMode.RUP, false, false).round(Double.MIN_VALUE, 0));
        assertTrue(TestFormats.same(-0.0, rounding("fp16", RoundingMode.RUP, false, false).round(-Double.MIN_VALUE, 0)));
    }

    @Test
    void flushToZeroFlushesResultsBelowMinNormalAfterRounding() {
        // given
        Rounding ftz = rounding("fp16", RoundingMode.RNE, false, true);
        Rounding ftzUp = rounding("fp16", RoundingMode.RUP, false, true);
        double minNormal = 0x1p-14;

        // then: subnormal results become a zero of the same sign
        assertTrue(TestFormats.same(0.0, ftz.round(0x1p-20, 0)));
        assertTrue(TestFormats.same(-0.0, ftz.round(-0x1p-20, 0)));
        assertEquals(minNormal, ftz.round(minNormal, 0));
        // tininess after rounding: just below min normal rounds up to it under rne, so survives
        assertEquals(minNormal, ftz.round(minNormal - 0x1p-26, 0));
        // ... but the largest subnormal itself is flushed
        assertEquals(0.0, ftz.round(minNormal - 0x1p-24, 0));
        // rup lifts a tiny positive value to the smallest subnormal, which is then flushed
        assertEquals(0.0, ftzUp.round(Double.MIN_VALUE, 0));
        assertEquals(minNormal, ftzUp.round(minNormal - 0x1p-25, 0), "between the largest subnormal and min normal");
    }

    @Test
    void flushToZeroInAFormatWithoutNegativeZeroGivesPlusZero() {
        Rounding ftz = rounding("e5m2fnuz", RoundingMode.RNE, false, true);
        assertTrue(TestFormats.same(0.0, ftz.round(-0x1p-16, 0)));
    }

    @Test
    void nanInAnMxFormatStaysVisibleButCannotBeEncoded() {
        // given
        Format e2m1 = Format.of("e2m1");

        // when
        double r = Rounding.nearest(e2m1).round(Double.NaN, 0);

        // then
        assertTrue(Double.isNaN(r));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> e2m1.encode(r));
    }

    @Test
    void fp64IsTheCarrierItself() {
        // given
        Rounding plain = Rounding.nearest(Format.FP64);
        Rounding satFtz = new Rounding(Format.FP64, RoundingMode.RNE, true, true);

        // then
        assertEquals(0.1, plain.round(0.1, 0));
        assertEquals(Double.MIN_VALUE, plain.round(Double.MIN_VALUE, 0));
        assertTrue(TestFormats.same(-0.0, satFtz.round(-Double.MIN_VALUE, 0)));
        assertEquals(Double.MAX_VALUE, satFtz.round(Double.POSITIVE_INFINITY, 0));
        assertEquals(Double.POSITIVE_INFINITY, plain.add(Double.MAX_VALUE, Double.MAX_VALUE, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Rounding(Format.FP64, RoundingMode.RTZ, false, false));
    }
}
