package dev.absorb.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code --format json} of compare and gate: per row each input's median and interval, the
 * ratio to the first input with its interval, the p-value and the row's verdict; a top-level
 * verdict. Numbers that do not exist (an interval too few samples allow) are null, never NaN.
 */
public final class ResultsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    /** Row verdicts of compare: significant at alpha and which way, in time per operation. */
    static String verdict(Comparison.Row row, int input, double alpha) {
        RatioEstimate r = row.ratios().get(input);
        if (r == null) {
            return "missing";
        }
        if (Double.isNaN(r.p()) || RatioEstimate.minimumP(row.scores().get(0).n(), row.scores().get(input).n()) >= alpha) {
            return "untestable";
        }
        if (!r.significant(alpha)) {
            return "unchanged";
        }
        return row.direction().timeFactor(r.ratio()) > 1 ? "slower" : "faster";
    }

    public static String compare(Comparison comparison) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode rows = header(root, comparison);
        boolean anyChange = false;
        for (Comparison.Row row : comparison.rows()) {
            ObjectNode node = row(rows, row);
            ArrayNode ratios = node.putArray("ratios");
            for (int i = 1; i < row.ratios().size(); i++) {
                RatioEstimate r = row.ratios().get(i);
                ObjectNode rn = ratios.addObject();
                rn.put("input", comparison.inputs().get(i).label());
                ratio(rn, r);
                String v = verdict(row, i, comparison.alpha());
                rn.put("verdict", v);
                anyChange |= v.equals("slower") || v.equals("faster");
            }
        }
        unmatched(root, comparison);
        root.put("verdict", anyChange ? "different" : "no significant difference");
        return write(root);
    }

    public static String gate(Gate.Result result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("verdict", result.failed() ? "fail" : "pass");
        ArrayNode problems = root.putArray("problems");
        result.problems().forEach(problems::add);
        number(root, "max_slowdown", result.maxSlowdown());
        ArrayNode rows = header(root, result.comparison());
        for (Gate.Verdict v : result.verdicts()) {
            ObjectNode node = row(rows, v.row());
            ratio(node, v.ratio());
            number(node, "slowdown", v.slowdown());
            number(node, "slowdown_low", v.slowdownLow());
            number(node, "slowdown_high", v.slowdownHigh());
            node.put("verdict", v.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        ArrayNode allocation = root.putArray("allocation");
        for (Allocation.Row a : result.allocation()) {
            ObjectNode n = allocation.addObject();
            n.put("benchmark", a.key().toString());
            number(n, "baseline_bytes_per_op", a.baseline());
            number(n, "current_bytes_per_op", a.current());
            n.put("verdict", a.failed() ? "growth" : "within allowance");
        }
        ArrayNode missing = root.putArray("missing");
        result.missing().forEach(u -> missing.add(u.key().toString()));
        if (result.thresholds() != null) {
            Thresholds.Check t = result.thresholds();
            ObjectNode tn = root.putObject("thresholds");
            tn.put("compared", t.common());
            tn.put("only_in_baseline", t.onlyInBaseline());
            tn.put("only_in_current", t.onlyInCurrent());
            tn.put("changed", t.changes().size());
        }
        return write(root);
    }

    private static ArrayNode header(ObjectNode root, Comparison comparison) {
        number(root, "alpha", comparison.alpha());
        ArrayNode inputs = root.putArray("inputs");
        for (RunInput in : comparison.inputs()) {
            ObjectNode n = inputs.addObject();
            n.put("label", in.label());
            n.put("source", in.sourceText());
            if (in.pooled()) {
                ArrayNode pooled = n.putArray("pooled_from");
                in.sources().forEach(s -> pooled.add(s.toString()));
                n.put("pooling", RunInput.POOLING);
            }
            n.put("jvm", in.environment().jvm());
            n.put("cpu", in.environment().cpu());
        }
        ArrayNode environment = root.putArray("environment_differences");
        EnvironmentFacts.differences(comparison.inputs(), null).forEach(environment::add);
        String forks = RunInputs.singleForkWarning(comparison.inputs());
        if (forks != null) {
            root.put("warning", forks);
        }
        return root.putArray("rows");
    }

    private static ObjectNode row(ArrayNode rows, Comparison.Row row) {
        ObjectNode node = rows.addObject();
        node.put("benchmark", row.key().benchmark());
        node.put("mode", row.key().mode());
        ObjectNode params = node.putObject("params");
        row.key().params().forEach(params::put);
        node.put("unit", row.unit());
        node.put("samples", row.samples().toString());
        ArrayNode scores = node.putArray("scores");
        for (SampleSummary s : row.scores()) {
            if (s == null) {
                scores.addNull();
                continue;
            }
            ObjectNode sn = scores.addObject();
            number(sn, "median", s.median());
            number(sn, "low", s.low());
            number(sn, "high", s.high());
            sn.put("n", s.n());
        }
        return node;
    }

    private static void ratio(ObjectNode node, RatioEstimate r) {
        if (r == null) {
            node.putNull("ratio");
            return;
        }
        number(node, "ratio", r.ratio());
        number(node, "ratio_low", r.low());
        number(node, "ratio_high", r.high());
        number(node, "p", r.p());
    }

    private static void unmatched(ObjectNode root, Comparison comparison) {
        ArrayNode unmatched = root.putArray("unmatched");
        for (Comparison.Unmatched u : comparison.unmatched()) {
            ObjectNode n = unmatched.addObject();
            n.put("benchmark", u.key().toString());
            ArrayNode in = n.putArray("present_in");
            u.presentIn().forEach(in::add);
        }
    }

    private static void number(ObjectNode node, String field, double x) {
        if (Double.isFinite(x)) {
            node.put(field, x);
        } else {
            node.putNull(field);
        }
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
