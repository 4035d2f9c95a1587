package dev.absorb.cli;

import dev.absorb.format.DecimalText;
import dev.absorb.format.Format;
import dev.absorb.format.RandomBits;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code absorb round}: a stream filter that rounds one number per stdin line to a format.
 * Stochastic rounding draws its bits from {@code RandomBits.of(RandomBits.key(seed, 0), i)} with
 * i the 0-based line index (blank lines count), so a line's result does not depend on the others.
 */
@Command(name = "round",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Rounds one number per stdin line to a number format.",
            "",
            "Input: a decimal (read exactly: every mode, sr and srh too, rounds the decimal's exact value once), a Java hex float (0x1.8p3), NaN, Infinity, -Infinity (inf and nan "
                    + "in any case too); surrounding whitespace is ignored; a Java type suffix (f or d) is rejected. "
                    + "A blank line prints a blank line, so output line i belongs to input line i.",
            "Output: the shortest decimal that parses back to the rounded value as a double, "
                    + "laid out like Java's Double.toString (JDK 19+): 0.5, 448.0, 1.0E-10, -0.0, NaN, Infinity.",
            "Stochastic modes (sr, srh) use random bits from (seed, 0-based line index; blank lines count): "
                    + "the same input gives the same output on every JVM.",
            "The filter stops quietly (exit 0) when its reader closes stdout.",
            "A line that is not a number stops the filter with exit code 2 and names the line; "
                    + "the results of the lines before it have already been written.",
        })
final class RoundCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, paramLabel = "F", converter = Converters.FormatConverter.class,
            description = "number format: fp64, fp32, tf32, bf16, fp16, e5m2, e4m3, e4m3fnuz, e5m2fnuz, "
                    + "e4m3b11fnuz, e3m4, e3m2, e2m3, e2m1, or eXmY / eXmYfn")
    Format format;

    @Option(names = "--rounding", paramLabel = "M", defaultValue = "rne", converter = Converters.RoundingModeConverter.class,
            description = "rounding mode: rne, rna, rtz, rup, rdn, rto, sr, srh (default: ${DEFAULT-VALUE}); fp64 takes only rne")
    RoundingMode mode;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of sr and srh; " + Ranges.SEED + " (default: ${DEFAULT-VALUE}); only with those modes")
    long seed;

    @Option(names = "--sat", description = "saturate overflow to ±max finite (OCP's saturating conversion)")
    boolean saturate;

    @Option(names = "--ftz", description = "flush subnormal results to zero")
    boolean flushToZero;

    private final InputStream in;

    RoundCommand() {
        this(System.in);
    }

    RoundCommand(InputStream in) {
        this.in = in;
    }

    /**
     * True once stdout can no longer be written (its reader closed the pipe). picocli's writer
     * wraps System.out, a PrintStream that keeps write errors to itself, so ask it too.
     */
    private static boolean closed(PrintWriter out) {
        return out.checkError() || System.out.checkError();
    }

    @Override
    public Integer call() {
        Rounding rounding = new Rounding(format, mode, saturate, flushToZero);
        if (seed != 0 && !mode.isStochastic()) {
            throw new IllegalArgumentException("--seed applies only with --rounding sr or srh, not " + mode.key());
        }
        int key = RandomBits.key(seed, 0);
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            int index = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine(), index++) {
                if (!line.isBlank()) {
                    double x;
                    java.math.BigDecimal exact;
                    try {
                        exact = DecimalText.parseExact(line);
                        // fp64 rounds once, in the parser; every other format rounds the value
                        // rounded to odd, which is exact for every deterministic mode.
                        x = format.isFp64() ? DecimalText.parse(line) : DecimalText.parseToOdd(line);
                    } catch (NumberFormatException e) {
                        out.flush();
                        throw new IllegalArgumentException("line " + (index + 1) + ": '" + shortened(line.strip())
                                + "' is not a number (decimal, hex float like 0x1.8p3, NaN, Infinity)");
                    }
                    int bits = rounding.isStochastic() ? RandomBits.of(key, index) : 0;
                    if (mode == RoundingMode.SR && exact != null) {
                        bits = exactDecision(x, exact, bits);
                    }
                    out.print(DecimalText.format(rounding.round(x, bits)));
                }
                out.print('\n');
                // Interactive use: show results as soon as no more input is waiting.
                boolean idle = !reader.ready();
                if (idle) {
                    out.flush();
                }
                // checkError flushes: ask after a flush anyway and every 1024 lines, not per line.
                if ((idle || (index & 1023) == 1023) && closed(out)) {
                    // The reader has gone (a closed pipe): stop quietly.
                    return Errors.OK;
                }
            }
        } catch (IOException e) {
            // stdin has no path to name (e.g. "Is a directory" for absorb round < /)
            java.nio.file.FileSystemException named = new java.nio.file.FileSystemException("stdin", null, Errors.ioMessage(e));
            named.initCause(e);
            throw new UncheckedIOException(named);
        } finally {
            out.flush();
        }
        return Errors.OK;
    }

    /**
     * sr rounds up when bits / 2^32 is below the discarded fraction. The double rounded to odd keeps
     * fewer bits of that fraction than 32 for wide formats, so the decision is taken on the exact
     * fraction and passed on as bits that give the same decision on the double: 0 rounds up (the
     * double's fraction is nonzero whenever the exact one is), -1 rounds down (the double's
     * fraction stays at most 1 - 2^-29 whenever the exact one is at most 1 - 2^-32).
     */
    private int exactDecision(double x, java.math.BigDecimal exact, int bits) {
        double a = Math.abs(x);
        if (a == 0 || Double.isInfinite(a) || Math.getExponent(a) < -1000 || Math.getExponent(a) > 1000) {
            // Outside this range the double keeps far more than 32 bits of every format's fraction.
            return bits;
        }
        int quantumExponent = Math.max(Math.getExponent(a), format.minExponent()) - format.mantissaBits();
        // The magnitude in units of the grid spacing 2^quantumExponent (exact: powers of two are finite decimals).
        java.math.BigDecimal scaled = exact.abs().multiply(quantumExponent <= 0
                ? new java.math.BigDecimal(java.math.BigInteger.TWO.pow(-quantumExponent))
                : java.math.BigDecimal.ONE.divide(new java.math.BigDecimal(java.math.BigInteger.TWO.pow(quantumExponent))));
        java.math.BigDecimal fraction = scaled.subtract(new java.math.BigDecimal(scaled.toBigInteger()));
        if (fraction.signum() == 0) {
            return bits;
        }
        java.math.BigDecimal threshold = new java.math.BigDecimal(Integer.toUnsignedLong(bits))
                .divide(new java.math.BigDecimal(1L << 32));
        return threshold.compareTo(fraction) < 0 ? 0 : -1;
    }

    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
