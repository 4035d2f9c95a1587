package dev.absorb.scan;

import dev.absorb.kernel.Recipe;

/**
 * What a scan found for one recipe over every row.
 *
 * @param rows           rows scanned
 * @param absorbedRows   rows with g_y == 0 (under smooth or zloss: g_y at its value for p_y = 1)
 * @param nfiRows        absorbed rows where some other g_j ≠ 0 (its value at p_j = 0): inside the NFI window
 * @param nonfiniteRows  rows whose lse or some g_j is not finite
 * @param maxResidual    the largest zero-sum residual of a row (NaN where every gradient was all zero)
 * @param maxResidualRow the first row (0-based) with that residual; −1 if none
 * @param gaps           the distribution of the stored gap z_y − max_{j≠y} z_j
 */
public record RecipeSummary(Recipe recipe, long rows, long absorbedRows, long nfiRows, long nonfiniteRows,
                            double maxResidual, long maxResidualRow, GapQuantiles gaps) {
}
