package dev.absorb.job;

import dev.absorb.format.Format;
import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.Sweep;

import java.util.Arrays;
import java.util.Collections;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How much a run measures (docs/decisions.md, "Profiles"): JMH's forks and iterations,
 * the @Param values that replace the benchmarks' own defaults (JMH applies an override to every
 * benchmark with that param name), and the size of the sweep that runs before the benchmarks.
 *
 * <ul>
 *   <li>{@code smoke}: every benchmark once, small (C = 1000, gap 4, the bf16 format, the fp32 and
 *   bf16 recipes) — checks the pipeline and is what CI runs and gates (about 7 minutes). Five
 *   forks, run as five rounds over the whole plan ({@link JmhPlan#rounds()}), because the gate's samples are forks (one fork's iterations agree closely, while
 *   forks differ by up to 2×: docs/decisions.md "The smoke profile and the gate"), and
 *   Mann–Whitney reaches p &lt; 0.05 from 4 + 4; each fork has 2 s of warmup, which C2 needs to
 *   compile the Vector API kernels (interpreted, they run about 1000 times slower: shorter
 *   warmups measured compile timing), and 3 × 100 ms of measurement.</li>
 *   <li>{@code quick}: the benchmarks' own params and iterations (the cost table at C = 32000, the
 *   gap sweep, rounding and exp; one fork each) and the default sweep: about 13 minutes on 2 cores.</li>
 *   <li>{@code full}: every default sweep recipe at C = 1000, 32000 and 128256, every narrow
 *   format, five forks (gateable, as smoke) of 4 × 1 s warmup and 3 × 1 s measurement, the sweep
 *   over all three families: many hours.</li>
 * </ul>
 */
public enum Profile {

    SMOKE(new Iterations(5, 10, 200, 3, 100),
            Map.of("recipe", List.of("fp32", "bf16"),
                    "classes", List.of("1000"),
                    "gap", List.of("4"),
                    "format", List.of("bf16")),
            new SweepPlan(List.of("torch:bf16", "jax:fp16", "fp32", "bf16", "fp16", "e4m3", "bf16/grad=complement"),
                    List.of(10, 1000), List.of("flat")),
            true),
    QUICK(null,
            Map.of(),
            new SweepPlan(null, Sweep.DEFAULT_CLASSES, List.of("flat")),
            false),
    FULL(new Iterations(5, 4, 1000, 3, 1000),
            Map.of("recipe", Sweep.defaultRecipes().stream().map(Recipe::toString).collect(Collectors.toList()),
                    "classes", List.of("1000", "32000", "128256"),
                    "format", Format.named().stream().filter(f -> !f.isFp64() && f.mantissaBits() < 23)
                            .map(Format::name).collect(Collectors.toList())),
            new SweepPlan(null, Sweep.DEFAULT_CLASSES, Arrays.stream(Family.values()).map(Family::key).collect(Collectors.toList())),
            false);

    /** JMH's -f, -wi, -w, -i and -r; a profile without them runs each benchmark's own annotations. */
    public record Iterations(int forks, int warmups, int warmupMillis, int measurements, int measurementMillis) {
    }

    /**
     * The sweep of a profile's run: recipes (null: the sweep's default set), class counts and
     * families; the targets are always first and last, as the sweep command's default.
     */
    public record SweepPlan(List<String> recipes, List<Integer> classes, List<String> families) {
    }

    private final Iterations iterations;
    private final Map<String, List<String>> params;
    private final SweepPlan sweep;
    private final boolean ignoresLock;

    Profile(Iterations iterations, Map<String, List<String>> params, SweepPlan sweep, boolean ignoresLock) {
        this.iterations = iterations;
        this.params = new TreeMap<>(params);
        this.sweep = sweep;
        this.ignoresLock = ignoresLock;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** null: each benchmark's own {@code @Fork}, {@code @Warmup} and {@code @Measurement}. */
    public Iterations iterations() {
        return iterations;
    }

    /** @Param overrides by param name; a name not here keeps each benchmark's own defaults. */
    public Map<String, List<String>> params() {
        return Collections.unmodifiableMap(params);
    }

    public SweepPlan sweep() {
        return sweep;
    }

    /**
     * Whether the run ignores JMH's machine-wide lock (another JMH run in progress). Only smoke
     * does: its timings mean nothing anyway, and CI must not fail because someone else benchmarks.
     */
    public boolean ignoresLock() {
        return ignoresLock;
    }

    /** @throws IllegalArgumentException naming the valid choices */
    public static Profile of(String key) {
        for (Profile p : values()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + key + "'; valid: "
                + Arrays.stream(values()).map(Profile::key).collect(Collectors.joining(", ")));
    }
}
