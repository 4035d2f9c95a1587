package dev.absorb.safe;

import dev.absorb.accuracy.AccuracyResult;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code absorb safe} prints: the safe recipes, cheapest first (then those without a cost, in
 * candidate order), each with its cost and its worst accuracy figures; then how many candidates
 * were ruled out and why, or each of them with {@code rejected}.
 */
public final class SafeReport {

    private SafeReport() {
    }

    /** The safe verdicts, cheapest first; those without a cost keep their order after the rest. */
    static List<Verdict> cheapestFirst(List<Verdict> verdicts, RecipeCosts costs) {
        List<Verdict> safe = new ArrayList<>(verdicts.stream().filter(Verdict::safe).toList());
        safe.sort(Comparator.comparingDouble(v -> {
            RecipeCosts.Cost c = costs.costs().get(v.recipe().toString());
            return c == null ? Double.POSITIVE_INFINITY : c.nanos();
        }));
        return safe;
    }

    public static void print(PrintWriter out, int classes, double gap, List<Verdict> verdicts, RecipeCosts costs,
                             boolean rejected) {
        List<Verdict> safe = cheapestFirst(verdicts, costs);
        out.println("safe at C = " + classes + " up to gap " + SafeQuery.text(gap) + ": " + safe.size() + " of "
                + verdicts.size() + " recipes neither absorb nor break accuracy (family flat, targets first and last; "
                + "docs/accuracy.md)");
        out.println(costs.folder() == null ? "costs: not measured (no run folder with " + RecipeCosts.JMH
                + " and KernelBenchmark.fused results)"
                : "costs: KernelBenchmark.fused in ns per call (JMH score ± its 99.9 % error) from " + costs.folder());
        out.println();
        if (!safe.isEmpty()) {
            int width = Math.max(6, safe.stream().mapToInt(v -> v.recipe().toString().length()).max().orElse(6));
            out.println(String.format("%-" + width + "s %20s %8s %15s %10s %10s", "recipe", "cost (ns/op)", "JMH C",
                    "gradient error", "residual", "lse error"));
            for (Verdict v : safe) {
                RecipeCosts.Cost c = costs.costs().get(v.recipe().toString());
                AccuracyResult a = v.accuracy();
                out.println(String.format("%-" + width + "s %20s %8s %15s %10s %10s", v.recipe(),
                        c == null ? "not measured" : three(c.nanos()) + (Double.isNaN(c.error()) ? "" : " ± " + three(c.error())),
                        c == null ? "" : String.valueOf(c.classes()), largest(a.gradient()), largest(a.residual()),
                        largest(a.lse())));
            }
            out.println();
        }
        long absorbing = verdicts.stream().filter(v -> !v.safe() && v.accuracy() == null).count();
        long inaccurate = verdicts.stream().filter(v -> !v.safe() && v.accuracy() != null).count();
        out.println("not safe: " + absorbing + " absorb up to gap " + SafeQuery.text(gap) + " (or have no gradient), "
                + inaccurate + " break accuracy" + (rejected ? ":" : " (--rejected lists them with the reason)"));
        if (rejected) {
            for (Verdict v : verdicts) {
                if (!v.safe()) {
                    out.println("  " + v.recipe() + ": " + v.reason());
                }
            }
        }
    }

    private static String largest(AccuracyResult.Measure m) {
        return m.largest() == null ? "-" : three(m.largest().value());
    }

    private static String three(double x) {
        if (x != 0 && Math.abs(x) < 1e-4) {
            return String.format(java.util.Locale.ROOT, "%.2e", x);
        }
        return new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
