package dev.absorb.job;

import dev.absorb.results.JmhJson;
import dev.absorb.results.JmhRow;
import dev.absorb.results.Numbers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading JMH JSON and the side-by-side table. The fixtures are JMH's own output, unedited:
 * {@code java -cp target/absorb.jar org.openjdk.jmh.Main 'RoundingBenchmark.(fp32Cast|jdkFloat16)|ExpBenchmark.poly$'
 * -p gap=4,88 -f 1 -wi 1 -i 3 -w 100ms -r 100ms -rf json} on JDK 17 (without jdkFloat16) and JDK 25.
 */
class SideBySideTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(SideBySideTest.class.getResource(name).toURI());
    }

    private static List<JmhRow> read(Path file) {
        return JmhJson.read(file).rows();
    }

    @Test
    void readsBenchmarksParamsScoresAndErrors() throws Exception {
        List<JmhRow> scores = read(fixture("jmh-jdk17.json"));
        assertEquals(3, scores.size());
        JmhRow poly = scores.get(0);
        assertEquals("ExpBenchmark.poly", poly.shortName());
        assertEquals(Map.of("gap", "4"), poly.params());
        assertEquals(14.014857974057831, poly.score());
        assertEquals(68.20769423416891, poly.scoreError());
        assertEquals("ns/op", poly.unit());
        assertEquals("RoundingBenchmark.fp32Cast", scores.get(2).rowName(), "no params: the name alone");
    }

    @Test
    void nanErrorsAsJmhWritesThem(@TempDir Path dir) throws IOException {
        // JMH writes "NaN" (a string) for the error of a single measurement
        Path file = dir.resolve("jmh.json");
        Files.writeString(file, "[{\"benchmark\":\"dev.absorb.bench.X.y\",\"mode\":\"avgt\",\"primaryMetric\":"
                + "{\"score\":2.5,\"scoreError\":\"NaN\",\"scoreUnit\":\"ns/op\",\"rawData\":[[2.5]]}}]");
        JmhRow s = read(file).get(0);
        assertTrue(Double.isNaN(s.scoreError()));
        assertEquals("2.5", Numbers.withError(s.score(), s.scoreError()));
    }

    @Test
    void jsonThatIsNotAJmhResultIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.json");
        Files.writeString(file, "{\"benchmark\": 1}");
        assertThrows(IllegalArgumentException.class, () -> read(file));
        Files.writeString(file, "[{\"name\": 1}]");
        assertThrows(IllegalArgumentException.class, () -> read(file));
    }

    @Test
    void sideBySideMatchesRowsByBenchmarkAndParams() throws Exception {
        // when
        String table = SideBySide.table(List.of("jdk17", "jdk25"),
                List.of(read(fixture("jmh-jdk17.json")), read(fixture("jmh-jdk25.json"))));
        // then
        List<String> lines = table.lines().toList();
        assertEquals(5, lines.size(), table);
        assertEquals(List.of("benchmark", "params", "unit", "jdk17", "jdk25", "run", "2", "/", "run", "1"),
                List.of(lines.get(0).trim().split("\\s+")));
        // ExpBenchmark.poly gap=4: 14.01 ± 68.21 on 17, 58.56 ± 1059 on 25, ratio 58.5645/14.0149 = 4.18
        assertEquals(List.of("ExpBenchmark.poly", "gap=4", "ns/op", "14.01", "±", "68.21", "58.56", "±", "1059", "4.18"),
                List.of(lines.get(1).trim().split("\\s+")));
        assertTrue(lines.get(3).startsWith("RoundingBenchmark.fp32Cast"), table);
        // only JDK 25 has Float.floatToFloat16: a dash where a run has no such row
        assertEquals(List.of("RoundingBenchmark.jdkFloat16", "ns/op", "-", "0.3094", "±", "1.09", "-"),
                List.of(lines.get(4).trim().split("\\s+")));
    }

    @Test
    void oneRunIsATableWithoutRatios() throws Exception {
        String table = SideBySide.table(List.of("run"), List.of(read(fixture("jmh-jdk17.json"))));
        assertEquals(List.of("benchmark", "params", "unit", "run"),
                List.of(table.lines().findFirst().orElseThrow().trim().split("\\s+")), table);
    }
}
