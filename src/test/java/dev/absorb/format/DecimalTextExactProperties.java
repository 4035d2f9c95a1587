package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Long decimal text, a hair off a grid point or a midpoint, rounds in every deterministic mode as
 * its exact value does: the value rounded to odd in double, rounded once more, is the exact rounding.
 */
class DecimalTextExactProperties {

    private static final String[] FORMATS = {"fp32", "tf32", "bf16", "fp16", "e5m2", "e4m3", "e3m4", "e2m1"};

    @Provide
    Arbitrary<Rounding> roundings() {
        return Combinators.combine(Arbitraries.of(FORMATS), Arbitraries.of(TestFormats.DETERMINISTIC),
                        Arbitraries.of(false, true))
                .as((f, mode, sat) -> new Rounding(Format.of(f), mode, sat, false));
    }

    /** A grid point or midpoint of bf16..fp32 grids (a double with few bits), nudged by ±10^-k, k in [20, 60]. */
    @Provide
    Arbitrary<String> nearGrid() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 1 << 25),
                        Arbitraries.integers().between(-30, 10),
                        Arbitraries.of(-1, 0, 1),
                        Arbitraries.integers().between(20, 60),
                        Arbitraries.of(false, true))
                .as((units, exp, nudge, k, negative) -> {
                    BigDecimal v = new BigDecimal(Math.scalb((double) units, exp));
                    v = v.add(BigDecimal.ONE.movePointLeft(k).multiply(BigDecimal.valueOf(nudge)).multiply(v));
                    return (negative ? "-" : "") + v.toPlainString();
                });
    }

    @Property(tries = 3000)
    void roundsFromTheExactDecimal(@ForAll("roundings") Rounding r, @ForAll("nearGrid") String text) {
        BigDecimal exact = new BigDecimal(text);
        double expected = ExactRounding.of(r).round(exact, text.startsWith("-"), r.mode(), 0);
        double actual = r.round(DecimalText.parseToOdd(text), 0);
        assertEquals(expected, actual, () -> r + " " + text);
    }
}
