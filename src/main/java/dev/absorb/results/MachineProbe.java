package dev.absorb.results;

import jdk.incubator.vector.FloatVector;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Describes the JVM this runs on and its machine as a {@link RunEnvironment}: what env.json
 * records, so env.json must be written by the JVM it describes.
 */
public final class MachineProbe {

    private MachineProbe() {
    }

    /**
     * This build, this JVM, this machine, at {@code started}; {@code profile} and {@code jmh} are
     * null outside a benchmark run.
     */
    public static RunEnvironment current(String profile, RunEnvironment.Jmh jmh, Instant started) {
        BuildInfo build = BuildInfo.current();
        CpuInfo cpu = CpuInfo.current();
        return new RunEnvironment(
                build.version(),
                build.commit(),
                build.dirty(),
                started.truncatedTo(ChronoUnit.SECONDS).toString(),
                profile,
                jmh,
                new RunEnvironment.Jvm(System.getProperty("java.vendor"), System.getProperty("java.vm.name"),
                        Runtime.version().toString(), Runtime.version().feature(), System.getProperty("java.home"),
                        List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments())),
                new RunEnvironment.Os(System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch")),
                new RunEnvironment.Cpu(cpu.model() != null ? cpu.model() : "unknown", Runtime.getRuntime().availableProcessors(),
                        cpu.flags()),
                new RunEnvironment.VectorShape(FloatVector.SPECIES_PREFERRED.vectorBitSize(), FloatVector.SPECIES_PREFERRED.length()));
    }
}
