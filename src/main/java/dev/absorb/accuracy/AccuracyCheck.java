package dev.absorb.accuracy;

import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.TargetPosition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a recipe's accuracy over a gap range (docs/accuracy.md): on one family, class count and
 * target position, at {@link #POINTS} evenly spaced gaps from 0 to the range's end, each stored
 * in the recipe's format as the sweep stores it ({@link Family#setGap}). The range ends earlier
 * where z_y would pass the format's largest finite value: the logits must be values of the format.
 *
 * <p>A check is a pure function of its arguments (the kernels give the same bits everywhere), so
 * the last {@link #REMEMBERED} results are kept: a report and its comparisons, or a test suite,
 * check the same configurations more than once.
 */
public final class AccuracyCheck {

    /** Gaps checked per range: 0, U/32, …, U, as many as curves.csv holds per configuration. */
    public static final int POINTS = 33;
    static final int REMEMBERED = 4096;

    private record Key(Recipe recipe, Family family, int classes, TargetPosition target, double gapMax, long seed,
                       double offset) {
    }

    private static final Map<Key, AccuracyResult> RESULTS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, AccuracyResult> eldest) {
            return size() > REMEMBERED;
        }
    };

    private AccuracyCheck() {
    }

    /**
     * The worst accuracy of {@code recipe} over gaps [0, gapMax] of one family, class count and
     * target; {@code seed} and {@code offset} as the sweep's.
     */
    public static AccuracyResult run(Recipe recipe, Family family, int classes, TargetPosition target, double gapMax,
                                     long seed, double offset) {
        if (!(gapMax >= 0) || Double.isInfinite(gapMax)) {
            throw new IllegalArgumentException("the gap range must end at a finite gap >= 0, not " + gapMax);
        }
        Key key = new Key(recipe, family, classes, target, gapMax, seed, offset);
        synchronized (RESULTS) {
            AccuracyResult known = RESULTS.get(key);
            if (known != null) {
                return known;
            }
        }
        AccuracyResult result = measure(recipe, family, classes, target, gapMax, seed, offset);
        synchronized (RESULTS) {
            RESULTS.put(key, result);
        }
        return result;
    }

    private static AccuracyResult measure(Recipe recipe, Family family, int classes, TargetPosition target, double gapMax,
                                          long seed, double offset) {
        AccuracyProbe probe = new AccuracyProbe(recipe);
        AccuracyBounds bounds = AccuracyBounds.of(recipe.format());
        int y = target.index(classes, seed);
        double[] z = new double[classes];
        family.fill(z, y, 0, offset, recipe.format(), seed);
        double others = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            others = j == y ? others : Math.max(others, z[j]);
        }
        double end = Math.min(gapMax, Math.max(0, recipe.format().maxFinite() - others));
        AccuracyResult.Builder result = new AccuracyResult.Builder(recipe, bounds);
        for (int i = 0; i < POINTS; i++) {
            family.setGap(z, y, end * i / (POINTS - 1), offset, recipe.format());
            result.add(probe.measure(z, y), family, classes, target);
        }
        return result.build();
    }
}
