package dev.absorb.report;

import java.util.Map;

/**
 * One entry of a JMH JSON file: the benchmark's full name, its mode ({@code avgt}, {@code thrpt},
 * {@code sample}, {@code ss}), its parameters in the file's order, the primary metric's score,
 * JMH's error (the 99.9 % confidence half-width; NaN where JMH had too few samples), the unit,
 * and every raw sample ({@code forks[f][i]}: fork f's iteration i).
 */
record JmhResult(String benchmark, String mode, Map<String, String> params, double score, double scoreError,
                 String unit, double[][] forks) {

    /** The method name: {@code fused} of {@code dev.absorb.bench.KernelBenchmark.fused}. */
    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** {@code KernelBenchmark.fused}: the class's simple name and the method. */
    String shortName() {
        return shortName(benchmark);
    }

    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** Throughput modes: a higher score is better. Every other JMH mode measures time per operation. */
    boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** The row's name in tables and comparisons: short name, then every parameter as key=value. */
    String rowName() {
        return rowName(benchmark, params);
    }

    static String rowName(String benchmark, Map<String, String> params) {
        StringBuilder name = new StringBuilder(shortName(benchmark));
        params.forEach((key, value) -> name.append(' ').append(key).append('=').append(value));
        return name.toString();
    }
}
