package dev.absorb.results;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What makes two JMH results the same row: the benchmark's full name, its mode and its
 * parameters. Two runs of one benchmark with the same {@code @Param} values are compared; a run
 * with another parameter value is another row.
 */
public record BenchmarkKey(String benchmark, String mode, SortedMap<String, String> params) {

    public BenchmarkKey {
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    static BenchmarkKey of(String benchmark, String mode, Map<String, String> params) {
        return new BenchmarkKey(benchmark, mode, new TreeMap<>(params));
    }

    /** {@code name=value} pairs in name order, separated by spaces; empty without parameters. */
    public String paramText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** {@code fused} of {@code dev.absorb.bench.KernelBenchmark.fused}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** {@code KernelBenchmark.fused}: the class's simple name and the method. */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** The short name, then every parameter as key=value in name order: {@code KernelBenchmark.fused classes=1000 recipe=bf16}. */
    public String rowName() {
        return params.isEmpty() ? shortName() : shortName() + " " + paramText();
    }

    /** The benchmark, its parameters and mode, for messages. */
    @Override
    public String toString() {
        return benchmark + (params.isEmpty() ? "" : " [" + paramText() + "]") + " (" + mode + ")";
    }
}
