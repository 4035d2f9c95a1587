package dev.absorb.results;

import org.apache.commons.statistics.descriptive.Median;

import java.util.Arrays;
import java.util.SortedMap;

/**
 * One JMH result row: its key, the unit of its scores, every measurement iteration of every
 * fork ({@code forks[f][i]}: fork f's iteration i), and JMH's own score and error (the
 * half-width of its 99.9 % interval; NaN where JMH gives none, as for a single iteration). The
 * primary metric only: secondary metrics (profilers' figures) are not compared.
 */
public record JmhRow(BenchmarkKey key, String unit, double[][] forks, double score, double scoreError) {

    /** A row of derived samples (normalized, slowed), which has no JMH score of its own. */
    public JmhRow(BenchmarkKey key, String unit, double[][] forks) {
        this(key, unit, forks, Double.NaN, Double.NaN);
    }

    public Direction direction() {
        return Direction.ofMode(key.mode());
    }

    /** The benchmark's full name: {@code dev.absorb.bench.KernelBenchmark.fused}. */
    public String benchmark() {
        return key.benchmark();
    }

    /** {@code avgt}, {@code thrpt}, {@code sample} or {@code ss}. */
    public String mode() {
        return key.mode();
    }

    /** The {@code @Param} values, in name order. */
    public SortedMap<String, String> params() {
        return key.params();
    }

    /** {@code fused} of {@code dev.absorb.bench.KernelBenchmark.fused}. */
    public String method() {
        return key.method();
    }

    /** {@code KernelBenchmark.fused}: the class's simple name and the method. */
    public String shortName() {
        return key.shortName();
    }

    /** {@code KernelBenchmark.fused classes=1000 recipe=bf16}: the short name and every parameter. */
    public String rowName() {
        return key.rowName();
    }

    /** Every iteration of every fork, fork 1's first. */
    public double[] samples() {
        return Arrays.stream(forks).flatMapToDouble(Arrays::stream).toArray();
    }

    public int forkCount() {
        return forks.length;
    }

    /**
     * Each fork's median iteration: the run's independent samples. Iterations of one fork share
     * its JIT decisions and memory layout, so they agree more closely than two forks do; only
     * forks sample the variation between runs (docs/decisions.md "compare: statistics").
     */
    public double[] forkMedians() {
        return Arrays.stream(forks).mapToDouble(f -> Median.withDefaults().withCopy(true).evaluate(f)).toArray();
    }
}
