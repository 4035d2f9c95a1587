package dev.absorb.bench;

import dev.absorb.format.Rounding;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ScalarKernel;
import dev.absorb.kernel.SimdKernel;
import dev.absorb.kernel.SimdKernel64;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One evaluation of the SIMD kernel on C logits: the forward pass (lse and loss) and the fused
 * forward + backward (loss and gradient), against plain scalar Java loops (Math.exp, double
 * accumulation) doing the same jobs in the same run. Recipes the SIMD kernel does not run yet
 * (e.g. round=sr) run on the scalar reference kernel, so their cost is visible too. Scores are ns per call; divide by
 * {@code classes} for ns per element.
 *
 * <p>Inputs: the gauss family (N(0, 1) logits, the target raised to the maximum plus {@code gap}),
 * rounded to the recipe's format, from a fixed seed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
// dontinline: each loop of the SIMD kernel is compiled on its own (see run-benchmarks.sh).
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:CompileCommand=quiet",
        "-XX:CompileCommand=dontinline,dev.absorb.kernel.Simd*::*"})
public class KernelBenchmark {

    @Param({"fp32", "bf16", "fp16", "e4m3",
            "fp32/grad=complement", "bf16/acc=fp32", "bf16/grad=complement", "fp16/acc=fp32", "fp16/grad=complement",
            "e4m3/acc=fp32", "e4m3/grad=complement", "bf16/round=sr"})
    public String recipe;

    @Param({"32000"})
    public int classes;

    @Param({"4"})
    public double gap;

    /** The SIMD kernel, or null where it does not run the recipe (then the scalar reference runs). */
    private SimdKernel kernel;
    /** The fp64 SIMD kernel, or null. */
    private SimdKernel64 kernel64;
    private ScalarKernel reference;
    private double[] logitsWide;
    private double[] gradientWide;
    private float[] logits;
    private float[] gradient;
    private int target;

    @Setup
    public void setUp() {
        Recipe r = Recipe.parse(recipe);
        kernel = Kernels.usesSimd(r) ? new SimdKernel(r) : null;
        kernel64 = kernel == null && SimdKernel64.supports(r) ? new SimdKernel64(r) : null;
        reference = kernel == null && kernel64 == null ? new ScalarKernel(r) : null;
        Rounding toFormat = Rounding.nearest(r.format());
        SplittableRandom random = new SplittableRandom(42);
        logits = new float[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            logits[j] = (float) toFormat.round(random.nextGaussian(), 0);
            max = Math.max(max, logits[j]);
        }
        target = classes / 3;
        logits[target] = (float) toFormat.round(max + gap, 0);
        gradient = new float[classes];
        logitsWide = new double[classes];
        for (int j = 0; j < classes; j++) {
            logitsWide[j] = logits[j];
        }
        gradientWide = new double[classes];
    }

    /** lse and loss only (the scalar reference has no forward-only call: it computes the gradient too). */
    @Benchmark
    public Evaluation forward() {
        if (kernel64 != null) {
            return kernel64.evaluate(logitsWide, classes, target, null);
        }
        return kernel != null ? kernel.evaluate(logits, classes, target, null) : reference.evaluate(logitsWide, target, gradientWide);
    }

    @Benchmark
    public Evaluation fused() {
        if (kernel64 != null) {
            return kernel64.evaluate(logitsWide, classes, target, gradientWide);
        }
        return kernel != null ? kernel.evaluate(logits, classes, target, gradient) : reference.evaluate(logitsWide, target, gradientWide);
    }

    /** The scalar Java baseline of the forward job: max, Σ exp in double, lse and loss. */
    @Benchmark
    public double scalarLoopForward() {
        return plainLse() - logits[target];
    }

    /** The scalar Java baseline of the fused job: max, Σ exp in double, loss and p_j − [j = y]. */
    @Benchmark
    public double scalarLoopFused() {
        double lse = plainLse();
        for (int j = 0; j < classes; j++) {
            gradient[j] = (float) Math.exp(logits[j] - lse);
        }
        gradient[target] -= 1f;
        return lse - logits[target];
    }

    /** lse the plain way: max, then Σ exp(z_j − max) in double, then max + log Σ. */
    private double plainLse() {
        float[] z = logits;
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            m = Math.max(m, z[j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(z[j] - m);
        }
        return m + Math.log(sum);
    }
}
