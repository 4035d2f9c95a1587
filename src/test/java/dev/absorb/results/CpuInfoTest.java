package dev.absorb.results;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** /proc/cpuinfo as x86 and ARM kernels write it, and without the lines env.json wants. */
class CpuInfoTest {

    @Test
    void x86NamesModelAndFlagsOfTheFirstProcessor() {
        // given: two processors, as on a 2-core AMD EPYC
        List<String> lines = List.of(
                "processor\t: 0", "vendor_id\t: AuthenticAMD", "model name\t: AMD EPYC 7B13",
                "flags\t\t: fpu sse2 avx2 fma f16c", "",
                "processor\t: 1", "model name\t: AMD EPYC 7B13", "flags\t\t: fpu sse2 avx2 fma f16c");
        // when
        CpuInfo cpu = CpuInfo.parse(lines);
        // then
        assertEquals("AMD EPYC 7B13", cpu.model());
        assertEquals(List.of("fpu", "sse2", "avx2", "fma", "f16c"), cpu.flags());
    }

    @Test
    void armHasFeaturesAndOftenNoModelName() {
        CpuInfo cpu = CpuInfo.parse(List.of("processor\t: 0", "BogoMIPS\t: 50.00",
                "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp", "CPU implementer\t: 0x41"));
        assertNull(cpu.model());
        assertEquals(List.of("fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32", "atomics", "fphp", "asimdhp"),
                cpu.flags());
    }

    @Test
    void nothingToReadGivesUnknownAndNoFlags() {
        CpuInfo cpu = CpuInfo.parse(List.of());
        assertNull(cpu.model());
        assertEquals(List.of(), cpu.flags());
        assertEquals(List.of(), CpuInfo.parse(List.of("flags\t\t:")).flags());
    }
}
