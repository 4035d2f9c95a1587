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
