package dev.absorb.bench;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.kernel.KernelParts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Rounding throughput per format (DESIGN.md §6), ns per element over {@value #N} floats drawn uniformly
 * from [−4, 4) (nextDouble is the same on every JDK; nextGaussian is not): {@code scalar} is {@link Rounding#round(float, int)} (the reference kernel's rounding,
 * exact in every mode), {@code vector} the SIMD kernel's lane-wise rounding (its loop, through
 * {@link KernelParts}), both round to nearest even. Baselines without a {@code format} param:
 * {@code fp32Cast} narrows doubles to float (the hardware's own rounding), {@code jdkFloat16} is
 * {@code Float.floatToFloat16} (JDK 20+; on an older JDK its setup fails and the {@code bench}
 * command leaves it out).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The class's iterations and fork are the quick profile's (docs/decisions.md, "Profiles").
@Warmup(iterations = 6, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.ADD_MODULES, ForkFlags.VECTOR_MODULE, ForkFlags.QUIET,
        ForkFlags.DONTINLINE_SIMD_KERNEL, ForkFlags.INLINE_VECTOR_MATH})
public class RoundingBenchmark {

    /** Elements per call: 16 KB of floats in and out, well inside L1/L2. */
    static final int N = 4096;

    @State(Scope.Thread)
    public static class Inputs {
        double[] wide;
        float[] values;
        float[] out;
        short[] halves;

        @Setup
        public void setUp() {
            UniformFloats inputs = UniformFloats.of(N, -4, 8);
            wide = inputs.wide();
            values = inputs.values();
            out = new float[N];
            halves = new short[N];
        }
    }

    @State(Scope.Thread)
    public static class Target {
        // fp32 and fp64 are left out: lanes round fp32 as the identity, and fp64 is not carried in float.
        @Param({"bf16", "fp16", "e5m2", "e4m3", "e2m1"})
        public String format;

        Rounding rounding;
        KernelParts.Rounder vectorRounding;

        @Setup
        public void setUp(Inputs inputs) {
            rounding = Rounding.nearest(Format.of(format));
            vectorRounding = KernelParts.rounder(rounding);
            // Both paths must round alike before either is timed.
            float[] scalar = roundScalar(rounding, inputs.values, new float[N]);
            float[] vector = roundVector(vectorRounding, inputs.values, new float[N]);
            for (int i = 0; i < N; i++) {
                if (Float.floatToRawIntBits(scalar[i]) != Float.floatToRawIntBits(vector[i])) {
                    throw new IllegalStateException(format + ": vector rounding of " + inputs.values[i] + " gave "
                            + vector[i] + ", scalar " + scalar[i]);
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class Float16 {
        @Setup
        public void setUp() {
            if (!JdkFloat16.available()) {
                throw new IllegalStateException("Float.floatToFloat16 needs JDK " + JdkFloat16.SINCE
                        + "+, this is " + Runtime.version() + ": leave RoundingBenchmark.jdkFloat16 out");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] scalar(Target t, Inputs in) {
        return roundScalar(t.rounding, in.values, in.out);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] vector(Target t, Inputs in) {
        return roundVector(t.vectorRounding, in.values, in.out);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] fp32Cast(Inputs in) {
        double[] x = in.wide;
        float[] out = in.out;
        for (int i = 0; i < N; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public short[] jdkFloat16(Float16 available, Inputs in) {
        float[] x = in.values;
        short[] out = in.halves;
        for (int i = 0; i < N; i++) {
            out[i] = JdkFloat16.floatToFloat16(x[i]);
        }
        return out;
    }

    static float[] roundScalar(Rounding rounding, float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            out[i] = rounding.round(x[i], 0);
        }
        return out;
    }

    /** The float-lane kernel's own rounding loop (KernelParts), compiled on its own as the kernel's loops are. */
    static float[] roundVector(KernelParts.Rounder vectorRounding, float[] x, float[] out) {
        vectorRounding.round(x, out);
        return out;
    }
}
