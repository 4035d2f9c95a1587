package dev.absorb.bench;

import dev.absorb.kernel.KernelParts;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
 * exp variants on float inputs x in (−gap − 0.25, −gap], ns per element over {@value #N} inputs:
 * {@code poly} and {@code polyVector} are absorb's polynomial ({@code exp=poly}; ExpPoly and
 * VectorExp, bit for bit the same), {@code vectorApi} the Vector API's EXP ({@code exp=jdk}),
 * {@code mathExp} and {@code strictMathExp} the JDK's scalar exps in double, rounded to float (the
 * plain-Java baselines). The gaps put every result on one side of fp32's smallest normal
 * (exp(−87.25) ≈ 1.3e−38 is normal, exp(−88) ≈ 6.1e−39 is not), so a slowdown on subnormal results
 * shows between 87 and 88.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The class's iterations and fork are the quick profile's (docs/decisions.md, "Profiles").
@Warmup(iterations = 6, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.ADD_MODULES, ForkFlags.VECTOR_MODULE, ForkFlags.QUIET,
        ForkFlags.DONTINLINE_SIMD_KERNEL, ForkFlags.INLINE_VECTOR_MATH})
@State(Scope.Thread)
public class ExpBenchmark {

    static final int N = 4096;

    private static final VectorSpecies<Float> FLOATS = KernelParts.floats();

    @Param({"4", "87", "88", "100"})
    public double gap;

    float[] x;
    float[] out;

    @Setup
    public void setUp() {
        x = UniformFloats.of(N, -gap, -0.25).values();
        out = new float[N];
        // The lane-wise polynomial must be the scalar one bit for bit before either is timed.
        float[] scalar = poly().clone();
        float[] lanes = polyVector();
        for (int i = 0; i < N; i++) {
            if (Float.floatToRawIntBits(scalar[i]) != Float.floatToRawIntBits(lanes[i])) {
                throw new IllegalStateException("exp=poly: lanes give " + lanes[i] + " for " + x[i] + ", scalar " + scalar[i]);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] poly() {
        for (int i = 0; i < N; i++) {
            out[i] = KernelParts.expPoly(x[i]);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] polyVector() {
        KernelParts.expPolyLanes(x, out);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] vectorApi() {
        return vectorApiLanes(x, out);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] mathExp() {
        for (int i = 0; i < N; i++) {
            out[i] = (float) Math.exp(x[i]);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] strictMathExp() {
        for (int i = 0; i < N; i++) {
            out[i] = (float) StrictMath.exp(x[i]);
        }
        return out;
    }

    /*
     * The vector loop is compiled on its own, as the SIMD kernel's are (KernelParts.expPolyLanes is
     * one of the kernel's): inlined into JMH's measurement loop, a vector loop outgrows C2's
     * inlining budget and every vector is boxed (docs/decisions.md, "SIMD kernel and the JIT").
     */

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static float[] vectorApiLanes(float[] x, float[] out) {
        for (int i = 0; i < x.length; i += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, i).lanewise(VectorOperators.EXP).intoArray(out, i);
        }
        return out;
    }
}
