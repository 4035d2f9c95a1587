package dev.absorb.cli;

import dev.absorb.kernel.ExpAccuracy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code absorb exp-accuracy}: the ulp error of exp=poly and exp=jdk over every float in a range. */
@Command(name = "exp-accuracy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Measures the ulp error of exp=poly and exp=jdk on every float in a range.",
            "",
            "Evaluates exp=poly (absorb's polynomial) and exp=jdk (the Vector API's EXP) on every float in "
                    + "[FROM, TO] and prints each one's largest error in ulps against StrictMath.exp in double "
                    + "(exact to about 2^-29 ulp), where it occurs, and how many results are not correctly rounded.",
            "The default range is the one the kernels use (exp's argument is clamped to [-104, 89]); "
                    + "it holds about 2.2e9 floats and takes about 30 s on 2 cores.",
        })
final class ExpAccuracyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "X", defaultValue = "-104", description = "first float; range: any finite float up to --to (default: ${DEFAULT-VALUE})")
    float from;

    @Option(names = "--to", paramLabel = "X", defaultValue = "89", description = "last float; range: any finite float from --from (default: ${DEFAULT-VALUE})")
    float to;

    @Option(names = "--threads", paramLabel = "N", description = "threads; " + Ranges.THREADS + " (default: the available processors)")
    Integer threads;

    @Override
    public Integer call() throws InterruptedException {
        if (!Float.isFinite(from) || !Float.isFinite(to) || from > to) {
            throw new ParameterException(spec.commandLine(), "--from and --to must be finite with from <= to; got " + from + " and " + to);
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : Ranges.check("--threads", threads, 1, Ranges.MAX_THREADS);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("every float in [%s, %s]; reference StrictMath.exp in double%n", from, to);
        out.printf("%-10s %14s %10s %16s %20s %10s%n", "exp", "inputs", "max ulps", "at x", "not correctly rnd", "undecided");
        for (ExpAccuracy.Result r : ExpAccuracy.scan(from, to, n)) {
            out.printf("%-10s %14d %10.4f %16s %20d %10d%n", r.implementation(), r.inputs(), r.maxUlps(),
                    r.worstInput(), r.notCorrectlyRounded(), r.undecided());
        }
        out.flush();
        return Errors.OK;
    }
}
