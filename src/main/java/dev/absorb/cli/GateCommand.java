package dev.absorb.cli;

import dev.absorb.results.Allocation;
import dev.absorb.results.Comparison;
import dev.absorb.results.Gate;
import dev.absorb.results.GateReport;
import dev.absorb.results.ResultsJson;
import dev.absorb.results.RunInput;
import dev.absorb.results.RunInputs;
import dev.absorb.results.SummaryFile;
import dev.absorb.results.Thresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code absorb gate}: exit 1 when the current run is significantly slower than the baseline
 * beyond the allowance, or (with --thresholds) when an absorption threshold changed.
 */
@Command(name = "gate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Fails (exit 1) on a significant slowdown or a changed absorption threshold.",
            "",
            "Fails (exit 1) when a benchmark of the current run is significantly slower than in the baseline "
                    + "(two-sided Mann-Whitney U, p < --alpha) and the confidence interval of its slowdown lies above "
                    + "--max-slowdown, or, with --thresholds, when an absorption threshold in thresholds.csv changed. "
                    + "A benchmark or threshold row of the baseline missing in the current run, or a benchmark with too few "
                    + "samples to test, fails it too unless --allow-missing or --allow-untested. "
                    + "Several runs for one side are pooled per benchmark (each benchmark's forks of every run concatenated). "
                    + "Prints a markdown summary (regressions, changed thresholds, improvements, rows not compared) "
                    + "and appends it to --summary FILE.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no regression", "1:a regression or a changed threshold",
            "2:unusable input (one line on stderr)",
            "3:absorb could not finish: the environment failed (one line naming the path or the memory) or an internal bug (stack trace)"})
final class GateCommand implements Callable<Integer> {

    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--baseline", required = true, paramLabel = "RUN",
            description = "JMH JSON file or run folder to compare against; several (repeated, or a comma list) are pooled: "
                    + "each benchmark's forks of every run concatenated")
    List<String> baseline;

    @Option(names = "--current", required = true, paramLabel = "RUN",
            description = "JMH JSON file or run folder to judge; several are pooled as --baseline's")
    List<String> current;

    @Option(names = "--max-slowdown", paramLabel = "PERCENT", defaultValue = "10%", converter = FractionConverter.class,
            description = "allowed slowdown in time per operation, e.g. 10%% or 0.1; range: 0 or more, "
                    + "a bare number below 1 (default: ${DEFAULT-VALUE})")
    double maxSlowdown;

    @Option(names = "--alpha", paramLabel = "P", defaultValue = "0.05", converter = Converters.FiniteDoubleConverter.class,
            description = "significance level; intervals are at 1 - alpha; range: above 0 and below 1 (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--normalize-to", paramLabel = "BENCHMARK",
            description = "divide every score by this in-run baseline of the same run (full name or a suffix)")
    String normalizeTo;

    @Option(names = "--thresholds",
            description = "also fail when an absorption threshold in the runs' thresholds.csv changed")
    boolean thresholds;

    @Option(names = "--tolerance", paramLabel = "FRACTION", converter = FractionConverter.class,
            description = "with --thresholds: relative difference still taken as equal, e.g. 1e-6 or 0.5%%; range: 0 or more, "
                    + "a bare number below 1 (default: 0, exact)")
    Double tolerance;

    @Option(names = "--allow-missing",
            description = "pass although benchmarks or thresholds.csv rows of the baseline are missing in the current run "
                    + "(default: they fail the gate)")
    boolean allowMissing;

    @Option(names = "--allow-untested",
            description = "pass although some benchmarks have too few samples to be tested at --alpha (default: they fail the gate)")
    boolean allowUntested;

    @Option(names = "--cross-env",
            description = "gate runs from different JVMs or CPU models (default: refused, exit 2)")
    boolean crossEnv;

    @Option(names = "--max-alloc-growth", paramLabel = "BYTES|PERCENT", defaultValue = "10%",
            description = "allowed growth of gc.alloc.rate.norm (JMH -prof gc) where both runs have it: bytes per operation "
                    + "(64 or 64B) or a percentage of the baseline; range: 0 or more (default: ${DEFAULT-VALUE}; "
                    + "growths under 1 byte never fail)")
    String maxAllocGrowth;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown",
            description = "what stdout gets: markdown or json (default: ${DEFAULT-VALUE}); --summary is always markdown")
    String format;

    @Option(names = "--summary", paramLabel = "FILE",
            description = "append the markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY)")
    Path summary;

    @Override
    public Integer call() throws IOException {
        RunInputs.checkAlpha(alpha);
        if (!format.equals("markdown") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown format '" + format + "'; valid: markdown, json");
        }
        Allocation.Allowance allocAllowance = Allocation.Allowance.parse(maxAllocGrowth);
        if (tolerance != null && !thresholds) {
            throw new IllegalArgumentException("--tolerance applies to --thresholds; add --thresholds or drop --tolerance");
        }
        if (summary != null) {
            SummaryFile.checkWritable(summary);
        }
        List<RunInput> inputs = List.of(RunInputs.open("baseline", baseline, thresholds, crossEnv),
                RunInputs.open("current", current, thresholds, crossEnv));
        RunInputs.checkSameEnvironment(inputs, crossEnv);
        Thresholds.Check check = null;
        if (thresholds) {
            check = Thresholds.read(inputs.get(0).thresholdsFile())
                    .compareTo(Thresholds.read(inputs.get(1).thresholdsFile()), tolerance == null ? 0 : tolerance);
        }
        Comparison comparison = Comparison.of(RunInputs.normalize(inputs, normalizeTo), alpha);
        Gate.Result result = Gate.evaluate(comparison, maxSlowdown, check, new Gate.Allowances(allowMissing, allowUntested));
        result = result.withAllocation(Allocation.check(inputs.get(0), inputs.get(1), allocAllowance));
        String markdown = GateReport.markdown(result, normalizeTo);

        // the summary first: a verdict printed before a failing write would be a lie
        if (summary != null) {
            Writes.into(summary, () -> {
                SummaryFile.append(summary, markdown);
                return null;
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? ResultsJson.gate(result) : markdown);
        out.flush();
        return result.failed() ? FAILED : Errors.OK;
    }

    /**
     * A non-negative fraction written as a percentage ({@code 10%}) or a fraction below 1
     * ({@code 0.1}, {@code 1e-6}); a bare number of 1 or more ({@code 10}) is ambiguous and
     * rejected.
     */
    static final class FractionConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) throws Exception {
            return Errors.converter(FractionConverter::parse).convert(value);
        }

        static double parse(String text) {
            String t = text.trim();
            boolean percent = t.endsWith("%");
            double x;
            try {
                x = Double.parseDouble(percent ? t.substring(0, t.length() - 1).trim() : t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a percentage or fraction (e.g. 10% or 0.1)");
            }
            if (!Double.isFinite(x) || x < 0) {
                throw new IllegalArgumentException("'" + text + "' must be a finite, non-negative percentage or fraction");
            }
            if (!percent && x >= 1) {
                throw new IllegalArgumentException("'" + text + "' is ambiguous: write " + text + "% or a fraction such as 0.1");
            }
            return percent ? x / 100 : x;
        }
    }
}
