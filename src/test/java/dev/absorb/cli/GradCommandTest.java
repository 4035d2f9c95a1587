package dev.absorb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradCommandTest {

    /** The text output as key → value; checks the two-space alignment on the way. */
    private static Map<String, String> text(CliRunner r) {
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        Map<String, String> fields = new LinkedHashMap<>();
        int column = -1;
        for (String line : r.out().split("\n")) {
            int value = line.indexOf("  ");
            while (line.charAt(value) == ' ') {
                value++;
            }
            assertTrue(column < 0 || column == value, "values are aligned: " + r.out());
            column = value;
            fields.put(line.substring(0, line.indexOf(' ')), line.substring(value));
        }
        return fields;
    }

    @Test
    void fp32TwoClassesAtGapZeroByHand() {
        // z = (0, 0): S = 2, r = lse = ln 2 rounded to fp32, p = exp(-r) = 0.5 to within far less
        // than half an fp32 ulp, so g_y = 0.5 - 1 = -0.5 and g_1 = 0.5 exactly.
        Map<String, String> f = text(CliRunner.run("grad", "fp32", "--classes", "2", "--gap", "0"));
        double lnTwo = (float) StrictMath.log(2);
        assertEquals(lnTwo, Double.parseDouble(f.get("lse")));
        assertEquals("0.6931471824645996", f.get("lse"));
        assertEquals(f.get("lse"), f.get("loss"));
        assertEquals("-0.5", f.get("g_y"));
        assertEquals("0.5", f.get("g_other_max"));
        assertEquals("0.0", f.get("sum"));
        assertEquals("1.0", f.get("abs_sum"));
        assertEquals("0.0", f.get("zero_sum_residual"));
        assertEquals("false", f.get("absorbed"));
        assertEquals("false", f.get("others_zero"));
        assertEquals("fp32", f.get("recipe"));
        assertEquals("2", f.get("classes"));
        assertEquals("flat", f.get("family"));
        assertEquals("0", f.get("target"));
        assertEquals("0.0", f.get("gap"));
    }

    @Test
    void recipeIsPrintedCanonically() {
        Map<String, String> f = text(CliRunner.run("grad", "fp32/acc=fp32/grad=complement", "--classes", "4", "--gap", "1"));
        assertEquals("fp32/grad=complement", f.get("recipe"));
    }

    @Test
    void storedGapIsAValueOfTheFormat() {
        Map<String, String> f = text(CliRunner.run("grad", "bf16", "--classes", "10", "--gap", "20.1", "--target", "last"));
        assertEquals("20.1", f.get("gap_requested"));
        assertEquals("20.125", f.get("gap"));
        assertEquals("9", f.get("target"));
        assertEquals("last", f.get("position"));
    }

    @Test
    void bf16AtLlamaVocabularyIsAbsorbedAtGap20() {
        // ln(C-1) + 8 ln 2 ≈ 17.3 for C = 128256: at gap 20, p_y rounds to 1 in bf16.
        Map<String, String> f = text(CliRunner.run("grad", "bf16", "--classes", "128256", "--gap", "20"));
        assertEquals("0.0", f.get("g_y"));
        assertEquals("true", f.get("absorbed"));
        assertEquals("false", f.get("others_zero"));
        assertEquals("1.0", f.get("zero_sum_residual"));
    }

    @Test
    void jsonCarriesTheSameNumbers() throws Exception {
        String[] args = {"grad", "bf16/acc=fp32", "--classes", "1000", "--gap", "9", "--family", "gauss", "--seed", "3", "--target", "random"};
        Map<String, String> f = text(CliRunner.run(args));
        CliRunner r = CliRunner.run(append(args, "--json"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().endsWith("}\n") && r.out().indexOf('\n') == r.out().length() - 1, "one line: " + r.out());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(f.keySet(), iterable(json));
        assertEquals("bf16/acc=fp32", json.get("recipe").asText());
        assertEquals(1000, json.get("classes").intValue());
        assertTrue(json.get("absorbed").isBoolean());
        for (String key : new String[] {"lse", "loss", "g_y", "g_other_max", "sum", "abs_sum", "gap", "zero_sum_residual"}) {
            assertTrue(json.get(key).isNumber(), key);
            assertEquals(Double.parseDouble(f.get(key)), json.get(key).doubleValue(), key);
            assertEquals(f.get(key), json.get(key).toString(), key);
        }
    }

    @Test
    void nonFiniteNumbersAreJsonStrings() throws Exception {
        // naive has no max shift: exp(100) is far past fp16 max, so S and lse overflow.
        CliRunner r = CliRunner.run("grad", "fp16/algo=naive", "--classes", "4", "--gap", "100", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("lse").isTextual(), r.out());
        assertEquals("Infinity", json.get("lse").asText(), r.out());
    }

    @Test
    void badRecipeValueExits2() {
        CliRunner r = CliRunner.run("grad", "fp32/acc=foo", "--classes", "10", "--gap", "1");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().startsWith("absorb grad: "), r.err());
        assertTrue(r.err().contains("'foo'") && r.err().contains("kahan"), r.err());
    }

    @Test
    void badMitigationValueExits2WithTheValidRange() {
        CliRunner r = CliRunner.run("grad", "torch:bf16/smooth=2", "--classes", "10", "--gap", "1");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("'2'") && r.err().contains("a number from 0 to 1"), r.err());
    }

    @Test
    void unknownRecipeFormatExits2() {
        CliRunner r = CliRunner.run("grad", "bf17", "--classes", "10", "--gap", "1");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("bf16"), r.err());
    }

    @Test
    void oneClassExits2() {
        CliRunner r = CliRunner.run("grad", "fp32", "--classes", "1", "--gap", "1");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("--classes must be at least 2 and at most 16777216, not 1"), r.err());
    }

    @Test
    void gapThatIsNotANumberExits2() {
        CliRunner r = CliRunner.run("grad", "fp32", "--classes", "10", "--gap", "abc");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("--gap") && r.err().contains("'abc' is not a number"), r.err());
    }

    @Test
    void unknownFamilyAndTargetExit2WithChoices() {
        CliRunner r = CliRunner.run("grad", "fp32", "--classes", "10", "--gap", "1", "--family", "uniform");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("flat, gauss, runnerup"), r.err());
        r = CliRunner.run("grad", "fp32", "--classes", "10", "--gap", "1", "--target", "middle");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("first, last, random"), r.err());
    }

    @Test
    void missingRecipeExits2() {
        CliRunner r = CliRunner.run("grad", "--classes", "10", "--gap", "1");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
    }

    private static String[] append(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }

    private static java.util.Set<String> iterable(JsonNode json) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
