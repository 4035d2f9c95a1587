package dev.absorb.report;

import java.util.List;

/**
 * A compared run against the report's run: the ratio rows (the comparison plot's input), the
 * rows only one of the two runs has, and the plot drawn from them (null without rows).
 */
record Comparison(Run base, Run other, List<RatioRow> rows, List<String> unmatched, Figure figure) {

    static Comparison of(Run base, Run other) {
        List<RatioRow> rows = BootstrapRatio.compare(base.benchmarks(), other.benchmarks());
        List<String> unmatched = BootstrapRatio.unmatched(base.benchmarks(), other.benchmarks());
        String baseLabel = base.label();
        String otherLabel = other.label();
        if (baseLabel.equals(otherLabel)) {
            baseLabel = base.name();
            otherLabel = other.name();
        }
        Figure figure = rows.isEmpty() ? null : Charts.comparison("comparison-" + other.name(), otherLabel + " vs " + baseLabel,
                "time ratio " + otherLabel + " / " + baseLabel + " (×)", rows);
        return new Comparison(base, other, rows, unmatched, figure);
    }
}
