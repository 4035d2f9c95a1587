package dev.absorb.report;

import dev.absorb.results.BenchmarkKey;
import dev.absorb.results.JmhRow;
import dev.absorb.results.Direction;
import dev.absorb.results.RatioEstimate;
import dev.absorb.results.RunInput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compared run against the report's run: the ratio rows (the comparison plot's input), the
 * rows only one of the two runs has, and the forest plots drawn from them (none without rows). The
 * statistics are {@code compare}'s ({@link dev.absorb.results.Comparison}: Hodges–Lehmann ratio
 * with the Mann–Whitney interval, significant at {@link #ALPHA}), so the report and
 * {@code compare} never disagree about a row.
 */
record ComparedRun(Run base, Run other, List<RatioRow> rows, List<String> unmatched, List<Figure> figures) {

    static final double ALPHA = 0.05;
    private static final String BASE = "base";
    private static final String COMPARED = "compared";

    /** The ratio rows of two runs' JMH results, and the names of the rows only one of them has. */
    record Ratios(List<RatioRow> rows, List<String> unmatched) {
    }

    static ComparedRun of(Run base, Run other) {
        Ratios ratios = ratios(base.benchmarks(), other.benchmarks());
        String baseLabel = base.label();
        String otherLabel = other.label();
        if (baseLabel.equals(otherLabel)) {
            baseLabel = base.name();
            otherLabel = other.name();
        }
        List<Figure> figures = Charts.comparison("comparison-" + other.name(),
                otherLabel + " vs " + baseLabel, "time ratio " + otherLabel + " / " + baseLabel + " (×, log scale)", ratios.rows());
        return new ComparedRun(base, other, ratios.rows(), ratios.unmatched(), figures);
    }

    /**
     * Rows matched by benchmark, mode and parameters: the time ratio compared / base (throughput
     * inverted, so above 1 is always slower) with its 95 % interval, in the base run's order.
     */
    static Ratios ratios(List<JmhRow> base, List<JmhRow> compared) {
        RunInput baseInput = input(BASE, base);
        RunInput comparedInput = input(COMPARED, compared);
        Set<BenchmarkKey> common = keys(baseInput);
        common.retainAll(keys(comparedInput));
        List<String> unmatched = new ArrayList<>();
        List<RatioRow> rows = new ArrayList<>();
        if (common.isEmpty()) {
            baseInput.rows().forEach(r -> unmatched.add(rowName(r.key()) + " (base run only)"));
            comparedInput.rows().forEach(r -> unmatched.add(rowName(r.key()) + " (compared run only)"));
            return new Ratios(List.of(), List.copyOf(unmatched));
        }
        dev.absorb.results.Comparison comparison = dev.absorb.results.Comparison.of(List.of(baseInput, comparedInput), ALPHA);
        for (dev.absorb.results.Comparison.Row row : comparison.rows()) {
            RatioEstimate r = row.ratios().get(1);
            if (r != null) {
                Direction direction = row.direction();
                double one = direction.timeFactor(r.low());
                double other = direction.timeFactor(r.high());
                rows.add(r.hasInterval()
                        ? new RatioRow(rowName(row.key()), direction.timeFactor(r.ratio()), Math.min(one, other), Math.max(one, other), r.significant(ALPHA))
                        : new RatioRow(rowName(row.key()), direction.timeFactor(r.ratio()), Double.NaN, Double.NaN, r.significant(ALPHA)));
            }
        }
        for (dev.absorb.results.Comparison.Unmatched u : comparison.unmatched()) {
            unmatched.add(rowName(u.key()) + (u.presentIn().contains(BASE) ? " (base run only)" : " (compared run only)"));
        }
        return new Ratios(List.copyOf(rows), List.copyOf(unmatched));
    }

    private static RunInput input(String label, List<JmhRow> results) {
        return new RunInput(label, null, List.copyOf(results), null, null);
    }

    private static Set<BenchmarkKey> keys(RunInput input) {
        Set<BenchmarkKey> keys = new HashSet<>();
        input.rows().forEach(r -> keys.add(r.key()));
        return keys;
    }

    private static String rowName(BenchmarkKey key) {
        return key.rowName();
    }
}
