package dev.absorb.sweep;

/** One evaluation at a fixed gap: a row of curves.csv. */
public record CurvePoint(Configuration configuration, double gap, double lse, double lseReference, double loss,
                         GradientSummary gradient) {

    /** |lse − reference| / |reference| (absolute error where the reference is 0); NaN if lse is not finite. */
    public double lseRelativeError() {
        if (!Double.isFinite(lse) || !Double.isFinite(lseReference)) {
            return Double.NaN;
        }
        double error = Math.abs(lse - lseReference);
        return lseReference == 0 ? error : error / Math.abs(lseReference);
    }
}
