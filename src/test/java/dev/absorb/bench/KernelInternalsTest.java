package dev.absorb.bench;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarks reach kernel internals by name: this fails as soon as one is renamed or
 * re-typed, and checks each handle reaches the code it names.
 */
class KernelInternalsTest {

    @Test
    void everyHandleResolves() {
        assertTrue(KernelInternals.EXP_POLY != null && KernelInternals.EXP_POLY_VECTOR != null
                && KernelInternals.NEW_VECTOR_ROUNDING != null && KernelInternals.VECTOR_ROUND != null);
        int bits = KernelInternals.FLOATS.vectorBitSize();
        assertTrue(bits <= 256 && bits >= 64, "the kernels' species: at most 256 bits, " + bits);
    }

    @Test
    void thePolynomialIsExp() {
        assertEquals((float) Math.E, KernelInternals.expPoly(1f), Math.ulp((float) Math.E));
        assertEquals(1f, KernelInternals.expPoly(0f));
        float[] x = {-100f, -88f, -1f, 0.5f, 10f, 88f, -0.25f, 3f};
        float[] lanes = new float[x.length];
        FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_256, x, 0);
        KernelInternals.expPoly(v.convertShape(jdk.incubator.vector.VectorOperators.Conversion.ofCast(float.class, float.class),
                KernelInternals.FLOATS, 0).reinterpretAsFloats()).intoArray(lanes, 0);
        for (int i = 0; i < KernelInternals.FLOATS.length(); i++) {
            assertEquals(Float.floatToRawIntBits(KernelInternals.expPoly(x[i])), Float.floatToRawIntBits(lanes[i]), "lane " + i);
        }
    }

    @Test
    void vectorRoundingRoundsAsTheScalarDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (String format : new String[] {"bf16", "fp16", "e4m3", "e2m1"}) {
            Rounding rounding = new Rounding(Format.of(format), RoundingMode.RTZ, false, false);
            Object lanes = KernelInternals.vectorRounding(rounding);
            float[] x = new float[KernelInternals.FLOATS.length()];
            float[] out = new float[x.length];
            for (int trial = 0; trial < 1000; trial++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = Float.intBitsToFloat(random.nextInt());
                }
                KernelInternals.round(lanes, FloatVector.fromArray(KernelInternals.FLOATS, x, 0)).intoArray(out, 0);
                for (int i = 0; i < x.length; i++) {
                    float expected = rounding.round(x[i], 0);
                    assertTrue(Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(out[i])
                            || Float.isNaN(expected) && Float.isNaN(out[i]), format + " " + x[i]);
                }
            }
        }
    }

    @Test
    void aRoundingTheLanesCannotDoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> KernelInternals.vectorRounding(Rounding.nearest(Format.FP64)));
    }
}
