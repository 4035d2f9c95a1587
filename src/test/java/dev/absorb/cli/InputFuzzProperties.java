package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.absorb.results.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input of every shape — recipe text, number text, round's input lines, JMH JSON mangled by
 * characters or by structure — ends in exit 2 with one line on stderr, never in a stack trace or
 * exit 3 (which would mean absorb itself failed).
 */
class InputFuzzProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bad input's one line, or success with nothing on stderr; never a stack trace. */
    private static void assertOkOrOneLine(CliRunner r, String command, String input) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), input + " -> " + r.err());
        if (r.exitCode() == 0) {
            assertEquals("", r.err(), input);
            return;
        }
        assertEquals(2, r.exitCode(), input + " -> " + r.err());
        assertTrue(r.oneErrorLine(), input + " -> [" + r.err() + "]");
        assertTrue(r.err().startsWith("absorb " + command + ": "), input + " -> " + r.err());
    }

    // ---- recipes -------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> recipeTexts() {
        Arbitrary<String> format = Arbitraries.of("bf16", "fp16", "fp32", "fp64", "e4m3", "e5m2", "e2m1", "tf32", "e8m23",
                "e9m3", "e3m30", "e5m2fn", "e0m0", "BF16", "bf17", "torch:bf16", "jax:fp16", "torch:", ":bf16", "", "fp");
        Arbitrary<String> key = Arbitraries.of("algo", "acc", "rowsum", "compute", "logp", "grad", "round", "seed", "sat",
                "ftz", "lse", "lanes", "unroll", "hsum", "short", "exp", "norm", "cap", "cpu", "foo", "", "ACC");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("fp32", "fp64", "kahan", "sr", "srh", "rne", "online", "naive", "complement", "zerosum",
                        "log1p", "on", "off", "glibc", "sleef", "stablemax", "avx512", "8", "16", "64", "3", "0", "-1",
                        "99999999999999999999", "NaN", "1e400", "0x1p3", "", "=", "/"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(6));
        Arbitrary<String> pair = Combinators.combine(key, Arbitraries.of("=", "", "==", ":"), value).as((k, s, v) -> k + s + v);
        Arbitrary<String> structured = Combinators.combine(format, pair.list().ofMaxSize(4))
                .as((f, pairs) -> pairs.isEmpty() ? f : f + "/" + String.join("/", pairs));
        Arbitrary<String> noise = Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\u2212', '\t')
                .ofMaxLength(24);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, structured), net.jqwik.api.Tuple.of(1, noise))
                .filter(t -> !t.startsWith("@")); // @FILE is picocli's argument file
    }

    @Property(tries = 150)
    void recipeTextIsAcceptedOrNamedInOneLine(@ForAll("recipeTexts") String recipe) {
        CliRunner r = CliRunner.run("grad", recipe, "--classes", "3", "--gap", "1");
        assertOkOrOneLine(r, "grad", recipe);
    }

    // ---- numbers -------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> numberTexts() {
        Arbitrary<String> piece = Arbitraries.of("0", "1", "7", "9", ".", "e", "E", "-", "+", "0x", "p", "P", "inf", "Infinity",
                "nan", "NaN", "d", "f", "_", " ", "999999999999", "e-400", "e400", "0x1.8p3", "\u2212", "%", ",");
        return Arbitraries.oneOf(piece.list().ofMinSize(1).ofMaxSize(8).map(p -> String.join("", p)),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(12))
                .filter(t -> !t.startsWith("@"));
    }

    @Property(tries = 60)
    void numberTextIsAcceptedOrNamedInOneLine(@ForAll("numberTexts") String number) {
        CliRunner gap = CliRunner.run("grad", "bf16", "--classes", "3", "--gap=" + number);
        assertOkOrOneLine(gap, "grad", number);
        if (gap.exitCode() == 0) {
            assertTrue(Double.isFinite(Converters.FiniteDoubleConverter.parse(number)), number);
        }
        assertOkOrOneLine(CliRunner.run("grad", "bf16", "--gap", "1", "--classes=" + number), "grad", number);
        assertOkOrOneLine(CliRunner.run("sweep", "--grid-cells=" + number, "--threads=0"), "sweep", number);
        assertOkOrOneLine(CliRunner.run("compare", "--alpha=" + number, "x.json", "y.json"), "compare", number);
        assertOkOrOneLine(CliRunner.run("gate", "--max-slowdown=" + number, "--baseline", "x", "--current", "y"), "gate", number);
    }

    @Property(tries = 100)
    void roundStopsAtTheFirstBadLineNamingIt(@ForAll("roundInput") List<String> lines) {
        // when
        CliRunner r = CliRunner.withStdin(String.join("\n", lines) + "\n", "round", "--format", "e4m3", "--rounding", "sr", "--seed", "5");

        // then: exit 0 with a line per input line, or exit 2 naming the first bad line after the results before it
        assertOkOrOneLine(r, "round", lines.toString());
        long printed = r.out().chars().filter(c -> c == '\n').count();
        if (r.exitCode() == 0) {
            assertEquals(lines.size(), printed, lines.toString());
        } else {
            String line = r.err().replaceAll("^absorb round: line (\\d+): .*\\n$", "$1");
            assertEquals(Integer.toString((int) printed + 1), line, r.err());
        }
    }

    @Provide
    Arbitrary<List<String>> roundInput() {
        return Arbitraries.oneOf(numberTexts(), Arbitraries.of("1.5", "-0", "448", "1e-9", "", "  2.25  ", "NaN"))
                .map(t -> t.replace("\n", "")).list().ofMinSize(1).ofMaxSize(6);
    }

    // ---- JMH JSON ------------------------------------------------------------------------------

    /** Character damage: a cut, a deletion, an insertion or a doubled span. */
    @Provide
    Arbitrary<String> textDamage() {
        String text = read(Fixtures.path("B").resolve("jmh.json"));
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, text.length()),
                Arbitraries.integers().between(1, 200), Arbitraries.strings().withChars("{}[],:\"0-.e nulltruefalseNaN").ofMaxLength(8))
                .as((kind, at, length, inserted) -> {
                    int end = Math.min(text.length(), at + length);
                    switch (kind) {
                        case 0: return text.substring(0, at);
                        case 1: return text.substring(0, at) + text.substring(end);
                        case 2: return text.substring(0, at) + inserted + text.substring(at);
                        default: return text.substring(0, end) + text.substring(at);
                    }
                });
    }

    /** Structural damage: up to three values somewhere in the tree replaced, removed or emptied. */
    @Provide
    Arbitrary<String> structureDamage() {
        JsonNode original = readTree(Fixtures.path("B").resolve("jmh.json"));
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            JsonNode tree = original.deepCopy();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                damage(tree, random);
            }
            return tree.toString();
        });
    }

    @Property(tries = 40)
    void characterDamagedJmhJsonIsNamedInOneLine(@ForAll("textDamage") String json) {
        compareAndGate(json);
    }

    @Property(tries = 60)
    void structurallyDamagedJmhJsonIsNamedInOneLine(@ForAll("structureDamage") String json) {
        compareAndGate(json);
    }

    private static void compareAndGate(String json) {
        Path file = null;
        try {
            file = Files.createTempFile("absorb-fuzz", ".json");
            Files.writeString(file, json);
            String good = Fixtures.path("A").resolve("jmh.json").toString();
            assertOkOrOneLine(CliRunner.run("compare", good, file.toString()), "compare", json);
            assertOkOrOneLine(CliRunner.run("compare", file.toString(), good), "compare", json);
            CliRunner gate = CliRunner.run("gate", "--baseline", good, "--current", file.toString(), "--allow-missing", "--allow-untested");
            if (gate.exitCode() != 1) {
                assertOkOrOneLine(gate, "gate", json);
            } else {
                assertFalse(gate.err().contains("\tat "), gate.err());
            }
            assertOkOrOneLine(CliRunner.run("export", "--to", "bencher", file.toString()), "export", json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** Replaces, removes or empties one value at a random place in the tree. */
    private static void damage(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        JsonNode replacement = replacement(random);
        if (parent instanceof ObjectNode) {
            ObjectNode object = (ObjectNode) parent;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty()) {
                return;
            }
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                object.remove(name);
            } else {
                object.set(name, replacement);
            }
        } else {
            ArrayNode array = (ArrayNode) parent;
            if (array.isEmpty()) {
                return;
            }
            int index = random.nextInt(array.size());
            switch (random.nextInt(4)) {
                case 0: array.remove(index); break;
                case 1: array.removeAll(); break;
                default: array.set(index, replacement);
            }
        }
    }

    private static JsonNode replacement(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode[] choices = {f.nullNode(), f.textNode(""), f.textNode("x"), f.textNode("NaN"), f.numberNode(-1),
            f.numberNode(0), f.numberNode(1e308), f.numberNode(Long.MAX_VALUE), f.booleanNode(true), f.arrayNode(),
            f.objectNode(), f.arrayNode().add(f.arrayNode()), f.textNode("thrpt"), f.textNode("ops/s")};
        return choices[random.nextInt(choices.length)];
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), containers);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
