package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** encode accepts exactly the values of the format and refuses everything else. */
class EncodeTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "fp16, 1.00048828125",      // 1 + 2^-11: needs 11 fraction bits
            "fp16, 65505",
            "fp16, 65536",
            "fp16, 2.9802322387695312E-8", // 2^-25, below the smallest subnormal
            "bf16, 1.00390625",         // 1 + 2^-8
            "e4m3, 449",
            "e4m3, 480",                // the value the NaN code would have
            "e4m3, Infinity",
            "e4m3, 0.0009765625",       // 2^-10
            "e4m3fnuz, -0.0",
            "e4m3fnuz, 256",
            "e5m2fnuz, -Infinity",
            "e4m3b11fnuz, 32",
            "e3m4, 1.03125",            // 1 + 2^-5
            "e3m2, 1.125",
            "e3m2, 32",
            "e2m3, 8",
            "e2m1, 2.5",
            "e2m1, 5",
            "e2m1, 0.25",
            "e2m1, NaN",
            "e2m1, Infinity",
            "e3m2, NaN",
            "tf32, 1.00006103515625",   // 1 + 2^-14
            "fp32, 0.1",
    })
    void nonRepresentableValuesAreRejected(String format, double value) {
        Format f = Format.of(format);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.encode(value));
        assertTrue(e.getMessage().contains(format), e.getMessage());
    }

    @Test
    void representableEdgeValuesAreAccepted() {
        assertEquals(0x7BFF, Format.of("fp16").encode(65504));
        assertEquals(0x7C00, Format.of("fp16").encode(Double.POSITIVE_INFINITY));
        assertEquals(0x8000, Format.of("fp16").encode(-0.0));
        assertEquals(0x0001, Format.of("fp16").encode(0x1p-24));
        assertEquals(0x7E, Format.of("e4m3").encode(448));
        assertEquals(0xFE, Format.of("e4m3").encode(-448));
        assertEquals(0x7F, Format.of("e4m3").encode(Double.NaN));
        assertEquals(0x80, Format.of("e4m3fnuz").encode(Double.NaN));
        assertEquals(0x7B, Format.of("e5m2").encode(57344));
        assertEquals(0x7, Format.of("e2m1").encode(6));
        assertEquals(0xF, Format.of("e2m1").encode(-6));
        assertEquals(Float.floatToRawIntBits(0.1f), Format.FP32.encode(0.1f));
    }

    @Test
    void everyRoundingResultOfASmallFormatCanBeEncoded() {
        // given: random inputs over the whole range of each 8-bit format
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (String name : TestFormats.SMALL) {
            Format f = Format.of(name);
            for (RoundingMode mode : RoundingMode.values()) {
                Rounding r = new Rounding(f, mode, false, false);
                for (int i = 0; i < 2000; i++) {
                    double x = (random.nextDouble() * 2 - 1) * f.maxFinite() * Math.pow(2, -random.nextInt(20));
                    double rounded = r.round(x, random.nextInt());
                    if (Double.isNaN(rounded) && !f.hasNaN()) {
                        continue; // cannot happen for finite x: MX formats saturate
                    }
                    // when / then: no exception, and the code decodes to the same value
                    long code = f.encode(rounded);
                    assertTrue(TestFormats.same(rounded, f.decode(code)) || Double.isNaN(rounded), r + " " + x);
                }
            }
        }
    }
}
