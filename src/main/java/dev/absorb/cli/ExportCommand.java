package dev.absorb.cli;

import dev.absorb.results.Export;
import dev.absorb.results.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code absorb export}: a run's JMH results for the history tools teams already run. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Exports a run's JMH results for Bencher or github-action-benchmark.",
            "",
            "Writes a run's JMH results on stdout for a benchmark history tool: --to bencher (Bencher Metric Format; "
                    + "measure throughput for thrpt, latency for the other modes) or --to github-action-benchmark "
                    + "(the action's custom tool JSON: use tool customBiggerIsBetter for thrpt, customSmallerIsBetter for "
                    + "avgt, sample and ss; a run mixing them is exported one --mode at a time). "
                    + "Value: the median of every iteration; range: the smallest and largest iteration.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:unusable input (one line on stderr)",
            "3:absorb could not finish: the environment failed (one line naming the path or the memory) or an internal bug (stack trace)"})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "TOOL", converter = TargetConverter.class,
            description = "bencher or github-action-benchmark")
    Export.Target to;

    @Option(names = "--mode", paramLabel = "MODE", description = "only the rows of this JMH mode (thrpt, avgt, sample, ss)")
    String mode;

    @Parameters(paramLabel = "RUN", description = "JMH JSON file or run folder")
    Path run;

    @Override
    public Integer call() {
        String text = Export.write(RunInput.open("run", run), to, mode);
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return Errors.OK;
    }

    static final class TargetConverter implements picocli.CommandLine.ITypeConverter<Export.Target> {
        @Override
        public Export.Target convert(String value) throws Exception {
            return Errors.converter(Export.Target::of).convert(value);
        }
    }
}
