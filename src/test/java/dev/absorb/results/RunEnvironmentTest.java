package dev.absorb.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * env.json's schema is a contract ({@code absorb compare} reads it): exactly these keys, in this
 * order, with these JSON types; and the values describe the JVM that wrote it.
 */
class RunEnvironmentTest {

    private static final List<String> KEYS = List.of(
            "absorb_version:STRING", "started_utc:STRING", "profile:STRING",
            "jvm:OBJECT", "jvm.vendor:STRING", "jvm.name:STRING", "jvm.version:STRING", "jvm.feature:NUMBER",
            "jvm.home:STRING", "jvm.args:ARRAY",
            "os:OBJECT", "os.name:STRING", "os.version:STRING", "os.arch:STRING",
            "cpu:OBJECT", "cpu.model:STRING", "cpu.cores:NUMBER", "cpu.flags:ARRAY",
            "vector:OBJECT", "vector.preferred_species_bits:NUMBER", "vector.float_lanes:NUMBER");

    @Test
    void hasExactlyTheSchemasKeysInOrder() throws Exception {
        JsonNode root = new ObjectMapper().readTree(MachineProbe.current("quick", Instant.now()).toJson());
        List<String> keys = new ArrayList<>();
        collect("", root, keys);
        assertEquals(KEYS, keys);
    }

    @Test
    void describesThisJvm() throws Exception {
        // given
        Instant started = Instant.parse("2026-11-23T13:00:00.750Z");
        // when
        JsonNode env = new ObjectMapper().readTree(MachineProbe.current("smoke", started).toJson());
        // then
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

    @Test
    void noProfileIsNull() throws Exception {
        JsonNode env = new ObjectMapper().readTree(MachineProbe.current(null, Instant.now()).toJson());
        assertTrue(env.get("profile").isNull());
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
