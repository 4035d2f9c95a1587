package dev.absorb.cli;

import dev.absorb.kernel.Presets;
import dev.absorb.kernel.Recipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code absorb presets}: the framework presets, what each expands to, and where it was verified. */
@Command(name = "presets",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Lists the framework presets and the recipe each one expands to.",
            "",
            "Lists the framework presets (FRAMEWORK:FORMAT, e.g. torch:bf16): the recipe each expands to at each "
                    + "CPU dispatch level, the framework version and CPU it was verified on, and how its kernel works.",
            "A preset is accepted wherever a recipe is and takes /key=value overrides, e.g. torch:bf16/grad=complement "
                    + "or torch:fp32/cpu=avx512. docs/presets.md derives each from the framework's source.",
        })
final class PresetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Presets.Preset p : Presets.all()) {
            out.printf("%s%n", p.name());
            out.printf("  expands to:   %s%n", Recipe.parse(p.name()).expansion());
            out.printf("  verified on:  %s%n", p.verifiedOn());
            out.printf("  kernel:       %s%n", p.description());
        }
        out.flush();
        return Errors.OK;
    }
}
