package dev.absorb.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What env.json says about the machine a run used. Every
 * field may be missing; a missing one is null and is left out of the descriptions.
 */
record RunEnvironment(String jvmName, String jvmVendor, String jvmVersion, String jvmFeature, String osName,
                      String osArch, String cpuModel, String cpuCores, List<String> cpuFlags, String vectorBits,
                      String floatLanes, String profile) {

    /** CPU flags that decide how fast emulated rounding and exp run; the rest of /proc/cpuinfo's list is noise here. */
    private static final Set<String> SIMD_FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
            "avx512vl", "avx512_fp16", "avx512_bf16", "amx_bf16", "amx_fp16", "asimd", "sve", "sve2", "bf16", "fphp");

    static RunEnvironment of(JsonNode root) {
        JsonNode jvm = root.path("jvm");
        JsonNode os = root.path("os");
        JsonNode cpu = root.path("cpu");
        JsonNode vector = root.path("vector");
        return new RunEnvironment(text(jvm.path("name")), text(jvm.path("vendor")), text(jvm.path("version")),
                text(jvm.path("feature")), text(os.path("name")), text(os.path("arch")), text(cpu.path("model")),
                text(cpu.path("cores")), flags(cpu.path("flags")), text(vector.path("preferred_species_bits")),
                text(vector.path("float_lanes")), text(root.path("profile")));
    }

    /** "OpenJDK 64-Bit Server VM 17.0.13 (Eclipse Adoptium)", from whatever env.json holds. */
    String describeJvm() {
        String text = join(" ", jvmName, jvmVersion);
        if (jvmVendor != null) {
            text = text.isEmpty() ? jvmVendor : text + " (" + jvmVendor + ")";
        }
        return text.isEmpty() ? "not recorded in env.json" : text;
    }

    /** "AMD EPYC 7B13, 2 cores, Linux amd64; Vector API 256 bits (8 float lanes); SIMD flags: avx2 fma". */
    String describeCpu() {
        List<String> parts = new ArrayList<>();
        String head = join(", ", cpuModel, cpuCores == null ? null : cpuCores + " cores", join(" ", osName, osArch));
        if (!head.isEmpty()) {
            parts.add(head);
        }
        if (vectorBits != null) {
            parts.add("Vector API " + vectorBits + " bits" + (floatLanes == null ? "" : " (" + floatLanes + " float lanes)"));
        }
        List<String> simd = cpuFlags.stream().filter(SIMD_FLAGS::contains).sorted().toList();
        if (!simd.isEmpty()) {
            parts.add("SIMD flags: " + String.join(" ", simd));
        }
        return parts.isEmpty() ? "not recorded in env.json" : String.join("; ", parts);
    }

    /** "JDK 17, AMD EPYC 7B13": how a comparison names the run. */
    String shortLabel() {
        String jdk = jvmFeature != null ? "JDK " + jvmFeature : jvmVersion != null ? "JDK " + jvmVersion : null;
        return join(", ", jdk, cpuModel);
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    /** /proc/cpuinfo's flags: one space-separated string or an array of strings. */
    private static List<String> flags(JsonNode node) {
        List<String> flags = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(flag -> flags.add(flag.asText().toLowerCase(Locale.ROOT)));
        } else if (node.isTextual()) {
            for (String flag : node.asText().trim().split("\\s+")) {
                if (!flag.isEmpty()) {
                    flags.add(flag.toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(flags);
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
