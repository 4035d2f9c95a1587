package dev.absorb.accuracy;

import dev.absorb.format.Format;

/**
 * The bounds within which a recipe counts as accurate (docs/accuracy.md). Each measure has an
 * allowance A: for a format with unit roundoff u = 2^−p,
 * <ul>
 *   <li>A = max(5 %, u) for the gradient error Σ|g − g*| / Σ|g*|,</li>
 *   <li>A = max(1 %, u) for the zero-sum residual |Σ g| / Σ|g|,</li>
 *   <li>A = max(1 %, u) for lse's relative error.</li>
 * </ul>
 * A measure applies at a point where the format <em>holds</em> the exact answer: where the exact
 * answer rounded to the format (a perfect kernel's output) has that measure within A. There the
 * recipe's measure may exceed the perfect kernel's by at most A. Past that (subnormal or
 * underflowing gradients, an lse beyond the format's range) no kernel could do better, and no
 * recipe is blamed. The fixed parts separate rounding noise from breakage (a stagnating bf16 sum
 * is wrong by a factor, not by percents); u lets a narrow format keep one more rounding of its own.
 *
 * @param gradientError    the gradient error's allowance
 * @param zeroSumResidual  the zero-sum residual's allowance
 * @param lseRelativeError lse's allowance
 */
public record AccuracyBounds(double gradientError, double zeroSumResidual, double lseRelativeError) {

    static final double GRADIENT = 0.05;
    static final double RESIDUAL = 0.01;
    static final double LSE = 0.01;

    /** The allowances for recipes of {@code format}. */
    public static AccuracyBounds of(Format format) {
        double u = Math.scalb(1.0, -format.precision());
        return new AccuracyBounds(Math.max(GRADIENT, u), Math.max(RESIDUAL, u), Math.max(LSE, u));
    }

    /** Whether the format holds the gradient at this point: the perfect kernel meets both gradient allowances. */
    public boolean holdsGradient(Accuracy a) {
        return a.storageError() <= gradientError && a.storageResidual() <= zeroSumResidual;
    }

    /** Whether the format holds lse at this point. */
    public boolean holdsLse(Accuracy a) {
        return a.lseStorageError() <= lseRelativeError;
    }
}
