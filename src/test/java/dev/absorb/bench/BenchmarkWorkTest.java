package dev.absorb.bench;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ReferenceLse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What each benchmark computes, outside JMH: the states set up as JMH would (their own checks
 * included), and the timed methods return what the kernels and the baselines they stand for return.
 */
class BenchmarkWorkTest {

    private static KernelBenchmark.Workload workload(int classes, double gap, String family) {
        KernelBenchmark.Workload w = new KernelBenchmark.Workload();
        w.classes = classes;
        w.gap = gap;
        w.family = family;
        w.setUp();
        return w;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16", "e4m3/acc=fp32", "fp16/grad=complement", "bf16/round=sr"})
    void forwardAndFusedAreTheSweepsKernel(String recipe) {
        // given
        KernelBenchmark.Workload w = workload(1003, 4, "gauss");
        KernelBenchmark.Formulation f = new KernelBenchmark.Formulation();
        f.recipe = recipe;
        f.setUp(w);
        Logits input = Logits.of("gauss", 1003, 4, Recipe.parse(recipe).format());
        double[] expected = new double[1003];
        // when
        Evaluation fused = new KernelBenchmark().fused(f);
        Evaluation forward = new KernelBenchmark().forward(f);
        // then: the kernel the sweep would pick, on the same logits, gives the same bits
        Evaluation reference = Kernels.of(Recipe.parse(recipe)).evaluate(input.values(), input.target(), expected);
        assertEquals(reference, fused);
        assertEquals(reference, forward);
        assertArrayEquals(expected, f.row.gradient());
        assertEquals(Kernels.plan(Recipe.parse(recipe)), f.row.plan(), "the kernel the sweep uses");
        // and the plain loop doing the recipe's job reads the same logits
        Evaluation plain = new PlainRecipeLoop(Recipe.parse(recipe)).fused(input.values(), input.target(), new double[1003]);
        assertEquals(plain, new KernelBenchmark().plainRecipeFused(f));
        assertEquals(plain, new KernelBenchmark().plainRecipeForward(f));
    }

    @Test
    void plainLoopsComputeTheLossInFp64AndFp32() {
        // given
        KernelBenchmark.Workload w = workload(32000, 4, "gauss");
        double[] z = new double[32000];
        for (int j = 0; j < z.length; j++) {
            z[j] = w.row.logits()[j];
        }
        double loss = ReferenceLse.of(Recipe.parse("fp64"), z) - z[w.row.target()];
        KernelBenchmark b = new KernelBenchmark();
        // then: fp64 to a few ulps, fp32 to what 32000 float additions lose
        assertEquals(loss, b.plainForwardDouble(w), 1e-12 * Math.abs(loss) + 1e-12);
        assertEquals(loss, b.plainFusedDouble(w), 1e-12 * Math.abs(loss) + 1e-12);
        assertEquals(loss, b.plainForwardFloat(w), 1e-3);
        assertEquals(loss, b.plainFusedFloat(w), 1e-3);
        // the gradient sums to 0 and its target entry is p_y - 1
        double sum = 0;
        for (float g : w.row.gradient()) {
            sum += g;
        }
        assertEquals(0, sum, 1e-4);
        assertEquals(Math.exp(-loss) - 1, w.row.gradient()[w.row.target()], 1e-5);
    }

    @ParameterizedTest
    @CsvSource({"fp32, 88, 88", "bf16, 88, 88", "e4m3, 100, 96", "e4m3, 10.5, 10", "fp16, 10.5, 10.5"})
    void theGapSweepsLogitsAreFlatAndStoredInTheFormat(String format, double gap, double stored) {
        Logits input = Logits.of("flat", 1000, gap, Format.of(format));
        assertEquals(stored, input.storedGap());
        assertEquals(stored, input.values()[input.target()]);
        assertEquals(0.0, input.values()[0]);
        assertEquals(333, input.target());
    }

    @Test
    void subnormalBenchmarkRunsTheKernelAndTheFloatLoopOnTheSameGaps() {
        SubnormalBenchmark.Workload w = new SubnormalBenchmark.Workload();
        w.classes = 1000;
        w.gap = 88;
        w.family = "flat";
        w.setUp();
        SubnormalBenchmark.Formulation f = new SubnormalBenchmark.Formulation();
        f.recipe = "fp32";
        f.setUp(w);
        // every other term is exp(-88), a float subnormal: lse = 88 + log1p(999 e^-88) = 88 in float
        assertEquals(0.0, new SubnormalBenchmark().plainForwardFloat(w));
        assertEquals(0.0, new SubnormalBenchmark().forward(f).loss());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bf16", "fp16", "e5m2", "e4m3", "e2m1", "tf32", "e4m3fnuz", "e3m4"})
    void roundingBenchmarkRoundsLikeTheScalarReference(String format) {
        // given: setUp itself compares lanes with the scalar and throws on a difference
        RoundingBenchmark.Inputs in = new RoundingBenchmark.Inputs();
        in.setUp();
        RoundingBenchmark.Target t = new RoundingBenchmark.Target();
        t.format = format;
        t.setUp(in);
        RoundingBenchmark b = new RoundingBenchmark();
        // when
        float[] vector = b.vector(t, in).clone();
        float[] scalar = b.scalar(t, in).clone();
        // then
        assertArrayEquals(scalar, vector);
        for (int i = 0; i < RoundingBenchmark.N; i++) {
            assertEquals(t.rounding.round(in.values[i], 0), scalar[i]);
        }
        assertFalse(java.util.Arrays.equals(scalar, in.values), "rounding to " + format + " changes some inputs");
    }

    @Test
    void float16BaselineIsThereFromJdk20() {
        assertEquals(Runtime.version().feature() >= JdkFloat16.SINCE, JdkFloat16.available());
    }

    @Test
    void float16BaselineRefusesToSetUpBeforeJdk20() {
        assumeFalse(JdkFloat16.available(), "this JDK has Float.floatToFloat16");
        assertThrows(IllegalStateException.class, () -> new RoundingBenchmark.Float16().setUp());
    }

    @Test
    void float16BaselineRoundsAsFp16Does() {
        assumeTrue(JdkFloat16.available(), "Float.floatToFloat16 is there from JDK " + JdkFloat16.SINCE);
        RoundingBenchmark.Inputs in = new RoundingBenchmark.Inputs();
        in.setUp();
        new RoundingBenchmark.Float16().setUp();
        short[] halves = new RoundingBenchmark().jdkFloat16(null, in);
        Format fp16 = Format.of("fp16");
        Rounding nearest = Rounding.nearest(fp16);
        for (int i = 0; i < RoundingBenchmark.N; i++) {
            assertEquals(fp16.encode(nearest.round(in.values[i], 0)), halves[i] & 0xFFFF, "fp16 code of " + in.values[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {4, 87, 88, 100})
    void expVariantsAgreeWithStrictMath(double gap) {
        // given: setUp checks the lane-wise polynomial against the scalar one, bit for bit
        ExpBenchmark b = new ExpBenchmark();
        b.gap = gap;
        b.setUp();
        float[] strict = b.strictMathExp().clone();
        // then: every variant within 2 float ulps of fdlibm's exp rounded to float
        for (float[] variant : new float[][] {b.poly().clone(), b.polyVector().clone(), b.vectorApi().clone(), b.mathExp().clone()}) {
            for (int i = 0; i < ExpBenchmark.N; i++) {
                assertEquals(strict[i], variant[i], 2 * Math.ulp(strict[i]), "exp(" + b.x[i] + ")");
            }
        }
        boolean subnormal = gap > 87.34;
        assertEquals(subnormal, strict[0] < Float.MIN_NORMAL, "results on one side of fp32's smallest normal");
    }
}
