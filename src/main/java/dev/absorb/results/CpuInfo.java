package dev.absorb.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What /proc/cpuinfo says about the CPU, read once per process: the first processor's entries
 * stand for every processor. x86 kernels write {@code vendor_id}, {@code cpu family},
 * {@code model}, {@code model name}, {@code stepping}, {@code microcode} and {@code flags}; ARM
 * kernels write {@code CPU implementer}, {@code CPU architecture}, {@code CPU part},
 * {@code CPU revision} and {@code Features}, and mostly no model name. An entry the file lacks
 * (or a machine without the file) is null; {@code flags} is then empty.
 *
 * @param vendor            {@code AuthenticAMD}, {@code GenuineIntel}; on ARM the implementer code, {@code 0x41}
 * @param family            x86's family; ARM's architecture
 * @param modelNumber       x86's model; ARM's part number
 * @param stepping          x86's stepping; ARM's revision
 * @param logicalProcessors how many {@code processor} entries the file lists
 * @param threadsPerCore    {@code siblings / cpu cores} (x86 only)
 */
public record CpuInfo(String vendor, String model, Integer family, Integer modelNumber, Integer stepping, String microcode,
                      List<String> flags, Integer logicalProcessors, Integer threadsPerCore) {

    private static final Path FILE = Path.of("/proc/cpuinfo");

    /** Held by a nested class so the file is read on first use, once. */
    private static final class Current {
        static final CpuInfo INFO = read();
    }

    public CpuInfo {
        flags = List.copyOf(flags);
    }

    /** This machine's, read once. */
    public static CpuInfo current() {
        return Current.INFO;
    }

    private static CpuInfo read() {
        try {
            return parse(Files.readAllLines(FILE));
        } catch (IOException | RuntimeException notLinux) {
            return parse(List.of());
        }
    }

    /** From the lines of /proc/cpuinfo. */
    public static CpuInfo parse(List<String> lines) {
        Map<String, String> first = new HashMap<>();
        int processors = 0;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("processor")) {
                processors++;
            }
            if (!value.isEmpty()) {
                first.putIfAbsent(key, value);
            }
        }
        String flagText = first.get("flags") != null ? first.get("flags") : first.get("Features");
        List<String> flags = flagText == null || flagText.isEmpty() ? List.of()
                : Arrays.asList(flagText.toLowerCase(Locale.ROOT).split("\\s+"));
        boolean arm = first.get("CPU implementer") != null;
        Integer siblings = integer(first, "siblings");
        Integer cores = integer(first, "cpu cores");
        return new CpuInfo(
                arm ? first.get("CPU implementer") : first.get("vendor_id"),
                first.get("model name"),
                arm ? integer(first, "CPU architecture") : integer(first, "cpu family"),
                arm ? integer(first, "CPU part") : integer(first, "model"),
                arm ? integer(first, "CPU revision") : integer(first, "stepping"),
                first.get("microcode"),
                flags,
                processors == 0 ? null : processors,
                siblings != null && cores != null && cores > 0 && siblings % cores == 0 ? siblings / cores : null);
    }

    /** A number in decimal or 0x hex; null where absent or not a number. */
    private static Integer integer(Map<String, String> entries, String key) {
        String value = entries.get(key);
        if (value == null) {
            return null;
        }
        try {
            return value.startsWith("0x") ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
