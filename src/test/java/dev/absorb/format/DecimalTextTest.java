package dev.absorb.format;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecimalTextTest {

    @Test
    void formatsLikeJava19DoubleToString() {
        assertEquals("0.5", DecimalText.format(0.5));
        assertEquals("448.0", DecimalText.format(448));
        assertEquals("0.001", DecimalText.format(0.001));
        assertEquals("9.999999999E-4", DecimalText.format(9.999999999E-4));
        assertEquals("9999999.0", DecimalText.format(9999999));
        assertEquals("1.0E7", DecimalText.format(1e7));
        assertEquals("1.0E-10", DecimalText.format(1e-10));
        assertEquals("0.30000000000000004", DecimalText.format(0.1 + 0.2));
        assertEquals("-0.0", DecimalText.format(-0.0));
        assertEquals("0.0", DecimalText.format(0.0));
        assertEquals("NaN", DecimalText.format(Double.NaN));
        assertEquals("Infinity", DecimalText.format(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", DecimalText.format(Double.NEGATIVE_INFINITY));
        assertEquals("4.9E-324", DecimalText.format(Double.MIN_VALUE));
        assertEquals("1.7976931348623157E308", DecimalText.format(Double.MAX_VALUE));
        // JDK 17's Double.toString prints these two longer than necessary.
        assertEquals("1.0E23", DecimalText.format(1e23));
        assertEquals("2.0E23", DecimalText.format(2e23));
        assertEquals("8.41E21", DecimalText.format(8.41e21));
        assertEquals("1.231615201074217E18", DecimalText.format(Double.longBitsToDouble(0x43b1179380000000L)));
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
            String text = DecimalText.format(x);
            assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(Double.parseDouble(text)), text);
            if (shortestJdk) {
                assertEquals(Double.toString(x), text);
            }
        }
    }

    @Test
    void parsesDecimalHexAndSpecials() {
        assertEquals(12.0, DecimalText.parse("0x1.8p3"));
        assertEquals(-2.5, DecimalText.parse("  -2.5\t"));
        assertEquals(1e-10, DecimalText.parse("1e-10"));
        assertEquals(Double.POSITIVE_INFINITY, DecimalText.parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, DecimalText.parse("-Infinity"));
        assertEquals(Double.POSITIVE_INFINITY, DecimalText.parse("+INF"));
        assertEquals(Double.NaN, DecimalText.parse("nan"));
        assertEquals(Double.NaN, DecimalText.parse("NaN"));
        assertThrows(NumberFormatException.class, () -> DecimalText.parse("0.1f"));
        assertThrows(NumberFormatException.class, () -> DecimalText.parse("2d"));
        assertThrows(NumberFormatException.class, () -> DecimalText.parse("abc"));
        assertThrows(NumberFormatException.class, () -> DecimalText.parse(""));
    }
}
