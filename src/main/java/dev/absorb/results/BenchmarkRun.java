package dev.absorb.results;

/**
 * One JMH result row: its key, the unit of its scores, every measurement iteration of every
 * fork, in order (fork 1's iterations, then fork 2's …), and JMH's own score and error (the
 * half-width of its 99.9 % interval; NaN where JMH gives none, as for a single iteration). The
 * primary metric only: secondary metrics (profilers' figures) are not compared.
 */
public record BenchmarkRun(BenchmarkKey key, String unit, double[] samples, double score, double scoreError) {

    /** A row of derived samples (normalized, slowed), which has no JMH score of its own. */
    public BenchmarkRun(BenchmarkKey key, String unit, double[] samples) {
        this(key, unit, samples, Double.NaN, Double.NaN);
    }

    public Direction direction() {
        return Direction.ofMode(key.mode());
    }
}
