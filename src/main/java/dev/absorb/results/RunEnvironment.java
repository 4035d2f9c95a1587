package dev.absorb.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * env.json, the one model of it (results/README.md lists the keys): which build of absorb (its
 * version, the git commit and whether the work tree had uncommitted changes), when, with which
 * profile and JMH options, and the JVM, OS, CPU and Vector API shape of the JVM that wrote it. Written
 * by {@link #toJson()}, read by {@link #read(Path)}; every command that writes or reads env.json
 * goes through this record. Keys are snake_case, in component order, two-space indentation. A
 * value the platform does not expose is written as null, never left out; reading an older file,
 * a key it lacks is null.
 *
 * @param commit       the git commit absorb was built from, or {@code unknown}
 * @param commitDirty  whether that build's work tree had uncommitted changes; null where unknown
 * @param profile      null outside a benchmark run
 * @param jmh          null where the run ran no benchmark
 */
public record RunEnvironment(String absorbVersion, String commit, Boolean commitDirty, String startedUtc, String profile,
                             Jmh jmh, Jvm jvm, Os os, Cpu cpu, VectorShape vector) {

    public RunEnvironment {
        jvm = jvm != null ? jvm : new Jvm(null, null, null, null, null, null);
        os = os != null ? os : new Os(null, null, null, null, null, null);
        cpu = cpu != null ? cpu : new Cpu(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
        vector = vector != null ? vector : new VectorShape(null, null);
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // an older env.json wrote cpu.flags as one space-separated string
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    /**
     * How the benchmarks ran: JMH's version, and the options of each of its runs as JMH's own
     * command line would take them; the run repeats them {@code rounds} times.
     */
    public record Jmh(String version, Integer rounds, List<String> args) {
    }

    /** @param args the JVM's own command-line options (not the program's arguments) */
    public record Jvm(String vendor, String name, String version, Integer feature, String home, List<String> args) {
    }

    /**
     * @param version       the kernel's release on Linux ({@code os.version})
     * @param distribution  /etc/os-release's PRETTY_NAME
     * @param container     signs of a container (docker, podman, kubernetes, the {@code container}
     *                      variable's value, a container's cgroup); empty where none; null off Linux
     * @param loadAverage1m the system's load over the last minute when the run started
     */
    public record Os(String name, String version, String arch, String distribution, List<String> container,
                     @JsonProperty("load_average_1m") Double loadAverage1m) {
    }

    /**
     * What tells CPUs apart ({@link CpuInfo}: x86's vendor, family, model and stepping; ARM's
     * implementer, architecture, part and revision), the vector ISA, and how much of the CPU the
     * run had.
     *
     * @param model             the model name; on ARM mostly null
     * @param modelNumber       x86's model, ARM's part
     * @param isaLevel          {@link Isa#level}: avx512, avx2, avx, sse4, sve2, sve or neon
     * @param isa               {@link Isa#relevant}: the flags that matter to the kernels
     * @param cores             the processors this JVM may use
     * @param logicalProcessors the processors /proc/cpuinfo lists
     * @param threadsPerCore    hardware threads per core (x86)
     * @param smt               whether simultaneous multithreading is on
     * @param cgroupCpuLimit    the CPUs a cgroup quota allows this process; null where no quota is set or none is readable
     * @param governor          cpu0's frequency governor
     * @param hypervisor        whether the CPU reports running under a hypervisor (x86)
     * @param flags             every flag /proc/cpuinfo lists, lower case
     */
    public record Cpu(String model, String vendor, Integer family, Integer modelNumber, Integer stepping, String microcode,
                      String isaLevel, List<String> isa, Integer cores, Integer logicalProcessors, Integer threadsPerCore,
                      Boolean smt, Double cgroupCpuLimit, String governor, Boolean hypervisor, List<String> flags) {

        public Cpu {
            flags = flags == null ? null : split(flags);
        }

        /** {@code family 25 model 17} on x86, {@code architecture 8 part 0xd0c} on ARM; null where unknown. */
        public String familyAndModel() {
            if (family == null || modelNumber == null) {
                return null;
            }
            return arm() ? "architecture " + family + " part 0x" + Integer.toHexString(modelNumber)
                    : "family " + family + " model " + modelNumber;
        }

        /** The ISA level, or (an env.json from before the key) the one its flags give. */
        public String isaLevelOrFromFlags() {
            return isaLevel != null ? isaLevel : flags == null ? null : Isa.level(flags);
        }

        private boolean arm() {
            return vendor != null && vendor.startsWith("0x");
        }
    }

    /** The Vector API's preferred shape on this JVM and CPU. */
    public record VectorShape(Integer preferredSpeciesBits, Integer floatLanes) {
    }

    /** The build of absorb that wrote this. */
    public BuildInfo build() {
        return new BuildInfo(absorbVersion, commit, commitDirty);
    }

    /**
     * How a run folder's name tells this machine's CPU apart: the model name (or the
     * architecture), the family (x86) or part (ARM), and the ISA level, e.g.
     * {@code amd-epyc-fam25-avx512}, {@code aarch64-partd0c-neon}.
     */
    public String folderTag() {
        String model = cpu.model() != null && !cpu.model().isBlank() ? cpu.model() : os.arch() != null ? os.arch() : "unknown";
        StringBuilder tag = new StringBuilder(slug(model));
        if (cpu.family() != null && cpu.modelNumber() != null) {
            tag.append(cpu.arm() ? "-part" + Integer.toHexString(cpu.modelNumber()) : "-fam" + cpu.family());
        }
        String level = cpu.isaLevelOrFromFlags();
        if (level != null) {
            tag.append('-').append(level);
        }
        return tag.toString();
    }

    /** Lower case letters and digits between single dashes, marketing words left out, at most 40 characters. */
    static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("\\(r\\)|\\(tm\\)|\\bprocessor\\b|\\b\\d+-core\\b", " ")
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.length() > 40 ? s.substring(0, 40).replaceAll("-+$", "") : s;
    }

    /** env.json's text: the keys in component order, two-space indentation, a final newline. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From env.json's text; {@code source} names it in the message. */
    public static RunEnvironment parse(String json, String source) {
        try {
            RunEnvironment env = MAPPER.readValue(json, RunEnvironment.class);
            if (env == null) {
                throw new IllegalArgumentException(source + " is not env.json: expected an object");
            }
            return env;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not env.json: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * @throws NoSuchFileException if there is no such file
     * @throws IllegalArgumentException naming the file when it is not env.json
     */
    public static RunEnvironment read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Flags as a list of lower-case words, whether written as a list or as one space-separated string. */
    private static List<String> split(List<String> flags) {
        List<String> words = new ArrayList<>();
        for (String flag : flags) {
            for (String word : flag.trim().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(words);
    }
}
