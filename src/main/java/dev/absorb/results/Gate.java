package dev.absorb.results;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict of {@code gate}: a benchmark is a regression when it is significantly slower
 * than the baseline (two-sided Mann–Whitney U, p &lt; alpha) and the whole confidence interval
 * of its slowdown lies above the allowed slowdown — the lower bound, not the point estimate,
 * has to exceed it, so run-to-run noise that merely looks like a slowdown does not fail a
 * build. Slowdowns are in time per operation (mode-aware). With {@code --thresholds} a changed
 * absorption threshold fails the gate too. A gate that could not check something does not pass:
 * a row of the baseline missing in the current run, or a row with too few samples to test, fails
 * it unless allowed ({@link Allowances}). docs/decisions.md "gate: when it fails".
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

    /**
     * What may go unchecked without failing: rows of the baseline that the current run lacks
     * (benchmarks, and thresholds.csv configurations), and rows with too few samples to test.
     */
    public record Allowances(boolean missing, boolean untested) {
        public static final Allowances NONE = new Allowances(false, false);
    }

    /** Every verdict, and the thresholds check (null without --thresholds). */
    public record Result(Comparison comparison, double maxSlowdown, List<Verdict> verdicts, Thresholds.Check thresholds,
                         Allowances allowances, List<Allocation.Row> allocation) {

        public Result withAllocation(List<Allocation.Row> rows) {
            return new Result(comparison, maxSlowdown, verdicts, thresholds, allowances, List.copyOf(rows));
        }

        public List<Allocation.Row> allocationGrowths() {
            return allocation.stream().filter(Allocation.Row::failed).toList();
        }

        public List<Verdict> of(Kind kind) {
            return verdicts.stream().filter(v -> v.kind() == kind).toList();
        }

        /** Benchmarks of the baseline that the current run lacks. */
        public List<Comparison.Unmatched> missing() {
            String baseline = comparison.inputs().get(0).label();
            return comparison.unmatched().stream().filter(u -> u.presentIn().contains(baseline)).toList();
        }

        /** thresholds.csv configurations of the baseline that the current run lacks (0 without --thresholds). */
        public int missingThresholds() {
            return thresholds == null ? 0 : thresholds.onlyInBaseline();
        }

        /** Rows of both runs that could not be tested at alpha. */
        public List<Verdict> untested() {
            return of(Kind.UNTESTABLE);
        }

        /** Why the gate fails, one phrase each (empty: it passes). */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            int regressions = of(Kind.REGRESSION).size();
            if (regressions > 0) {
                problems.add(count(regressions, "regression"));
            }
            if (thresholds != null && !thresholds.changes().isEmpty()) {
                problems.add(count(thresholds.changes().size(), "changed threshold"));
            }
            if (!allocationGrowths().isEmpty()) {
                problems.add(count(allocationGrowths().size(), "allocation growth"));
            }
            if (!allowances.missing() && !missing().isEmpty()) {
                problems.add(count(missing().size(), "benchmark") + " missing in the current run");
            }
            if (!allowances.missing() && missingThresholds() > 0) {
                problems.add(count(missingThresholds(), "threshold row") + " missing in the current run");
            }
            if (!allowances.untested() && !untested().isEmpty()) {
                problems.add(count(untested().size(), "benchmark") + " not testable");
            }
            return problems;
        }

        public boolean failed() {
            return !problems().isEmpty();
        }
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private Gate() {
    }

    /** Judges a two-input comparison (baseline, current), allowing nothing to go unchecked. */
    public static Result evaluate(Comparison comparison, double maxSlowdown, Thresholds.Check thresholds) {
        return evaluate(comparison, maxSlowdown, thresholds, Allowances.NONE);
    }

    /** Judges a two-input comparison (baseline, current). */
    public static Result evaluate(Comparison comparison, double maxSlowdown, Thresholds.Check thresholds, Allowances allowances) {
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
        return new Result(comparison, maxSlowdown, List.copyOf(verdicts), thresholds, allowances, List.of());
    }
}
