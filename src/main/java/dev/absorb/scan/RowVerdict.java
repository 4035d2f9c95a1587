package dev.absorb.scan;

/**
 * What one recipe does to one row of logits.
 *
 * @param target    the class index y
 * @param gap       z_y − max_{j≠y} z_j of the logits stored in the recipe's format
 * @param absorbed  g_y == 0 (under smooth or zloss: g_y at its value for p_y = 1, {@code Absorption}):
 *                  the correct class no longer learns
 * @param nfi       absorbed while some other g_j still depends on its logit: the row sits in the NFI window
 * @param residual  the zero-sum residual |Σ g_j| / Σ |g_j| (exact sums); NaN for an all-zero gradient
 * @param finite    lse and every g_j are finite
 */
public record RowVerdict(int target, double gap, boolean absorbed, boolean nfi, double residual, boolean finite) {
}
