package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RoundToOdd and Rounding.add / subtract / multiply / divide: the exact BigDecimal result,
 * rounded by the oracle, is what every mode must give, also for operands far apart.
 */
class ExactArithmeticTest {

    private enum Op { ADD, SUBTRACT, MULTIPLY, DIVIDE }

    private static final int SAMPLES = 2_500;

    private static BigDecimal exact(Op op, double a, double b) {
        BigDecimal x = new BigDecimal(a);
        BigDecimal y = new BigDecimal(b);
        switch (op) {
            case ADD: return x.add(y);
            case SUBTRACT: return x.subtract(y);
            case MULTIPLY: return x.multiply(y);
            default: return ExactRounding.quotient(a, b);
        }
    }

    private static double apply(Rounding r, Op op, double a, double b, int bits) {
        switch (op) {
            case ADD: return r.add(a, b, bits);
            case SUBTRACT: return r.subtract(a, b, bits);
            case MULTIPLY: return r.multiply(a, b, bits);
            default: return r.divide(a, b, bits);
        }
    }

    private static double roundToOdd(Op op, double a, double b) {
        switch (op) {
            case ADD: return RoundToOdd.sum(a, b);
            case SUBTRACT: return RoundToOdd.difference(a, b);
            case MULTIPLY: return RoundToOdd.product(a, b);
            default: return RoundToOdd.quotient(a, b);
        }
    }

    /** The sign of an exact zero result under IEEE 754 rules (x − x = +0 in the modes used). */
    private static boolean zeroIsNegative(Op op, double a, double b, RoundingMode mode) {
        switch (op) {
            case MULTIPLY:
            case DIVIDE:
                return (Double.doubleToRawLongBits(a) < 0) != (Double.doubleToRawLongBits(b) < 0);
            default:
                double bb = op == Op.SUBTRACT ? -b : b;
                boolean aNeg = Double.doubleToRawLongBits(a) < 0;
                boolean bNeg = Double.doubleToRawLongBits(bb) < 0;
                return aNeg && bNeg || (aNeg != bNeg || a == -bb) && mode == RoundingMode.RDN && aNeg && bNeg;
        }
    }

    /**
     * Random float operands (values of fp32, hence of every emulated format's carrier) with
     * exponents up to 2^±60 apart, so that one often lies far below the other's last bit.
     */
    private static float[][] operands(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] pairs = new float[SAMPLES][];
        for (int i = 0; i < SAMPLES; i++) {
            int ea = random.nextInt(-60, 60);
            int eb = random.nextInt(4) == 0 ? ea + random.nextInt(-3, 4) : random.nextInt(-60, 60);
            float a = Math.scalb(1 + (float) random.nextDouble(), ea);
            float b = Math.scalb(1 + (float) random.nextDouble(), eb);
            pairs[i] = new float[] {random.nextBoolean() ? a : -a, random.nextBoolean() ? b : -b};
        }
        return pairs;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ADD", "SUBTRACT", "MULTIPLY", "DIVIDE"})
    void roundToOddIsTheExactResultOrItsOddNeighbour(Op op) {
        for (float[] pair : operands(op.ordinal())) {
            // when
            double r = roundToOdd(op, pair[0], pair[1]);
            BigDecimal x = exact(op, pair[0], pair[1]);

            // then: exact, or odd and strictly between r's neighbours (so r is a neighbour of x)
            int cmp = new BigDecimal(r).compareTo(x);
            if (cmp != 0) {
                assertTrue((Double.doubleToRawLongBits(r) & 1) == 1, () -> op + " " + pair[0] + ", " + pair[1]);
                assertTrue(new BigDecimal(Math.nextDown(r)).compareTo(x) < 0);
                assertTrue(new BigDecimal(Math.nextUp(r)).compareTo(x) > 0);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "bf16, ADD", "bf16, SUBTRACT", "bf16, MULTIPLY", "bf16, DIVIDE",
            "fp16, ADD", "fp16, MULTIPLY", "fp16, DIVIDE",
            "e4m3, ADD", "e4m3, DIVIDE",
            "e5m2, SUBTRACT", "e2m1, MULTIPLY",
            "fp32, ADD", "fp32, SUBTRACT", "fp32, MULTIPLY", "fp32, DIVIDE",
            "tf32, ADD", "tf32, DIVIDE",
    })
    void operationsRoundTheExactResultOnce(String name, Op op) {
        // given
        Format f = Format.of(name);
        ExactRounding oracle = ExactRounding.of(f);
        List<String> failures = new ArrayList<>();

        for (float[] pair : operands(name.hashCode() * 31L + op.ordinal())) {
            // operands: values of the format, not far outside its range
            Rounding rne = Rounding.nearest(f);
            double a = rne.round(pair[0], 0);
            double b = rne.round(pair[1], 0);
            if (!Double.isFinite(a) || !Double.isFinite(b) || b == 0 && op == Op.DIVIDE) {
                continue;
            }
            BigDecimal x = exact(op, a, b);
            for (RoundingMode mode : RoundingMode.values()) {
                int bits = (int) Double.doubleToLongBits(a * 3 + b) * (mode.ordinal() + 1);
                // when
                double actual = apply(new Rounding(f, mode, false, false), op, a, b, bits);
                double expected = oracle.round(x, zeroIsNegative(op, a, b, mode), mode, bits);
                // then
                if (!TestFormats.same(expected, actual) && failures.size() < 20) {
                    failures.add(name + "/" + mode.key() + " " + op + " " + a + ", " + b + ": expected " + expected
                            + ", got " + actual);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fp32", "bf16", "fp16", "tf32"})
    void onePlusAFarSmallerValueGivesTheRightNeighbour(String name) {
        // given: 2^-100 is far below half an ulp of 1 in every format
        Format f = Format.of(name);
        double tiny = 0x1p-100;
        double ulpAboveOne = Math.scalb(1.0, -f.mantissaBits());
        double ulpBelowOne = ulpAboveOne / 2;

        // then
        assertEquals(1.0, new Rounding(f, RoundingMode.RTZ, false, false).add(1, tiny, 0));
        assertEquals(1.0 + ulpAboveOne, new Rounding(f, RoundingMode.RUP, false, false).add(1, tiny, 0));
        assertEquals(1.0, new Rounding(f, RoundingMode.RDN, false, false).add(1, tiny, 0));
        assertEquals(1.0, new Rounding(f, RoundingMode.RNE, false, false).add(1, tiny, 0));
        assertEquals(1.0 + ulpAboveOne, new Rounding(f, RoundingMode.RTO, false, false).add(1, tiny, 0));
        assertEquals(1.0 - ulpBelowOne, new Rounding(f, RoundingMode.RTZ, false, false).subtract(1, tiny, 0));
        assertEquals(1.0, new Rounding(f, RoundingMode.RUP, false, false).subtract(1, tiny, 0));
        assertEquals(1.0 - ulpBelowOne, new Rounding(f, RoundingMode.RDN, false, false).add(1, -tiny, 0));
        assertEquals(-1.0 - ulpAboveOne, new Rounding(f, RoundingMode.RDN, false, false).add(-1, -tiny, 0));
        // sr: the discarded fraction 2^-100/ulp is far below 2^-32, so bits 0 round up, others not
        assertEquals(1.0 + ulpAboveOne, new Rounding(f, RoundingMode.SR, false, false).add(1, tiny, 0));
        assertEquals(1.0, new Rounding(f, RoundingMode.SR, false, false).add(1, tiny, 1));
    }

    @Test
    void naiveDoubleAdditionWouldGetItWrong() {
        // 1 + 2^-100 in double is exactly 1, so rounding the double sum up would give 1 in bf16
        assertEquals(1.0, 1.0 + 0x1p-100);
        assertEquals(1 + 0x1p-7, new Rounding(Format.of("bf16"), RoundingMode.RUP, false, false).add(1, 0x1p-100, 0));
    }

    @Test
    void doubleRoundingTrapUnderRne() {
        // bf16: 1 + 2^-8 is a tie; 1 + 2^-8 + 2^-60 is just above it and must round up
        Rounding rne = Rounding.nearest(Format.of("bf16"));
        assertEquals(1.0, rne.add(1, 0x1p-8, 0));
        assertEquals(1 + 0x1p-7, rne.add(1 + 0x1p-8, 0x1p-60, 0));
        assertEquals(1.0, rne.add(1 + 0x1p-8, -0x1p-60, 0));
    }

    @Test
    void divisionAndMultiplicationBySpecialOperands() {
        Rounding rne = Rounding.nearest(Format.of("fp16"));
        assertEquals(Double.POSITIVE_INFINITY, rne.divide(1, 0, 0));
        assertEquals(Double.NEGATIVE_INFINITY, rne.divide(1, -0.0, 0));
        assertTrue(Double.isNaN(rne.divide(0, 0, 0)));
        assertTrue(TestFormats.same(-0.0, rne.divide(-1, Double.POSITIVE_INFINITY, 0)));
        assertTrue(Double.isNaN(rne.multiply(0, Double.POSITIVE_INFINITY, 0)));
        assertTrue(TestFormats.same(-0.0, rne.multiply(-0.0, 5, 0)));
        assertTrue(Double.isNaN(rne.add(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0)));
        assertEquals(65504.0, new Rounding(Format.of("fp16"), RoundingMode.RNE, true, false).add(60000, 60000, 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fp32", "e8m21", "e8m20", "tf32", "bf16", "fp16"})
    void srOperationsCompareTheThresholdWithTheExactResult(String name) {
        // given: far-apart operands leave a discarded fraction far below 2^-32, or just above
        // a multiple of it; small thresholds u are the ones a truncated fraction gets wrong
        Format f = Format.of(name);
        Rounding sr = new Rounding(f, RoundingMode.SR, false, false);
        ExactRounding oracle = ExactRounding.of(f);
        SplittableRandom random = new SplittableRandom(17);
        List<String> failures = new ArrayList<>();

        for (int i = 0; i < SAMPLES; i++) {
            double a = Rounding.nearest(f).round(Math.scalb(1 + random.nextDouble(), random.nextInt(-20, 20)), 0);
            double b = Rounding.nearest(f).round(Math.scalb(1 + random.nextDouble(), random.nextInt(-90, 20)), 0);
            b = random.nextBoolean() ? b : -b;
            if (b == 0 || !Double.isFinite(a) || !Double.isFinite(b)) {
                continue; // out of a narrow format's range
            }
            int bits = random.nextBoolean() ? random.nextInt(64) : random.nextInt();
            for (Op op : Op.values()) {
                // when
                double actual = apply(sr, op, a, b, bits);
                double expected = oracle.round(exact(op, a, b), false, RoundingMode.SR, bits);
                // then
                if (!TestFormats.same(expected, actual) && failures.size() < 20) {
                    failures.add(op + " " + a + ", " + b + " bits " + bits + ": expected " + expected + ", got " + actual);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures::toString);
    }
}
