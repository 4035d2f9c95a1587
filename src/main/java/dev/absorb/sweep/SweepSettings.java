package dev.absorb.sweep;

/**
 * How finely the finder looks: the gap range [0, U] is cut into {@code gridCells} cells whose
 * edges are evaluated; each change of a predicate between two edges is then bisected over the
 * representable gaps in between. {@code curveEvery}-th edges also go to curves.csv.
 *
 * @param gridCells  cells of the grid (more: finer detection of non-monotone bands, more time)
 * @param curveEvery every how many grid edges a curve point is written
 * @param seed       seed of the gauss family and the random target
 * @param offset     added to every logit (DESIGN.md §5's o)
 */
public record SweepSettings(int gridCells, int curveEvery, long seed, double offset) {

    public static final SweepSettings DEFAULT = new SweepSettings(128, 4, 0, 0);

    public SweepSettings {
        if (gridCells < 2 || curveEvery < 1) {
            throw new IllegalArgumentException("grid cells must be >= 2 and curve spacing >= 1");
        }
        if (!Double.isFinite(offset)) {
            throw new IllegalArgumentException("offset must be a finite number, not " + offset);
        }
    }
}
