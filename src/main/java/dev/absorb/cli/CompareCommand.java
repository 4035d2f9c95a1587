package dev.absorb.cli;

import dev.absorb.results.Comparison;
import dev.absorb.results.ComparisonReport;
import dev.absorb.results.RunInput;
import dev.absorb.results.RunInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code absorb compare}: JMH results of several runs side by side, each against the first. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compared", "2:unusable input (one line on stderr)",
            "3:absorb could not finish: the environment failed (one line naming the path or the memory) or an internal bug (stack trace)"},
        description = {
            "Compares JMH results of several runs, each against the first.",
            "",
            "Compares JMH results (JMH JSON files, or run folders holding jmh.json and env.json) against the first one.",
            "Rows are matched by benchmark, mode and parameters. Per row: each input's median with its confidence interval "
                    + "(one sample per fork, its median iteration, when every input has several forks; else every iteration), the ratio to the first input with its confidence interval (Hodges-Lehmann), "
                    + "and the p-value of a two-sided Mann-Whitney U test; '~' when not significant at --alpha. "
                    + "A geometric-mean row closes the table; rows that only some inputs have are listed below it.",
        })
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "INPUT",
            description = "JMH JSON files or run folders; the first is the baseline. A comma list (RUN1,RUN2) is one input "
                    + "pooling those runs: each benchmark's forks of every run concatenated.")
    List<String> paths;

    @Option(names = "--alpha", paramLabel = "P", defaultValue = "0.05", converter = Converters.FiniteDoubleConverter.class,
            description = "significance level; intervals are at 1 - alpha; range: above 0 and below 1 (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--normalize-to", paramLabel = "BENCHMARK",
            description = "divide every score by this in-run baseline of the same run (full name or a suffix such as plainForwardFloat)")
    String normalizeTo;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = ReportFormatConverter.class,
            description = "text, markdown, csv or json (default: ${DEFAULT-VALUE})")
    ComparisonReport.Format format;

    @Override
    public Integer call() {
        RunInputs.checkAlpha(alpha);
        List<String> labels = RunInputs.letters(paths.size());
        List<RunInput> inputs = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            inputs.add(RunInputs.open(labels.get(i), List.of(paths.get(i)), false, false));
        }
        inputs = RunInputs.normalize(inputs, normalizeTo);
        Comparison comparison = Comparison.of(inputs, alpha);
        PrintWriter out = spec.commandLine().getOut();
        out.print(ComparisonReport.render(comparison, format, normalizeTo));
        out.flush();
        return Errors.OK;
    }

    static final class ReportFormatConverter implements picocli.CommandLine.ITypeConverter<ComparisonReport.Format> {
        @Override
        public ComparisonReport.Format convert(String value) throws Exception {
            return Errors.converter(ComparisonReport.Format::of).convert(value);
        }
    }
}
