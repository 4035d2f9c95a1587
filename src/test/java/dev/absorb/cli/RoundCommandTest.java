package dev.absorb.cli;

import dev.absorb.format.DecimalText;
import dev.absorb.format.Format;
import dev.absorb.format.RandomBits;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundCommandTest {

    private static void assertRounds(String stdin, String expected, String... args) {
        CliRunner r = CliRunner.withStdin(stdin, args);
        assertEquals("", r.err());
        assertEquals(0, r.exitCode());
        assertEquals(expected, r.out());
    }

    @Test
    void bf16TiesGoToEven() {
        // 1 + 2^-8 and 1 + 3·2^-8 are midpoints of bf16's grid at 1 (ulp 2^-7).
        assertRounds("1.00390625\n1.01171875\n", "1.0\n1.015625\n", "round", "--format", "bf16");
    }

    @Test
    void specialsHexAndBlankLines() {
        assertRounds("-0.0\nNaN\n\n0x1.8p3\n  -Infinity \ninf\n0.1\n",
                "-0.0\nNaN\n\n12.0\n-Infinity\nInfinity\n0.10009765625\n",
                "round", "--format", "bf16");
    }

    @Test
    void lastLineWithoutNewlineAndCrLf() {
        assertRounds("0.1\r\n0.5", "0.10000000149011612\n0.5\n", "round", "--format", "fp32");
    }

    @Test
    void e4m3TopFollowsTheOcpTable() {
        assertRounds("448\n464\n465\n-465\n", "448.0\n448.0\nNaN\nNaN\n", "round", "--format", "e4m3");
        assertRounds("465\n1e6\n-Infinity\n", "448.0\n448.0\n-448.0\n", "round", "--format", "e4m3", "--sat");
    }

    @Test
    void fp16OverflowDependsOnMode() {
        assertRounds("65519\n65520\n", "65504.0\nInfinity\n", "round", "--format", "fp16");
        assertRounds("65520\n", "65504.0\n", "round", "--format", "fp16", "--rounding", "rtz");
    }

    @Test
    void ftzFlushesSubnormals() {
        assertRounds("1e-40\n", "9.99994610111476E-41\n", "round", "--format", "fp32");
        assertRounds("1e-40\n-1e-40\n", "0.0\n-0.0\n", "round", "--format", "fp32", "--ftz");
    }

    @Test
    void stochasticRoundingDrawsBitsFromSeedAndLineIndex() {
        Rounding sr = new Rounding(Format.of("bf16"), RoundingMode.SR, false, false);
        int key = RandomBits.key(7, 0);
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            in.append("1.001\n");
            expected.append(DecimalText.format(sr.round(1.001, RandomBits.of(key, i)))).append('\n');
        }
        assertRounds(in.toString(), expected.toString(), "round", "--format", "bf16", "--rounding", "sr", "--seed", "7");
        String out = CliRunner.withStdin(in.toString(), "round", "--format", "bf16", "--rounding", "sr", "--seed", "7").out();
        assertTrue(out.contains("1.0\n") && out.contains("1.0078125\n"), "sr should round both ways: " + out);
    }

    @Test
    void unknownFormatExits2AndListsTheValidOnes() {
        CliRunner r = CliRunner.withStdin("1\n", "round", "--format", "bf17");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().startsWith("absorb round: "), r.err());
        assertTrue(r.err().contains("'bf17'") && r.err().contains("fp64, fp32, tf32, bf16, fp16"), r.err());
    }

    @Test
    void unknownRoundingExits2() {
        CliRunner r = CliRunner.withStdin("1\n", "round", "--format", "bf16", "--rounding", "nearest");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("rne, rna, rtz, rup, rdn, rto, sr, srh"), r.err());
    }

    @Test
    void fp64TakesOnlyRne() {
        CliRunner r = CliRunner.withStdin("1\n", "round", "--format", "fp64", "--rounding", "rtz");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("only rne"), r.err());
        assertRounds("0.1\n", "0.1\n", "round", "--format", "fp64");
    }

    @Test
    void seedWithoutStochasticModeExits2() {
        CliRunner r = CliRunner.withStdin("1\n", "round", "--format", "bf16", "--seed", "3");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("--seed"), r.err());
    }

    @Test
    void nonNumericLineNamesItsLineNumberAfterEarlierResults() {
        CliRunner r = CliRunner.withStdin("1\n\nabc\n2\n", "round", "--format", "bf16");
        assertEquals(2, r.exitCode());
        assertEquals("1.0\n\n", r.out());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().startsWith("absorb round: line 3: 'abc' is not a number"), r.err());
    }

    @Test
    void typeSuffixIsNotANumber() {
        CliRunner r = CliRunner.withStdin("0.1f\n", "round", "--format", "bf16");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("line 1"), r.err());
    }

    @Test
    void missingFormatExits2() {
        CliRunner r = CliRunner.withStdin("1\n", "round");
        assertEquals(2, r.exitCode());
        assertTrue(r.oneErrorLine(), r.err());
        assertTrue(r.err().contains("--format"), r.err());
    }

    @Test
    void emptyInputPrintsNothing() {
        assertRounds("", "", "round", "--format", "e5m2");
    }
}
