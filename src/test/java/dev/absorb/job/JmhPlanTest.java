package dev.absorb.job;

import dev.absorb.bench.ForkFlags;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the bench command hands JMH, checked on the benchmark list this build generated. */
class JmhPlanTest {

    @Test
    void smokeOptions() {
        // when
        JmhPlan plan = JmhPlan.of(Profile.SMOKE, null, null, null, 17);
        Options o = plan.options("/opt/jdk/bin/java");
        // then
        assertEquals(List.of(JmhPlan.ALL), o.getIncludes());
        assertEquals(List.of(JmhPlan.JDK_FLOAT16), o.getExcludes(), "no Float.floatToFloat16 before JDK 20");
        assertEquals(5, plan.rounds(), "five forks, as five rounds over the whole plan");
        assertEquals(1, o.getForkCount().get(), "one fork per benchmark and round");
        assertEquals(10, o.getWarmupIterations().get());
        assertEquals(3, o.getMeasurementIterations().get());
        assertEquals(100, o.getMeasurementTime().get().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals("/opt/jdk/bin/java", o.getJvm().get());
        assertEquals(List.of(), o.getJvmArgs().get(), "not this JVM's own options");
        assertEquals(ForkFlags.ALL, o.getJvmArgsAppend().get());
        assertTrue(o.shouldFailOnError().get());
        assertFalse(o.getResultFormat().hasValue(), "JmhRun writes the JSON of all rounds; JMH would write jmh-result.json");
        assertEquals(List.of("fp32", "bf16"), List.copyOf(o.getParameter("recipe").get()));
        assertEquals(List.of("4"), List.copyOf(o.getParameter("gap").get()));
    }

    /** env.json records the plan as JMH's command line: JMH itself parses it back to the same options. */
    @Test
    void theCommandLineIsTheSameOptions() throws Exception {
        JmhPlan plan = JmhPlan.of(Profile.SMOKE, "KernelBenchmark", List.of("bf16"), List.of(100), 17);
        Options o = plan.options("/opt/jdk/bin/java");

        Options parsed = new org.openjdk.jmh.runner.options.CommandLineOptions(
                plan.commandLine("/opt/jdk/bin/java").toArray(new String[0]));

        assertEquals(o.getIncludes(), parsed.getIncludes());
        assertEquals(o.getExcludes(), parsed.getExcludes());
        assertEquals(o.getForkCount(), parsed.getForkCount());
        assertEquals(o.getWarmupIterations(), parsed.getWarmupIterations());
        assertEquals(o.getWarmupTime(), parsed.getWarmupTime());
        assertEquals(o.getMeasurementIterations(), parsed.getMeasurementIterations());
        assertEquals(o.getMeasurementTime(), parsed.getMeasurementTime());
        assertEquals(o.getJvm(), parsed.getJvm());
        assertEquals(o.getJvmArgs(), parsed.getJvmArgs());
        assertEquals(o.getJvmArgsAppend(), parsed.getJvmArgsAppend());
        assertEquals(o.shouldFailOnError(), parsed.shouldFailOnError());
        for (String param : List.of("recipe", "classes", "gap", "format")) {
            assertEquals(List.copyOf(o.getParameter(param).get()), List.copyOf(parsed.getParameter(param).get()), param);
        }
    }

    @Test
    void jdk20AndLaterRunTheFloat16Baseline() {
        Options o = JmhPlan.of(Profile.SMOKE, null, null, null, 25).options("java");
        assertEquals(List.of(), o.getExcludes());
    }

    @Test
    void smokeCountsEveryBenchmarkAndParamCombination() {
        // Exp 5 methods, Kernel 5 x 2 recipes + 4 plain, Rounding 2 (bf16) + fp32Cast (+ jdkFloat16),
        // Subnormal 2 recipes + 2 plain, Storage 6 methods (bf16), each at gap 4.
        assertEquals(5 + 14 + 3 + 4 + 6, JmhPlan.of(Profile.SMOKE, null, null, null, 17).size());
        assertEquals(5 + 14 + 4 + 4 + 6, JmhPlan.of(Profile.SMOKE, null, null, null, 25).size());
    }

    @Test
    void quickUsesEachBenchmarksDefaults() {
        // Kernel: 25 recipes (8 of them presets) x 4 (forward, fused, plainRecipeForward, plainRecipeFused) + 4 plain;
        // Subnormal: 7 gaps x (4 recipes + 2 plain); Rounding: 5 formats x 2 + 2; Exp: 4 gaps x 5; no Storage
        // and no scalarFused (left out of quick).
        assertEquals(104 + 42 + 12 + 20, JmhPlan.of(Profile.QUICK, null, null, null, 25).size());
        assertEquals(24, JmhPlan.of(Profile.QUICK, "StorageBenchmark", null, null, 25).size(), "unless --bench selects it");
        assertEquals(25, JmhPlan.of(Profile.QUICK, "KernelBenchmark.scalarFused", null, null, 25).size(), "unless --bench selects it");
        Options o = JmhPlan.of(Profile.QUICK, null, null, null, 25).options("java");
        assertFalse(o.getParameter("recipe").hasValue(), "no override: each class keeps its own");
        assertFalse(o.getForkCount().hasValue(), "each class's own @Fork");
        assertEquals(1, JmhPlan.of(Profile.QUICK, null, null, null, 25).rounds());
        assertFalse(o.getWarmupIterations().hasValue(), "each class's own @Warmup");
    }

    @Test
    void narrowingReplacesTheParamsAndTheSelection() {
        // when
        JmhPlan plan = JmhPlan.of(Profile.QUICK, "KernelBenchmark.f", List.of("bf16/acc=fp32"), List.of(1000, 128256), 25);
        Options o = plan.options("java");
        // then: forward and fused, one recipe, two class counts
        assertEquals(List.of("KernelBenchmark.f"), o.getIncludes());
        assertEquals(List.of("bf16/acc=fp32"), List.copyOf(o.getParameter("recipe").get()));
        assertEquals(List.of("1000", "128256"), List.copyOf(o.getParameter("classes").get()));
        assertEquals(2 * 2, plan.size());
    }

    @Test
    void aMalformedRegexIsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhPlan.of(Profile.QUICK, "Kernel(", null, null, 17));
        assertTrue(e.getMessage().startsWith("--bench: 'Kernel(' is not a regular expression"), e.getMessage());
    }

    @Test
    void aRegexThatSelectsNothingNamesTheBenchmarks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhPlan.of(Profile.QUICK, "Kernal", null, null, 17));
        assertTrue(e.getMessage().startsWith("--bench: 'Kernal' matches no benchmark; benchmarks: ExpBenchmark.mathExp, "),
                e.getMessage());
        assertTrue(e.getMessage().contains("KernelBenchmark.fused"), e.getMessage());
        assertTrue(!e.getMessage().contains("jdkFloat16"), "left out on 17: " + e.getMessage());
    }

    @Test
    void theFloat16BaselineAloneIsNothingOnJdk17() {
        assertThrows(IllegalArgumentException.class, () -> JmhPlan.of(Profile.QUICK, "jdkFloat16", null, null, 17));
        assertEquals(1, JmhPlan.of(Profile.QUICK, "jdkFloat16", null, null, 20).size());
    }

    @Test
    void overridesReplaceTheProfilesParamsAndIterationsOneByOne() {
        JmhPlan.Overrides overrides = new JmhPlan.Overrides(null, null, List.of("4", "100"), List.of("flat"), 3, null, 500, null, null);
        JmhPlan plan = JmhPlan.of(Profile.SMOKE, "KernelBenchmark.fused$", overrides, 17);
        Options o = plan.options("java");

        assertEquals(3, plan.rounds(), "--forks 3: three rounds of one fork");
        assertEquals(1, o.getForkCount().get());
        assertEquals(10, o.getWarmupIterations().get(), "the profile's warmups where none is given");
        assertEquals(500, o.getWarmupTime().get().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(3, o.getMeasurementIterations().get());
        assertEquals(List.of("4", "100"), List.copyOf(o.getParameter("gap").get()));
        assertEquals(List.of("flat"), List.copyOf(o.getParameter("family").get()));
        assertEquals(2 * 2, plan.size(), "two recipes of the profile times two gaps");
    }

    @Test
    void quickKeepsEachBenchmarksOwnIterationsUnlessGiven() {
        JmhPlan.Overrides overrides = new JmhPlan.Overrides(null, null, null, null, null, null, null, 7, null);
        Options o = JmhPlan.of(Profile.QUICK, "KernelBenchmark.fused$", overrides, 17).options("java");

        assertEquals(7, o.getMeasurementIterations().get());
        assertFalse(o.getWarmupIterations().hasValue(), "the annotation's");
        assertFalse(o.getForkCount().hasValue(), "the annotation's");
    }

    /** ab's forks: JMH's launcher parses the arguments back to one fork, the flags appended, the JSON where asked. */
    @Test
    void singleForkArgumentsParseBackAsOneForkWithTheSidesFlags() throws Exception {
        JmhPlan plan = JmhPlan.of(Profile.QUICK, "KernelBenchmark.fused$", JmhPlan.Overrides.NONE.withForks(1), 17);
        Options parsed = new org.openjdk.jmh.runner.options.CommandLineOptions(
                plan.singleForkArgs(List.of("-XX:MaxVectorSize=16"), "/tmp/fork.json").toArray(new String[0]));

        assertEquals(1, parsed.getForkCount().get());
        List<String> appended = new java.util.ArrayList<>(ForkFlags.ALL);
        appended.add("-XX:MaxVectorSize=16");
        assertEquals(appended, List.copyOf(parsed.getJvmArgsAppend().get()));
        assertFalse(parsed.getJvmArgs().hasValue(), "the forks inherit the launcher's own options");
        assertEquals("/tmp/fork.json", parsed.getResult().get());
        assertEquals(List.of("KernelBenchmark.fused$"), parsed.getIncludes());
    }
}
