package dev.absorb.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code absorb completion}: picocli's bash and zsh completion script for the command tree. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Prints a bash and zsh completion script for absorb.",
            "",
            "The script completes subcommands and options of a command named absorb (a wrapper script or an "
                    + "alias such as alias absorb='java -jar /path/to/absorb.jar'). Load it into the current shell with "
                    + "source <(absorb completion), or save it and source it from ~/.bashrc or ~/.zshrc "
                    + "(zsh: after autoload -U +X compinit && compinit && autoload -U +X bashcompinit && bashcompinit). "
                    + "docs/faults.md has the steps.",
        })
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("absorb", spec.root().commandLine()));
        out.flush();
        return Errors.OK;
    }
}
