package dev.absorb.cli;

import dev.absorb.job.Profile;
import dev.absorb.results.AtomicFile;
import dev.absorb.results.MachineProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code absorb env}: env.json for the JVM this runs on (results/README.md describes the keys). */
@Command(name = "env", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Describes this JVM, OS and CPU as env.json.",
            "",
            "Describes this JVM, OS, CPU and the Vector API's preferred shape as env.json: on stdout, or "
                    + "written to --out. Run it on the JVM to describe (the bench command writes it into every run folder)."})
final class EnvCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", converter = BenchCommand.ProfileConverter.class,
            description = "The profile to record (smoke, quick, full; default: none, written as null).")
    private Profile profile;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (a new file; its folder must exist) instead of stdout.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        if (out != null && (out.toString().isEmpty() || Files.isDirectory(out))) {
            throw new IllegalArgumentException("--out: '" + out + "' is not a file name");
        }
        if (out != null && Files.exists(out)) {
            throw new IllegalArgumentException("--out: " + out + " already exists; choose a new name");
        }
        if (out != null && (out.toAbsolutePath().getParent() == null || !Files.isDirectory(out.toAbsolutePath().getParent()))) {
            throw new IllegalArgumentException("--out: the folder of " + out + " does not exist");
        }
        String json = MachineProbe.current(profile == null ? null : profile.key(), null, Instant.now()).toJson();
        if (out == null) {
            spec.commandLine().getOut().print(json);
            spec.commandLine().getOut().flush();
            return Errors.OK;
        }
        try {
            Writes.into(out, () -> {
                AtomicFile.write(out, json);
                return null;
            });
        } catch (FileAlreadyExistsException raced) {
            throw new IllegalArgumentException("--out: " + out + " already exists; choose a new name");
        }
        return Errors.OK;
    }
}
