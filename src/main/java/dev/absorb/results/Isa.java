package dev.absorb.results;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU features that decide which code the JIT and the Vector API can use for absorb's
 * kernels, out of /proc/cpuinfo's flags: on x86 SSE4.2, AVX, AVX2, FMA, F16C and every AVX-512
 * and AMX extension; on ARM NEON (asimd), its fp16 and bf16 arithmetic, and every SVE and SME
 * extension. The level is the widest vector ISA among them.
 */
public final class Isa {

    private static final Set<String> X86 = Set.of("sse4_2", "avx", "avx2", "fma", "f16c");
    private static final List<String> X86_FAMILIES = List.of("avx512", "amx");
    private static final Set<String> ARM = Set.of("asimd", "asimdhp", "fphp", "bf16", "i8mm");
    /** ARM only: x86 has flags that start alike (smep). */
    private static final List<String> ARM_FAMILIES = List.of("sve", "sme");

    private Isa() {
    }

    /** The flags that matter, sorted (a kernel lists them in its own order). */
    public static List<String> relevant(List<String> flags) {
        boolean arm = flags.contains("asimd");
        Set<String> named = arm ? ARM : X86;
        List<String> families = arm ? ARM_FAMILIES : X86_FAMILIES;
        Set<String> found = new TreeSet<>();
        for (String flag : flags) {
            if (named.contains(flag) || families.stream().anyMatch(flag::startsWith)) {
                found.add(flag);
            }
        }
        return List.copyOf(found);
    }

    /** {@code avx512}, {@code avx2}, {@code avx}, {@code sse4}, {@code sve2}, {@code sve}, {@code neon}; null without any. */
    public static String level(List<String> flags) {
        if (flags.contains("avx512f")) {
            return "avx512";
        }
        if (flags.contains("avx2")) {
            return "avx2";
        }
        if (flags.contains("avx")) {
            return "avx";
        }
        if (flags.contains("sse4_2")) {
            return "sse4";
        }
        if (flags.contains("sve2")) {
            return "sve2";
        }
        if (flags.contains("sve")) {
            return "sve";
        }
        return flags.contains("asimd") ? "neon" : null;
    }
}
