package dev.absorb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeCommandTest {

    @TempDir
    Path dir;

    private static String fused(String recipe, double nanos) {
        return "{\"benchmark\": \"dev.absorb.bench.KernelBenchmark.fused\", \"mode\": \"avgt\", \"params\": {\"recipe\": \""
                + recipe + "\", \"classes\": \"1000\"}, \"primaryMetric\": {\"score\": " + nanos + ", \"scoreError\": 2.0, "
                + "\"scoreUnit\": \"ns/op\", \"rawData\": [[" + nanos + "]]}}";
    }

    @Test
    void listsTheSafeRecipesCheapestFirstWithTheirCostAndAccuracy() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("jmh.json"), "[" + fused("bf16/acc=fp32/grad=complement", 3000) + ", "
                + fused("torch:bf16/grad=complement", 2000) + ", " + fused("bf16/grad=complement", 500) + "]");

        CliRunner r = CliRunner.run("safe", "--classes", "1000", "--gap", "10", "--format", "bf16", "--results", run.toString(),
                "--rejected");

        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("safe at C = 1000 up to gap 10: "), out);
        assertTrue(out.contains("costs: KernelBenchmark.fused in ns per call (JMH score ± its 99.9 % error) from " + run), out);
        int torch = out.indexOf("\ntorch:bf16/grad=complement ");
        int acc = out.indexOf("\nbf16/acc=fp32/grad=complement ");
        int unmeasured = out.indexOf("not measured");
        assertTrue(torch > 0 && torch < acc && acc < unmeasured, out);
        assertTrue(out.substring(torch, out.indexOf('\n', torch + 1)).contains("2000 ± 2"), out);
        // The cheapest recipe of the run breaks the gradient: it is listed as rejected, not offered.
        assertTrue(out.contains("\n  bf16/grad=complement: gradient error "), out);
        assertTrue(out.contains(" break accuracy:"), out);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        CliRunner.run("safe", "--classes", "1", "--gap", "10").assertBadInput("safe", "--classes must be at least 2 and at most 16777216, not 1");
        CliRunner.run("safe", "--classes", "1000", "--gap", "-1").assertBadInput("safe", "--gap must be a finite number >= 0");
        CliRunner.run("safe", "--classes", "1000", "--gap", "500", "--format", "e4m3")
                .assertBadInput("safe", "beyond e4m3's largest value 448");
        CliRunner.run("safe", "--classes", "1000", "--gap", "10", "--format", "bf17").assertBadInput("safe", "unknown format 'bf17'");
        CliRunner.run("safe", "--classes", "1000", "--gap", "10", "--results", dir.toString())
                .assertBadInput("safe", "holds no jmh.json");
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("jmh.json"), "[{");
        CliRunner.run("safe", "--classes", "1000", "--gap", "10", "--results", broken.toString())
                .assertBadInput("safe", "is not JMH JSON");
    }
}
