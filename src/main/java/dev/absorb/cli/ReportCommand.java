package dev.absorb.cli;

import dev.absorb.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code absorb report}: report.md and the plots of a run folder. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Writes report.md and its plots into a run folder.",
            "",
            "Writes report.md and plots/ (PNG and SVG) into a run folder: a summary (thresholds at real "
                    + "vocabulary sizes, the cheapest recipe that removes absorption, JVM and CPU), then the plots "
                    + "(|g_y| and the zero-sum residual against the gap, delta_abs against the class count, the cost "
                    + "of each mitigation from jmh.json), then the tables. Further run folders are compared with the "
                    + "first: time ratios of their JMH results with compare's intervals, and a plot of them."})
final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run folder, e.g. results/20261123T121526Z_jdk17_amd-epyc.")
    private Path folder;

    @Parameters(index = "1..*", paramLabel = "OTHER",
            description = "Run folders with a jmh.json to compare with RUN (e.g. the same run on another JDK).")
    private List<Path> others = List.of();

    @Override
    public Integer call() throws IOException {
        if (folder.toString().isEmpty() || others.stream().anyMatch(p -> p.toString().isEmpty())) {
            throw new IllegalArgumentException("a run folder path is empty; name a folder such as results/<run>");
        }
        Report.Written written = Writes.into(folder, () -> Report.write(folder, others));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %s and %d plots (PNG and SVG) in %s%n", written.report(), written.plots().size(),
                written.report().resolveSibling("plots"));
        out.flush();
        return Errors.OK;
    }
}
