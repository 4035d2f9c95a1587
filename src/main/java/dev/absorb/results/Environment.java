package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JVM and CPU a run was measured on, for the header lines of {@code compare} and
 * {@code gate}: from the run's {@code env.json} (written by run-benchmarks.sh next to
 * {@code jmh.json}), where each key may be missing; without env.json, the JVM that JMH names
 * and an unknown CPU. A header is only a label, so an unreadable env.json does not stop a
 * comparison; the header says it was unreadable.
 */
public record Environment(String jvm, String cpu, Map<String, String> facts) {

    static final String ENV_JSON = "env.json";
    static final String UNKNOWN = "unknown";

    /** The facts whose difference makes {@code gate} refuse a pair of runs (unless --cross-env). */
    public static final List<String> GATED = List.of("JVM", "CPU model");

    public Environment(String jvm, String cpu) {
        this(jvm, cpu, jvm == null ? Map.of() : Map.of("JVM", jvm));
    }

    static Environment read(Path envJson, String jvmFromJmh) {
        if (!Files.isRegularFile(envJson)) {
            return new Environment(jvmFromJmh, UNKNOWN);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(envJson));
        } catch (IOException e) {
            return new Environment(jvmFromJmh, UNKNOWN + " (" + envJson.getFileName() + " unreadable)");
        }
        if (root == null || !root.isObject()) {
            return new Environment(jvmFromJmh, UNKNOWN + " (" + envJson.getFileName() + " is not an object)");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        JsonNode j = root.path("jvm");
        String jvmFact = join(text(j, "name"), text(j, "version"));
        put(facts, "JVM", jvmFact.isEmpty() ? jvmFromJmh : jvmFact);
        put(facts, "JVM vendor", text(j, "vendor"));
        put(facts, "CPU model", text(root.path("cpu"), "model"));
        put(facts, "vector width", text(root.path("vector"), "preferred_species_bits"));
        JsonNode os = root.path("os");
        put(facts, "OS", join(text(os, "name"), text(os, "version"), text(os, "arch")));
        if (j.path("args").isArray()) {
            List<String> args = new ArrayList<>();
            j.path("args").forEach(a -> args.add(a.asText()));
            put(facts, "JVM arguments", String.join(" ", args));
        }
        put(facts, "commit", text(root, "commit") != null ? text(root, "commit") : text(root, "absorb_commit"));
        JsonNode jvmNode = root.path("jvm");
        String jvm = join(text(jvmNode, "name"), text(jvmNode, "version"),
                parenthesised(text(jvmNode, "vendor")));
        JsonNode cpuNode = root.path("cpu");
        JsonNode vector = root.path("vector");
        String bits = text(vector, "preferred_species_bits");
        String cores = text(cpuNode, "cores");
        String cpu = join(text(cpuNode, "model"), cores == null ? null : "(" + cores + " cores)",
                bits == null ? null : bits + "-bit vectors");
        String arch = text(root.path("os"), "arch");
        if (cpu.isEmpty() && arch != null) {
            cpu = arch;
        }
        return new Environment(jvm.isEmpty() ? jvmFromJmh : jvm, cpu.isEmpty() ? UNKNOWN : cpu, Map.copyOf(facts));
    }

    private static void put(Map<String, String> facts, String key, String value) {
        if (value != null && !value.isEmpty()) {
            facts.put(key, value);
        }
    }

    private static final List<String> ORDER = List.of("JVM", "JVM vendor", "CPU model", "vector width", "OS", "JVM arguments", "commit");

    /**
     * Where the inputs' environments differ, one line per fact in {@link #ORDER}
     * ({@code CPU model: A AMD EPYC; B Intel Xeon}); a fact no input knows is skipped, one that
     * only some know is shown as unknown for the others. {@code only}: the facts to look at
     * (null: all).
     */
    public static List<String> differences(List<RunInput> inputs, List<String> only) {
        List<String> lines = new ArrayList<>();
        for (String key : ORDER) {
            if (only != null && !only.contains(key)) {
                continue;
            }
            Set<String> values = new LinkedHashSet<>();
            for (RunInput in : inputs) {
                values.add(in.environment().facts().getOrDefault(key, UNKNOWN));
            }
            if (values.size() < 2 || (only != null && values.contains(UNKNOWN))) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (RunInput in : inputs) {
                parts.add(in.label() + " " + in.environment().facts().getOrDefault(key, UNKNOWN));
            }
            lines.add(key + " differs: " + String.join("; ", parts));
        }
        return lines;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String parenthesised(String text) {
        return text == null ? null : "(" + text + ")";
    }

    private static String join(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null) {
                present.add(part);
            }
        }
        return String.join(" ", present);
    }
}
