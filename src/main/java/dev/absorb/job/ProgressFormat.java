package dev.absorb.job;

import dev.absorb.results.Numbers;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Collection;

/**
 * JMH's output split in two: everything JMH prints (iterations, warnings, a failing fork's
 * stderr) goes to {@code log}, JMH's usual text format; the console gets one line per finished
 * benchmark: {@code [ 3/42  0:12, ~2:10 left] KernelBenchmark.forward classes=1000 … : 80510 ± 1234 ns/op}.
 */
final class ProgressFormat implements OutputFormat {

    private final OutputFormat log;
    private final PrintWriter console;
    private final int total;
    private long start;
    private int done;

    ProgressFormat(OutputFormat log, PrintWriter console, int total) {
        this.log = log;
        this.console = console;
        this.total = total;
    }

    @Override
    public void startRun() {
        if (done == 0) {
            start = System.nanoTime(); // the first of the plan's rounds
        }
        log.startRun();
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        log.startBenchmark(params);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
        done++;
        long elapsed = System.nanoTime() - start;
        String name = result == null ? "?" : line(result.getParams());
        Result<?> primary = result == null ? null : result.getPrimaryResult();
        String score = primary == null ? "FAILED (see jmh.log)"
                : Numbers.withError(primary.getScore(), primary.getScoreError()) + " " + primary.getScoreUnit();
        console.printf("[%" + String.valueOf(total).length() + "d/%d  %s, ~%s left] %s: %s%n", done, total,
                clock(elapsed), clock(done >= total ? 0 : elapsed / done * (total - done)), name, score);
        console.flush();
    }

    /** {@code KernelBenchmark.forward classes=1000 gap=4 recipe=bf16}: the name and every param. */
    static String line(BenchmarkParams params) {
        StringBuilder s = new StringBuilder(JmhPlan.shortName(params.getBenchmark()));
        for (String key : params.getParamsKeys()) {
            s.append(' ').append(key).append('=').append(params.getParam(key));
        }
        return s.toString();
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String clock(long nanos) {
        long seconds = Math.round(nanos / 1e9);
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format("%d:%02d:%02d", h, m, s) : String.format("%d:%02d", m, s);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        log.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
        log.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        log.endRun(result);
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        log.println(s);
    }

    @Override
    public void flush() {
        log.flush();
        console.flush();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
