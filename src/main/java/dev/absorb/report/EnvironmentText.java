package dev.absorb.report;

import dev.absorb.results.RunEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How report.md names the machine of a run, from whatever its env.json holds; a missing value is left out. */
final class EnvironmentText {

    /** CPU flags that decide how fast emulated rounding and exp run; the rest of /proc/cpuinfo's list is noise here. */
    private static final Set<String> SIMD_FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
            "avx512vl", "avx512_fp16", "avx512_bf16", "amx_bf16", "amx_fp16", "asimd", "sve", "sve2", "bf16", "fphp");

    private EnvironmentText() {
    }

    /** "OpenJDK 64-Bit Server VM 17.0.13 (Eclipse Adoptium)". */
    static String jvm(RunEnvironment env) {
        RunEnvironment.Jvm jvm = env.jvm();
        String text = join(" ", jvm.name(), jvm.version());
        if (jvm.vendor() != null) {
            text = text.isEmpty() ? jvm.vendor() : text + " (" + jvm.vendor() + ")";
        }
        return text.isEmpty() ? "not recorded in env.json" : text;
    }

    /**
     * "AMD EPYC 7B13, 2 cores, Linux amd64; Vector API 256 bits (8 float lanes); SIMD flags: avx2 fma;
     * AuthenticAMD family 25 model 1 stepping 1, microcode 0xa0011d1, ISA level avx2" (the last part
     * where env.json records it).
     */
    static String cpu(RunEnvironment env) {
        RunEnvironment.Cpu cpu = env.cpu();
        List<String> parts = new ArrayList<>();
        String head = join(", ", cpu.model(), cpu.cores() == null ? null : cpu.cores() + " cores",
                join(" ", env.os().name(), env.os().arch()));
        if (!head.isEmpty()) {
            parts.add(head);
        }
        Integer bits = env.vector().preferredSpeciesBits();
        Integer lanes = env.vector().floatLanes();
        if (bits != null) {
            parts.add("Vector API " + bits + " bits" + (lanes == null ? "" : " (" + lanes + " float lanes)"));
        }
        List<String> simd = cpu.flags() == null ? List.of() : cpu.flags().stream().filter(SIMD_FLAGS::contains).sorted().toList();
        if (!simd.isEmpty()) {
            parts.add("SIMD flags: " + String.join(" ", simd));
        }
        String id = join(", ", join(" ", cpu.vendor(), cpu.familyAndModel(), cpu.stepping() == null ? null : "stepping " + cpu.stepping()),
                cpu.microcode() == null ? null : "microcode " + cpu.microcode(), cpu.isaLevel() == null ? null : "ISA level " + cpu.isaLevel());
        if (!id.isEmpty()) {
            parts.add(id);
        }
        return parts.isEmpty() ? "not recorded in env.json" : String.join("; ", parts);
    }

    /**
     * The summary's lines on how the run was made: absorb's version and commit, the JVM's
     * arguments and JMH's options. An env.json from before absorb recorded its commit gives none,
     * so the pages of such runs stay as they were.
     */
    static List<String> provenance(RunEnvironment env) {
        if (env.commit() == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add("- **absorb:** " + env.absorbVersion() + ", commit " + env.build().commitText());
        if (env.jvm().args() != null) {
            lines.add("- **JVM arguments:** " + code(String.join(" ", env.jvm().args())));
        }
        RunEnvironment.Jmh jmh = env.jmh();
        if (jmh != null) {
            lines.add("- **JMH:** " + jmh.version() + ", " + jmh.rounds() + (Integer.valueOf(1).equals(jmh.rounds()) ? " run" : " runs")
                    + " of " + code(String.join(" ", jmh.args() == null ? List.of() : jmh.args())));
        }
        return lines;
    }

    /** Markdown inline code, or "none" for an empty text. */
    private static String code(String text) {
        return text.isBlank() ? "none" : "`` " + text + " ``";
    }

    /** "JDK 17, AMD EPYC": how a comparison names the run. */
    static String shortLabel(RunEnvironment env) {
        Integer feature = env.jvm().feature();
        String version = env.jvm().version();
        String jdk = feature != null ? "JDK " + feature : version != null ? "JDK " + version : null;
        return join(", ", jdk, env.cpu().model());
    }

    private static String join(String separator, String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return String.join(separator, present);
    }
}
