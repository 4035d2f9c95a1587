package dev.absorb.sweep;

import dev.absorb.format.Format;
import dev.absorb.kernel.Presets;
import dev.absorb.kernel.Recipe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs the threshold finder over many configurations, in parallel on every core. */
public final class Sweep {

    /** The recipe variants of the default sweep, applied to every named format. */
    public static final List<String> DEFAULT_VARIANTS = List.of(
            "", "acc=fp32", "compute=fp32/acc=fp32", "grad=complement", "grad=zerosum", "acc=kahan", "lse=log1p", "round=sr");
    public static final List<Integer> DEFAULT_CLASSES = List.of(2, 10, 100, 1000, 32000, 128256);
    /** Real vocabularies the presets are swept at too: GPT-2 and its padded size, Qwen2, Gemma 3. */
    public static final List<Integer> VOCABULARIES = List.of(50257, 50304, 151936, 262144);
    /**
     * The mitigations the default sweep applies to every preset: the stable-gradient forms, and
     * (formats narrower than fp32) keeping the row sum and the log-probabilities in fp32.
     */
    public static final List<String> PRESET_MITIGATIONS = List.of("grad=complement", "grad=zerosum", "rowsum=acc/logp=compute");

    /**
     * The training-time mitigations of the default sweep, on the presets people run them with:
     * label smoothing 0.1 and z-loss 1e-4 on PyTorch bf16, and AMP's initial loss scale 2^16 on
     * PyTorch fp16 (it moves delta_uf). At the default class counts.
     */
    public static final List<String> PRESET_TRAINING = List.of(
            "torch:bf16/smooth=0.1", "torch:bf16/zloss=0.0001", "torch:fp16/scale=65536");

    private Sweep() {
    }

    /**
     * The default recipes: every named format with every default variant. A variant that means
     * the format's default ({@code fp32/acc=fp32}) appears once; one that the format rejects
     * (fp64 runs natively: no {@code acc=fp32}, {@code compute=fp32}, {@code round=sr}) is left out.
     */
    public static List<Recipe> defaultRecipes() {
        Set<Recipe> recipes = new LinkedHashSet<>();
        for (Format format : Format.named()) {
            for (String variant : DEFAULT_VARIANTS) {
                try {
                    recipes.add(Recipe.parse(variant.isEmpty() ? format.name() : format.name() + "/" + variant));
                } catch (IllegalArgumentException notForThisFormat) {
                    // the fp64 exclusions listed above
                }
            }
        }
        return new ArrayList<>(recipes);
    }

    /** The framework presets of the default sweep, each at its framework's default CPU dispatch level. */
    public static List<Recipe> defaultPresets() {
        List<Recipe> presets = new ArrayList<>();
        for (String head : Presets.heads()) {
            presets.add(Recipe.parse(head));
        }
        return presets;
    }

    /**
     * The default sweep, presets first: every preset at {@link #DEFAULT_CLASSES} and the
     * {@link #VOCABULARIES}; each preset with each {@link #PRESET_MITIGATIONS} (where it changes the
     * kernel), the {@link #PRESET_TRAINING} recipes and the {@link #defaultRecipes()} at
     * {@link #DEFAULT_CLASSES}.
     */
    public static List<Configuration> defaultConfigurations(List<Family> families, List<TargetPosition> targets) {
        List<Integer> presetClasses = new ArrayList<>(DEFAULT_CLASSES);
        presetClasses.addAll(VOCABULARIES);
        presetClasses.sort(Comparator.naturalOrder());
        List<Configuration> configurations = new ArrayList<>(configurations(defaultPresets(), families, presetClasses, targets));
        Set<Recipe> mitigated = new LinkedHashSet<>();
        for (Recipe preset : defaultPresets()) {
            for (String mitigation : PRESET_MITIGATIONS) {
                Recipe r = preset;
                for (String keyValue : mitigation.split("/")) {
                    String[] kv = keyValue.split("=");
                    r = r.with(kv[0], kv[1]);
                }
                if (!r.toString().equals(preset.toString())) {
                    mitigated.add(r);
                }
            }
        }
        List<Recipe> rest = new ArrayList<>(mitigated);
        PRESET_TRAINING.forEach(text -> rest.add(Recipe.parse(text)));
        rest.addAll(defaultRecipes());
        configurations.addAll(configurations(rest, families, DEFAULT_CLASSES, targets));
        return configurations;
    }

    /** Every combination, in the order recipes × families × classes × targets. */
    public static List<Configuration> configurations(List<Recipe> recipes, List<Family> families,
                                                     List<Integer> classes, List<TargetPosition> targets) {
        List<Configuration> configurations = new ArrayList<>();
        for (Recipe recipe : recipes) {
            for (Family family : families) {
                for (int c : classes) {
                    for (TargetPosition target : targets) {
                        configurations.add(new Configuration(recipe, family, c, target));
                    }
                }
            }
        }
        return configurations;
    }

    /**
     * Finds the thresholds of every configuration on {@code threads} threads; results come back in
     * the order of the input. {@code done} hears the number of finished configurations.
     */
    public static List<SweepResult> run(List<Configuration> configurations, SweepSettings settings, int threads,
                                        IntConsumer done) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "absorb-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            // Largest class counts first, so the last tasks to finish are short ones.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < configurations.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt((Integer i) -> configurations.get(i).classes()).reversed());
            List<Future<SweepResult>> futures = new ArrayList<>(configurations.size());
            for (int i = 0; i < configurations.size(); i++) {
                futures.add(null);
            }
            AtomicInteger finished = new AtomicInteger();
            for (int i : order) {
                Configuration c = configurations.get(i);
                futures.set(i, pool.submit(() -> {
                    SweepResult result = new ThresholdFinder(c, settings).find();
                    done.accept(finished.incrementAndGet());
                    return result;
                }));
            }
            List<SweepResult> results = new ArrayList<>(configurations.size());
            for (Future<SweepResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sweep failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
