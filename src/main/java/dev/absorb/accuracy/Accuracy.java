package dev.absorb.accuracy;

/**
 * How far one evaluation of a recipe is from the exact answer, and how far the exact answer
 * itself is once rounded to the recipe's format (docs/accuracy.md). An lse error is NaN where the
 * recipe's lse is not finite; {@link AccuracyBounds} counts NaN as out of bounds.
 *
 * @param gap                the stored gap z_y − max_{j≠y} z_j
 * @param gradientError      Σ|g_j − g*_j| / Σ|g*_j|: the stored gradient against the exact one
 * @param zeroSumResidual    |Σ g_j| / Σ|g_j| over the stored gradient; 0 for an all-zero gradient
 *                           (it sums to zero: the gradient error says it is lost)
 * @param lseRelativeError   |lse − lse*| / |lse*| (absolute where lse* = 0), as curves.csv's lse_rel_err
 * @param storageError       the gradient error of rd(g*), rd = rounding to the format (rne): what a
 *                           perfect kernel loses by storing the exact gradient
 * @param storageResidual    the zero-sum residual of rd(g*)
 * @param lseStorageError    the lse relative error of rd(lse*)
 */
public record Accuracy(double gap, double gradientError, double zeroSumResidual, double lseRelativeError,
                       double storageError, double storageResidual, double lseStorageError) {
}
