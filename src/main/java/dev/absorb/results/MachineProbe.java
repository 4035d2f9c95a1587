package dev.absorb.results;

import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Describes the build, the JVM this runs on and its machine as a {@link RunEnvironment}: what
 * env.json records, so env.json must be written by the JVM it describes. The CPU comes from
 * {@link CpuInfo}; SMT, the frequency governor and the cgroup CPU quota from sysfs, the
 * distribution from /etc/os-release, container hints from the usual marker files, variables and
 * cgroup names. Off Linux those files do not exist, and their values are null.
 */
public final class MachineProbe {

    private static final Path PROC = Path.of("/proc");

    private MachineProbe() {
    }

    /**
     * This build, this JVM, this machine, at {@code started}; {@code profile} and {@code jmh} are
     * null outside a benchmark run.
     */
    public static RunEnvironment current(String profile, RunEnvironment.Jmh jmh, Instant started) {
        BuildInfo build = BuildInfo.current();
        CpuInfo cpu = CpuInfo.current();
        boolean x86 = cpu.vendor() != null && !cpu.vendor().startsWith("0x");
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
                new RunEnvironment.Os(System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                        distribution(), containerHints(), loadAverage()),
                new RunEnvironment.Cpu(cpu.model(), cpu.vendor(), cpu.family(), cpu.modelNumber(), cpu.stepping(), cpu.microcode(),
                        Isa.level(cpu.flags()), cpu.flags().isEmpty() ? null : Isa.relevant(cpu.flags()),
                        Runtime.getRuntime().availableProcessors(), cpu.logicalProcessors(), cpu.threadsPerCore(),
                        smt(), cgroupCpuLimit(), firstLine(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")),
                        x86 ? cpu.flags().contains("hypervisor") : null, cpu.flags()),
                new RunEnvironment.VectorShape(FloatVector.SPECIES_PREFERRED.vectorBitSize(), FloatVector.SPECIES_PREFERRED.length()));
    }

    private static Boolean smt() {
        String active = firstLine(Path.of("/sys/devices/system/cpu/smt/active"));
        return active == null ? null : active.equals("1");
    }

    /**
     * The CPUs a cgroup quota allows: cgroup v2's {@code cpu.max} ("QUOTA PERIOD" or "max PERIOD"),
     * else v1's {@code cpu.cfs_quota_us} / {@code cpu.cfs_period_us} (quota -1: none), in this
     * process's own cgroup or, where that is not mounted (in most containers), at the root.
     */
    static Double cgroupCpuLimit() {
        String own = ownCgroup();
        for (Path folder : List.of(Path.of("/sys/fs/cgroup" + own), Path.of("/sys/fs/cgroup"))) {
            String max = firstLine(folder.resolve("cpu.max"));
            if (max != null) {
                return cpuMax(max);
            }
        }
        for (Path folder : List.of(Path.of("/sys/fs/cgroup/cpu" + own), Path.of("/sys/fs/cgroup/cpu"))) {
            String quota = firstLine(folder.resolve("cpu.cfs_quota_us"));
            String period = firstLine(folder.resolve("cpu.cfs_period_us"));
            if (quota != null && period != null) {
                return cfsQuota(quota, period);
            }
        }
        return null;
    }

    /** The cgroup path of this process ({@code 0::/path} in v2, the cpu controller's in v1), or "". */
    private static String ownCgroup() {
        for (String line : lines(PROC.resolve("self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && (parts[1].isEmpty() || List.of(parts[1].split(",")).contains("cpu"))) {
                return parts[2].equals("/") ? "" : parts[2];
            }
        }
        return "";
    }

    /** cgroup v2's cpu.max, "QUOTA PERIOD" or "max PERIOD", as CPUs; null without a quota. */
    static Double cpuMax(String line) {
        String[] parts = line.trim().split("\\s+");
        return parts.length == 2 && !parts[0].equals("max") ? ratio(parts[0], parts[1]) : null;
    }

    /** cgroup v1's quota and period in microseconds as CPUs; null for quota -1 (none). */
    static Double cfsQuota(String quota, String period) {
        return quota.trim().startsWith("-") ? null : ratio(quota.trim(), period.trim());
    }

    private static Double ratio(String quota, String period) {
        try {
            return Double.parseDouble(quota) / Double.parseDouble(period);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String distribution() {
        for (String line : lines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replaceAll("^\"|\"$", "");
            }
        }
        return null;
    }

    /** Signs of a container, in a fixed order; null off Linux, where none of them would show. */
    static List<String> containerHints() {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return null;
        }
        List<String> hints = new ArrayList<>();
        if (Files.exists(Path.of("/.dockerenv"))) {
            hints.add("docker");
        }
        if (Files.exists(Path.of("/run/.containerenv"))) {
            hints.add("podman");
        }
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            hints.add("kubernetes");
        }
        String variable = System.getenv("container");
        if (variable != null && !variable.isBlank()) {
            hints.add(variable.trim());
        }
        String cgroups = String.join("\n", lines(PROC.resolve("1/cgroup"))).toLowerCase(Locale.ROOT);
        for (String name : List.of("docker", "kubepods", "lxc", "containerd")) {
            if (cgroups.contains(name)) {
                hints.add(name + " cgroup");
            }
        }
        return hints.stream().distinct().toList();
    }

    private static Double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : Math.round(load * 100) / 100.0;
    }

    private static String firstLine(Path file) {
        List<String> lines = lines(file);
        return lines.isEmpty() || lines.get(0).isBlank() ? null : lines.get(0).trim();
    }

    /** The file's lines; none where it does not exist or cannot be read. */
    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }
}
