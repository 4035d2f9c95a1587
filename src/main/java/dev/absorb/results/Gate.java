package dev.absorb.results;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict of {@code gate}: a benchmark is a regression when it is significantly slower
 * than the baseline (two-sided Mann–Whitney U, p &lt; alpha) and the whole confidence interval
 * of its slowdown lies above the allowed slowdown — the lower bound, not the point estimate,
 * has to exceed it, so run-to-run noise that merely looks like a slowdown does not fail a
 * build. Slowdowns are in time per operation (mode-aware). With {@code --thresholds} a changed
 * absorption threshold fails the gate too. docs/decisions.md "gate: when it fails".
 */
public final class Gate {

    /** What one row amounts to. */
    public enum Kind {
        /** significantly slower, beyond the allowance: fails the gate */
        REGRESSION,
        /** significantly slower, but not surely beyond the allowance */
        SLOWER_WITHIN_ALLOWANCE,
        /** significantly faster */
        IMPROVEMENT,
        /** not significant */
        UNCHANGED,
        /** too few samples for the test to reach alpha (or a row the current run lacks) */
        UNTESTABLE
    }

    /**
     * One row's verdict; slowdown, slowdownLow and slowdownHigh are time-per-operation factors
     * minus 1 (0.12 = 12 % slower), NaN where they do not exist.
     */
    public record Verdict(Comparison.Row row, Kind kind, double slowdown, double slowdownLow, double slowdownHigh) {

        public RatioEstimate ratio() {
            return row.ratios().get(1);
        }
    }

    /** Every verdict, and the thresholds check (null without --thresholds). */
    public record Result(Comparison comparison, double maxSlowdown, List<Verdict> verdicts, Thresholds.Check thresholds) {

        public List<Verdict> of(Kind kind) {
            return verdicts.stream().filter(v -> v.kind() == kind).toList();
        }

        public boolean failed() {
            return !of(Kind.REGRESSION).isEmpty() || (thresholds != null && !thresholds.changes().isEmpty());
        }
    }

    private Gate() {
    }

    /** Judges a two-input comparison (baseline, current). */
    public static Result evaluate(Comparison comparison, double maxSlowdown, Thresholds.Check thresholds) {
        double alpha = comparison.alpha();
        List<Verdict> verdicts = new ArrayList<>();
        for (Comparison.Row row : comparison.rows()) {
            RatioEstimate r = row.ratios().get(1);
            if (r == null) {
                verdicts.add(new Verdict(row, Kind.UNTESTABLE, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            Direction direction = row.direction();
            double slowdown = direction.timeFactor(r.ratio()) - 1;
            // for throughput the time factor is 1/ratio, so the interval's ends swap
            double low = r.hasInterval() ? Math.min(direction.timeFactor(r.low()), direction.timeFactor(r.high())) - 1 : Double.NaN;
            double high = r.hasInterval() ? Math.max(direction.timeFactor(r.low()), direction.timeFactor(r.high())) - 1 : Double.NaN;
            Kind kind;
            if (RatioEstimate.minimumP(row.scores().get(0).n(), row.scores().get(1).n()) >= alpha) {
                kind = Kind.UNTESTABLE;
            } else if (!r.significant(alpha)) {
                kind = Kind.UNCHANGED;
            } else if (slowdown <= 0) {
                kind = Kind.IMPROVEMENT;
            } else if (low > maxSlowdown) {
                kind = Kind.REGRESSION;
            } else {
                kind = Kind.SLOWER_WITHIN_ALLOWANCE;
            }
            verdicts.add(new Verdict(row, kind, slowdown, low, high));
        }
        return new Result(comparison, maxSlowdown, List.copyOf(verdicts), thresholds);
    }
}
