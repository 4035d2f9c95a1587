package dev.absorb.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.absorb.results.JmhJson;
import dev.absorb.results.JmhRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interleaving of {@code absorb ab} with a fake fork runner: the order follows the seed and is
 * recorded as run, and each side's forks are pooled into its jmh.json in the order they ran.
 */
class AbRunTest {

    @TempDir
    Path dir;

    /** One JMH JSON result of one fork with {@code iterations} as its rawData. */
    static String forkJson(double... iterations) {
        String raw = java.util.Arrays.stream(iterations).mapToObj(Double::toString).collect(Collectors.joining(", "));
        return "[ { \"jmhVersion\" : \"1.37\", \"benchmark\" : \"dev.absorb.bench.KernelBenchmark.fused\", \"mode\" : \"avgt\", "
                + "\"threads\" : 1, \"forks\" : 1, \"params\" : { \"recipe\" : \"bf16\" }, \"primaryMetric\" : { \"score\" : 1.0, "
                + "\"scoreError\" : \"NaN\", \"scoreUnit\" : \"ns/op\", \"rawData\" : [ [ " + raw + " ] ] }, "
                + "\"secondaryMetrics\" : { } } ]";
    }

    @Test
    void theOrderIsTheSeedsAndBothOrdersOccur() {
        List<List<AbRun.Side>> order = AbRun.order(42, 40);
        assertEquals(order, AbRun.order(42, 40), "a seed repeats its order");
        assertNotEquals(order, AbRun.order(43, 40), "another seed, another order");
        long baselineFirst = order.stream().filter(r -> r.get(0) == AbRun.Side.BASELINE).count();
        assertTrue(baselineFirst > 0 && baselineFirst < 40, "both orders occur in 40 rounds: " + baselineFirst);
        order.forEach(r -> assertEquals(2, r.stream().distinct().count(), "each side once per round"));
    }

    @Test
    void forksRunInTheSeedsOrderAndArePooledPerSide() throws IOException {
        List<String> ran = new ArrayList<>();
        AbRun.ForkRunner fake = (side, json, log) -> {
            ran.add(side.key());
            int n = ran.size();
            // the baseline's forks take 100 + n ns, the candidate's 200 + n: each fork is told apart
            double score = (side == AbRun.Side.BASELINE ? 100 : 200) + n;
            Files.writeString(json, forkJson(score, score + 0.5));
            Files.writeString(log, "fork " + n + "\n", java.nio.file.StandardOpenOption.APPEND);
        };
        StringWriter console = new StringWriter();

        List<AbRun.Fork> forks = AbRun.run(dir, 7, 4, fake, new PrintWriter(console));

        List<String> expected = AbRun.order(7, 4).stream().flatMap(r -> r.stream().map(AbRun.Side::key)).collect(Collectors.toList());
        assertEquals(expected, ran, "the sides ran in the seed's order");
        List<String> csv = Files.readAllLines(dir.resolve(AbRun.ORDER_CSV));
        assertEquals("round,position,side,started,finished", csv.get(0));
        assertEquals(8 + 1, csv.size());
        for (int i = 0; i < 8; i++) {
            String[] cells = csv.get(i + 1).split(",");
            assertEquals(String.valueOf(i / 2 + 1), cells[0], csv.get(i + 1));
            assertEquals(String.valueOf(i % 2 + 1), cells[1], csv.get(i + 1));
            assertEquals(expected.get(i), cells[2], csv.get(i + 1));
            assertTrue(!java.time.Instant.parse(cells[4]).isBefore(java.time.Instant.parse(cells[3])), csv.get(i + 1));
        }
        assertEquals(8, forks.size());

        for (AbRun.Side side : AbRun.Side.values()) {
            JmhRow row = JmhJson.read(dir.resolve(side.key()).resolve("jmh.json")).rows().get(0);
            List<Double> firstIterations = new ArrayList<>();
            for (int i = 0; i < ran.size(); i++) {
                if (ran.get(i).equals(side.key())) {
                    firstIterations.add((side == AbRun.Side.BASELINE ? 100.0 : 200.0) + i + 1);
                }
            }
            assertEquals(4, row.forkCount(), side + ": one fork per round");
            for (int f = 0; f < 4; f++) {
                assertArrayEquals(new double[] {firstIterations.get(f), firstIterations.get(f) + 0.5}, row.forks()[f], side + " fork " + f);
            }
            double mean = firstIterations.stream().mapToDouble(d -> d + 0.25).average().orElseThrow();
            assertEquals(mean, row.score(), 1e-9, "the score is worked out again over every iteration");
            JsonNode json = new ObjectMapper().readTree(dir.resolve(side.key()).resolve("jmh.json").toFile());
            assertEquals(4, json.get(0).get("forks").asInt());
            assertEquals(4, Files.readAllLines(dir.resolve(side.key()).resolve("jmh.log")).size(), "each fork's text appended");
        }
        try (Stream<Path> files = Files.list(dir.resolve(AbRun.FORKS))) {
            assertEquals(8, files.count(), "each fork's own JSON is kept");
        }
        assertTrue(console.toString().contains("ab: round 4 of 4"), console.toString());
    }

    @Test
    void aFailingForkStopsTheRunBeforeAnythingIsPooled() {
        AbRun.ForkRunner failing = (side, json, log) -> {
            throw new JmhRun.BenchmarkFailure("a JMH fork exited 1", null);
        };
        assertThrowsFailure(() -> AbRun.run(dir, 1, 2, failing, new PrintWriter(new StringWriter())));
        assertTrue(!Files.exists(dir.resolve("baseline").resolve("jmh.json")));
        assertTrue(!Files.exists(dir.resolve(AbRun.ORDER_CSV)));
    }

    private static void assertThrowsFailure(org.junit.jupiter.api.function.Executable run) {
        org.junit.jupiter.api.Assertions.assertThrows(JmhRun.BenchmarkFailure.class, run);
    }
}
