package dev.absorb.results;

/**
 * One row of thresholds.csv (DESIGN.md §5), as the report reads it. A value that does not exist
 * (an empty cell) is NaN.
 */
public record ThresholdRecord(String recipe, String format, String family, int classes, String target,
                       double deltaAbs, double deltaAbsStable, boolean nonMonotone, double deltaUf,
                       double predicted, double gapMax) {

    /**
     * Whether the NFI window [delta_abs, delta_uf) holds a gap: g_y is 0 there while another entry
     * is not. No delta_abs means no absorption up to gap_max; no delta_uf means the other entries
     * never all vanish, so the window runs to gap_max.
     */
    public boolean absorbs() {
        return !Double.isNaN(deltaAbs) && (Double.isNaN(deltaUf) || deltaAbs < deltaUf);
    }

    /** Whether this is the format's default recipe (canonical text = the format's name). */
    public boolean isDefaultRecipe() {
        return recipe.equals(format);
    }
}
