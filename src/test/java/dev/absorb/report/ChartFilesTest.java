package dev.absorb.report;

import dev.absorb.results.Numbers;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChartFilesTest {

    @Test
    void svgNumbersAreRoundedToHundredthsAndIntegersKept() {
        assertEquals("<rect x=\"-37\" y=\"-170.51\" width=\"1100\"/><path d=\"M6.38,-1.92 L0,25\"/>",
                ChartFiles.roundCoordinates("<rect x=\"-37\" y=\"-170.51490131578947\" width=\"1100\"/>"
                        + "<path d=\"M6.375,-1.921875 L-0.001,2.5E1\"/>"));
        assertEquals("<clipPath id=\"clip-1350234112\">", ChartFiles.roundCoordinates("<clipPath id=\"clip-1350234112\">"));
    }

    @Test
    void logAxisTicksAreLabelledAsPowersOfTen() {
        assertEquals("1", Charts.powerOfTen(0));
        assertEquals("0.001", Charts.powerOfTen(-3));
        assertEquals("1000", Charts.powerOfTen(3));
        assertEquals("1e-40", Charts.powerOfTen(-40.0000000001));
        assertEquals("", Charts.powerOfTen(-2.5));
        assertEquals("2", RatioAxis.label(Math.log10(2)));
        assertEquals("0.5", RatioAxis.label(Math.log10(0.5)));
        assertEquals("1.3", RatioAxis.label(0.1));
    }

    @Test
    void logRangesAreWholeDecadesAroundThePositiveValues() {
        assertEquals(List.of(1e-36, 100.0), toList(Charts.logRange(List.of(new double[] {62.5, 0, Double.NaN},
                new double[] {3.7e-36}))));
        assertEquals(List.of(0.1, 1.0), toList(Charts.logRange(List.of(new double[] {Double.NaN}))));
    }

    @Test
    void numbersHaveFixedDigitsAndNoLocale() {
        assertEquals("745.133", Numbers.gap(745.1332191019412));
        assertEquals("12.5", Numbers.gap(12.5));
        assertEquals("0", Numbers.gap(-0.0));
        assertEquals("–", Numbers.gap(Double.NaN));
        assertEquals("17.3", Numbers.three(17.306953193107407));
        assertEquals("271000000", Numbers.three(271466091.6666667));
    }

    private static List<Double> toList(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
