package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * env.json's schema is a contract (compare, gate, report and CI read it): exactly these keys, in
 * this order, with these JSON types — null allowed only where the platform may not expose the
 * value; the values describe the build and the JVM that wrote it; and older files still read.
 */
class RunEnvironmentTest {

    /** key:type, or key:type? where null is allowed. */
    private static final List<String> KEYS = List.of(
            "absorb_version:STRING", "commit:STRING", "commit_dirty:BOOLEAN?", "started_utc:STRING", "profile:STRING",
            "jmh:OBJECT", "jmh.version:STRING", "jmh.rounds:NUMBER", "jmh.args:ARRAY",
            "jvm:OBJECT", "jvm.vendor:STRING", "jvm.name:STRING", "jvm.version:STRING", "jvm.feature:NUMBER",
            "jvm.home:STRING", "jvm.args:ARRAY",
            "os:OBJECT", "os.name:STRING", "os.version:STRING", "os.arch:STRING", "os.distribution:STRING?",
            "os.container:ARRAY?", "os.load_average_1m:NUMBER?",
            "cpu:OBJECT", "cpu.model:STRING?", "cpu.vendor:STRING?", "cpu.family:NUMBER?", "cpu.model_number:NUMBER?",
            "cpu.stepping:NUMBER?", "cpu.microcode:STRING?", "cpu.isa_level:STRING?", "cpu.isa:ARRAY?", "cpu.cores:NUMBER",
            "cpu.logical_processors:NUMBER?", "cpu.threads_per_core:NUMBER?", "cpu.smt:BOOLEAN?", "cpu.cgroup_cpu_limit:NUMBER?",
            "cpu.governor:STRING?", "cpu.hypervisor:BOOLEAN?", "cpu.flags:ARRAY",
            "vector:OBJECT", "vector.preferred_species_bits:NUMBER", "vector.float_lanes:NUMBER");

    private static final RunEnvironment.Jmh JMH = new RunEnvironment.Jmh("1.37", 5, List.of("^dev\\.absorb\\.bench\\.", "-f", "1"));

    @Test
    void hasExactlyTheSchemasKeysInOrder() throws Exception {
        JsonNode root = new ObjectMapper().readTree(MachineProbe.current("quick", JMH, Instant.now()).toJson());
        List<String> found = new ArrayList<>();
        collect("", root, found);
        List<String> names = KEYS.stream().map(k -> k.substring(0, k.indexOf(':'))).toList();
        assertEquals(names, found.stream().map(k -> k.substring(0, k.indexOf(':'))).toList());
        for (int i = 0; i < KEYS.size(); i++) {
            String expected = KEYS.get(i).substring(KEYS.get(i).indexOf(':') + 1);
            String type = found.get(i).substring(found.get(i).indexOf(':') + 1);
            boolean nullable = expected.endsWith("?");
            assertTrue(type.equals(expected.replace("?", "")) || (nullable && type.equals(JsonNodeType.NULL.name())),
                    names.get(i) + " is " + type + ", expected " + expected);
        }
    }

    @Test
    void describesThisBuildAndThisJvm() throws Exception {
        // given
        Instant started = Instant.parse("2026-11-23T13:00:00.750Z");
        // when
        JsonNode env = new ObjectMapper().readTree(MachineProbe.current("smoke", JMH, started).toJson());
        // then
        assertEquals(BuildInfo.current().commit(), env.get("commit").asText());
        assertEquals("1.37", env.at("/jmh/version").asText());
        assertEquals(5, env.at("/jmh/rounds").asInt());
        assertEquals("-f", env.at("/jmh/args/1").asText());
        assertEquals("2026-11-23T13:00:00Z", env.get("started_utc").asText(), "whole seconds, UTC");
        assertEquals("smoke", env.get("profile").asText());
        assertEquals(Runtime.version().feature(), env.at("/jvm/feature").asInt());
        assertEquals(Runtime.version().toString(), env.at("/jvm/version").asText());
        assertEquals(System.getProperty("java.home"), env.at("/jvm/home").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), env.at("/cpu/cores").asInt());
        int bits = env.at("/vector/preferred_species_bits").asInt();
        assertTrue(bits >= 64 && Integer.bitCount(bits) == 1, "a power of two: " + bits);
        assertEquals(bits / 32, env.at("/vector/float_lanes").asInt());
        // Surefire starts this JVM with --add-modules jdk.incubator.vector (pom.xml)
        assertTrue(env.at("/jvm/args").toString().contains("jdk.incubator.vector"), env.at("/jvm/args").toString());
    }

    /** The build writes the commit in a git checkout, and CI builds one. */
    @Test
    void theBuildRecordsItsCommit() {
        BuildInfo build = BuildInfo.current();
        assertTrue(build.commit().matches("[0-9a-f]{40}") || build.commit().equals(BuildInfo.UNKNOWN), build.commit());
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of(".git")),
                "built outside a git checkout");
        assertTrue(build.commit().matches("[0-9a-f]{40}"), build.commit());
        assertTrue(build.dirty() != null);
    }

    @Test
    void noProfileAndNoBenchmarksAreNull() throws Exception {
        JsonNode env = new ObjectMapper().readTree(MachineProbe.current(null, null, Instant.now()).toJson());
        assertTrue(env.get("profile").isNull());
        assertTrue(env.get("jmh").isNull());
    }

    @Test
    void whatItWritesItReadsBack() {
        RunEnvironment env = MachineProbe.current("quick", JMH, Instant.now());
        assertEquals(env, RunEnvironment.parse(env.toJson(), "env.json"));
        assertEquals(env.toJson(), RunEnvironment.parse(env.toJson(), "env.json").toJson());
    }

    /** The committed fixtures are env.json files of earlier builds: no commit, flags as a string. */
    @Test
    void olderFilesReadWithMissingKeysAsNull() {
        RunEnvironment env = RunEnvironment.parse("""
                {"absorb_version": "0.1.0-SNAPSHOT", "started_utc": "2026-11-23T13:28:00Z", "profile": "smoke",
                 "jvm": {"vendor": "Debian", "feature": 17},
                 "cpu": {"model": "AMD EPYC", "cores": 2, "flags": "fpu  sse2 AVX2"}}""", "env.json");
        assertNull(env.commit());
        assertNull(env.jmh());
        assertNull(env.jvm().args());
        assertNull(env.os().name());
        assertNull(env.vector().preferredSpeciesBits());
        assertNull(env.cpu().family());
        assertNull(env.cpu().isaLevel());
        assertEquals("avx2", env.cpu().isaLevelOrFromFlags(), "the level its flags give");
        assertNull(env.os().container());
        assertEquals(17, env.jvm().feature());
        assertEquals(List.of("fpu", "sse2", "avx2"), env.cpu().flags());
        assertEquals(BuildInfo.UNKNOWN, env.build().commitText());
    }

    @Test
    void notEnvJsonIsBadInputNamingTheFile() {
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RunEnvironment.parse("{\"cpu\": {\"cores\": \"two\"}}", "run/env.json")).getMessage();
        assertTrue(message.startsWith("run/env.json is not env.json: "), message);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RunEnvironment.parse("[1, 2]", "x")).getMessage().startsWith("x is not env.json"));
    }

    private static void collect(String prefix, JsonNode node, List<String> keys) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode child = node.get(name);
            keys.add(prefix + name + ":" + child.getNodeType());
            if (child.isObject()) {
                collect(prefix + name + ".", child, keys);
            }
        }
    }
}
