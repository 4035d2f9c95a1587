package dev.absorb.results;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What compare and gate do alike with their inputs and options before any statistics. */
public final class RunInputs {

    private static final int MAX_INPUTS = 26;

    private RunInputs() {
    }

    /** A, B, C, … for n inputs. */
    public static List<String> letters(int n) {
        if (n > MAX_INPUTS) {
            throw new IllegalArgumentException("at most " + MAX_INPUTS + " inputs, not " + n);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(String.valueOf((char) ('A' + i)));
        }
        return labels;
    }

    /**
     * One input from one or more arguments, each a run (JMH JSON file or run folder) or a comma
     * list of runs (an argument that names an existing path is taken as it is); several runs are
     * pooled ({@link RunInput#pool}).
     */
    public static RunInput open(String label, List<String> arguments, boolean sweepOnly, boolean crossEnv) {
        List<RunInput> runs = new ArrayList<>();
        for (String argument : arguments) {
            List<String> paths = java.nio.file.Files.exists(java.nio.file.Path.of(argument)) ? List.of(argument)
                    : List.of(argument.split(",", -1));
            for (String path : paths) {
                if (path.isBlank()) {
                    throw new IllegalArgumentException(label + ": an empty path in '" + argument + "'; give runs separated by commas");
                }
                runs.add(RunInput.open(label, java.nio.file.Path.of(path.trim()), sweepOnly));
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(label + ": no run given");
        }
        return RunInput.pool(label, runs, crossEnv);
    }

    /** Each input divided by its in-run baseline (see {@link Normalization}); unchanged for a null name. */
    public static List<RunInput> normalize(List<RunInput> inputs, String baselineName) {
        if (baselineName == null) {
            return inputs;
        }
        if (baselineName.isBlank()) {
            throw new IllegalArgumentException("--normalize-to: the benchmark name is empty");
        }
        return inputs.stream().map(in -> Normalization.apply(in, baselineName)).collect(Collectors.toList());
    }

    /**
     * A warning when some input measured a benchmark in a single fork (its iterations share that
     * fork's JIT decisions and layout, so run-to-run noise goes unseen); null when every row has
     * two forks or more.
     */
    public static String singleForkWarning(List<RunInput> inputs) {
        List<String> labels = new ArrayList<>();
        for (RunInput in : inputs) {
            if (in.rows().stream().anyMatch(r -> r.forkCount() < 2)) {
                labels.add(in.label());
            }
        }
        return labels.isEmpty() ? null : "warning: " + String.join(", ", labels)
                + " measured benchmarks in a single fork: the samples are iterations of one JVM, which hide run-to-run noise "
                + "(use 2 forks or more)";
    }

    /**
     * Refuses (unusable input) a pair of runs whose JVM or CPU model differ, naming the
     * difference, unless {@code crossEnv}.
     */
    public static void checkSameEnvironment(List<RunInput> inputs, boolean crossEnv) {
        List<String> differences = EnvironmentFacts.differences(inputs, EnvironmentFacts.GATED);
        if (!crossEnv && !differences.isEmpty()) {
            throw new IllegalArgumentException("the runs come from different environments (" + String.join("; ", differences)
                    + "); compare runs of one JVM and CPU, or add --cross-env");
        }
    }

    /** alpha must be a probability strictly between 0 and 1. */
    public static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be between 0 and 1 (e.g. 0.05), not " + alpha);
        }
    }
}
