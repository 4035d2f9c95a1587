package dev.absorb.results;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The flags that matter and the ISA level, as x86 and ARM kernels name them; and the folder tag built on them. */
class IsaTest {

    private static final List<String> ZEN3 = List.of("fpu", "sse4_2", "avx", "f16c", "fma", "avx2", "smep", "hypervisor");
    private static final List<String> ZEN4 = List.of("fpu", "sse4_2", "avx", "f16c", "fma", "avx2", "smep", "avx512f", "avx512bw",
            "avx512_bf16");

    @Test
    void x86() {
        assertEquals(List.of("avx", "avx2", "f16c", "fma", "sse4_2"), Isa.relevant(ZEN3), "smep is not SME");
        assertEquals(List.of("avx", "avx2", "avx512_bf16", "avx512bw", "avx512f", "f16c", "fma", "sse4_2"), Isa.relevant(ZEN4));
        assertEquals("avx2", Isa.level(ZEN3));
        assertEquals("avx512", Isa.level(ZEN4));
        assertEquals("sse4", Isa.level(List.of("sse2", "sse4_2")));
    }

    @Test
    void arm() {
        List<String> graviton3 = List.of("fp", "asimd", "asimdhp", "fphp", "bf16", "i8mm", "sve", "svebf16", "sve2", "aes");
        assertEquals(List.of("asimd", "asimdhp", "bf16", "fphp", "i8mm", "sve", "sve2", "svebf16"), Isa.relevant(graviton3));
        assertEquals("sve2", Isa.level(graviton3));
        assertEquals("neon", Isa.level(List.of("fp", "asimd")));
    }

    @Test
    void nothingKnown() {
        assertEquals(List.of(), Isa.relevant(List.of()));
        assertNull(Isa.level(List.of()));
    }

    /** Two EPYCs that /proc/cpuinfo calls "AMD EPYC" alike get different folder tags. */
    @Test
    void folderTagsTellTheCpusApart() {
        assertEquals("amd-epyc-fam25-avx2", env(cpu("AMD EPYC", "AuthenticAMD", 25, 1, ZEN3), "amd64").folderTag());
        assertEquals("amd-epyc-fam25-avx512", env(cpu("AMD EPYC", "AuthenticAMD", 25, 17, ZEN4), "amd64").folderTag());
        assertEquals("aarch64-partd0c-neon", env(cpu(null, "0x41", 8, 0xd0c, List.of("fp", "asimd")), "aarch64").folderTag());
        assertEquals("intel-xeon-platinum-8375c-cpu-2-90ghz-fam6-avx512",
                env(cpu("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "GenuineIntel", 6, 106, ZEN4), "amd64").folderTag());
        assertEquals("x86-64", env(cpu(null, null, null, null, null), "x86_64").folderTag(), "nothing but the architecture");
    }

    private static RunEnvironment.Cpu cpu(String model, String vendor, Integer family, Integer modelNumber, List<String> flags) {
        return new RunEnvironment.Cpu(model, vendor, family, modelNumber, null, null, flags == null ? null : Isa.level(flags),
                null, 2, null, null, null, null, null, null, flags);
    }

    private static RunEnvironment env(RunEnvironment.Cpu cpu, String arch) {
        return new RunEnvironment("0.1", null, null, null, null, null, null,
                new RunEnvironment.Os(null, null, arch, null, null, null), cpu, null);
    }
}
