package dev.absorb.job;

import dev.absorb.results.JmhRow;
import dev.absorb.results.Numbers;
import dev.absorb.results.RunEnvironment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * summary.md of a run: what ran where and how long, the sweep's delta_abs table, the gap sweeps
 * (time per element against the gap: the subnormal question, DESIGN.md §6) and every score.
 */
public final class RunSummary {

    /** CPU flags worth naming in one line (the rest are in env.json). */
    private static final List<String> NOTABLE_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
            "avx512_bf16", "avx512_fp16", "asimd", "fphp", "sve", "sve2");

    private RunSummary() {
    }

    /**
     * @param sweepTable the sweep's delta_abs table as the sweep command prints it, or null if the
     *                   run had no sweep
     * @param timings    e.g. {@code took 12:41 (sweep 1:12, JMH 11:29)}
     */
    public static String markdown(String runName, RunEnvironment env, String timings, String sweepTable, List<JmhRow> scores) {
        StringBuilder md = new StringBuilder();
        md.append("# absorb run ").append(runName).append("\n\n");
        md.append("- profile ").append(env.profile()).append(", absorb ").append(env.absorbVersion()).append(" (commit ")
                .append(env.build().commitText()).append("), started ")
                .append(env.startedUtc()).append(", ").append(timings).append('\n');
        md.append("- JVM: ").append(env.jvm().vendor()).append(' ').append(env.jvm().name()).append(' ')
                .append(env.jvm().version()).append('\n');
        List<String> flags = new ArrayList<>(NOTABLE_FLAGS);
        flags.retainAll(env.cpu().flags() == null ? List.of() : env.cpu().flags());
        String id = env.cpu().familyAndModel() == null ? "" : " (" + env.cpu().familyAndModel()
                + (env.cpu().stepping() == null ? "" : " stepping " + env.cpu().stepping())
                + (env.cpu().microcode() == null ? "" : ", microcode " + env.cpu().microcode()) + ")";
        md.append("- CPU: ").append(env.cpu().model()).append(id).append(", ").append(env.cpu().cores()).append(" cores")
                .append(flags.isEmpty() ? "" : ", " + String.join(" ", flags)).append("; Vector API: ")
                .append(env.vector().preferredSpeciesBits()).append(" bits (").append(env.vector().floatLanes())
                .append(" float lanes)\n");
        md.append("- files: env.json, ").append(sweepTable == null ? "" : "thresholds.csv, curves.csv, ")
                .append("jmh.json (as JMH wrote it), jmh.log (JMH's text output)\n");

        if (sweepTable != null) {
            md.append("\n## Absorption thresholds\n\n```\n").append(sweepTable.stripTrailing()).append("\n```\n");
        }
        for (String benchmark : List.of("SubnormalBenchmark", "ExpBenchmark")) {
            String table = byGap(scores, benchmark);
            if (table != null) {
                md.append("\n## ").append(benchmark).append(": ns per element against the gap\n\n").append(table);
            }
        }
        md.append("\n## Every score\n\nJMH's score ± its 99.9 % error; ns per element is the score divided by `classes`.\n\n");
        md.append("| benchmark | params | score | unit | ns per element |\n|---|---|---|---|---|\n");
        for (JmhRow s : scores) {
            String perElement = s.params().containsKey("classes") && s.unit().equals("ns/op")
                    ? Numbers.readable(s.score() / Double.parseDouble(s.params().get("classes"))) : "";
            md.append("| ").append(s.shortName()).append(" | ").append(s.key().paramText()).append(" | ")
                    .append(Numbers.withError(s.score(), s.scoreError())).append(" | ").append(s.unit()).append(" | ")
                    .append(perElement).append(" |\n");
        }
        return md.toString();
    }

    /**
     * One row per method and params other than the gap, one column per gap, in ns per element;
     * null if the run has no gaps of that benchmark.
     */
    static String byGap(List<JmhRow> scores, String benchmarkClass) {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        TreeMap<Double, String> gapOrder = new TreeMap<>();
        for (JmhRow s : scores) {
            if (!s.shortName().startsWith(benchmarkClass + ".") || !s.params().containsKey("gap") || !s.unit().equals("ns/op")) {
                continue;
            }
            Map<String, String> rest = new TreeMap<>(s.params());
            String gap = rest.remove("gap");
            double perElement = rest.containsKey("classes") ? s.score() / Double.parseDouble(rest.get("classes")) : s.score();
            String row = s.shortName().substring(benchmarkClass.length() + 1) + " " + rest.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            rows.computeIfAbsent(row.trim(), k -> new LinkedHashMap<>()).put(gap, Numbers.readable(perElement));
            gapOrder.put(Double.parseDouble(gap), gap);
        }
        if (rows.isEmpty()) {
            return null;
        }
        Collection<String> gaps = gapOrder.values();
        StringBuilder t = new StringBuilder("| |");
        gaps.forEach(g -> t.append(" gap ").append(g).append(" |"));
        t.append("\n|---|").append("---:|".repeat(gaps.size())).append('\n');
        for (Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
            t.append("| ").append(row.getKey()).append(" |");
            for (String g : gaps) {
                t.append(' ').append(row.getValue().getOrDefault(g, "")).append(" |");
            }
            t.append('\n');
        }
        return t.toString();
    }
}
