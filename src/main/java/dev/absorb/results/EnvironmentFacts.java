package dev.absorb.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code compare} and {@code gate} say about the JVM and CPU a run was measured on: the
 * header labels and the facts whose differences they name, taken from the run's
 * {@link RunEnvironment} where each value may be missing; without env.json, the JVM that JMH
 * names and an unknown CPU. A header is only a label, so an unreadable env.json does not stop a
 * comparison; the header says it was unreadable.
 */
public record EnvironmentFacts(String jvm, String cpu, Map<String, String> facts) {

    static final String UNKNOWN = "unknown";

    /** The facts whose difference makes {@code gate} refuse a pair of runs (unless --cross-env). */
    public static final List<String> GATED = List.of("JVM", "CPU model", "CPU family and model", "ISA level");

    private static final List<String> ORDER = List.of("JVM", "JVM vendor", "CPU model", "CPU family and model", "ISA level",
            "ISA flags", "CPU stepping", "microcode", "vector width", "cores", "SMT", "cgroup CPU limit", "frequency governor",
            "OS", "container", "JVM arguments", "JMH", "commit");

    public EnvironmentFacts(String jvm, String cpu) {
        this(jvm, cpu, jvm == null ? Map.of() : Map.of("JVM", jvm));
    }

    /** The facts of the run whose env.json is {@code envJson}; {@code jvmFromJmh} where it names no JVM. */
    static EnvironmentFacts read(Path envJson, String jvmFromJmh) {
        if (!Files.isRegularFile(envJson)) {
            return new EnvironmentFacts(jvmFromJmh, UNKNOWN);
        }
        RunEnvironment env;
        try {
            env = RunEnvironment.read(envJson);
        } catch (IOException | IllegalArgumentException e) {
            return new EnvironmentFacts(jvmFromJmh, UNKNOWN + " (" + envJson.getFileName() + " unreadable)");
        }
        return of(env, jvmFromJmh);
    }

    static EnvironmentFacts of(RunEnvironment env, String jvmFromJmh) {
        RunEnvironment.Jvm j = env.jvm();
        RunEnvironment.Cpu c = env.cpu();
        Map<String, String> facts = new LinkedHashMap<>();
        String jvmFact = join(j.name(), j.version());
        put(facts, "JVM", jvmFact.isEmpty() ? jvmFromJmh : jvmFact);
        put(facts, "JVM vendor", j.vendor());
        put(facts, "CPU model", c.model());
        put(facts, "CPU family and model", c.familyAndModel());
        put(facts, "ISA level", c.isaLevelOrFromFlags());
        List<String> isa = c.isa() != null ? c.isa() : c.flags() != null ? Isa.relevant(c.flags()) : null;
        put(facts, "ISA flags", isa == null ? null : String.join(" ", isa));
        put(facts, "CPU stepping", text(c.stepping()));
        put(facts, "microcode", c.microcode());
        put(facts, "vector width", text(env.vector().preferredSpeciesBits()));
        put(facts, "cores", text(c.cores()));
        put(facts, "SMT", c.smt() == null ? null : c.smt() ? "on" : "off");
        put(facts, "cgroup CPU limit", text(c.cgroupCpuLimit()));
        put(facts, "frequency governor", c.governor());
        put(facts, "OS", join(env.os().name(), env.os().version(), env.os().arch()));
        put(facts, "container", env.os().container() == null ? null : String.join(", ", env.os().container()));
        if (j.args() != null) {
            put(facts, "JVM arguments", String.join(" ", j.args()));
        }
        if (env.jmh() != null) {
            put(facts, "JMH", join(env.jmh().version(), env.jmh().args() == null ? null : String.join(" ", env.jmh().args())));
        }
        if (env.commit() != null) {
            put(facts, "commit", env.build().commitText());
        }
        String jvm = join(j.name(), j.version(), j.vendor() == null ? null : "(" + j.vendor() + ")");
        String bits = text(env.vector().preferredSpeciesBits());
        String details = String.join(", ", Stream.of(c.familyAndModel(), c.isaLevel(),
                c.cores() == null ? null : c.cores() + " cores").filter(Objects::nonNull).toList());
        String cpu = join(blankAsNull(c.model()), details.isEmpty() ? null : "(" + details + ")",
                bits == null ? null : bits + "-bit vectors");
        if (cpu.isEmpty() && blankAsNull(env.os().arch()) != null) {
            cpu = env.os().arch();
        }
        return new EnvironmentFacts(jvm.isEmpty() ? jvmFromJmh : jvm, cpu.isEmpty() ? UNKNOWN : cpu, Map.copyOf(facts));
    }

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

    private static void put(Map<String, String> facts, String key, String value) {
        if (value != null && !value.isBlank()) {
            facts.put(key, value);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String join(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return String.join(" ", present);
    }
}
