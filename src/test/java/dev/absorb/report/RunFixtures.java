package dev.absorb.report;

import dev.absorb.results.RunFolder;
import dev.absorb.results.BenchmarkKey;
import dev.absorb.results.JmhRow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Run folders for tests, built from the real outputs in src/test/resources/dev/absorb/report (see its README). */
final class RunFixtures {

    static final String SWEEP_THRESHOLDS = "sweep-thresholds.csv";
    static final String SWEEP_CURVES = "sweep-curves.csv";
    static final String JMH_17_A = "jmh-jdk17-a.json";
    static final String JMH_17_B = "jmh-jdk17-b.json";
    static final String JMH_25 = "jmh-jdk25.json";
    static final String ENV_17 = "env-jdk17.json";
    static final String ENV_25 = "env-jdk25.json";

    private RunFixtures() {
    }

    /** A folder {@code parent/name} holding the sweep's CSVs, and the given JMH and env files when not null. */
    static Path run(Path parent, String name, boolean sweep, String jmh, String env) {
        try {
            Path folder = Files.createDirectories(parent.resolve(name));
            if (sweep) {
                copy(SWEEP_THRESHOLDS, folder.resolve(RunFolder.THRESHOLDS_CSV));
                copy(SWEEP_CURVES, folder.resolve(RunFolder.CURVES_CSV));
            }
            if (jmh != null) {
                copy(jmh, folder.resolve(RunFolder.JMH_JSON));
            }
            if (env != null) {
                copy(env, folder.resolve(RunFolder.ENV_JSON));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copy(String resource, Path target) throws IOException {
        try (InputStream in = RunFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            Files.copy(in, target);
        }
    }

    /** A JMH row as JMH would write it: the benchmark's full name, mode, params, score, error, unit and samples. */
    static JmhRow row(String benchmark, String mode, Map<String, String> params, double score, double error, String unit,
                      double[][] forks) {
        return new JmhRow(new BenchmarkKey(benchmark, mode, new TreeMap<>(params)), unit, forks, score, error);
    }

    static Run read(Path parent, String name, boolean sweep, String jmh, String env) {
        return RunReader.read(run(parent, name, sweep, jmh, env));
    }
}
