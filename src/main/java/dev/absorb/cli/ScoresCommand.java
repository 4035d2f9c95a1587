package dev.absorb.cli;

import dev.absorb.job.SideBySide;
import dev.absorb.results.JmhJson;
import dev.absorb.results.JmhRow;
import dev.absorb.results.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code absorb scores}: several runs' JMH scores side by side (no statistics: compare has them). */
@Command(name = "scores", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the JMH scores of one or more runs side by side.",
            "",
            "One row per benchmark and params, one column per run, and each later run's score divided by the "
                    + "first run's (no statistics: compare has them). A RUN is a run folder (its jmh.json) or a JMH JSON file."})
final class ScoresCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run folders or JMH JSON files.")
    private List<Path> runs;

    @Override
    public Integer call() {
        List<String> labels = new ArrayList<>();
        List<List<JmhRow>> scores = new ArrayList<>();
        for (Path run : runs) {
            Path file = Files.isDirectory(run) ? run.resolve(RunFolder.JMH_JSON) : run;
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " does not exist; give run folders (with " + RunFolder.JMH_JSON
                        + ") or JMH JSON files");
            }
            scores.add(JmhJson.read(file).rows());
            labels.add(label(run, file));
        }
        spec.commandLine().getOut().print(SideBySide.table(labels, scores));
        spec.commandLine().getOut().flush();
        return Errors.OK;
    }

    /** A run folder's name, or the file's name where it is not a run folder's jmh.json. */
    private static String label(Path run, Path file) {
        Path named = file.getFileName().toString().equals(RunFolder.JMH_JSON) && file.toAbsolutePath().getParent() != null
                ? file.toAbsolutePath().getParent() : file;
        return named.getFileName().toString();
    }
}
