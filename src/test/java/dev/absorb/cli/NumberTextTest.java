package dev.absorb.cli;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NumberTextTest {

    @Test
    void formatsLikeJava19DoubleToString() {
        assertEquals("0.5", NumberText.format(0.5));
        assertEquals("448.0", NumberText.format(448));
        assertEquals("0.001", NumberText.format(0.001));
        assertEquals("9.999999999E-4", NumberText.format(9.999999999E-4));
        assertEquals("9999999.0", NumberText.format(9999999));
        assertEquals("1.0E7", NumberText.format(1e7));
        assertEquals("1.0E-10", NumberText.format(1e-10));
        assertEquals("0.30000000000000004", NumberText.format(0.1 + 0.2));
        assertEquals("-0.0", NumberText.format(-0.0));
        assertEquals("0.0", NumberText.format(0.0));
        assertEquals("NaN", NumberText.format(Double.NaN));
        assertEquals("Infinity", NumberText.format(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", NumberText.format(Double.NEGATIVE_INFINITY));
        assertEquals("4.9E-324", NumberText.format(Double.MIN_VALUE));
        assertEquals("1.7976931348623157E308", NumberText.format(Double.MAX_VALUE));
        // JDK 17's Double.toString prints these two longer than necessary.
        assertEquals("1.0E23", NumberText.format(1e23));
        assertEquals("2.0E23", NumberText.format(2e23));
        assertEquals("8.41E21", NumberText.format(8.41e21));
        assertEquals("1.231615201074217E18", NumberText.format(Double.longBitsToDouble(0x43b1179380000000L)));
    }

    @Test
    void roundTripsAndEqualsDoubleToStringWhereThatIsShortest() {
        SplittableRandom random = new SplittableRandom(42);
        boolean shortestJdk = Runtime.version().feature() >= 19;
        for (int i = 0; i < 50_000; i++) {
            double x = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : Float.intBitsToFloat(random.nextInt());
            if (Double.isNaN(x)) {
                continue;
            }
            String text = NumberText.format(x);
            assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(Double.parseDouble(text)), text);
            if (shortestJdk) {
                assertEquals(Double.toString(x), text);
            }
        }
    }

    @Test
    void parsesDecimalHexAndSpecials() {
        assertEquals(12.0, NumberText.parse("0x1.8p3"));
        assertEquals(-2.5, NumberText.parse("  -2.5\t"));
        assertEquals(1e-10, NumberText.parse("1e-10"));
        assertEquals(Double.POSITIVE_INFINITY, NumberText.parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, NumberText.parse("-Infinity"));
        assertEquals(Double.POSITIVE_INFINITY, NumberText.parse("+INF"));
        assertEquals(Double.NaN, NumberText.parse("nan"));
        assertEquals(Double.NaN, NumberText.parse("NaN"));
        assertThrows(NumberFormatException.class, () -> NumberText.parse("0.1f"));
        assertThrows(NumberFormatException.class, () -> NumberText.parse("2d"));
        assertThrows(NumberFormatException.class, () -> NumberText.parse("abc"));
        assertThrows(NumberFormatException.class, () -> NumberText.parse(""));
    }
}
