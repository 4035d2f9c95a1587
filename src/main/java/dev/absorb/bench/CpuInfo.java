package dev.absorb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU's model name and feature flags from /proc/cpuinfo: x86 names them {@code model name}
 * and {@code flags}, ARM {@code Features} (and often no model name). Where there is no such file
 * or line: {@code "unknown"} and no flags.
 */
record CpuInfo(String model, List<String> flags) {

    static final String UNKNOWN = "unknown";

    static CpuInfo read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException notLinux) {
            return new CpuInfo(UNKNOWN, List.of());
        }
    }

    /** From the lines of /proc/cpuinfo; the first processor's entries are every processor's. */
    static CpuInfo parse(List<String> lines) {
        String model = null;
        List<String> flags = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (model == null && key.equals("model name") && !value.isEmpty()) {
                model = value;
            } else if (flags == null && (key.equals("flags") || key.equals("Features"))) {
                flags = value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
            }
        }
        return new CpuInfo(model == null ? UNKNOWN : model, flags == null ? List.of() : List.copyOf(flags));
    }
}
