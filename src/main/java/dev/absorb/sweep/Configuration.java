package dev.absorb.sweep;

import dev.absorb.kernel.Recipe;

/** One row of a sweep: a recipe on one logit family, class count and target position. */
public record Configuration(Recipe recipe, Family family, int classes, TargetPosition target) {

    public Configuration {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, not " + classes);
        }
    }

    /**
     * ln(C−1) + p·ln 2: the first-order gap of absorption (DESIGN.md §5). StrictMath, not Math:
     * Math.log may be a platform intrinsic (within 1 ulp), and this number is printed, so it must
     * be the same double on every JVM and CPU (DESIGN.md §4).
     */
    public double predicted() {
        return StrictMath.log(classes - 1) + recipe.format().precision() * StrictMath.log(2);
    }
}
