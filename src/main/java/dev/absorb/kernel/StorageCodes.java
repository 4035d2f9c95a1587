package dev.absorb.kernel;

import dev.absorb.format.Format;

/**
 * A kernel's entry points on storage codes: the codes decoded with one vector loop
 * ({@link VectorCodec}), the kernel's float evaluation unchanged, and the gradient encoded with
 * one vector loop ({@code grad == null}: forward only). So the results are the float path's, bit
 * for bit, for two extra passes. 9- to 16-bit formats (bf16, fp16) take {@code short[]}, formats
 * of at most 8 bits (fp8, MX) {@code byte[]}; codes as {@link Format#encode}.
 */
final class StorageCodes {

    private final Kernel kernel;
    private final Format format;
    /** Created on the first call: kernels that never see codes never need it. */
    private VectorCodec codec;
    private float[] logits = new float[0];
    private float[] gradient = new float[0];

    StorageCodes(Kernel kernel) {
        this.kernel = kernel;
        this.format = kernel.recipe().format();
    }

    Evaluation evaluate(short[] z, int n, int y, short[] grad) {
        VectorCodec c = codec(Short.SIZE);
        RowArguments.check(n, y, z.length, grad == null ? -1 : grad.length);
        ensureScratch(n);
        c.decode(z, n, logits);
        Evaluation e = kernel.evaluate(logits, n, y, grad == null ? null : gradient);
        if (grad != null) {
            c.encode(gradient, n, grad);
        }
        return e;
    }

    Evaluation evaluate(byte[] z, int n, int y, byte[] grad) {
        VectorCodec c = codec(Byte.SIZE);
        RowArguments.check(n, y, z.length, grad == null ? -1 : grad.length);
        ensureScratch(n);
        c.decode(z, n, logits);
        Evaluation e = kernel.evaluate(logits, n, y, grad == null ? null : gradient);
        if (grad != null) {
            c.encode(gradient, n, grad);
        }
        return e;
    }

    /** The codec of a format stored in {@code bits}-bit codes, or an IllegalArgumentException naming the right entry point. */
    private VectorCodec codec(int bits) {
        if (!kernel.recipe().gradientFormat().equals(format)) {
            throw new IllegalArgumentException("gradfmt=" + kernel.recipe().gradientFormat()
                    + ": the gradient is not stored in " + format + "'s codes: use float[] values");
        }
        if (!VectorCodec.supports(format) || VectorCodec.storageWidth(format) != bits) {
            String valid = VectorCodec.supports(format)
                    ? "use the " + (VectorCodec.storageWidth(format) == Byte.SIZE ? "byte[]" : "short[]") + " entry point"
                    : "use float[] values";
            throw new IllegalArgumentException(format + " (" + format.storageBits() + " bits) is not stored in "
                    + (bits == Byte.SIZE ? "byte[] (formats of at most 8 bits)" : "short[] (formats of 9 to 16 bits)") + ": " + valid);
        }
        if (codec == null) {
            codec = new VectorCodec(format);
        }
        return codec;
    }

    private void ensureScratch(int n) {
        if (logits.length < n) {
            logits = new float[n];
            gradient = new float[n];
        }
    }
}
