package dev.absorb.report;

import dev.absorb.results.CurveRecord;
import dev.absorb.results.JmhJson;
import dev.absorb.results.JmhRow;
import dev.absorb.results.ReadFailure;
import dev.absorb.results.RunEnvironment;
import dev.absorb.results.RunFolder;
import dev.absorb.results.SweepCsv;
import dev.absorb.results.ThresholdRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a run folder through the schema layer ({@link SweepCsv}, {@link JmhJson},
 * {@link RunEnvironment}). Every problem is an {@link IllegalArgumentException} whose one-line
 * message names the file and what is wrong, thrown before anything is written.
 */
final class RunReader {

    private RunReader() {
    }

    /**
     * @throws IllegalArgumentException if the folder does not exist, holds neither thresholds.csv
     *     nor jmh.json, or a file in it cannot be read as what it should be
     */
    static Run read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + ": " + (Files.exists(folder) ? "not a folder" : "no such folder"));
        }
        Path thresholdsFile = folder.resolve(RunFolder.THRESHOLDS_CSV);
        Path curvesFile = folder.resolve(RunFolder.CURVES_CSV);
        Path jmhFile = folder.resolve(RunFolder.JMH_JSON);
        Path envFile = folder.resolve(RunFolder.ENV_JSON);
        if (!Files.exists(thresholdsFile) && !Files.exists(jmhFile)) {
            throw new IllegalArgumentException(folder + " holds no results: " + RunFolder.THRESHOLDS_CSV + " and "
                    + RunFolder.JMH_JSON + " are both missing (a run folder holds at least one of them)");
        }
        List<ThresholdRecord> thresholds = Files.exists(thresholdsFile) ? SweepCsv.readThresholds(thresholdsFile) : List.of();
        boolean hasCurves = Files.exists(curvesFile);
        List<CurveRecord> curves = hasCurves ? SweepCsv.readCurves(curvesFile) : List.of();
        List<JmhRow> benchmarks = Files.exists(jmhFile) ? JmhJson.read(jmhFile).rows() : null;
        RunEnvironment environment = Files.exists(envFile) ? readEnvironment(envFile) : null;
        return new Run(folder, thresholds, hasCurves, curves, benchmarks, environment,
                Files.exists(folder.resolve(RunFolder.INCOMPLETE)));
    }

    private static RunEnvironment readEnvironment(Path file) {
        try {
            return RunEnvironment.read(file);
        } catch (IOException e) {
            throw ReadFailure.of(file, e);
        }
    }
}
