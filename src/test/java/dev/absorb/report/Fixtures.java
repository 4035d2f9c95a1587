package dev.absorb.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run folders for tests, built from the real outputs in src/test/resources/dev/absorb/report (see its README). */
final class Fixtures {

    static final String SWEEP_THRESHOLDS = "sweep-thresholds.csv";
    static final String SWEEP_CURVES = "sweep-curves.csv";
    static final String JMH_17_A = "jmh-jdk17-a.json";
    static final String JMH_17_B = "jmh-jdk17-b.json";
    static final String JMH_25 = "jmh-jdk25.json";
    static final String ENV_17 = "env-jdk17.json";
    static final String ENV_25 = "env-jdk25.json";

    private Fixtures() {
    }

    /** A folder {@code parent/name} holding the sweep's CSVs, and the given JMH and env files when not null. */
    static Path run(Path parent, String name, boolean sweep, String jmh, String env) {
        try {
            Path folder = Files.createDirectories(parent.resolve(name));
            if (sweep) {
                copy(SWEEP_THRESHOLDS, folder.resolve(RunReader.THRESHOLDS));
                copy(SWEEP_CURVES, folder.resolve(RunReader.CURVES));
            }
            if (jmh != null) {
                copy(jmh, folder.resolve(RunReader.JMH));
            }
            if (env != null) {
                copy(env, folder.resolve(RunReader.ENV));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copy(String resource, Path target) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            Files.copy(in, target);
        }
    }

    static Run read(Path parent, String name, boolean sweep, String jmh, String env) {
        return RunReader.read(run(parent, name, sweep, jmh, env));
    }
}
