package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The classic stagnation check (REFERENCES.md): the harmonic series with each term 1/k and every
 * partial sum rounded to the format under rne stops changing at a known k.
 */
class HarmonicStagnationTest {

    @ParameterizedTest(name = "{0}: stagnates at k = {1}, sum {2}")
    @CsvSource({"fp16, 513, 7.0859375", "bf16, 65, 5.0625"})
    void harmonicSeriesStagnates(String name, int expectedK, double expectedSum) {
        // given
        Rounding rne = Rounding.nearest(Format.of(name));
        double sum = 0;
        int k = 0;

        // when: add rounded terms until the rounded sum stops changing
        while (true) {
            k++;
            double term = rne.divide(1, k, 0);
            double next = rne.add(sum, term, 0);
            if (next == sum) {
                break;
            }
            sum = next;
        }

        // then
        assertEquals(expectedK, k);
        assertEquals(expectedSum, sum);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fp16", "bf16"})
    void stochasticRoundingKeepsTheSumMoving(String name) {
        // given: sr (Connolly, Higham, Mary 2021) does not stagnate where rne does
        Format f = Format.of(name);
        Rounding sr = new Rounding(f, RoundingMode.SR, false, false);
        int key = RandomBits.key(1, 0);
        double sum = 0;

        // when: twice as many terms as rne manages
        int terms = name.equals("fp16") ? 1026 : 130;
        for (int k = 1; k <= terms; k++) {
            sum = sr.add(sum, sr.divide(1, k, RandomBits.of(key, 2 * k)), RandomBits.of(key, 2 * k + 1));
        }

        // then: beyond the stagnation value, near the true sum ln(n) + 0.5772
        double stagnated = name.equals("fp16") ? 7.0859375 : 5.0625;
        double exact = Math.log(terms) + 0.5772156649 + 1.0 / (2 * terms);
        org.junit.jupiter.api.Assertions.assertTrue(sum > stagnated, "sum " + sum);
        assertEquals(exact, sum, exact * 0.05);
    }
}
