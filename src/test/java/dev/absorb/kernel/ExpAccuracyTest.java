package dev.absorb.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpAccuracyTest {

    /** The scanner's figures for exp=poly, recomputed by a plain loop over the same floats (about 25 000, across a binade edge of the input). */
    @Test
    void polynomialFiguresMatchAPlainLoopOverTheSameFloats() throws InterruptedException {
        float from = -1.002f;
        float to = -0.998f;
        List<ExpAccuracy.Result> results = ExpAccuracy.scan(from, to, 2);
        ExpAccuracy.Result poly = results.get(0);
        long inputs = 0;
        double max = 0;
        for (float x = from; x <= to; x = Math.nextUp(x)) {
            inputs++;
            double reference = StrictMath.exp(x);
            double ulp = Math.scalb(1.0, Math.getExponent(reference) - 23);
            max = Math.max(max, Math.abs(ExpPoly.exp(x) - reference) / ulp);
        }
        assertEquals(inputs, poly.inputs());
        assertEquals(max, poly.maxUlps(), 1e-12);
        assertTrue(poly.maxUlps() < 0.94, "ExpPoly's documented bound");
        assertEquals("exp=jdk", results.get(1).implementation());
        assertEquals(inputs, results.get(1).inputs());
    }
}
