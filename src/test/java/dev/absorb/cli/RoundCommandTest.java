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
            in.append("1.0009765625\n");
            expected.append(DecimalText.format(sr.round(1.0009765625, RandomBits.of(key, i)))).append('\n');
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

    @Test
    void longDecimalsRoundOnceFromTheirExactValue() {
        // Just above bf16's midpoint 1 + 2^-8: a double would read it as the midpoint itself.
        assertRounds("1.00390625000000000000000001\n-1.00390625000000000000000001\n", "1.0078125\n-1.0078125\n",
                "round", "--format", "bf16");
        // Just below the grid point 1 + 2^-7: a double would read it as the grid point itself.
        assertRounds("1.00781249999999999999999\n", "1.0\n", "round", "--format", "bf16", "--rounding", "rtz");
        assertRounds("1.00781249999999999999999\n", "1.0\n", "round", "--format", "bf16", "--rounding", "rdn");
        assertRounds("1.00781250000000000000001\n", "1.015625\n", "round", "--format", "bf16", "--rounding", "rup");
        assertRounds("1.00390624999999999999999\n", "1.0\n", "round", "--format", "bf16", "--rounding", "rna");
        // Beyond double's range, and beyond BigDecimal's exponents.
        assertRounds("1e400\n1e-400\n1e99999999999\n", "3.3895313892515355E38\n0.0\n3.3895313892515355E38\n",
                "round", "--format", "bf16", "--rounding", "rtz");
        assertRounds("1e-400\n1e-99999999999\n", "9.183549615799121E-41\n9.183549615799121E-41\n",
                "round", "--format", "bf16", "--rounding", "rup");
    }

    @Test
    void fp64ReadsTheDecimalOnce() {
        // 1 + 2^-53 + tiny rounds up to 1 + 2^-52; rounding to odd first and then again would too,
        // but 1 + 2^-53 exactly is a tie and goes to even.
        assertRounds("1.00000000000000011102230246251565404236316680908203125\n"
                + "1.000000000000000111022302462515654042363166809082031250001\n",
                "1.0\n1.0000000000000002\n", "round", "--format", "fp64");
    }

    @Test
    void stochasticRoundingDecidesOnTheExactFraction() {
        // fp32 at 1: the fraction's unit is 2^-23, sr compares it with bits / 2^32, so a value
        // that equals the threshold needs 55 bits: more than a double holds.
        int bits = RandomBits.of(RandomBits.key(0, 0), 0);
        java.math.BigDecimal threshold = java.math.BigDecimal.ONE.add(new java.math.BigDecimal(Integer.toUnsignedLong(bits))
                .multiply(new java.math.BigDecimal(Math.scalb(1.0, -55))));
        String at = threshold.toPlainString();
        String above = threshold.add(new java.math.BigDecimal("1e-40")).toPlainString();
        String below = threshold.subtract(new java.math.BigDecimal("1e-40")).toPlainString();
        String up = DecimalText.format(Math.nextUp(1.0f));
        assertRounds(at + "\n", "1.0\n", "round", "--format", "fp32", "--rounding", "sr");
        assertRounds(below + "\n", "1.0\n", "round", "--format", "fp32", "--rounding", "sr");
        assertRounds(above + "\n", up + "\n", "round", "--format", "fp32", "--rounding", "sr");
    }

    @Test
    void stopsQuietlyWhenStdoutIsClosed() throws Exception {
        java.io.InputStream endless = new java.io.InputStream() {
            private final byte[] line = "1.5\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            private long i;

            @Override
            public int read() {
                return line[(int) (i++ % line.length)];
            }
        };
        picocli.CommandLine commandLine = Main.newCommandLine(endless);
        java.io.Writer closed = new java.io.Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }

            @Override
            public void flush() throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }

            @Override
            public void close() {
            }
        };
        java.io.StringWriter err = new java.io.StringWriter();
        commandLine.setOut(new java.io.PrintWriter(closed));
        commandLine.setErr(new java.io.PrintWriter(err));
        java.util.concurrent.Future<Integer> run = java.util.concurrent.Executors.newSingleThreadExecutor(t -> {
            Thread thread = new Thread(t);
            thread.setDaemon(true);
            return thread;
        }).submit(() -> commandLine.execute("round", "--format", "bf16"));
        assertEquals(0, run.get(20, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("", err.toString());
    }
}
