package dev.absorb.safe;

import dev.absorb.format.Format;
import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The recipes {@code absorb safe} considers, in this order: the framework presets and each with
 * the default sweep's mitigations ({@link Sweep#PRESET_MITIGATIONS}), then every named format with
 * the default sweep's variants ({@link Sweep#defaultRecipes}) and with the stable gradients on top
 * of wider sums ({@link #COMBINED}), which no single variant gives.
 */
final class Candidates {

    /** Stable gradients with fp32 partial sums (and fp32 elementwise work): a single key cannot say both. */
    static final List<String> COMBINED = List.of("acc=fp32/grad=complement", "acc=fp32/grad=zerosum",
            "compute=fp32/acc=fp32/grad=complement");

    private Candidates() {
    }

    /** Every candidate, or those of one format (null: all). */
    static List<Recipe> of(Format format) {
        Set<Recipe> out = new LinkedHashSet<>();
        for (Recipe preset : Sweep.defaultPresets()) {
            if (format == null || preset.format().equals(format)) {
                out.add(preset);
                for (String mitigation : Sweep.PRESET_MITIGATIONS) {
                    Recipe r = preset;
                    for (String keyValue : mitigation.split("/")) {
                        String[] kv = keyValue.split("=");
                        r = r.with(kv[0], kv[1]);
                    }
                    if (!r.toString().equals(preset.toString())) {
                        out.add(r);
                    }
                }
            }
        }
        List<Format> formats = format == null ? Format.named() : List.of(format);
        List<Recipe> plain = new ArrayList<>();
        if (format == null || Format.named().contains(format)) {
            Sweep.defaultRecipes().stream().filter(r -> format == null || r.format().equals(format)).forEach(plain::add);
        } else {
            for (String variant : Sweep.DEFAULT_VARIANTS) {
                add(plain, format, variant);
            }
        }
        for (Format f : formats) {
            for (String variant : COMBINED) {
                add(plain, f, variant);
            }
        }
        out.addAll(plain);
        return new ArrayList<>(out);
    }

    /** FORMAT/variant where the format takes it (fp64 runs natively: no acc=fp32 or compute=fp32). */
    private static void add(List<Recipe> to, Format format, String variant) {
        try {
            to.add(Recipe.parse(variant.isEmpty() ? format.name() : format.name() + "/" + variant));
        } catch (IllegalArgumentException notForThisFormat) {
            // fp64's exclusions
        }
    }
}
