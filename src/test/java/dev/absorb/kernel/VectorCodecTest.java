package dev.absorb.kernel;

import dev.absorb.format.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VectorCodec} against {@link Format#decode} and {@link Format#encode}, exhaustively: every
 * code of every format of at most 16 bits that absorb names, and of custom formats of each kind,
 * decoded and encoded back, bit for bit.
 */
class VectorCodecTest {

    private static final int WIDTH = VectorWidth.FLOATS.length();

    static Stream<Format> formats() {
        List<Format> all = new ArrayList<>();
        for (Format f : Format.named()) {
            if (VectorCodec.supports(f)) {
                all.add(f);
            }
        }
        // Custom ones: 9 bits (short storage, sign in bit 8), 16 bits with fn, 3 and 4 bits with
        // and without fn, and e8m7 (bf16's twin, IEEE with float's exponent).
        for (String name : List.of("e5m3", "e6m9fn", "e7m8", "e2m1fn", "e2m2", "e3m3fn", "e8m7", "e8m2")) {
            all.add(Format.of(name));
        }
        return all.stream();
    }

    @Test
    void coversTheFormatsTheBriefNames() {
        for (String name : List.of("bf16", "fp16", "e5m2", "e4m3", "e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz", "e3m4",
                "e3m2", "e2m3", "e2m1")) {
            assertTrue(formats().anyMatch(f -> f.name().equals(name)), name);
        }
        for (String name : List.of("fp32", "tf32", "fp64", "e8m3fn", "e5m12")) {
            assertFalse(VectorCodec.supports(Format.of(name)), name);
            assertThrows(IllegalArgumentException.class, () -> new VectorCodec(Format.of(name)), name);
        }
    }

    /**
     * Every stored pattern (all 2^16 shorts, or all 2^8 bytes — bits above the format's width
     * included, which only count nothing) decodes to Format.decode's value, and that value
     * encodes to Format.encode's code.
     */
    @ParameterizedTest
    @MethodSource("formats")
    void everyCodeDecodesAndEncodesAsTheFormatDoes(Format format) {
        VectorCodec codec = new VectorCodec(format);
        boolean bytes = VectorCodec.storageWidth(format) == Byte.SIZE;
        int count = bytes ? 1 << 8 : 1 << 16;
        int mask = (1 << format.storageBits()) - 1;
        float[] values = new float[count];
        int[] encoded = new int[count];
        if (bytes) {
            byte[] codes = new byte[count];
            for (int c = 0; c < count; c++) {
                codes[c] = (byte) c;
            }
            codec.decode(codes, count, values);
            byte[] back = new byte[count];
            codec.encode(values, count, back);
            for (int c = 0; c < count; c++) {
                encoded[c] = back[c] & 0xFF;
            }
        } else {
            short[] codes = new short[count];
            for (int c = 0; c < count; c++) {
                codes[c] = (short) c;
            }
            codec.decode(codes, count, values);
            short[] back = new short[count];
            codec.encode(values, count, back);
            for (int c = 0; c < count; c++) {
                encoded[c] = back[c] & 0xFFFF;
            }
        }
        for (int c = 0; c < count; c++) {
            double expected = format.decode(c);
            String where = format + " code 0x" + Integer.toHexString(c);
            if (Double.isNaN(expected)) {
                assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(values[c]), where + ": canonical NaN");
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(values[c]), where + " decodes to " + values[c]);
            }
            assertEquals(format.encode(expected), encoded[c], where + " encodes back");
            if (!Double.isNaN(expected)) {
                assertEquals(c & mask, encoded[c], where + " round trip");
            }
            assertEquals(Float.floatToRawIntBits(codec.decodeScalar(c)), Float.floatToRawIntBits(values[c]), where + " scalar twin");
            assertEquals(encoded[c], codec.encodeScalar(values[c]), where + " scalar twin encodes");
        }
    }

    /** What Format.encode refuses: the choices of docs/decisions.md, "Storage codes". */
    @ParameterizedTest
    @MethodSource("formats")
    void valuesFormatEncodeRefusesGetTheDocumentedCodes(Format format) {
        VectorCodec codec = new VectorCodec(format);
        float[] values = {Float.NaN, Float.intBitsToFloat(0xFFC0_0001), -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int[] codes = encode(codec, values);
        int signBit = 1 << (format.storageBits() - 1);
        int nan = format.hasNaN() ? (int) format.encode(Double.NaN) : (int) format.maxFiniteCode();
        assertEquals(nan, codes[0], format + " NaN");
        assertEquals(nan, codes[1], format + " negative NaN with a payload");
        assertEquals(format.hasNegativeZero() ? signBit : 0, codes[2], format + " -0");
        int plusInfinity = format.hasInfinity() ? (int) format.encode(Double.POSITIVE_INFINITY)
                : format.hasNaN() ? nan : (int) format.maxFiniteCode();
        int minusInfinity = format.hasInfinity() ? (int) format.encode(Double.NEGATIVE_INFINITY)
                : format.hasNaN() ? nan : signBit | (int) format.maxFiniteCode();
        assertEquals(plusInfinity, codes[3], format + " +inf");
        assertEquals(minusInfinity, codes[4], format + " -inf");
        for (int j = 0; j < values.length; j++) {
            assertEquals(codes[j], codec.encodeScalar(values[j]), format + " scalar twin of value " + j);
        }
    }

    /** Counts around the vector width: the tail goes through scratch, and nothing past n is written. */
    @ParameterizedTest
    @MethodSource("formats")
    void tailsAreDecodedAndEncodedAndNothingPastNIsTouched(Format format) {
        VectorCodec codec = new VectorCodec(format);
        boolean bytes = VectorCodec.storageWidth(format) == Byte.SIZE;
        int limit = 1 << format.storageBits();
        for (int n = 0; n <= 3 * WIDTH + 1; n++) {
            int size = n + WIDTH + 1;
            float[] values = new float[size];
            Arrays.fill(values, 12345f);
            float[] expectedValues = values.clone();
            int[] source = new int[n];
            for (int j = 0; j < n; j++) {
                source[j] = (j * 37 + n) % limit;
                expectedValues[j] = codec.decodeScalar(source[j]);
            }
            int[] back = new int[n];
            if (bytes) {
                byte[] codes = new byte[size];
                byte[] out = new byte[size];
                Arrays.fill(out, (byte) 0x5A);
                for (int j = 0; j < n; j++) {
                    codes[j] = (byte) source[j];
                }
                codec.decode(codes, n, values);
                codec.encode(values, n, out);
                for (int j = n; j < size; j++) {
                    assertEquals((byte) 0x5A, out[j], format + " n=" + n + ": code " + j + " untouched");
                }
                for (int j = 0; j < n; j++) {
                    back[j] = out[j] & 0xFF;
                }
            } else {
                short[] codes = new short[size];
                short[] out = new short[size];
                Arrays.fill(out, (short) 0x5A5A);
                for (int j = 0; j < n; j++) {
                    codes[j] = (short) source[j];
                }
                codec.decode(codes, n, values);
                codec.encode(values, n, out);
                for (int j = n; j < size; j++) {
                    assertEquals((short) 0x5A5A, out[j], format + " n=" + n + ": code " + j + " untouched");
                }
                for (int j = 0; j < n; j++) {
                    back[j] = out[j] & 0xFFFF;
                }
            }
            for (int j = 0; j < size; j++) {
                assertEquals(Float.floatToRawIntBits(expectedValues[j]), Float.floatToRawIntBits(values[j]), format + " n=" + n + " value " + j);
            }
            for (int j = 0; j < n; j++) {
                assertEquals(codec.encodeScalar(values[j]), back[j], format + " n=" + n + " code " + j);
            }
        }
    }

    @Test
    void refusesTheWrongElementTypeAndBadLengths() {
        VectorCodec bf16 = new VectorCodec(Format.of("bf16"));
        VectorCodec e4m3 = new VectorCodec(Format.of("e4m3"));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> bf16.decode(new byte[8], 8, new float[8]));
        assertEquals("bf16 is stored in 16 bits: its codes go in short[], not byte[]", wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bf16.encode(new float[8], 8, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> e4m3.decode(new short[8], 8, new float[8]));
        assertThrows(IllegalArgumentException.class, () -> e4m3.encode(new float[8], 8, new short[8]));
        assertThrows(IllegalArgumentException.class, () -> e4m3.decode(new byte[8], 9, new float[9]));
        assertThrows(IllegalArgumentException.class, () -> e4m3.encode(new float[9], 9, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> bf16.decode(new short[8], -1, new float[8]));
    }

    private static int[] encode(VectorCodec codec, float[] values) {
        int n = values.length;
        int[] codes = new int[n];
        if (VectorCodec.storageWidth(codec.format()) == Byte.SIZE) {
            byte[] out = new byte[n];
            codec.encode(values, n, out);
            for (int j = 0; j < n; j++) {
                codes[j] = out[j] & 0xFF;
            }
        } else {
            short[] out = new short[n];
            codec.encode(values, n, out);
            for (int j = 0; j < n; j++) {
                codes[j] = out[j] & 0xFFFF;
            }
        }
        return codes;
    }
}
