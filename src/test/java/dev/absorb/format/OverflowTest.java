package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Overflow and infinite inputs, DESIGN.md §2 and REFERENCES.md: past max finite a format with
 * inf overflows to inf (from the midpoint up, under rne), fn/fnuz formats to NaN, MX formats and
 * sat=on saturate, and modes rounding toward zero stop at max.
 */
class OverflowTest {

    private static double round(String format, String mode, boolean sat, double x) {
        return new Rounding(Format.of(format), RoundingMode.of(mode), sat, false).round(x, 0);
    }

    @ParameterizedTest(name = "{0}/{1} sat={2}: {3} -> {4}")
    @CsvSource({
            // e4m3: 464 is the midpoint of 448 (S.1111.110, even) and the NaN code; ties to even
            "e4m3, rne, false, 464, 448",
            "e4m3, rne, false, 463.9, 448",
            "e4m3, rne, false, 465, NaN",
            "e4m3, rne, true, 465, 448",
            "e4m3, rne, true, 1e30, 448",
            "e4m3, rna, false, 464, NaN",
            "e4m3, rtz, false, 1e30, 448",
            "e4m3, rto, false, 470, 448",
            "e4m3, rup, false, 449, NaN",
            "e4m3, rdn, false, 1e6, 448",
            "e4m3, rdn, false, -449, NaN",
            "e4m3, rup, false, -1e6, -448",
            "e4m3, rne, false, -465, NaN",
            "e4m3, rne, true, -465, -448",
            // fp16: max 65504, next power 65536, midpoint 65520
            "fp16, rne, false, 65519.99, 65504",
            "fp16, rne, false, 65520, Infinity",
            "fp16, rne, false, -65520, -Infinity",
            "fp16, rne, true, 65520, 65504",
            "fp16, rtz, false, 1e10, 65504",
            "fp16, rup, false, 65504.5, Infinity",
            "fp16, rdn, false, 65504.5, 65504",
            "fp16, rdn, false, -65504.5, -Infinity",
            // e5m2: 58000 is below the midpoint 61440 of 57344 and 65536
            "e5m2, rne, false, 58000, 57344",
            "e5m2, rne, false, 61439, 57344",
            "e5m2, rne, false, 61440, Infinity",
            "e5m2, rne, true, 61440, 57344",
            // fnuz formats overflow to NaN
            "e4m3fnuz, rne, false, 247, 240",
            "e4m3fnuz, rne, false, 248, NaN",
            "e4m3fnuz, rne, true, 1000, 240",
            "e5m2fnuz, rne, false, 1e6, NaN",
            "e4m3b11fnuz, rne, false, 30.9, 30",
            "e4m3b11fnuz, rne, false, 31, NaN", // tie: 30 = 1.111b·2^4 is odd
            "e4m3b11fnuz, rne, false, 32, NaN",
            "e3m4, rne, false, 15.75, Infinity",
            "e3m4, rne, false, 15.74, 15.5",
            // MX formats always saturate, whatever the mode
            "e3m2, rne, false, 1e9, 28",
            "e3m2, rup, false, 28.1, 28",
            "e2m3, rna, false, -7.75, -7.5",
            "e2m1, rne, false, 7, 6",
            "e2m1, rup, false, 6.5, 6",
            "e2m1, rdn, false, -100, -6",
            // the wide formats
            "bf16, rne, false, 3.4e38, Infinity",
            "bf16, rne, false, 3.39e38, 3.3895313892515355e38",
            "fp32, rne, false, 3.4028235677973366e38, Infinity",
            "fp32, rtz, false, 1e300, 3.4028234663852886e38",
    })
    void overflow(String format, String mode, boolean sat, double x, double expected) {
        assertEquals(expected, round(format, mode, sat, x));
    }

    @ParameterizedTest(name = "{0} sat={1}: +inf -> {2}")
    @CsvSource({
            "e4m3, false, NaN",
            "e4m3, true, 448",
            "e4m3fnuz, false, NaN",
            "e4m3fnuz, true, 240",
            "e5m2fnuz, false, NaN",
            "e4m3b11fnuz, true, 30",
            "fp16, false, Infinity",
            "e5m2, false, Infinity",
            "bf16, false, Infinity",
            "e3m2, false, 28",
            "e2m3, false, 7.5",
            "e2m1, false, 6",
            "e2m1, true, 6",
    })
    void infinityInput(String format, boolean sat, double expected) {
        for (String mode : new String[] {"rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "srh"}) {
            assertEquals(expected, round(format, mode, sat, Double.POSITIVE_INFINITY), mode);
            assertEquals(-expected, round(format, mode, sat, Double.NEGATIVE_INFINITY), mode);
        }
    }

    @Test
    void saturatingConversionMapsInfinityToMaxAlsoForFormatsWithInf() {
        // OCP OFP8 saturating conversion: ±inf -> ±max finite, also for e5m2 and fp16
        assertEquals(57344.0, round("e5m2", "rne", true, Double.POSITIVE_INFINITY));
        assertEquals(-65504.0, round("fp16", "rne", true, Double.NEGATIVE_INFINITY));
    }

    @Test
    void stochasticRoundingPastTheTopOverflows() {
        // given: 450 in e4m3 is 448 + 1/16 ulp; bits 0 always round up
        Rounding sr = new Rounding(Format.of("e4m3"), RoundingMode.SR, false, false);
        Rounding srSat = new Rounding(Format.of("e4m3"), RoundingMode.SR, true, false);

        // then
        assertEquals(Double.NaN, sr.round(450, 0));
        assertEquals(448.0, sr.round(450, -1));
        assertEquals(448.0, srSat.round(450, 0));
    }
}
