package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The oracle itself, on cases worked out by hand, so that agreement with it means something.
 */
class ExactRoundingTest {

    private static final ExactRounding E2M1 = ExactRounding.of(Format.of("e2m1"));
    private static final ExactRounding FP16 = ExactRounding.of(Format.of("fp16"));

    @Test
    void e2m1GridByHand() {
        // 0, 0.5 | 1, 1.5 | 2, 3 | 4, 6: quanta 0.5, 0.5, 1, 2
        assertEquals(-1, E2M1.quantumExponent(new BigDecimal("0.3"))); // subnormal quantum 2^-1
        assertEquals(-1, E2M1.quantumExponent(new BigDecimal("1.2")));
        assertEquals(0, E2M1.quantumExponent(new BigDecimal("2.5")));
        assertEquals(1, E2M1.quantumExponent(new BigDecimal("5")));
        BigDecimal[] n = E2M1.neighbours(new BigDecimal("5"));
        assertEquals(0, n[0].compareTo(BigDecimal.valueOf(4)));
        assertEquals(0, n[1].compareTo(BigDecimal.valueOf(6)));
    }

    @Test
    void tiesByHandInE2m1() {
        // 2.5 lies between 2 (significand 1.0, even) and 3 (1.1, odd)
        assertEquals(2.0, E2M1.round(2.5, RoundingMode.RNE));
        assertEquals(3.0, E2M1.round(2.5, RoundingMode.RNA));
        assertEquals(3.0, E2M1.round(2.5, RoundingMode.RTO));
        // 3.5 lies between 3 (odd) and 4 (even)
        assertEquals(4.0, E2M1.round(3.5, RoundingMode.RNE));
        assertEquals(3.0, E2M1.round(3.5, RoundingMode.RTO));
        assertEquals(-4.0, E2M1.round(-3.5, RoundingMode.RNE));
        assertEquals(-4.0, E2M1.round(-3.5, RoundingMode.RNA));
        // 0.25 lies between 0 (even) and 0.5 (odd)
        assertEquals(0.0, E2M1.round(0.25, RoundingMode.RNE));
        assertEquals(-0.0, E2M1.round(-0.25, RoundingMode.RNE));
        assertEquals(0.5, E2M1.round(0.25, RoundingMode.RNA));
    }

    @Test
    void directedModesByHand() {
        assertEquals(4.0, E2M1.round(3.1, RoundingMode.RUP));
        assertEquals(3.0, E2M1.round(3.1, RoundingMode.RDN));
        assertEquals(-3.0, E2M1.round(-3.1, RoundingMode.RUP));
        assertEquals(-4.0, E2M1.round(-3.1, RoundingMode.RDN));
        assertEquals(-3.0, E2M1.round(-3.9, RoundingMode.RTZ));
    }

    @Test
    void mxSaturatesAndIeeeOverflowsByHand() {
        assertEquals(6.0, E2M1.round(1e9, RoundingMode.RNE));
        assertEquals(-6.0, E2M1.round(Double.NEGATIVE_INFINITY, RoundingMode.RNE));
        assertEquals(65504.0, FP16.round(65519.99, RoundingMode.RNE));
        assertEquals(Double.POSITIVE_INFINITY, FP16.round(65520, RoundingMode.RNE));
        assertEquals(65504.0, FP16.round(1e9, RoundingMode.RTZ));
        assertEquals(Double.NEGATIVE_INFINITY, FP16.round(-65505, RoundingMode.RDN));
    }

    @Test
    void stochasticThresholdByHand() {
        // 1 + 1/4 ulp in fp16: up iff u·2^-32 < 1/4, i.e. u < 2^30
        double x = 1 + 0x1p-12;
        assertEquals(1 + 0x1p-10, FP16.round(x, RoundingMode.SR, (1 << 30) - 1));
        assertEquals(1.0, FP16.round(x, RoundingMode.SR, 1 << 30));
        assertEquals(1 + 0x1p-10, FP16.round(x, RoundingMode.SRH, Integer.MIN_VALUE));
        assertEquals(1.0, FP16.round(x, RoundingMode.SRH, Integer.MAX_VALUE));
    }

    @Test
    void quotientProxyIsExactWhenTheQuotientIsAndOtherwiseJustAboveTheTruncation() {
        assertEquals(0, ExactRounding.quotient(3, 1.5).compareTo(BigDecimal.valueOf(2)));
        BigDecimal third = ExactRounding.quotient(1, 3);
        assertTrue(third.compareTo(new BigDecimal("0.33333333333333333333")) > 0);
        assertTrue(third.compareTo(new BigDecimal("0.33333333333333333334")) < 0);
        assertTrue(ExactRounding.quotient(-1, 3).compareTo(third.negate()) == 0);
    }

    @Test
    void floorLog2ByHand() {
        assertEquals(0, ExactRounding.floorLog2(BigDecimal.ONE));
        assertEquals(-1, ExactRounding.floorLog2(new BigDecimal("0.99")));
        assertEquals(10, ExactRounding.floorLog2(BigDecimal.valueOf(2047)));
        assertEquals(11, ExactRounding.floorLog2(BigDecimal.valueOf(2048)));
        assertEquals(-1074, ExactRounding.floorLog2(new BigDecimal(Double.MIN_VALUE)));
        assertEquals(1023, ExactRounding.floorLog2(new BigDecimal(Double.MAX_VALUE)));
    }
}
