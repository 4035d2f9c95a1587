package dev.absorb.bench;

import dev.absorb.format.Format;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Kernel;
import dev.absorb.kernel.VectorCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The SIMD kernel on storage codes (short[] for bf16 and fp16, byte[] for the fp8 formats)
 * against the same kernel on float[] values, and the decode and encode loops alone
 * ({@link VectorCodec}). Scores are ns per call; divide by {@code classes} for ns per element.
 *
 * <p>Inputs as {@link KernelBenchmark}'s ({@link RecipeRow}): the gauss family (N(0, 1) logits,
 * the target raised to the maximum plus {@code gap}), stored in the format, from a fixed seed; the
 * default recipe of each format.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// As KernelBenchmark: the SIMD kernel needs seconds of calls before C2 has compiled its loops.
@Warmup(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.ADD_MODULES, ForkFlags.VECTOR_MODULE, ForkFlags.QUIET,
        ForkFlags.DONTINLINE_SIMD_KERNEL, ForkFlags.INLINE_VECTOR_MATH})
public class StorageBenchmark {

    /** bf16 and fp16: short[] codes; e4m3 and e5m2: byte[] codes. */
    @Param({"bf16", "fp16", "e4m3", "e5m2"})
    public String format;

    @Param({"32000"})
    public int classes;

    @Param({"4"})
    public double gap;

    private RecipeRow row;
    private Kernel kernel;
    private VectorCodec codec;
    private float[] logits;
    private float[] gradient;
    /** The same logits as codes: one of the two pairs is set, by the format's width. */
    private short[] logitShorts;
    private short[] gradientShorts;
    private byte[] logitBytes;
    private byte[] gradientBytes;
    private int target;

    @Setup
    public void setUp() {
        Format f = Format.of(format);
        row = new RecipeRow(format, "gauss", classes, gap);
        if (!row.plan().takesFloats()) {
            throw new IllegalStateException(format + " does not run on float lanes: " + row.plan());
        }
        kernel = row.kernel();
        codec = new VectorCodec(f);
        logits = row.logits();
        target = row.target();
        gradient = new float[classes];
        Evaluation onFloats = kernel.evaluate(logits, classes, target, gradient);
        Evaluation onCodes;
        long[] codes = new long[classes];
        if (VectorCodec.storageWidth(f) == Byte.SIZE) {
            logitBytes = new byte[classes];
            gradientBytes = new byte[classes];
            for (int j = 0; j < classes; j++) {
                logitBytes[j] = (byte) f.encode(logits[j]);
            }
            onCodes = kernel.evaluate(logitBytes, classes, target, gradientBytes);
            for (int j = 0; j < classes; j++) {
                codes[j] = gradientBytes[j] & 0xFF;
            }
        } else {
            logitShorts = new short[classes];
            gradientShorts = new short[classes];
            for (int j = 0; j < classes; j++) {
                logitShorts[j] = (short) f.encode(logits[j]);
            }
            onCodes = kernel.evaluate(logitShorts, classes, target, gradientShorts);
            for (int j = 0; j < classes; j++) {
                codes[j] = gradientShorts[j] & 0xFFFF;
            }
        }
        // What is timed must compute the same thing: fail before any measurement if not.
        for (int j = 0; j < classes; j++) {
            if (codes[j] != f.encode(gradient[j])) {
                throw new IllegalStateException(format + ": gradient code " + j + " differs from the float path's");
            }
        }
        if (!onFloats.equals(onCodes)) {
            throw new IllegalStateException(format + ": storage-typed evaluation " + onCodes + " differs from " + onFloats);
        }
        Arrays.fill(gradient, 0f);
    }

    /** lse and loss from float[] values. */
    @Benchmark
    public Evaluation forwardFloats() {
        return kernel.evaluate(logits, classes, target, null);
    }

    /** lse and loss from storage codes: decode, then the same evaluation. */
    @Benchmark
    public Evaluation forwardCodes() {
        return logitBytes != null ? kernel.evaluate(logitBytes, classes, target, null)
                : kernel.evaluate(logitShorts, classes, target, null);
    }

    /** Loss and gradient, float[] in and out. */
    @Benchmark
    public Evaluation fusedFloats() {
        return kernel.evaluate(logits, classes, target, gradient);
    }

    /** Loss and gradient, storage codes in and out: decode, the same evaluation, encode. */
    @Benchmark
    public Evaluation fusedCodes() {
        return logitBytes != null ? kernel.evaluate(logitBytes, classes, target, gradientBytes)
                : kernel.evaluate(logitShorts, classes, target, gradientShorts);
    }

    /** The decode loop alone: C codes to float values. */
    @Benchmark
    public float[] decode() {
        if (logitBytes != null) {
            codec.decode(logitBytes, classes, gradient);
        } else {
            codec.decode(logitShorts, classes, gradient);
        }
        return gradient;
    }

    /** The encode loop alone: C float values (of the format) to codes. */
    @Benchmark
    public Object encode() {
        if (logitBytes != null) {
            codec.encode(logits, classes, gradientBytes);
            return gradientBytes;
        }
        codec.encode(logits, classes, gradientShorts);
        return gradientShorts;
    }
}
