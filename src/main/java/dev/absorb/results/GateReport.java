package dev.absorb.results;

import dev.absorb.format.DecimalText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The markdown summary of a gate run (what a CI job shows as its step summary): the verdict,
 * both runs' JVM and CPU, the rule, then regressions, changed thresholds, slower rows within
 * the allowance, improvements, and the rows that were not compared.
 */
public final class GateReport {

    /** Longer lists are cut (a kernel change can move every one of 1284 thresholds). */
    static final int MAX_LISTED = 50;

    private GateReport() {
    }

    public static String markdown(Gate.Result result, String normalizedTo) {
        Comparison comparison = result.comparison();
        StringBuilder out = new StringBuilder();
        List<Gate.Verdict> regressions = result.of(Gate.Kind.REGRESSION);
        int changed = result.thresholds() == null ? 0 : result.thresholds().changes().size();
        List<String> problems = result.problems();
        out.append("## absorb gate: ").append(result.failed() ? "FAIL (" + String.join(", ", problems) + ")" : "PASS").append("\n\n");

        for (RunInput input : comparison.inputs()) {
            out.append("- ").append(input.label()).append(": `").append(input.sourceText()).append("` (JVM: ")
                    .append(ComparisonReport.markdownText(input.environment().jvm())).append("; CPU: ")
                    .append(ComparisonReport.markdownText(input.environment().cpu())).append(")\n");
        }
        for (String difference : EnvironmentFacts.differences(comparison.inputs(), null)) {
            out.append("- ").append(ComparisonReport.markdownText(difference)).append('\n');
        }
        String forks = RunInputs.singleForkWarning(comparison.inputs());
        if (forks != null) {
            out.append("- ").append(forks).append('\n');
        }
        String confidence = ComparisonReport.percent(1 - comparison.alpha());
        out.append("- rule: a benchmark fails when it is significantly slower (two-sided Mann-Whitney U, p < ")
                .append(DecimalText.format(comparison.alpha())).append(") and the ").append(confidence)
                .append(" interval of its slowdown (time per operation) lies above ")
                .append(percent(result.maxSlowdown())).append("\n");
        ComparisonReport report = new ComparisonReport(comparison, normalizedTo);
        int tested = comparison.rows().size() - result.untested().size();
        out.append("- checked: ").append(count(tested, "benchmark")).append(" of the baseline's ")
                .append(comparison.rows().size() + result.missing().size()).append("; not checked: ")
                .append(result.missing().size()).append(" missing in the current run")
                .append(result.allowances().missing() ? " (allowed)" : "").append(", ")
                .append(result.untested().size()).append(" with too few samples")
                .append(result.allowances().untested() ? " (allowed)" : "").append("\n");
        out.append("- samples: ").append(report.samplesText()).append("\n");
        if (normalizedTo != null) {
            out.append("- every score divided by ").append(ComparisonReport.markdownText(normalizedTo))
                    .append(" of the same run, sample by sample\n");
        }
        Thresholds.Check thresholds = result.thresholds();
        if (thresholds != null) {
            out.append("- thresholds: ").append(thresholds.common()).append(" configurations compared ")
                    .append(thresholds.tolerance() == 0 ? "exactly" : "with relative tolerance " + DecimalText.format(thresholds.tolerance()))
                    .append(" (").append(thresholds.onlyInBaseline()).append(" only in the baseline, ")
                    .append(thresholds.onlyInCurrent()).append(" only in the current run)\n");
        }

        verdictTable(out, report, "Regressions", regressions);
        if (thresholds != null && changed > 0) {
            out.append("\n### Changed thresholds (").append(changed).append(")\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (Thresholds.Change c : thresholds.changes().subList(0, Math.min(changed, MAX_LISTED))) {
                List<String> cells = new ArrayList<>(c.configuration());
                cells.addAll(List.of(c.column(), blankAsDash(c.baseline()), blankAsDash(c.current())));
                rows.add(cells);
            }
            List<String> columns = new ArrayList<>(Thresholds.KEY);
            columns.addAll(List.of("column", "baseline", "current"));
            ComparisonReport.appendMarkdownTable(out, columns, rows);
            if (changed > MAX_LISTED) {
                out.append("\n… and ").append(changed - MAX_LISTED).append(" more\n");
            }
        }
        if (!result.allocation().isEmpty()) {
            out.append("\n### Allocation per operation (gc.alloc.rate.norm, ").append(result.allocation().size())
                    .append(" checked, ").append(result.allocationGrowths().size()).append(" grew beyond the allowance)\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (Allocation.Row a : result.allocationGrowths()) {
                rows.add(List.of(ComparisonReport.markdownText(a.key().toString()), DecimalText.format(a.baseline()) + " B/op",
                        DecimalText.format(a.current()) + " B/op"));
            }
            if (!rows.isEmpty()) {
                ComparisonReport.appendMarkdownTable(out, List.of("benchmark", "baseline", "current"), rows);
            }
        }
        verdictTable(out, report, "Slower, within the allowed " + percent(result.maxSlowdown()),
                result.of(Gate.Kind.SLOWER_WITHIN_ALLOWANCE));
        verdictTable(out, report, "Improvements", result.of(Gate.Kind.IMPROVEMENT));

        out.append("\n### Not compared\n\n");
        int unchanged = result.of(Gate.Kind.UNCHANGED).size();
        out.append("- ").append(count(unchanged, "benchmark")).append(" without a significant change\n");
        for (Gate.Verdict v : result.of(Gate.Kind.UNTESTABLE)) {
            SampleSummary base = v.row().scores().get(0);
            SampleSummary current = v.row().scores().get(1);
            out.append("- cannot be tested: ").append(ComparisonReport.markdownText(name(report, v.row().key())));
            if (current != null) {
                out.append(" (").append(base.n()).append(" + ").append(current.n()).append(" samples: the smallest possible p is ")
                        .append(Numbers.p(RatioEstimate.minimumP(base.n(), current.n()))).append(")\n");
            } else {
                out.append(" (missing in the current run)\n");
            }
        }
        for (Comparison.Unmatched u : comparison.unmatched()) {
            String where = u.presentIn().contains(comparison.inputs().get(0).label()) ? "only in the baseline" : "only in the current run";
            out.append("- ").append(where).append(": ").append(ComparisonReport.markdownText(name(report, u.key()))).append('\n');
        }
        return out.toString();
    }

    private static void verdictTable(StringBuilder out, ComparisonReport report, String title, List<Gate.Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return;
        }
        out.append("\n### ").append(title).append(" (").append(verdicts.size()).append(")\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (Gate.Verdict v : verdicts) {
            Comparison.Row row = v.row();
            rows.add(List.of(report.rowName(row.key()), row.key().paramText(), row.key().mode() + ", " + row.unit(),
                    Cells.score(row.scores().get(0)), Cells.score(row.scores().get(1)), Cells.ratio(v.ratio()),
                    Cells.timeChange(v.ratio().ratio(), row.direction()) + " " + slowdownInterval(v), Numbers.p(v.ratio().p())));
        }
        ComparisonReport.appendMarkdownTable(out, List.of("benchmark", "params", "mode, unit", "baseline", "current",
                "current/baseline", "slowdown", "p"), rows);
    }

    private static String slowdownInterval(Gate.Verdict v) {
        if (Double.isNaN(v.slowdownLow())) {
            return "[n/a]";
        }
        return String.format(Locale.ROOT, "[%+.1f %%, %+.1f %%]", 100 * v.slowdownLow(), 100 * v.slowdownHigh());
    }

    private static String name(ComparisonReport report, BenchmarkKey key) {
        return report.rowName(key) + (key.params().isEmpty() ? "" : " [" + key.paramText() + "]") + " (" + key.mode() + ")";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String percent(double fraction) {
        return Numbers.percent(fraction, 6);
    }

    private static String blankAsDash(String cell) {
        return cell.isEmpty() ? "(empty)" : cell;
    }
}
