package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM and CPU a run was measured on, for the header lines of {@code compare} and
 * {@code gate}: from the run's {@code env.json} (written by run-benchmarks.sh next to
 * {@code jmh.json}), where each key may be missing; without env.json, the JVM that JMH names
 * and an unknown CPU. A header is only a label, so an unreadable env.json does not stop a
 * comparison; the header says it was unreadable.
 */
public record Environment(String jvm, String cpu) {

    static final String ENV_JSON = "env.json";
    static final String UNKNOWN = "unknown";

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
        return new Environment(jvm.isEmpty() ? jvmFromJmh : jvm, cpu.isEmpty() ? UNKNOWN : cpu);
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
