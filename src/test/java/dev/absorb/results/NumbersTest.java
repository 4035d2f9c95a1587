package dev.absorb.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one number printer: each flavour on the values that tell them apart. */
class NumbersTest {

    @Test
    void readableKeepsFourSignificantDigitsWithoutExponent() {
        assertEquals("80510", Numbers.readable(80512.3));
        assertEquals("2.515", Numbers.readable(2.5149));
        assertEquals("0.0006123", Numbers.readable(6.1234e-4));
        assertEquals("12000000", Numbers.readable(1.2e7));
        assertEquals("0", Numbers.readable(-0.0));
        assertEquals("NaN", Numbers.readable(Double.NaN));
        assertEquals("80510 ± 1234", Numbers.withError(80512.3, 1234.4));
        assertEquals("2.5", Numbers.withError(2.5, Double.NaN));
    }

    @Test
    void cellsKeepWholeUnitsAndUseAnExponentAtTheExtremes() {
        assertEquals("81235", Numbers.cell(81234.6));
        assertEquals("2.346", Numbers.cell(2.34567));
        assertEquals("0.001235", Numbers.cell(0.00123456));
        assertEquals("1.235e-05", Numbers.cell(1.23456e-5));
        assertEquals("1.000e+12", Numbers.cell(1e12));
        assertEquals("n/a", Numbers.cell(Double.NaN));
        assertEquals("-inf", Numbers.cell(Double.NEGATIVE_INFINITY));
    }

    @Test
    void pagesShowMissingAndInfiniteValuesAsSymbols() {
        assertEquals("12.5", Numbers.gap(12.5));
        assertEquals("745.133", Numbers.gap(745.1332191019412));
        assertEquals("1.23", Numbers.three(1.2345));
        assertEquals(Numbers.NONE, Numbers.three(Double.NaN));
        assertEquals("∞", Numbers.gap(Double.POSITIVE_INFINITY));
    }

    @Test
    void pValuesAndPercentages() {
        assertEquals("0.012", Numbers.p(0.01234));
        assertEquals("1", Numbers.p(0.996));
        assertEquals("95 %", Numbers.percent(0.95, 3));
        assertEquals("10 %", Numbers.percent(0.1, 6));
    }

    @Test
    void accuracyFiguresSwitchToAnExponentBelowOneTenThousandth() {
        assertEquals("0.969", Numbers.compact(0.96912));
        assertEquals("0.000123", Numbers.compact(0.00012345));
        assertEquals("4.26e-5", Numbers.compact(4.2573e-5));
        assertEquals("-3e-7", Numbers.compact(-3.0e-7));
        assertEquals("1.46e-12", Numbers.compact(1.4623e-12));
        assertEquals("30.8", Numbers.compact(30.8125));
        assertEquals("0", Numbers.compact(0));
        assertEquals("inf", Numbers.compact(Double.POSITIVE_INFINITY));
        assertEquals("NaN", Numbers.compact(Double.NaN));
    }
}
