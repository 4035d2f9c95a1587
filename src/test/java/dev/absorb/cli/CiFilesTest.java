package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GitHub Action and the workflow examples cannot run here; this checks what can be checked
 * without GitHub: they parse, the action's inputs are declared and used, and every absorb command
 * they run names options that the command has.
 */
class CiFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern INPUT_REFERENCE = Pattern.compile("inputs\\.([A-Za-z0-9_-]+)");
    private static final Pattern SCRIPT_CALL = Pattern.compile("run-benchmarks\\.sh\"?((?:[^\\n\\\\]|\\\\\\n)*)");
    private static final Pattern OPTION = Pattern.compile("(?<=\\s)--[a-z][a-z0-9-]*");

    private static JsonNode read(String file) throws IOException {
        return YAML.readTree(Path.of(file).toFile());
    }

    @Test
    void theActionIsACompositeActionWhoseInputsAreDeclaredAndUsed() throws IOException {
        JsonNode action = read("action.yml");
        assertEquals("composite", action.path("runs").path("using").asText());
        Set<String> declared = new TreeSet<>();
        action.path("inputs").fieldNames().forEachRemaining(declared::add);
        Set<String> used = new TreeSet<>();
        Matcher m = INPUT_REFERENCE.matcher(Files.readString(Path.of("action.yml")));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertEquals(declared, used, "inputs declared and inputs used");
        for (JsonNode step : action.path("runs").path("steps")) {
            if (step.has("run")) {
                assertEquals("bash", step.path("shell").asText(), "a composite action's run step names its shell: " + step);
            } else {
                assertTrue(step.has("uses"), "a step runs a command or uses an action: " + step);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"action.yml", "docs/ci-example.yml", "docs/ci-matrix-example.yml"})
    void everyAbsorbCommandNamesOptionsItHas(String file) throws IOException {
        List<String> calls = new ArrayList<>();
        collectRunText(read(file), calls);
        String jobOptions = Files.readAllLines(Path.of("run-benchmarks.sh")).stream()
                .filter(line -> line.startsWith("job_options=")).findFirst().orElseThrow();
        CommandLine absorb = Main.newCommandLine(new ByteArrayInputStream(new byte[0]));
        int checked = 0;
        for (String text : calls) {
            Matcher call = SCRIPT_CALL.matcher(text);
            while (call.find()) {
                String args = call.group(1).replace("\\\n", " ");
                String[] words = args.trim().split("\\s+");
                CommandLine sub = words.length > 0 ? absorb.getSubcommands().get(words[0]) : null;
                Matcher option = OPTION.matcher(" " + args);
                while (option.find()) {
                    String name = option.group();
                    if (sub != null) {
                        assertTrue(sub.getCommandSpec().optionsMap().containsKey(name),
                                file + ": absorb " + words[0] + " has no option " + name);
                    } else {
                        assertTrue(jobOptions.matches(".*[\" ]" + name + "[,\"].*"),
                                file + ": run-benchmarks.sh has no job option " + name);
                    }
                    checked++;
                }
            }
        }
        assertFalse(checked == 0, file + " runs no absorb command with options");
    }

    private static void collectRunText(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("run") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collectRunText(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRunText(child, out));
        }
    }
}
