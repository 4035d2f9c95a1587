package dev.absorb.results;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The machine facts that come from cgroup files, and the probe on this machine. */
class MachineProbeTest {

    @Test
    void cgroupV2CpuMax() {
        assertEquals(1.5, MachineProbe.cpuMax("150000 100000\n"));
        assertNull(MachineProbe.cpuMax("max 100000"), "no quota");
    }

    @Test
    void cgroupV1Quota() {
        assertEquals(2.0, MachineProbe.cfsQuota("200000", "100000"));
        assertNull(MachineProbe.cfsQuota("-1", "100000"), "no quota");
    }

    @Test
    void thisMachineAsCpuInfoDescribesIt() {
        RunEnvironment env = MachineProbe.current(null, null, Instant.now());
        CpuInfo cpu = CpuInfo.current();
        assertEquals(cpu.family(), env.cpu().family());
        assertEquals(cpu.modelNumber(), env.cpu().modelNumber());
        assertEquals(Isa.level(cpu.flags()), env.cpu().isaLevel());
        assertTrue(env.folderTag().matches("[a-z0-9]+(-[a-z0-9]+)*"), env.folderTag());
        if (System.getProperty("os.name").equals("Linux")) {
            assertTrue(env.os().container() != null, "Linux: container hints are a list, maybe empty");
        }
    }
}
