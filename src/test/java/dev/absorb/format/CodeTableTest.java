package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every code of every format of at most 16 bits: decode and encode are inverse, positive codes
 * are ordered as their values, and the values are exactly those the oracle derives from the
 * format's parameters.
 */
class CodeTableTest {

    static java.util.stream.Stream<String> formats() {
        return TestFormats.enumerable();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void decodeThenEncodeGivesTheCodeBackExceptForNaN(String name) {
        // given
        Format f = Format.of(name);
        List<String> failures = new ArrayList<>();

        // when / then
        for (long code = 0; code < TestFormats.codeCount(f); code++) {
            double v = f.decode(code);
            long back = f.encode(v);
            if (Double.isNaN(v)) {
                if (!Double.isNaN(f.decode(back))) {
                    failures.add("NaN code " + Long.toHexString(code) + " re-encodes to non-NaN " + Long.toHexString(back));
                }
            } else if (back != code) {
                failures.add(Long.toHexString(code) + " -> " + v + " -> " + Long.toHexString(back));
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures, first: " + failures.subList(0, Math.min(10, failures.size())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void nanAndInfinityCodesAreWhereTheSpecialsSay(String name) {
        // given
        Format f = Format.of(name);
        int m = f.mantissaBits();
        long signBit = 1L << (f.exponentBits() + m);
        long expAllOnes = ((1L << f.exponentBits()) - 1) << m;

        // when
        int nans = 0;
        int infinities = 0;
        for (long code = 0; code < TestFormats.codeCount(f); code++) {
            double v = f.decode(code);
            nans += Double.isNaN(v) ? 1 : 0;
            infinities += Double.isInfinite(v) ? 1 : 0;
        }

        // then
        switch (f.specials()) {
            case IEEE:
                assertEquals(2 * ((1 << m) - 1), nans, "IEEE: every nonzero mantissa under the all-ones exponent");
                assertEquals(2, infinities);
                assertEquals(Double.POSITIVE_INFINITY, f.decode(expAllOnes));
                assertEquals(Double.NEGATIVE_INFINITY, f.decode(signBit | expAllOnes));
                break;
            case FN:
                assertEquals(2, nans, "fn: S.1111.111 only");
                assertEquals(0, infinities);
                assertTrue(Double.isNaN(f.decode(signBit - 1)));
                assertTrue(Double.isNaN(f.decode(2 * signBit - 1)));
                break;
            case FNUZ:
                assertEquals(1, nans, "fnuz: 0x80 only");
                assertEquals(0, infinities);
                assertTrue(Double.isNaN(f.decode(signBit)));
                break;
            default:
                assertEquals(0, nans, "MX: no NaN");
                assertEquals(0, infinities);
        }
        if (f.hasNaN()) {
            assertTrue(Double.isNaN(f.decode(f.encode(Double.NaN))), "canonical NaN decodes to NaN");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void positiveCodesAreStrictlyIncreasingUpToMaxFinite(String name) {
        // given
        Format f = Format.of(name);
        long maxCode = f.maxFiniteCode();

        // then
        assertEquals(0.0, f.decode(0));
        assertTrue(TestFormats.same(0.0, f.decode(0)), "code 0 is +0");
        for (long code = 1; code <= maxCode; code++) {
            double previous = f.decode(code - 1);
            double current = f.decode(code);
            if (!(previous < current)) {
                fail(name + ": decode(" + Long.toHexString(code) + ") = " + current + " is not above " + previous);
            }
        }
        assertEquals(f.maxFinite(), f.decode(maxCode));
        long signBit = 1L << (f.storageBits() - 1);
        if (maxCode + 1 < signBit) {
            double above = f.decode(maxCode + 1);
            assertTrue(Double.isNaN(above) || Double.isInfinite(above), "the code after max finite is inf or NaN");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void negativeCodesAreTheNegatedPositiveCodes(String name) {
        Format f = Format.of(name);
        long signBit = 1L << (f.storageBits() - 1);
        for (long code = 0; code < signBit; code++) {
            double positive = f.decode(code);
            double negative = f.decode(code | signBit);
            if (code == 0 && !f.hasNegativeZero()) {
                assertTrue(Double.isNaN(negative), "fnuz: 1.000 is NaN, not -0");
            } else if (Double.isNaN(positive)) {
                assertTrue(Double.isNaN(negative));
            } else {
                assertTrue(TestFormats.same(-positive, negative), Long.toHexString(code | signBit));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void decodedValuesAreExactlyTheOraclesEnumeration(String name) {
        // given
        Format f = Format.of(name);
        List<BigDecimal> expected = ExactRounding.of(f).nonnegativeValues();

        // then
        assertEquals(expected.size() - 1, f.maxFiniteCode(), "number of positive finite codes");
        for (int code = 0; code < expected.size(); code++) {
            assertEquals(0, expected.get(code).compareTo(new BigDecimal(f.decode(code))),
                    () -> "value of code " + Long.toHexString(f.maxFiniteCode()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void neighboursOfEveryMidpointAreConsecutiveCodes(String name) {
        // given
        Format f = Format.of(name);
        ExactRounding exact = ExactRounding.of(f);

        // then: the oracle's grid agrees with the code table between every pair of codes
        for (long code = 0; code < f.maxFiniteCode(); code++) {
            double lo = f.decode(code);
            double hi = f.decode(code + 1);
            BigDecimal[] n = exact.neighbours(new BigDecimal(lo + (hi - lo) / 2));
            if (n[0].compareTo(new BigDecimal(lo)) != 0 || n[1].compareTo(new BigDecimal(hi)) != 0) {
                fail(name + ": neighbours of the midpoint of " + lo + " and " + hi + " are " + n[0] + ", " + n[1]);
            }
        }
    }
}
