package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code absorb bench}: bad input exits 2 with one line before a run folder exists; a run makes one
 * complete folder with everything in it.
 */
class BenchCommandTest {

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--profile=fast                | unknown profile 'fast'; valid: smoke, quick, full",
        "--bench=Kernel(               | --bench: 'Kernel(' is not a regular expression",
        "--bench=NoSuchBenchmark       | --bench: 'NoSuchBenchmark' matches no benchmark; benchmarks: ExpBenchmark.mathExp",
        "--recipes=bf17                | unknown format 'bf17'",
        "--recipes=bf16/acc=fp33       | fp33",
        "--classes=1                   | --classes must be at least 2",
        "--classes=ten                 | Invalid value for option '--classes'",
        "--no-such-option              | Unknown option: '--no-such-option'",
        "--forks=0                     | --forks must be at least 1 and at most 1000, not 0",
        "--warmup-iterations=-1        | --warmup-iterations must be at least 0 and at most 10000, not -1",
        "--iterations=0                | --iterations must be at least 1 and at most 10000, not 0",
        "--warmup-time=5x              | --warmup-time: '5x' is not a time; e.g. 200ms or 1s",
        "--measurement-time=0ms        | --measurement-time must be at least 1ms and at most 1h, not 0ms",
        "--measurement-time=2h         | --measurement-time must be at least 1ms and at most 1h, not 2h",
        "--gaps=-1                     | --gaps must be 0 or more, not -1",
        "--gaps=x                      | 'x' is not a number",
        "--families=nope               | unknown family 'nope'; valid: flat",
    })
    void badInputExits2WithOneLineAndMakesNoFolder(String arg, String fragment, @TempDir Path dir) throws IOException {
        // when
        CliRunner r = CliRunner.run("bench", "--profile=smoke", arg, "--results-dir", dir.resolve("results").toString());
        // then
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.oneErrorLine(), "one line: [" + r.err() + "]");
        assertTrue(r.err().startsWith("absorb bench: "), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), tree(dir), "nothing written");
    }

    @Test
    void aRunMakesOneCompleteFolder(@TempDir Path dir) throws IOException {
        // given: one short benchmark and a two-configuration sweep, forks on this JVM
        Path results = dir.resolve("results");
        // when
        CliRunner r = CliRunner.run("bench", "--profile", "smoke", "--bench", "RoundingBenchmark.fp32Cast",
                "--recipes", "bf16", "--classes", "10", "--results-dir", results.toString());
        // then
        assertEquals(0, r.exitCode(), r.err());
        List<String> folders = tree(results).stream().filter(p -> !p.contains("/")).collect(Collectors.toList());
        assertEquals(1, folders.size(), folders.toString());
        Path run = results.resolve(folders.get(0));
        assertTrue(folders.get(0).matches("\\d{8}T\\d{6}Z_jdk\\d+_.+"), folders.get(0));
        assertEquals(List.of("curves.csv", "env.json", "jmh.json", "jmh.log", "summary.md", "thresholds.csv"),
                tree(run).stream().map(p -> p.substring(p.indexOf('/') + 1)).collect(Collectors.toList()),
                "every file in place, no INCOMPLETE marker, no temporaries");
        JsonNode jmh = new ObjectMapper().readTree(run.resolve("jmh.json").toFile());
        assertEquals(1, jmh.size());
        assertEquals("dev.absorb.bench.RoundingBenchmark.fp32Cast", jmh.get(0).get("benchmark").asText());
        assertTrue(jmh.get(0).get("jvmArgs").toString().contains("dontinline"), "the fork flags");
        assertEquals(5, jmh.get(0).at("/primaryMetric/rawData").size(), "smoke's five rounds are the benchmark's forks");
        assertEquals(5, jmh.get(0).get("forks").asInt());
        assertEquals(3, jmh.get(0).at("/primaryMetric/rawData/4").size());
        JsonNode env = new ObjectMapper().readTree(run.resolve("env.json").toFile());
        assertEquals("smoke", env.get("profile").asText());
        assertTrue(Files.readString(run.resolve("summary.md")).contains("| RoundingBenchmark.fp32Cast |  |"));
        assertTrue(r.out().endsWith("run folder: " + run + "\n"), r.out());
        assertTrue(r.err().contains("[5/5 "), "a progress line per round: " + r.err());
    }
}
