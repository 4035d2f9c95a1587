package dev.absorb.report;

import dev.absorb.kernel.Presets;
import dev.absorb.kernel.Recipe;
import dev.absorb.results.Numbers;
import dev.absorb.results.ThresholdRecord;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The report's table of the framework presets under the training-time mitigations swept with them
 * (label smoothing, z-loss, a loss scale, another gradient format): where each one's g_y stops
 * depending on the target's logit (delta_abs) and where the other entries do (delta_uf), beside
 * the preset itself. These keys change the loss, not the kernel's rounding, so they are not cures
 * and are kept out of the mitigation table.
 */
final class TrainingSetups {

    private TrainingSetups() {
    }

    /** Whether the recipe named so has smooth, zloss, scale or gradfmt (false for a name this absorb does not parse). */
    static boolean isTrainingSetup(String recipe) {
        try {
            return Recipe.parse(recipe).mitigations().any();
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /** The section's lines, or none where the run swept no preset with these keys. */
    static List<String> lines(Run run) {
        Set<String> setups = new LinkedHashSet<>();
        run.thresholds().stream().map(ThresholdRecord::recipe)
                .filter(r -> Presets.baseName(r) != null && isTrainingSetup(r)).forEach(setups::add);
        List<String> out = new ArrayList<>();
        if (setups.isEmpty()) {
            return out;
        }
        Set<Integer> counts = new TreeSet<>();
        setups.forEach(r -> run.headlineRows(r).forEach(t -> counts.add(t.classes())));
        out.add("### Training setups on the framework kernels");
        out.add("");
        out.add("The presets with label smoothing (`smooth`), z-loss (`zloss`), a loss scale (`scale`) or another gradient "
                + "format (`gradfmt`), as a training run uses them (family " + run.headlineFamily() + ", target "
                + run.headlineTarget() + "). Each cell is delta_abs / delta_uf. With smooth or zloss g_y does not go to 0: "
                + "delta_abs is where g_y freezes at its value for p_y = 1 (about ε(1 − 1/C) under smoothing), so the "
                + "target's gradient no longer sees its logit; delta_uf is where every other entry freezes too "
                + "(docs/recipes.md, Mitigations). Between them only the other classes still learn.");
        out.add("");
        StringBuilder header = new StringBuilder("| kernel |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int c : counts) {
            header.append(" C = ").append(c).append(" |");
            rule.append("---|");
        }
        out.add(header.toString());
        out.add(rule.toString());
        Set<String> rows = new LinkedHashSet<>();
        for (String setup : setups) {
            rows.add(Presets.baseName(setup));
            rows.add(setup);
        }
        for (String recipe : rows) {
            StringBuilder row = new StringBuilder("| `" + recipe + "` |");
            List<ThresholdRecord> byClass = run.headlineRows(recipe);
            for (int c : counts) {
                ThresholdRecord t = byClass.stream().filter(x -> x.classes() == c).findFirst().orElse(null);
                row.append(' ').append(t == null ? "not swept" : cell(t)).append(" |");
            }
            out.add(row.toString());
        }
        out.add("");
        int largest = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (String setup : setups) {
            run.headlineRows(setup).stream().filter(t -> t.classes() == largest).findFirst().ifPresent(t -> out.add(
                    "- `" + setup + "` at C = " + largest + ": " + (Double.isNaN(t.deltaAbs())
                            ? "g_y keeps depending on its logit up to gap " + Numbers.gap(t.gapMax())
                            : "g_y freezes from gap " + Numbers.gap(t.deltaAbs()))
                            + (Double.isNaN(t.deltaUf()) ? ", and the other entries never all freeze."
                            : ", every other entry from gap " + Numbers.gap(t.deltaUf()) + ".")));
        }
        out.add("");
        return out;
    }

    private static String cell(ThresholdRecord t) {
        String abs = Double.isNaN(t.deltaAbs()) ? Numbers.NONE : Numbers.gap(t.deltaAbs()) + (t.nonMonotone() ? "*" : "");
        String uf = Double.isNaN(t.deltaUf()) ? Numbers.NONE : Numbers.gap(t.deltaUf());
        return abs + " / " + uf;
    }
}
