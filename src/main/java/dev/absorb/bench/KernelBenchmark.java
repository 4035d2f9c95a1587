package dev.absorb.bench;

import dev.absorb.kernel.Evaluation;
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

import java.util.concurrent.TimeUnit;

/**
 * What each formulation costs (DESIGN.md §6): one evaluation of a recipe on C logits, the forward
 * pass ({@code forward}: lse and loss) and forward + backward ({@code fused}: loss and gradient),
 * and the in-run baselines on the same logits, so a score divides by a baseline of the same run:
 * {@code plainRecipe*}, the recipe's job as a plain scalar Java loop with Math.exp, each result
 * rounded to the recipe's formats ({@link PlainRecipeLoop}); {@code plainForward*} and
 * {@code plainFused*}, plain Java loops with Math.exp in double and in float that emulate nothing
 * ({@link PlainLoops}); and {@code scalarFused}, the scalar reference kernel, whose bits the
 * kernels reproduce. Scores are ns per call; divide by {@code classes} for ns per element.
 *
 * <p>Logits: the sweep's families (gauss by default: N(0, 1), the target raised to the maximum
 * plus {@code gap}) from a fixed seed, stored in the recipe's format ({@link Logits}). Recipes the
 * SIMD kernel does not run (e.g. acc=fp64 on a float format, algo=online with round=sr) run on the
 * scalar reference, as in the sweep.
 *
 * <p>The defaults are the quick profile's cost table; {@link SubnormalBenchmark} sweeps the gap.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The class's iterations and fork are the quick profile's (docs/decisions.md, "Profiles"): the
// SIMD kernel needs seconds of calls before C2 has compiled its loops; the plain loops need less.
@Warmup(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.ADD_MODULES, ForkFlags.VECTOR_MODULE, ForkFlags.QUIET,
        ForkFlags.DONTINLINE_SIMD_KERNEL, ForkFlags.INLINE_VECTOR_MATH})
public class KernelBenchmark {

    /** The logits every benchmark of this class reads, in fp32 for the baselines. */
    @State(Scope.Thread)
    public static class Workload {
        @Param({"32000"})
        public int classes;

        @Param({"4"})
        public double gap;

        @Param({"gauss"})
        public String family;

        BaselineRow row;

        @Setup
        public void setUp() {
            row = BaselineRow.of(family, classes, gap);
        }
    }

    /** One recipe's kernel on the workload's class count, gap and family. */
    @State(Scope.Thread)
    public static class Formulation {
        @Param({"fp32", "bf16", "fp16", "e4m3",
                "fp32/grad=complement", "bf16/acc=fp32", "bf16/grad=complement", "fp16/acc=fp32", "fp16/grad=complement",
                "e4m3/acc=fp32", "e4m3/grad=complement",
                "fp32/round=sr", "bf16/round=sr", "fp16/round=sr", "e4m3/round=sr",
                // The framework presets (docs/presets.md) and what their mitigations cost.
                "torch:fp32", "torch:fp32/grad=complement", "torch:bf16", "torch:bf16/grad=complement",
                "torch:bf16/rowsum=acc/logp=compute", "jax:bf16", "jax:bf16/grad=complement",
                // The training-time mitigations (docs/recipes.md, Mitigations).
                "bf16/smooth=0.1", "bf16/chunk=4096", "torch:bf16/smooth=0.1"})
        public String recipe;

        RecipeRow row;

        @Setup
        public void setUp(Workload workload) {
            row = new RecipeRow(recipe, workload.family, workload.classes, workload.gap);
        }
    }

    @Benchmark
    public Evaluation forward(Formulation f) {
        return f.row.forward();
    }

    @Benchmark
    public Evaluation fused(Formulation f) {
        return f.row.fused();
    }

    @Benchmark
    @Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public Evaluation scalarFused(Formulation f) {
        return f.row.scalarFused();
    }

    @Benchmark
    @Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public Evaluation plainRecipeForward(Formulation f) {
        return f.row.plainForward();
    }

    @Benchmark
    @Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public Evaluation plainRecipeFused(Formulation f) {
        return f.row.plainFused();
    }

    @Benchmark
    @Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public double plainForwardDouble(Workload w) {
        return PlainLoops.forwardDouble(w.row.logits(), w.row.target());
    }

    @Benchmark
    @Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public float plainForwardFloat(Workload w) {
        return PlainLoops.forwardFloat(w.row.logits(), w.row.target());
    }

    @Benchmark
    @Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public double plainFusedDouble(Workload w) {
        return PlainLoops.fusedDouble(w.row.logits(), w.row.target(), w.row.gradient());
    }

    @Benchmark
    @Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public float plainFusedFloat(Workload w) {
        return PlainLoops.fusedFloat(w.row.logits(), w.row.target(), w.row.gradient());
    }
}
