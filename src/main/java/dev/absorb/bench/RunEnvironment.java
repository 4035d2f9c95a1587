package dev.absorb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jdk.incubator.vector.FloatVector;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a run ran on, as env.json (results/README.md): absorb's version, when the run started, the
 * profile, and the JVM, OS, CPU and Vector API shape of the JVM that writes it — so it must be
 * written by the JVM being described. The key names are a contract: {@code absorb compare} reads them.
 *
 * @param profile null outside a benchmark run
 */
public record RunEnvironment(String absorbVersion, Instant startedUtc, String profile, Jvm jvm, Os os, Cpu cpu, Vector vector) {

    /** @param args the JVM's own command-line options (not the program's arguments) */
    public record Jvm(String vendor, String name, String version, int feature, String home, List<String> args) {
    }

    public record Os(String name, String version, String arch) {
    }

    /** @param cores the processors this JVM may use */
    public record Cpu(String model, int cores, List<String> flags) {
    }

    /** The Vector API's preferred shape on this JVM and CPU (the kernels use at most 256 bits of it). */
    public record Vector(int preferredSpeciesBits, int floatLanes) {
    }

    /** This JVM, this machine, now (or at {@code started}). */
    public static RunEnvironment current(String profile, Instant started) {
        String version = RunEnvironment.class.getPackage().getImplementationVersion();
        CpuInfo cpu = CpuInfo.read();
        return new RunEnvironment(
                version != null ? version : "development build (not from the jar)",
                started.truncatedTo(ChronoUnit.SECONDS),
                profile,
                new Jvm(System.getProperty("java.vendor"), System.getProperty("java.vm.name"), Runtime.version().toString(),
                        Runtime.version().feature(), System.getProperty("java.home"),
                        List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments())),
                new Os(System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch")),
                new Cpu(cpu.model(), Runtime.getRuntime().availableProcessors(), cpu.flags()),
                new Vector(FloatVector.SPECIES_PREFERRED.vectorBitSize(), FloatVector.SPECIES_PREFERRED.length()));
    }

    /** env.json's text: the keys in this order, two-space indentation, a final newline. */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("absorb_version", absorbVersion);
        root.put("started_utc", startedUtc.toString());
        root.put("profile", profile);
        ObjectNode j = root.putObject("jvm");
        j.put("vendor", jvm.vendor());
        j.put("name", jvm.name());
        j.put("version", jvm.version());
        j.put("feature", jvm.feature());
        j.put("home", jvm.home());
        strings(j.putArray("args"), jvm.args());
        ObjectNode o = root.putObject("os");
        o.put("name", os.name());
        o.put("version", os.version());
        o.put("arch", os.arch());
        ObjectNode c = root.putObject("cpu");
        c.put("model", cpu.model());
        c.put("cores", cpu.cores());
        strings(c.putArray("flags"), cpu.flags());
        ObjectNode v = root.putObject("vector");
        v.put("preferred_species_bits", vector.preferredSpeciesBits());
        v.put("float_lanes", vector.floatLanes());
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
