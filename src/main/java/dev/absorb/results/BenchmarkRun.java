package dev.absorb.results;

/**
 * One JMH result row: its key, the unit of its scores, and every measurement iteration of
 * every fork, in order (fork 1's iterations, then fork 2's …). The primary metric only:
 * secondary metrics (profilers' figures) are not compared.
 */
public record BenchmarkRun(BenchmarkKey key, String unit, double[] samples) {

    public Direction direction() {
        return Direction.ofMode(key.mode());
    }
}
