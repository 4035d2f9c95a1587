package dev.absorb.results;

/** One point of curves.csv: g_y and the zero-sum residual at one gap (NaN where the cell is empty). */
public record CurveRecord(String recipe, String family, int classes, String target, double gap, double gradientTarget,
                   double zeroSumResidual) {
}
