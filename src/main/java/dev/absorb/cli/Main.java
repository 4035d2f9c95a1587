package dev.absorb.cli;

import dev.absorb.kernel.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.util.concurrent.Callable;

/**
 * The {@code absorb} command. Exit codes: 0 ok, 1 gate's verdict "regression", 2 bad input, 3
 * absorb could not finish (see {@link Errors}).
 */
@Command(name = "absorb",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Where the cross-entropy gradient's correct-class entry rounds to zero in low precision, "
                + "and what a cure costs.",
        subcommands = {
            RoundCommand.class,
            GradCommand.class,
            SweepCommand.class,
            ScanCommand.class,
            SafeCommand.class,
            ExpAccuracyCommand.class,
            PresetsCommand.class,
            CompareCommand.class,
            GateCommand.class,
            AbCommand.class,
            ExportCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            EnvCommand.class,
            ScoresCommand.class,
            CompletionCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:gate: a regression or a changed threshold", "2:bad input (one line on stderr)",
            "3:absorb could not finish: the environment failed (no space, read-only, permission, I/O error, "
                    + "out of memory: one line naming the path or size) or an internal bug (its stack trace)"})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // Before anything that could load a Vector API class: without the module none can load.
        if (ModuleRelaunch.needed()) {
            System.exit(ModuleRelaunch.run(args));
        }
        ModuleRelaunch.followParent();
        CommandLine commandLine = newCommandLine(System.in);
        String badWidth = Kernels.vectorWidthProblem(); // the kernels' classes would fail to load on it
        int exitCode = badWidth != null ? Errors.badInput(commandLine, badWidth) : commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exitCode);
    }

    /**
     * The configured command tree; {@code stdin} is what {@code round} reads. Tests call this
     * with their own stream and set out and err on the result.
     */
    public static CommandLine newCommandLine(InputStream stdin) {
        CommandLine.IFactory fallback = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == RoundCommand.class ? type.cast(new RoundCommand(stdin)) : fallback.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new Main(), factory);
        Errors errors = new Errors();
        // Set after the subcommands exist: picocli copies these to the whole tree now, not later.
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setExecutionStrategy(errors);
        return commandLine;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "missing subcommand; valid: " + String.join(", ", spec.subcommands().keySet()) + " (see absorb --help)");
    }
}
