package dev.absorb.cli;

import dev.absorb.format.Format;
import dev.absorb.safe.RecipeCosts;
import dev.absorb.safe.SafeQuery;
import dev.absorb.safe.SafeReport;
import dev.absorb.safe.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code absorb safe}: the recipes that neither absorb nor break accuracy up to a gap, cheapest first. */
@Command(name = "safe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Lists the cheapest recipes that neither absorb nor break accuracy up to a gap.",
            "",
            "Lists the recipes and presets that, at C classes, neither absorb (no NFI window up to gap G) "
                    + "nor break accuracy over gaps [0, G] (docs/accuracy.md), cheapest first, each with its cost "
                    + "(KernelBenchmark.fused, ns per call) from the latest run folder under results/ that has one, "
                    + "and its worst gradient error, zero-sum residual and lse error. Candidates: the framework "
                    + "presets and their mitigations, every named format with the default sweep's variants, and "
                    + "acc=fp32/grad=complement, acc=fp32/grad=zerosum, compute=fp32/acc=fp32/grad=complement.",
            "Computed on the spot (threshold finder, accuracy checks): seconds to a minute."})
final class SafeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--classes", required = true, paramLabel = "C", description = "Class count; " + Ranges.CLASSES + ".")
    private int classes;

    @Option(names = "--gap", required = true, paramLabel = "G", converter = Converters.FiniteDoubleConverter.class,
            description = "The largest logit gap z_y - max_{j!=y} z_j the recipes must handle; range: 0 or more, finite.")
    private double gap;

    @Option(names = "--format", paramLabel = "FORMAT", converter = Converters.FormatConverter.class,
            description = "Only recipes of this number format (default: every named format).")
    private Format format;

    @Option(names = "--results", paramLabel = "DIR",
            description = "The run folder to take costs from (default: the latest under results/ with a jmh.json).")
    private Path results;

    @Option(names = "--rejected", description = "Also list each recipe that is not safe, and why.")
    private boolean rejected;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads; " + Ranges.THREADS + " (default: every core).")
    private Integer threads;

    @Override
    public Integer call() throws IOException {
        Ranges.check("--classes", classes, 2, Ranges.MAX_CLASSES);
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors()
                : Ranges.check("--threads", threads, 1, Ranges.MAX_THREADS);
        if (format != null && format.maxFinite() < gap) {
            throw new IllegalArgumentException("--gap " + gap + " is beyond " + format.name() + "'s largest value "
                    + format.maxFinite() + ": logits in " + format.name() + " cannot be that far apart");
        }
        SafeQuery query = new SafeQuery(classes, gap, threadCount);
        RecipeCosts costs = results != null ? RecipeCosts.of(results, classes) : RecipeCosts.latest(Path.of("results"), classes);
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = Terminal.isTerminal();
        List<Verdict> verdicts = query.run(format, step -> {
            if (terminal) {
                err.println("safe: " + step);
                err.flush();
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        SafeReport.print(out, classes, gap, verdicts, costs, rejected);
        out.flush();
        return Errors.OK;
    }
}
