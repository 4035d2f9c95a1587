package dev.absorb.report;

import dev.absorb.results.Direction;
import dev.absorb.results.JmhRow;
import dev.absorb.kernel.Presets;
import dev.absorb.kernel.Recipe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a recipe costs relative to its format's default recipe (a preset's variant: relative to the
 * preset, {@code format} then naming the preset) in the same JMH run: the ratio of
 * times (for throughput modes, the inverse ratio of throughputs), so 1.2 means 20 % slower
 * whatever the mode. The default's result is the one with the same benchmark, mode and every
 * other parameter. {@code error} is JMH's 99.9 % half-widths of both scores propagated to first
 * order (relative errors added in quadrature): a rough band, not a confidence interval of the
 * ratio; NaN when JMH gave none.
 */
record CostRatio(JmhRow result, String recipe, String format, double ratio, double error) {

    static final String RECIPE_PARAM = "recipe";

    boolean isDefault() {
        return recipe.equals(format);
    }

    /** Every result with a recipe parameter whose format's default recipe ran with the same other parameters. */
    static List<CostRatio> of(List<JmhRow> results) {
        Map<String, JmhRow> defaults = new HashMap<>();
        Map<JmhRow, Recipe> recipes = new LinkedHashMap<>();
        for (JmhRow result : results) {
            Recipe recipe = recipeOf(result);
            if (recipe != null) {
                recipes.put(result, recipe);
                if (recipe.toString().equals(baseOf(recipe))) {
                    defaults.put(key(result, baseOf(recipe)), result);
                }
            }
        }
        List<CostRatio> ratios = new ArrayList<>();
        recipes.forEach((result, recipe) -> {
            String format = baseOf(recipe);
            JmhRow base = defaults.get(key(result, format));
            if (base != null) {
                double ratio = result.direction() == Direction.HIGHER_IS_BETTER ? base.score() / result.score() : result.score() / base.score();
                double error = ratio * Math.hypot(result.scoreError() / result.score(), base.scoreError() / base.score());
                ratios.add(new CostRatio(result, recipe.toString(), format, ratio, error));
            }
        });
        return List.copyOf(ratios);
    }

    /** What a recipe's cost is relative to: its preset (a framework's kernel), else its format's default. */
    static String baseOf(Recipe recipe) {
        String preset = Presets.baseName(recipe.toString());
        return preset != null ? preset : recipe.format().name();
    }

    /** The canonical recipe of a result, or null when it has no recipe parameter absorb can parse. */
    static Recipe recipeOf(JmhRow result) {
        String text = result.params().get(RECIPE_PARAM);
        if (text == null) {
            return null;
        }
        try {
            return Recipe.parse(text);
        } catch (IllegalArgumentException notARecipe) {
            return null;
        }
    }

    /** Benchmark, mode, format and every parameter but the recipe: the results a ratio may pair. */
    private static String key(JmhRow result, String format) {
        StringBuilder key = new StringBuilder(result.benchmark()).append('|').append(result.mode()).append('|').append(format);
        result.params().forEach((k, v) -> {
            if (!k.equals(RECIPE_PARAM)) {
                key.append('|').append(k).append('=').append(v);
            }
        });
        return key.toString();
    }
}
