package dev.absorb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The help texts and the numeric options' ranges: every command's help prints without picocli
 * warnings, `absorb --help` shows each command's whole one-line summary, every numeric option
 * names its range in its help, and every command refuses a value outside it (NaN and infinities
 * too) with one line and exit 2.
 */
class HelpAndRangesTest {

    private static final Set<Class<?>> NUMERIC = Set.of(int.class, Integer.class, long.class, Long.class,
            double.class, Double.class, float.class, Float.class);
    /** String options that carry numbers. */
    private static final Set<String> NUMERIC_TEXT = Set.of("--max-alloc-growth");

    private static Map<String, CommandLine> commands() {
        return Main.newCommandLine(System.in).getSubcommands();
    }

    @Test
    void everyHelpPrintsWithoutWarnings() {
        PrintStream systemErr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>(commands().keySet());
        names.add(null);
        try {
            // picocli's own warnings (an unescaped % in a description) go to System.err
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            for (String name : names) {
                CliRunner r = name == null ? CliRunner.run("--help") : CliRunner.run(name, "--help");
                assertEquals(0, r.exitCode(), name);
                assertEquals("", r.err(), name);
                assertTrue(r.out().startsWith(name == null ? "Usage: absorb " : "Usage: absorb " + name), r.out());
            }
        } finally {
            System.setErr(systemErr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandListShowsEveryWholeSummary() {
        // given
        String help = CliRunner.run("--help").out().replaceAll("\\s+", " ");

        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            String summary = command.getValue().getCommandSpec().usageMessage().description()[0];
            // then: one sentence, ending where its line ends, and all of it in absorb --help
            assertTrue(summary.endsWith(".") && summary.indexOf(". ") < 0, command.getKey() + ": " + summary);
            assertTrue(summary.length() <= 80, command.getKey() + ": a summary of one line: " + summary);
            assertTrue(help.contains(command.getKey() + " " + summary), command.getKey() + ": " + summary + " in " + help);
        }
    }

    @Test
    void everyCommandPrintsTheVersion() {
        for (String name : commands().keySet()) {
            CliRunner r = CliRunner.run(name, "--version");
            assertEquals(0, r.exitCode(), name);
            assertTrue(r.out().startsWith("absorb "), name + ": " + r.out());
        }
    }

    @Test
    void everyNumericOptionNamesItsRange() {
        List<String> numeric = new ArrayList<>();
        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                if (isNumeric(option)) {
                    String description = String.join(" ", option.description());
                    numeric.add(command.getKey() + " " + option.longestName());
                    assertTrue(description.contains("range: "), command.getKey() + " " + option.longestName() + ": " + description);
                }
            }
        }
        // the check saw the options it is about
        assertTrue(numeric.containsAll(List.of("sweep --grid-cells", "sweep --offset", "grad --gap", "grad --classes",
                "round --seed", "gate --max-slowdown", "compare --alpha", "exp-accuracy --threads")), numeric.toString());
    }

    private static boolean isNumeric(OptionSpec option) {
        if (NUMERIC_TEXT.contains(option.longestName())) {
            return true;
        }
        if (NUMERIC.contains(option.type())) {
            return true;
        }
        Type generic = option.userObject() instanceof java.lang.reflect.Field
                ? ((java.lang.reflect.Field) option.userObject()).getGenericType() : null;
        return generic instanceof ParameterizedType
                && NUMERIC.contains(((ParameterizedType) generic).getActualTypeArguments()[0]);
    }

    /** Each command with a value outside its option's range; the message names the option. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "grad fp32 --classes 10 --gap NaN                  | grad    | --gap; not a finite number",
        "grad fp32 --classes 10 --gap -Infinity            | grad    | --gap; not a finite number",
        "grad fp32 --classes 10 --gap 1 --offset nan       | grad    | --offset; not a finite number",
        "grad fp32 --classes 10 --gap 1 --offset inf       | grad    | --offset; not a finite number",
        "grad fp32 --classes 16777217 --gap 1              | grad    | --classes; at most 16777216; not 16777217",
        "grad fp32 --classes 10 --gap 1 --seed 9223372036854775808 | grad | --seed",
        "sweep --offset NaN                                | sweep   | --offset; not a finite number",
        "sweep --grid-cells 1000000000                     | sweep   | --grid-cells; at most 65536",
        "sweep --threads 0                                 | sweep   | --threads; at least 1",
        "sweep --threads 1025                              | sweep   | --threads; at most 1024",
        "sweep --classes 2,16777217                        | sweep   | --classes; at most 16777216",
        "round --format bf16 --rounding sr --seed 1e3      | round   | --seed",
        "compare --alpha NaN a.json b.json                 | compare | --alpha; not a finite number",
        "compare --alpha 1 a.json b.json                   | compare | --alpha must be between 0 and 1",
        "gate --alpha 0 --baseline a --current b           | gate    | --alpha must be between 0 and 1",
        "gate --max-slowdown NaN% --baseline a --current b | gate    | --max-slowdown; finite",
        "gate --max-slowdown -1% --baseline a --current b  | gate    | --max-slowdown; non-negative",
        "gate --max-alloc-growth Infinity --baseline a --current b | gate | allocation allowance",
        "exp-accuracy --from NaN                           | exp-accuracy | --from and --to must be finite",
        "exp-accuracy --threads 0                          | exp-accuracy | --threads; at least 1",
        "bench --classes 1                                 | bench   | --classes; at least 2",
        "safe --classes 1000 --gap NaN                     | safe    | --gap; not a finite number",
        "safe --classes 16777217 --gap 1                   | safe    | --classes; at most 16777216",
        "safe --classes 1000 --gap 1 --threads 0           | safe    | --threads; at least 1",
        "scan --logits x.csv --recipes bf16 --threads 2000 | scan    | --threads; at most 1024",
    })
    void outOfRangeValuesExit2OnOneLine(String args, String command, String fragments, @TempDir Path dir) throws IOException {
        // when: run in an empty folder, so that anything written would show
        List<String> argv = new ArrayList<>(List.of(args.strip().split(" +")));
        if (command.strip().equals("sweep")) {
            argv.addAll(List.of("--out", dir.resolve("run").toString()));
        }
        if (command.strip().equals("bench")) {
            argv.addAll(List.of("--results-dir", dir.resolve("results").toString()));
        }
        CliRunner r = CliRunner.run(argv.toArray(String[]::new));

        // then
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().startsWith("absorb " + command.strip() + ": "), r.err());
        for (String fragment : fragments.split(";")) {
            assertTrue(r.err().contains(fragment.strip()), fragment.strip() + " in " + r.err());
        }
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing written");
        }
    }

    @Test
    void completionPrintsAScriptForEveryCommand() {
        CliRunner r = CliRunner.run("completion");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("complete -F"), "a bash completion function is registered");
        for (String name : commands().keySet()) {
            assertTrue(r.out().contains(name), name);
        }
        assertTrue(r.out().contains("--grid-cells") && r.out().contains("--max-slowdown"), "options are completed");
        assertFalse(r.out().isBlank());
    }
}
