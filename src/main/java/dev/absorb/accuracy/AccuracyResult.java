package dev.absorb.accuracy;

import dev.absorb.kernel.Recipe;
import dev.absorb.results.Numbers;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.TargetPosition;

import java.util.ArrayList;
import java.util.List;

/**
 * A recipe's accuracy over the points it was checked at (docs/accuracy.md): per measure, the
 * largest value where the measure applies, and the point that exceeds its bound the most, if any.
 * The recipe is accurate when no point exceeds a bound and the format held the gradient and lse at
 * one point at least.
 *
 * @param points       points evaluated
 * @param gradientHeld points where the format holds the gradient (the gradient measures apply)
 * @param lseHeld      points where the format holds lse
 */
public record AccuracyResult(Recipe recipe, AccuracyBounds bounds, int points, int gradientHeld, int lseHeld,
                             Measure gradient, Measure residual, Measure lse) {

    /**
     * One value of a measure at one point: the recipe's, and the perfect kernel's (the exact answer
     * rounded to the format). The bound there is the perfect kernel's value plus the allowance.
     */
    public record Point(double value, double perfect, double allowance, Family family, int classes,
                        TargetPosition target, double gap) {

        public double bound() {
            return perfect + allowance;
        }

        /** "C = 128256, gap 0" (and the family where it is not flat). */
        public String where() {
            return "C = " + classes + ", gap " + Numbers.compact(gap) + (family == Family.FLAT ? "" : ", family " + family.key());
        }

        boolean exceeds() {
            return !(value <= bound());
        }

        double excess() {
            return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value - bound();
        }
    }

    /**
     * @param largest the point with the largest value where the measure applies (NaN counts as
     *                largest); null when it applied nowhere
     * @param worst   the point that exceeds its bound the most; null when none does
     */
    public record Measure(Point largest, Point worst) {

        static final Measure NONE = new Measure(null, null);

        Measure with(Point p) {
            Point l = largest == null || Double.isNaN(p.value()) && !Double.isNaN(largest.value())
                    || p.value() > largest.value() ? p : largest;
            Point w = p.exceeds() && (worst == null || p.excess() > worst.excess()) ? p : worst;
            return new Measure(l, w);
        }

        Measure with(Measure other) {
            Measure m = this;
            if (other.largest != null) {
                m = m.with(other.largest);
            }
            if (other.worst != null) {
                m = m.with(other.worst);
            }
            return m;
        }
    }

    /** No point exceeds a bound, and the format held the gradient and lse somewhere. */
    public boolean accurate() {
        return gradientHeld > 0 && lseHeld > 0 && gradient.worst() == null && residual.worst() == null && lse.worst() == null;
    }

    /**
     * Why the recipe is not accurate: each measure that exceeds its bound, at its worst point, e.g.
     * "zero-sum residual 0.969 > 0.0107 at C = 128256, gap 0"; null when it is accurate.
     */
    public String failure() {
        List<String> out = new ArrayList<>();
        if (gradientHeld == 0) {
            out.add("the format cannot hold the gradient at any gap checked");
        }
        if (lseHeld == 0) {
            out.add("the format cannot hold lse at any gap checked");
        }
        add(out, "gradient error", gradient);
        add(out, "zero-sum residual", residual);
        add(out, "lse relative error", lse);
        return out.isEmpty() ? null : String.join("; ", out);
    }

    private static void add(List<String> out, String name, Measure m) {
        Point w = m.worst();
        if (w != null) {
            out.add(name + (Double.isNaN(w.value()) ? " NaN" : " " + Numbers.compact(w.value()) + " > " + Numbers.compact(w.bound()))
                    + " at " + w.where());
        }
    }

    /** The largest values where they apply, in short: "gradient 0.0101, residual 0.00201, lse 0.00307". */
    public String figures() {
        return "gradient " + text(gradient) + ", residual " + text(residual) + ", lse " + text(lse);
    }

    private static String text(Measure m) {
        return m.largest() == null ? "–" : Numbers.compact(m.largest().value());
    }

    /** The worst of several results of the same recipe (e.g. one per class count and target). */
    public static AccuracyResult worstOf(List<AccuracyResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no accuracy results to combine");
        }
        AccuracyResult first = results.get(0);
        int points = 0;
        int gradientHeld = 0;
        int lseHeld = 0;
        Measure gradient = Measure.NONE;
        Measure residual = Measure.NONE;
        Measure lse = Measure.NONE;
        for (AccuracyResult r : results) {
            points += r.points;
            gradientHeld += r.gradientHeld;
            lseHeld += r.lseHeld;
            gradient = gradient.with(r.gradient);
            residual = residual.with(r.residual);
            lse = lse.with(r.lse);
        }
        return new AccuracyResult(first.recipe, first.bounds, points, gradientHeld, lseHeld, gradient, residual, lse);
    }

    /** Collects the points of one check. */
    static final class Builder {
        private final Recipe recipe;
        private final AccuracyBounds bounds;
        private int points;
        private int gradientHeld;
        private int lseHeld;
        private Measure gradient = Measure.NONE;
        private Measure residual = Measure.NONE;
        private Measure lse = Measure.NONE;

        Builder(Recipe recipe, AccuracyBounds bounds) {
            this.recipe = recipe;
            this.bounds = bounds;
        }

        void add(Accuracy a, Family family, int classes, TargetPosition target) {
            points++;
            if (bounds.holdsGradient(a)) {
                gradientHeld++;
                gradient = gradient.with(new Point(a.gradientError(), a.storageError(), bounds.gradientError(), family,
                        classes, target, a.gap()));
                residual = residual.with(new Point(a.zeroSumResidual(), a.storageResidual(), bounds.zeroSumResidual(),
                        family, classes, target, a.gap()));
            }
            if (bounds.holdsLse(a)) {
                lseHeld++;
                lse = lse.with(new Point(a.lseRelativeError(), a.lseStorageError(), bounds.lseRelativeError(), family,
                        classes, target, a.gap()));
            }
        }

        AccuracyResult build() {
            if (points == 0) {
                throw new IllegalStateException("an accuracy check of no points");
            }
            return new AccuracyResult(recipe, bounds, points, gradientHeld, lseHeld, gradient, residual, lse);
        }
    }
}
