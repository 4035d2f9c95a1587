package dev.absorb.sweep;

/**
 * One row of thresholds.csv (DESIGN.md §5). Gaps are stored gaps, z_y − max_{j≠y} z_j of logits
 * that are values of the format; NaN means "does not exist up to {@code gapMax}" and prints as an
 * empty cell.
 *
 * @param deltaAbs       smallest gap with g_y == 0
 * @param deltaAbsStable smallest gap beyond which g_y stays 0 (on the grid and its refinement)
 * @param nonMonotone    g_y == 0 switches on and off more than once
 * @param deltaUf        smallest gap at which every g_j, j ≠ y, is 0
 * @param deltaOvf       algo=naive: smallest gap at which lse is not finite
 * @param lseRelErr      largest relative error of lse against the fp64 reference over the curve
 * @param gapMax         largest gap searched
 */
public record ThresholdRow(Configuration configuration, double deltaAbs, double deltaAbsStable, boolean nonMonotone,
                           double deltaUf, double deltaOvf, double lseRelErr, double gapMax) {

    /** The NFI window [delta_abs, delta_uf): g_y is 0 while other entries are not. NaN if empty. */
    public double nfiWidth() {
        if (Double.isNaN(deltaAbs)) {
            return Double.NaN;
        }
        double end = Double.isNaN(deltaUf) ? gapMax : deltaUf;
        return Math.max(0, end - deltaAbs);
    }
}
