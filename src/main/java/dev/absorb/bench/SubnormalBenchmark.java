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
 * Does the CPU slow down when exp's results leave the normal range (DESIGN.md §6)? The forward
 * pass of the default recipe of each format, and the plain fp32 and fp64 loops, over gaps on both
 * sides of each boundary. With the {@code flat} family every other logit is 0 and z_y = gap, so
 * all C − 1 terms exp(−gap) land in the same range:
 * <ul>
 *   <li>fp32 and bf16 (float lanes): exp(−gap) is below fp32's smallest normal 2^−126 from gap
 *   126·ln 2 ≈ 87.34 (87 | 88) and rounds to 0 from 150·ln 2 ≈ 104.0 (100 is subnormal in fp32;
 *   bf16 rounds it to 0 from 134·ln 2 ≈ 92.9);</li>
 *   <li>fp16: below 2^−14 from 14·ln 2 ≈ 9.70 (9 | 10.5), 0 from 25·ln 2 ≈ 17.3;</li>
 *   <li>e4m3: below 2^−6 from 6·ln 2 ≈ 4.16 (4 | 5), 0 from 10·ln 2 ≈ 6.93 (9 is past it).</li>
 * </ul>
 * fp16 and e4m3 values are carried in float lanes, so their subnormals are normal floats: there
 * the question is whether the emulated rounding is slower, not the CPU; the plain float loop hits
 * fp32 subnormals at gaps 88 and 100 (every exp result and every term of its sum).
 *
 * <p>A logit is stored in the recipe's format, so the gap actually evaluated is the stored one
 * (e4m3 stores 100 as 96); the params name the requested gap.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The class's iterations and fork are the quick profile's (docs/decisions.md, "Profiles"): the
// SIMD kernel needs seconds of calls before C2 has compiled its loops; the plain loops need less.
@Warmup(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.ADD_MODULES, ForkFlags.VECTOR_MODULE, ForkFlags.QUIET,
        ForkFlags.DONTINLINE_SIMD_KERNEL, ForkFlags.INLINE_VECTOR_MATH})
public class SubnormalBenchmark {

    @State(Scope.Thread)
    public static class Workload {
        @Param({"32000"})
        public int classes;

        @Param({"4", "5", "9", "10.5", "87", "88", "100"})
        public double gap;

        @Param({"flat"})
        public String family;

        BaselineRow row;

        @Setup
        public void setUp() {
            row = BaselineRow.of(family, classes, gap);
        }
    }

    @State(Scope.Thread)
    public static class Formulation {
        @Param({"fp32", "bf16", "fp16", "e4m3"})
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
    @Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public double plainForwardDouble(Workload w) {
        return PlainLoops.forwardDouble(w.row.logits(), w.row.target());
    }

    @Benchmark
    @Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public float plainForwardFloat(Workload w) {
        return PlainLoops.forwardFloat(w.row.logits(), w.row.target());
    }
}
