package dev.absorb.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which kernel runs a recipe and why ({@link Kernels#plan}), and the float lanes' path per step ({@link SimdPlan}). */
class KernelPlanTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "bf16; FLOAT_LANES; every step short or staged",
            "bf16/round=sr; FLOAT_LANES; every step short or staged",
            "fp16/round=rtz/acc=kahan; FLOAT_LANES; every step short or staged",
            "fp64; DOUBLE_LANES; fp64",
            "fp64/algo=online; SCALAR; the fp64 lanes run twopass and naive",
            "bf16/acc=fp64; SCALAR; acc=fp64",
            "bf16/algo=online/round=sr; SCALAR; algo=online under sr",
            "bf16/round=srh/acc=kahan; SCALAR; acc=kahan under srh",
            "e8m3fn; SCALAR; does not fit float lanes",
            "tf32/algo=online; SCALAR; online's product",
            "tf32/cap=30; SCALAR; cap's product",
            "bf16/algo=online/round=rtz; SCALAR; long lane-wise path",
            "torch:bf16/cpu=default; SCALAR; exp=glibc"})
    void namesTheKernelAndWhy(String text, KernelPlan.Choice kernel, String why) {
        Recipe recipe = Recipe.parse(text);
        KernelPlan plan = Kernels.plan(recipe);
        assertEquals(kernel, plan.kernel(), plan::toString);
        assertTrue(plan.reason().contains(why), plan::toString);
        assertEquals(kernel == KernelPlan.Choice.FLOAT_LANES, plan.takesFloats());
        assertEquals(kernel == KernelPlan.Choice.FLOAT_LANES, !plan.steps().isEmpty());
        assertTrue(plan.toString().startsWith(recipe + ": " + kernel.description()), plan::toString);
        assertFalse(plan.toString().contains("\n"), "one line");
        Kernel chosen = Kernels.of(recipe);
        Class<?> expected = kernel == KernelPlan.Choice.FLOAT_LANES ? SimdKernel.class
                : kernel == KernelPlan.Choice.DOUBLE_LANES ? SimdKernel64.class : ScalarKernel.class;
        assertEquals(expected, chosen.getClass(), text);
    }

    @Test
    void eachStepsPathFollowsFromTheRecipe() {
        int width = VectorWidth.FLOATS.length();
        // Quotients are named where the recipe divides. bf16 under rne: everything by bit tricks; with at least one accumulator vector (the
        // default 8 lanes, at most 256 bits) S rounds the exps as it adds them.
        assertSteps("bf16", width <= 8 ? "exps rounded to K inside the sum's loop" : null,
                "differences short", "to FORMAT skipped (K is FORMAT)", "sums short");
        // A = fp32 is not narrow: quotients e_j / S are staged, and so is the rounding to FORMAT after them.
        assertSteps("bf16/acc=fp32/grad=div", width <= 8 ? "exps rounded to K inside the sum's loop" : null, "differences short", "quotients staged", "to FORMAT skipped (K is FORMAT)",
                "sums short");
        // K = A = fp32 over exactly one accumulator vector (8 lanes: 256 bits): S and p_j each in one loop.
        assertSteps("bf16/compute=fp32/acc=fp32", width == 8 ? "fused: S and the probabilities each in one loop from z" : null,
                "differences short", "to FORMAT short", "sums short");
        assertSteps("bf16/round=rtz", null, "differences staged", "to FORMAT skipped (K is FORMAT)", "sums staged");
        assertSteps("fp16/round=sr/grad=complement", null, "differences stochastic", "quotients stochastic",
                "to FORMAT skipped (K is FORMAT)", "sums stochastic");
    }

    @Test
    void refusesWhatTheLanesDoNotRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimdPlan(Recipe.parse("bf16/acc=fp64")));
        assertTrue(e.getMessage().startsWith("the SIMD kernel does not run bf16/acc=fp64: acc=fp64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SimdKernel(Recipe.parse("fp64")));
    }

    /** The recipe's steps: those named, then {@code loops} unless null. */
    private static void assertSteps(String text, String loops, String... steps) {
        List<String> expected = new ArrayList<>(List.of(steps));
        if (loops != null) {
            expected.add(loops);
        }
        assertEquals(expected, new SimdPlan(Recipe.parse(text)).steps(), text);
        assertEquals(expected, Kernels.plan(Recipe.parse(text)).steps(), text);
    }
}
