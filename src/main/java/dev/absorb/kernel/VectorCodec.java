package dev.absorb.kernel;

import dev.absorb.format.Format;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.absorb.kernel.Ieee754.FLOAT_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.FLOAT_FRACTION_BITS;
import static dev.absorb.kernel.Ieee754.FLOAT_INFINITY_BITS;

/**
 * Storage codes of a format with at most 16 bits, decoded to float lanes and encoded back, with
 * vector loads and stores: formats of 9 to 16 bits (bf16, fp16, e5m3, …) live in {@code short[]},
 * formats of at most 8 bits (the fp8 formats, e3m4; the MX formats e3m2, e2m3, e2m1 in the low
 * bits of a byte) in {@code byte[]}.
 *
 * <h2>What it computes</h2>
 * {@code decode} gives exactly {@link Format#decode}'s value as a float; only the low
 * {@link Format#storageBits()} bits of a code count, as there. Every NaN code decodes to
 * {@link Float#NaN} (0x7FC00000), so the payload of a NaN code is not kept. {@code encode} of a
 * value of the format (what the kernels write: already rounded to it) gives exactly
 * {@link Format#encode}'s code, NaN included (the format's canonical NaN, without a sign). Where
 * {@code Format.encode} refuses, the encoder decides (docs/decisions.md, "Storage codes"):
 * <ul>
 *   <li>NaN in a format without NaN (MX e3m2, e2m3, e2m1): the code of +max finite, what a
 *       saturating conversion gives; the kernels cannot produce it from logits of such a format;
 *   <li>−0 in a format without −0 (fnuz): +0's code (0), never the NaN code 1.0…0;
 *   <li>±inf in a format without infinities: the NaN code (fn, fnuz) or ±max (MX), as rounding
 *       would give it.
 * </ul>
 * Other floats that are not values of the format give unspecified codes.
 *
 * <h2>How</h2>
 * Bit arithmetic on int lanes, no table and no per-lane branch: a normal code's exponent field
 * and mantissa are shifted into place and the bias difference is added to the exponent field;
 * a subnormal code's mantissa is read through a magic float 2^(emin − m + 23), whose ulp is the
 * format's quantum (OR the mantissa into its low bits and subtract it; encoding adds it and
 * subtracts its bits), so no float↔int conversion is needed (F2I compiles badly on JDK 17).
 * Infinities, NaN and the sign are blended in last. Formats with float's exponent field (bf16)
 * take a shorter loop: their code is the float's top bits. Short and byte lanes have the float lanes'
 * count, so each load or store converts with part 0 between species of equal lane count.
 *
 * <p>Where float vectors have fewer than 8 lanes no byte species has their lane count: there,
 * byte codes go through the scalar {@link Format} codec (correct, slower). Tails go through
 * zero-padded scratch (no masked loads or stores). Not thread-safe: it keeps that scratch.
 */
public final class VectorCodec {

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int WIDTH = FLOATS.length();
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    /** Short and byte lanes of the float lanes' count: 128 and 64 bits for 8 float lanes. */
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(WIDTH * Short.SIZE));
    private static final boolean BYTE_LANES = WIDTH * Byte.SIZE >= 64;
    private static final VectorSpecies<Byte> BYTES = BYTE_LANES
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(WIDTH * Byte.SIZE)) : null;

    private static final int FLOAT_NAN_BITS = Float.floatToRawIntBits(Float.NaN);

    private final Format format;
    /** The bits below the sign. */
    private final int magnitudeMask;
    private final int signBit;
    /** Float's sign bit is the code's sign bit shifted left by this. */
    private final int signShift;
    /** A normal code's magnitude shifted left by this lines its mantissa up with float's. */
    private final int shift;
    /** (127 − bias) &lt;&lt; 23: float's exponent field minus the format's, in place. */
    private final int exponentOffset;
    /** 2^(emin − m + 23): its ulp is the format's subnormal quantum. */
    private final float magic;
    private final int magicBits;
    private final int minNormalCode;
    private final int minNormalBits;
    /** The code of +inf, or −1 (no code matches) for formats without infinities. */
    private final int infinityCode;
    /** Magnitudes from this up are NaN (IEEE, fn); above every magnitude for fnuz and MX. */
    private final int nanMagnitudeFrom;
    /** The one NaN code of fnuz formats (1.0…0), or −1 for the others. */
    private final int nanSignedCode;
    private final int codeMask;
    /** What encode writes for NaN, and for ±inf (its magnitude) in IEEE and MX formats. */
    private final int nanEncoding;
    private final int infinityEncoding;
    /** Float magnitude bits from this up encode as NaN: NaN, and ±inf where only NaN can stand for it (fn, fnuz). */
    private final int nanFromBits;
    /** 0 for fnuz formats (−0 is written as +0), −1 (no code matches) for the others. */
    private final int unsignedZeroCode;
    /**
     * IEEE with float's 8 exponent bits (bf16, e8mY): a code is the top bits of the float, so
     * decode and encode are one shift plus NaN's canonical code (the short loops below).
     */
    private final boolean floatExponent;
    private final short[] tailShorts = new short[WIDTH];
    private final byte[] tailBytes = new byte[WIDTH];
    private final float[] tailValues = new float[WIDTH];

    /** @throws IllegalArgumentException unless {@link #supports} the format */
    public VectorCodec(Format format) {
        if (!supports(format)) {
            throw new IllegalArgumentException("no storage codec for " + format + " (" + format.storageBits()
                    + " bits): storage codes are for formats of at most 16 bits whose values are floats, e.g. bf16, fp16, e4m3, e5m2, e2m1");
        }
        this.format = format;
        int e = format.exponentBits();
        int m = format.mantissaBits();
        this.signBit = 1 << (e + m);
        this.magnitudeMask = signBit - 1;
        this.codeMask = (signBit << 1) - 1;
        this.signShift = 31 - (e + m);
        this.shift = FLOAT_FRACTION_BITS - m;
        this.exponentOffset = (FLOAT_EXPONENT_BIAS - format.bias()) << FLOAT_FRACTION_BITS;
        this.magic = Math.scalb(1f, format.minExponent() - m + FLOAT_FRACTION_BITS);
        this.magicBits = Float.floatToRawIntBits(magic);
        this.minNormalCode = 1 << m;
        this.minNormalBits = Float.floatToRawIntBits((float) format.minNormal());
        int maxFiniteCode = (int) format.maxFiniteCode();
        int allOnesExponent = ((1 << e) - 1) << m;
        switch (format.specials()) {
            case IEEE:
                infinityCode = allOnesExponent;
                nanMagnitudeFrom = allOnesExponent + 1;
                nanSignedCode = -1;
                break;
            case FN:
                infinityCode = -1;
                nanMagnitudeFrom = magnitudeMask;
                nanSignedCode = -1;
                break;
            case FNUZ:
                infinityCode = -1;
                nanMagnitudeFrom = signBit;
                nanSignedCode = signBit;
                break;
            default:
                infinityCode = -1;
                nanMagnitudeFrom = signBit;
                nanSignedCode = -1;
                break;
        }
        this.nanEncoding = format.hasNaN() ? (int) format.encode(Double.NaN) : maxFiniteCode;
        this.infinityEncoding = format.hasInfinity() ? infinityCode : maxFiniteCode;
        this.nanFromBits = format.hasInfinity() || !format.hasNaN() ? FLOAT_INFINITY_BITS + 1 : FLOAT_INFINITY_BITS;
        this.unsignedZeroCode = format.hasNegativeZero() ? -1 : 0;
        this.floatExponent = e == 8 && format.specials() == Format.Specials.IEEE;
    }

    /** Whether codes of the format fit a short and its values a float (not fp32, tf32, eXmYfn with X = 8). */
    public static boolean supports(Format format) {
        return !format.isFp64() && format.storageBits() <= Short.SIZE && format.fitsFloat();
    }

    public Format format() {
        return format;
    }

    /** values[0, n) = the values of codes[0, n), for formats of 9 to 16 bits. */
    public void decode(short[] codes, int n, float[] values) {
        requireStorage(Short.SIZE);
        requireLengths(n, codes.length, values.length);
        int full = n - n % WIDTH;
        if (floatExponent) {
            decodeFloatExponent(codes, full, values);
        } else {
            decodeShorts(codes, full, values);
        }
        if (full < n) {
            Arrays.fill(tailShorts, (short) 0);
            System.arraycopy(codes, full, tailShorts, 0, n - full);
            decodeShorts(tailShorts, WIDTH, tailValues);
            System.arraycopy(tailValues, 0, values, full, n - full);
        }
    }

    /** values[0, n) = the values of codes[0, n), for formats of at most 8 bits. */
    public void decode(byte[] codes, int n, float[] values) {
        requireStorage(Byte.SIZE);
        requireLengths(n, codes.length, values.length);
        if (!BYTE_LANES) {
            for (int j = 0; j < n; j++) {
                values[j] = decodeScalar(codes[j]);
            }
            return;
        }
        int full = n - n % WIDTH;
        decodeBytes(codes, full, values);
        if (full < n) {
            Arrays.fill(tailBytes, (byte) 0);
            System.arraycopy(codes, full, tailBytes, 0, n - full);
            decodeBytes(tailBytes, WIDTH, tailValues);
            System.arraycopy(tailValues, 0, values, full, n - full);
        }
    }

    /** codes[0, n) = the codes of values[0, n) (values of the format), for formats of 9 to 16 bits. */
    public void encode(float[] values, int n, short[] codes) {
        requireStorage(Short.SIZE);
        requireLengths(n, values.length, codes.length);
        int full = n - n % WIDTH;
        if (floatExponent) {
            encodeFloatExponent(values, full, codes);
        } else {
            encodeShorts(values, full, codes);
        }
        if (full < n) {
            Arrays.fill(tailValues, 0f);
            System.arraycopy(values, full, tailValues, 0, n - full);
            encodeShorts(tailValues, WIDTH, tailShorts);
            System.arraycopy(tailShorts, 0, codes, full, n - full);
        }
    }

    /** codes[0, n) = the codes of values[0, n) (values of the format), for formats of at most 8 bits. */
    public void encode(float[] values, int n, byte[] codes) {
        requireStorage(Byte.SIZE);
        requireLengths(n, values.length, codes.length);
        if (!BYTE_LANES) {
            for (int j = 0; j < n; j++) {
                codes[j] = (byte) encodeScalar(values[j]);
            }
            return;
        }
        int full = n - n % WIDTH;
        encodeBytes(values, full, codes);
        if (full < n) {
            Arrays.fill(tailValues, 0f);
            System.arraycopy(values, full, tailValues, 0, n - full);
            encodeBytes(tailValues, WIDTH, tailBytes);
            System.arraycopy(tailBytes, 0, codes, full, n - full);
        }
    }

    /** 8 for formats of at most 8 bits, 16 for 9 to 16 bits: the element type of their storage. */
    public static int storageWidth(Format format) {
        return format.storageBits() <= Byte.SIZE ? Byte.SIZE : Short.SIZE;
    }

    // Each loop is a method of its own that takes arrays, and its body holds Vector API
    // operations only: a helper of ours inside would hit C2's inlining node limit and box the
    // vectors (docs/decisions.md, "SIMD kernel and the JIT"). The two decode loops (and the two
    // encode loops) differ only in the load (store) and its conversion.

    /** values[0, count) from codes[0, count); count is a multiple of the width. */
    private void decodeShorts(short[] codes, int count, float[] values) {
        int magnitudeMask = this.magnitudeMask, signBit = this.signBit, signShift = this.signShift, shift = this.shift;
        int exponentOffset = this.exponentOffset, magicBits = this.magicBits, minNormalCode = this.minNormalCode;
        int infinityCode = this.infinityCode, nanMagnitudeFrom = this.nanMagnitudeFrom, nanSignedCode = this.nanSignedCode;
        int codeMask = this.codeMask;
        float magic = this.magic;
        for (int j = 0; j < count; j += WIDTH) {
            // S2I sign-extends; every use below masks the bits it needs.
            IntVector code = (IntVector) ShortVector.fromArray(SHORTS, codes, j).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector magnitude = code.and(magnitudeMask);
            IntVector normal = magnitude.lanewise(VectorOperators.LSHL, shift).add(exponentOffset);
            IntVector subnormal = magnitude.or(magicBits).reinterpretAsFloats().sub(magic).reinterpretAsInts();
            IntVector bits = normal.blend(subnormal, magnitude.compare(VectorOperators.LT, minNormalCode));
            bits = bits.blend(FLOAT_INFINITY_BITS, magnitude.compare(VectorOperators.EQ, infinityCode));
            bits = bits.or(code.and(signBit).lanewise(VectorOperators.LSHL, signShift));
            VectorMask<Integer> nan = magnitude.compare(VectorOperators.GE, nanMagnitudeFrom)
                    .or(code.and(codeMask).compare(VectorOperators.EQ, nanSignedCode));
            bits.blend(FLOAT_NAN_BITS, nan).reinterpretAsFloats().intoArray(values, j);
        }
    }

    /** As {@link #decodeShorts} where the format has float's exponent field ({@link #floatExponent}). */
    private void decodeFloatExponent(short[] codes, int count, float[] values) {
        int shift = this.shift, infinityCode = this.infinityCode, magnitudeMask = this.magnitudeMask;
        for (int j = 0; j < count; j += WIDTH) {
            IntVector code = (IntVector) ShortVector.fromArray(SHORTS, codes, j).convertShape(VectorOperators.S2I, INTS, 0);
            // The sign lands in bit 31 by the same shift; the sign extension above it is shifted out.
            IntVector bits = code.lanewise(VectorOperators.LSHL, shift);
            VectorMask<Integer> nan = code.and(magnitudeMask).compare(VectorOperators.GT, infinityCode);
            bits.blend(FLOAT_NAN_BITS, nan).reinterpretAsFloats().intoArray(values, j);
        }
    }

    /** As {@link #decodeShorts}, from byte codes. */
    private void decodeBytes(byte[] codes, int count, float[] values) {
        int magnitudeMask = this.magnitudeMask, signBit = this.signBit, signShift = this.signShift, shift = this.shift;
        int exponentOffset = this.exponentOffset, magicBits = this.magicBits, minNormalCode = this.minNormalCode;
        int infinityCode = this.infinityCode, nanMagnitudeFrom = this.nanMagnitudeFrom, nanSignedCode = this.nanSignedCode;
        int codeMask = this.codeMask;
        float magic = this.magic;
        for (int j = 0; j < count; j += WIDTH) {
            IntVector code = (IntVector) ByteVector.fromArray(BYTES, codes, j).convertShape(VectorOperators.B2I, INTS, 0);
            IntVector magnitude = code.and(magnitudeMask);
            IntVector normal = magnitude.lanewise(VectorOperators.LSHL, shift).add(exponentOffset);
            IntVector subnormal = magnitude.or(magicBits).reinterpretAsFloats().sub(magic).reinterpretAsInts();
            IntVector bits = normal.blend(subnormal, magnitude.compare(VectorOperators.LT, minNormalCode));
            bits = bits.blend(FLOAT_INFINITY_BITS, magnitude.compare(VectorOperators.EQ, infinityCode));
            bits = bits.or(code.and(signBit).lanewise(VectorOperators.LSHL, signShift));
            VectorMask<Integer> nan = magnitude.compare(VectorOperators.GE, nanMagnitudeFrom)
                    .or(code.and(codeMask).compare(VectorOperators.EQ, nanSignedCode));
            bits.blend(FLOAT_NAN_BITS, nan).reinterpretAsFloats().intoArray(values, j);
        }
    }

    /** codes[0, count) from values[0, count); count is a multiple of the width. */
    private void encodeShorts(float[] values, int count, short[] codes) {
        int signBit = this.signBit, signShift = this.signShift, shift = this.shift, exponentOffset = this.exponentOffset;
        int magicBits = this.magicBits, minNormalBits = this.minNormalBits, infinityEncoding = this.infinityEncoding;
        int nanEncoding = this.nanEncoding, nanFromBits = this.nanFromBits, unsignedZeroCode = this.unsignedZeroCode;
        float magic = this.magic;
        for (int j = 0; j < count; j += WIDTH) {
            IntVector bits = FloatVector.fromArray(FLOATS, values, j).reinterpretAsInts();
            IntVector magnitudeBits = bits.and(0x7FFF_FFFF);
            IntVector normal = magnitudeBits.sub(exponentOffset).lanewise(VectorOperators.LSHR, shift);
            // Exact: a subnormal value of the format is a multiple of magic's ulp below 2^m ulps.
            IntVector subnormal = magnitudeBits.reinterpretAsFloats().add(magic).reinterpretAsInts().sub(magicBits);
            IntVector code = normal.blend(subnormal, magnitudeBits.compare(VectorOperators.LT, minNormalBits));
            code = code.blend(infinityEncoding, magnitudeBits.compare(VectorOperators.EQ, FLOAT_INFINITY_BITS));
            IntVector signed = code.or(bits.lanewise(VectorOperators.LSHR, signShift).and(signBit));
            signed = signed.blend(code, code.compare(VectorOperators.EQ, unsignedZeroCode));
            signed = signed.blend(nanEncoding, magnitudeBits.compare(VectorOperators.GE, nanFromBits));
            ((ShortVector) signed.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(codes, j);
        }
    }

    /** As {@link #encodeShorts} where the format has float's exponent field: values are the top bits. */
    private void encodeFloatExponent(float[] values, int count, short[] codes) {
        int shift = this.shift, nanEncoding = this.nanEncoding;
        for (int j = 0; j < count; j += WIDTH) {
            IntVector bits = FloatVector.fromArray(FLOATS, values, j).reinterpretAsInts();
            IntVector code = bits.lanewise(VectorOperators.LSHR, shift)
                    .blend(nanEncoding, bits.and(0x7FFF_FFFF).compare(VectorOperators.GT, FLOAT_INFINITY_BITS));
            ((ShortVector) code.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(codes, j);
        }
    }

    /** As {@link #encodeShorts}, to byte codes. */
    private void encodeBytes(float[] values, int count, byte[] codes) {
        int signBit = this.signBit, signShift = this.signShift, shift = this.shift, exponentOffset = this.exponentOffset;
        int magicBits = this.magicBits, minNormalBits = this.minNormalBits, infinityEncoding = this.infinityEncoding;
        int nanEncoding = this.nanEncoding, nanFromBits = this.nanFromBits, unsignedZeroCode = this.unsignedZeroCode;
        float magic = this.magic;
        for (int j = 0; j < count; j += WIDTH) {
            IntVector bits = FloatVector.fromArray(FLOATS, values, j).reinterpretAsInts();
            IntVector magnitudeBits = bits.and(0x7FFF_FFFF);
            IntVector normal = magnitudeBits.sub(exponentOffset).lanewise(VectorOperators.LSHR, shift);
            IntVector subnormal = magnitudeBits.reinterpretAsFloats().add(magic).reinterpretAsInts().sub(magicBits);
            IntVector code = normal.blend(subnormal, magnitudeBits.compare(VectorOperators.LT, minNormalBits));
            code = code.blend(infinityEncoding, magnitudeBits.compare(VectorOperators.EQ, FLOAT_INFINITY_BITS));
            IntVector signed = code.or(bits.lanewise(VectorOperators.LSHR, signShift).and(signBit));
            signed = signed.blend(code, code.compare(VectorOperators.EQ, unsignedZeroCode));
            signed = signed.blend(nanEncoding, magnitudeBits.compare(VectorOperators.GE, nanFromBits));
            ((ByteVector) signed.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(codes, j);
        }
    }

    /** The scalar twin of the decode loops, on {@link Format#decode}. */
    float decodeScalar(int code) {
        double value = format.decode(code & codeMask);
        return Double.isNaN(value) ? Float.NaN : (float) value;
    }

    /** The scalar twin of the encode loops, on {@link Format#encode} and the choices above. */
    int encodeScalar(float value) {
        if (Float.isNaN(value)) {
            return nanEncoding;
        }
        if (Float.isInfinite(value)) {
            return format.hasInfinity() || !format.hasNaN() ? (value < 0 ? signBit : 0) | infinityEncoding : nanEncoding;
        }
        if (value == 0 && !format.hasNegativeZero()) {
            return 0;
        }
        return (int) format.encode(value);
    }

    private void requireStorage(int bits) {
        if (storageWidth(format) != bits) {
            throw new IllegalArgumentException(format + " is stored in " + format.storageBits() + " bits: its codes go in "
                    + (storageWidth(format) == Byte.SIZE ? "byte[]" : "short[]") + ", not "
                    + (bits == Byte.SIZE ? "byte[]" : "short[]"));
        }
    }

    private static void requireLengths(int n, int sourceLength, int targetLength) {
        if (n < 0 || n > sourceLength || n > targetLength) {
            throw new IllegalArgumentException("need 0 <= n <= both array lengths; got n=" + n + ", lengths "
                    + sourceLength + " and " + targetLength);
        }
    }
}
