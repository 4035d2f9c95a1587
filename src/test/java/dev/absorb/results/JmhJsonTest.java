package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading JMH's JSON: every shape JMH writes, and every way a file can fail to be one. */
class JmhJsonTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryForkAndIterationOfARealRun() throws IOException {
        // given: the A run, 5 forks x 3 iterations of 3 benchmarks
        Path file = Fixtures.path("A/jmh.json");
        // when
        JmhJson.Contents contents = JmhJson.read(file);
        // then: samples are rawData flattened fork by fork, as JMH wrote them
        assertEquals(3, contents.rows().size());
        JsonNode first = new ObjectMapper().readTree(file.toFile()).get(0);
        JmhRow row = contents.rows().get(0);
        assertEquals(first.get("benchmark").asText(), row.key().benchmark());
        assertEquals("avgt", row.key().mode());
        assertEquals("ns/op", row.unit());
        assertEquals(first.get("params").get("recipe").asText(), row.key().params().get("recipe"));
        assertEquals(5, row.forkCount());
        assertEquals(15, row.samples().length);
        assertEquals(first.at("/primaryMetric/rawData/1/0").doubleValue(), row.forks()[1][0]);
        assertEquals(first.at("/primaryMetric/rawData/1/0").doubleValue(), row.samples()[3]);
        double[] fork2 = row.forks()[2].clone();
        java.util.Arrays.sort(fork2);
        assertEquals(fork2[1], row.forkMedians()[2], "a fork's sample is its median iteration");
        assertTrue(contents.jvm().startsWith("OpenJDK 64-Bit Server VM 17"), contents.jvm());
    }

    @Test
    void sampleModeScoresAnIterationByItsHistogramMean() throws IOException {
        Path file = Fixtures.path("sample.json");
        JmhRow row = JmhJson.read(file).rows().get(0);
        JsonNode forks = new ObjectMapper().readTree(file.toFile()).get(0).at("/primaryMetric/rawDataHistogram");
        double[] expected = new double[3];
        int i = 0;
        for (JsonNode iteration : forks.get(0)) {
            double sum = 0;
            double count = 0;
            for (JsonNode pair : iteration) {
                sum += pair.get(0).doubleValue() * pair.get(1).doubleValue();
                count += pair.get(1).doubleValue();
            }
            expected[i++] = sum / count;
        }
        assertEquals("sample", row.key().mode());
        assertArrayEquals(expected, row.samples(), 1e-9 * expected[0]);
    }

    @Test
    void throughputIsHigherIsBetter() {
        JmhRow row = JmhJson.read(Fixtures.path("thrpt.json")).rows().get(0);
        assertEquals("ops/ms", row.unit());
        assertEquals(Direction.HIGHER_IS_BETTER, row.direction());
        assertEquals(1 / 1.25, Direction.HIGHER_IS_BETTER.timeFactor(1.25));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        var e = assertThrows(IllegalArgumentException.class, () -> JmhJson.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void aTruncatedFileIsNotJmhJson() throws IOException {
        String whole = Files.readString(Fixtures.path("A/jmh.json"));
        Path cut = Files.writeString(dir.resolve("cut.json"), whole.substring(0, whole.length() / 2));
        var e = assertThrows(IllegalArgumentException.class, () -> JmhJson.read(cut));
        assertTrue(e.getMessage().startsWith(cut + " is not JMH JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("line "), e.getMessage());
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
            Arguments.of("benchmark,score\\nx,1",
                    "is not JMH JSON: Unrecognized token"),
            Arguments.of("{\"benchmark\": \"x\"}",
                    "is not JMH JSON: expected an array of benchmark results"),
            Arguments.of("[]",
                    "holds no benchmark results (JMH writes [] when every fork failed"),
            Arguments.of("[1, 2]",
                    "is not JMH JSON: result 1 has no 'benchmark'"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\"}]",
                    "is not JMH JSON: b (avgt) has no 'primaryMetric'"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"fast\",\"primaryMetric\":{}}]",
                    "unknown JMH mode 'fast'; valid: thrpt, avgt, sample, ss"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\"}}]",
                    "has neither 'primaryMetric.rawData' nor 'rawDataHistogram'"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[]}}]",
                    "b (avgt) has no samples"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1],[]]}}]",
                    "b (avgt) has a fork without samples"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1,0]]}}]",
                    "has a sample that is not a positive number (0.0)"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[\"NaN\"]]}}]",
                    "not a positive number (NaN)"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1]]}},{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[2]]}}]",
                    "b (avgt) appears twice"),
            Arguments.of("[{\"benchmark\":\"b\",\"mode\":\"avgt\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1]]}}] []",
                    "is not JMH JSON: Trailing token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void otherFilesAreRejectedWithTheReason(String content, String fragment) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), content.replace("\\n", "\n"));
        var e = assertThrows(IllegalArgumentException.class, () -> JmhJson.read(file));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void unitsConvert() {
        assertEquals(1e-3, ScoreUnit.factor("ns/op", "us/op"), 1e-18);
        assertEquals(1e3, ScoreUnit.factor("ops/ms", "ops/s"), 1e-9);
        assertEquals(1, ScoreUnit.factor("B/op", "B/op"));
        for (List<String> pair : List.of(List.of("ns/op", "ops/s"), List.of("B/op", "ns/op"))) {
            assertThrows(IllegalArgumentException.class, () -> ScoreUnit.factor(pair.get(0), pair.get(1)));
        }
    }
}
