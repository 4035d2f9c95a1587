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

    /** Two CPUs the same model name hides: an EPYC of family 25 model 1 (AVX2) and one of model 17 (AVX-512). */
    @Test
    void x86TellsCpusApartByFamilyModelSteppingAndMicrocode() {
        CpuInfo cpu = CpuInfo.parse(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 25", "model\t\t: 17",
                "model name\t: AMD EPYC", "stepping\t: 1", "microcode\t: 0x1000065", "siblings\t: 4", "cpu cores\t: 2",
                "flags\t\t: fpu avx2 avx512f", "", "processor\t: 1", "", "processor\t: 2", "", "processor\t: 3"));
        assertEquals("AuthenticAMD", cpu.vendor());
        assertEquals(25, cpu.family());
        assertEquals(17, cpu.modelNumber());
        assertEquals(1, cpu.stepping());
        assertEquals("0x1000065", cpu.microcode());
        assertEquals(4, cpu.logicalProcessors());
        assertEquals(2, cpu.threadsPerCore(), "4 siblings on 2 cores: SMT");
    }

    @Test
    void armNamesImplementerArchitecturePartAndRevision() {
        CpuInfo cpu = CpuInfo.parse(List.of("processor\t: 0", "Features\t: fp asimd sve", "CPU implementer\t: 0x41",
                "CPU architecture: 8", "CPU variant\t: 0x3", "CPU part\t: 0xd0c", "CPU revision\t: 1"));
        assertEquals("0x41", cpu.vendor());
        assertEquals(8, cpu.family());
        assertEquals(0xd0c, cpu.modelNumber());
        assertEquals(1, cpu.stepping());
        assertNull(cpu.microcode());
        assertNull(cpu.threadsPerCore());
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
        assertNull(cpu.vendor());
        assertNull(cpu.family());
        assertNull(cpu.logicalProcessors());
    }
}
