package dev.absorb.accuracy;

import dev.absorb.format.Rounding;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Kernel;
import dev.absorb.kernel.Kernels;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ReferenceLse;

/**
 * Measures the {@link Accuracy} of one recipe on logits of up to a given class count: the
 * recipe's kernel ({@link Kernels#of}) against {@link ReferenceGradient} and
 * {@link ReferenceLse}. Holds its buffers, so one probe serves one thread.
 */
public final class AccuracyProbe {

    private final Recipe recipe;
    private final Kernel kernel;
    private final Rounding store;
    private double[] grad = new double[0];
    private double[] exact = new double[0];

    public AccuracyProbe(Recipe recipe) {
        this.recipe = recipe;
        this.kernel = Kernels.of(recipe);
        this.store = Rounding.nearest(recipe.format());
    }

    public Recipe recipe() {
        return recipe;
    }

    /** The accuracy of the recipe on logits {@code z} (values of its format) with target {@code y}. */
    public Accuracy measure(double[] z, int y) {
        int n = z.length;
        if (grad.length != n) {
            grad = new double[n];
            exact = new double[n];
        }
        Evaluation evaluation = kernel.evaluate(z, y, grad);
        double lseReference = ReferenceLse.of(recipe, z);
        ReferenceGradient.of(recipe, z, y, lseReference, exact);
        ReferenceGradient.Neumaier error = new ReferenceGradient.Neumaier();
        ReferenceGradient.Neumaier stored = new ReferenceGradient.Neumaier();
        ReferenceGradient.Neumaier size = new ReferenceGradient.Neumaier();
        ReferenceGradient.Neumaier storedSum = new ReferenceGradient.Neumaier();
        ReferenceGradient.Neumaier storedSize = new ReferenceGradient.Neumaier();
        ReferenceGradient.Neumaier sum = new ReferenceGradient.Neumaier();
        ReferenceGradient.Neumaier absoluteSum = new ReferenceGradient.Neumaier();
        for (int j = 0; j < n; j++) {
            double e = exact[j];
            double r = store.round(e, 0);
            error.add(Math.abs(grad[j] - e));
            stored.add(Math.abs(r - e));
            size.add(Math.abs(e));
            storedSum.add(r);
            storedSize.add(Math.abs(r));
            sum.add(grad[j]);
            absoluteSum.add(Math.abs(grad[j]));
        }
        double mass = size.value();
        double gradientError = mass == 0 ? (error.value() == 0 ? 0 : Double.POSITIVE_INFINITY) : error.value() / mass;
        if (Double.isNaN(error.value())) {
            gradientError = Double.NaN;
        }
        double storageError = mass == 0 ? 0 : stored.value() / mass;
        double storageResidual = residual(storedSum, storedSize);
        double residual = residual(sum, absoluteSum);
        double gap = gapOf(z, y);
        // Where the format cannot hold lse* at all, it bounds nothing: any finite lse is as good as the format allows.
        double lseStored = store.round(lseReference, 0);
        double lseStorageError = Double.isFinite(lseStored) ? lseError(lseStored, lseReference) : Double.POSITIVE_INFINITY;
        return new Accuracy(gap, gradientError, residual, lseError(evaluation.lse(), lseReference), storageError,
                storageResidual, lseStorageError);
    }

    /** |Σ g| / Σ|g|; 0 for an all-zero gradient, which sums to zero (its loss shows in the gradient error). */
    private static double residual(ReferenceGradient.Neumaier sum, ReferenceGradient.Neumaier absoluteSum) {
        return absoluteSum.value() == 0 ? 0 : Math.abs(sum.value()) / absoluteSum.value();
    }

    /** As curves.csv's lse_rel_err: NaN where lse or its reference is not finite. */
    static double lseError(double lse, double reference) {
        if (!Double.isFinite(lse) || !Double.isFinite(reference)) {
            return Double.NaN;
        }
        double error = Math.abs(lse - reference);
        return reference == 0 ? error : error / Math.abs(reference);
    }

    private static double gapOf(double[] z, int y) {
        double others = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            if (j != y) {
                others = Math.max(others, z[j]);
            }
        }
        return z[y] - others;
    }
}
