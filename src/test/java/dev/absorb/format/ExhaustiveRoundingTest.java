package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Between every pair of neighbouring values of every format of at most 16 bits: the points a
 * quarter, half (the ties) and three quarters of the way, both signs, every deterministic mode,
 * compared with the BigDecimal oracle. The pair past the top (max finite and the next grid point,
 * which is inf or NaN) and the gap beyond it are included, so overflow is covered too.
 */
class ExhaustiveRoundingTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String name : TestFormats.ENUMERABLE) {
            for (boolean sat : new boolean[] {false, true}) {
                for (boolean ftz : new boolean[] {false, true}) {
                    cases.add(Arguments.of(name, sat, ftz));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} sat={1} ftz={2}")
    @MethodSource("cases")
    void everyQuarterPointRoundsAsTheOracleSays(String name, boolean sat, boolean ftz) {
        // given
        Format f = Format.of(name);
        ExactRounding exact = ExactRounding.of(f, sat, ftz);
        List<Rounding> roundings = new ArrayList<>();
        for (RoundingMode mode : TestFormats.DETERMINISTIC) {
            roundings.add(new Rounding(f, mode, sat, ftz));
        }
        double max = f.maxFinite();
        double topUlp = max - f.decode(f.maxFiniteCode() - 1);
        int pairs = (int) f.maxFiniteCode() + 2; // the finite pairs, (max, max + ulp), (max + ulp, max + 2 ulp)

        // when
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long checked = IntStream.range(0, pairs).parallel().mapToLong(i -> {
            double lo = i <= f.maxFiniteCode() - 1 ? f.decode(i) : max + (i - f.maxFiniteCode()) * topUlp;
            double hi = i < f.maxFiniteCode() ? f.decode(i + 1) : lo + topUlp;
            long n = 0;
            for (double t : new double[] {0.0, 0.25, 0.5, 0.75}) {
                double x = lo + (hi - lo) * t; // exact: needs at most p + 2 bits
                for (double signed : new double[] {x, -x}) {
                    for (Rounding r : roundings) {
                        double expected = exact.round(signed, r.mode());
                        double actual = r.round(signed, 0);
                        n++;
                        if (!TestFormats.same(expected, actual) && failures.size() < 20) {
                            failures.add(r + " of " + TestFormats.show(signed) + ": expected " + expected + ", got " + actual);
                        }
                    }
                }
            }
            return n;
        }).sum();

        // then
        assertTrue(failures.isEmpty(), () -> "failures (of " + checked + " roundings): " + failures);
        assertTrue(checked >= 48L * pairs);
    }
}
