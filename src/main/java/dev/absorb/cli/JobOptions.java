package dev.absorb.cli;

import dev.absorb.job.JmhPlan;
import dev.absorb.job.Profile;
import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Family;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The benchmark options {@code bench} and {@code ab} share: which benchmarks, the params that
 * replace the profile's, and JMH's iterations; every one left out is the profile's (or, where the
 * profile has none, each benchmark's own annotation). {@link #overrides} checks them all.
 */
final class JobOptions {

    static final int MAX_ITERATIONS = 10_000;
    /** One hour per iteration: far beyond any use, and still a bound a typo cannot exceed by much. */
    static final int MAX_MILLIS = 3_600_000;
    static final String ITERATIONS = "range: " + 0 + " to " + MAX_ITERATIONS;
    static final String TIME = "e.g. 200ms or 1s; range: 1ms to 1h";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    @Option(names = "--bench", paramLabel = "REGEX",
            description = "Only benchmarks whose name (dev.absorb.bench.Class.method) contains a match, e.g. KernelBenchmark.fused or Rounding.")
    String bench;

    @Option(names = "--recipes", split = ",", paramLabel = "RECIPE",
            description = "Recipes of every benchmark with a recipe param, and of bench's sweep (default: the profile's).")
    List<String> recipes;

    @Option(names = "--classes", split = ",", paramLabel = "C",
            description = "Class counts of every benchmark with a classes param, and of bench's sweep; " + Ranges.CLASSES
                    + " (default: the profile's).")
    List<Integer> classes;

    @Option(names = "--gaps", split = ",", paramLabel = "G",
            description = "Logit gaps of every benchmark with a gap param; range: 0 or more, finite (default: the profile's).")
    List<String> gaps;

    @Option(names = "--families", split = ",", paramLabel = "FAMILY",
            description = "Logit families of every benchmark with a family param, and of bench's sweep (flat, gauss, ...; default: the profile's).")
    List<String> families;

    @Option(names = "--warmup-iterations", paramLabel = "N",
            description = "JMH warmup iterations per fork; " + ITERATIONS + " (default: the profile's).")
    Integer warmups;

    @Option(names = "--warmup-time", paramLabel = "TIME",
            description = "Time of each warmup iteration, " + TIME + " (default: the profile's).")
    String warmupTime;

    @Option(names = "--iterations", paramLabel = "N",
            description = "JMH measurement iterations per fork; range: 1 to " + MAX_ITERATIONS + " (default: the profile's).")
    Integer measurements;

    @Option(names = "--measurement-time", paramLabel = "TIME",
            description = "Time of each measurement iteration, " + TIME + " (default: the profile's).")
    String measurementTime;

    /** The recipes, parsed and in their canonical text; null if not given. */
    List<String> recipeTexts() {
        return recipes == null ? null : recipes.stream().map(r -> Recipe.parse(r).toString()).distinct().collect(Collectors.toList());
    }

    List<Integer> classList() {
        if (classes == null) {
            return null;
        }
        Ranges.checkClasses("--classes", classes);
        return classes.stream().distinct().collect(Collectors.toList());
    }

    List<String> familyList() {
        return families == null ? null : families.stream().map(f -> Family.of(f.trim()).key()).distinct().collect(Collectors.toList());
    }

    /** Every option checked (bad input: one line naming the option and its range). */
    JmhPlan.Overrides overrides(Integer forks) {
        List<String> gapList = null;
        if (gaps != null) {
            for (String g : gaps) {
                double x = Converters.FiniteDoubleConverter.parse(g.trim());
                if (x < 0) {
                    throw new IllegalArgumentException("--gaps must be 0 or more, not " + g);
                }
            }
            gapList = gaps.stream().map(String::trim).distinct().collect(Collectors.toList());
        }
        if (warmups != null) {
            Ranges.check("--warmup-iterations", warmups, 0, MAX_ITERATIONS);
        }
        if (measurements != null) {
            Ranges.check("--iterations", measurements, 1, MAX_ITERATIONS);
        }
        return new JmhPlan.Overrides(recipeTexts(), classList(), gapList, familyList(), forks, warmups,
                millis("--warmup-time", warmupTime), measurements, millis("--measurement-time", measurementTime));
    }

    /** {@code 200ms}, {@code 1s}, {@code 2m}, {@code 1h} in milliseconds; null for null. */
    static Integer millis(String option, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a time; " + TIME);
        }
        long n = Long.parseLong(m.group(1));
        long ms = switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
        if (ms < 1 || ms > MAX_MILLIS) {
            throw new IllegalArgumentException(option + " must be at least 1ms and at most 1h, not " + text);
        }
        return (int) ms;
    }

    /** The profile's JMH settings, for help texts and messages. */
    static String profileTiming(Profile profile) {
        Profile.Iterations it = profile.iterations();
        return it == null ? "each benchmark's own" : it.forks() + " forks, " + it.warmups() + " x " + it.warmupMillis() + " ms warmup, "
                + it.measurements() + " x " + it.measurementMillis() + " ms measurement";
    }
}
