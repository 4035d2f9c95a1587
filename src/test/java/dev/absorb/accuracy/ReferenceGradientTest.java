package dev.absorb.accuracy;

import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.ReferenceLse;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceGradientTest {

    private static final Recipe FP64 = Recipe.parse("fp64");

    @Test
    void flatLogitsGiveTheClosedForm() {
        // z_y = gap, the other C − 1 logits 0: p_j = 1 / (e^gap + C − 1), g_y = −(C − 1)·p_j.
        int classes = 128256;
        double gap = 12.5;
        double[] z = new double[classes];
        z[0] = gap;
        double[] g = new double[classes];

        ReferenceGradient.of(FP64, z, 0, ReferenceLse.of(FP64, z), g);

        double p = 1 / (Math.exp(gap) + classes - 1);
        assertEquals(p, g[1], 1e-14 * p);
        assertEquals(p, g[classes - 1], 1e-14 * p);
        assertEquals(-(classes - 1) * p, g[0], 1e-13 * (classes - 1) * p);
    }

    @Test
    void stableMaxFollowsItsOwnLoss() {
        // s(2) = 3, s(0) = 1, s(−1) = 1/2; S = 4.5, s'(2) = 1, s'(0) = 1, s'(−1) = 1/4.
        Recipe recipe = Recipe.parse("fp32/norm=stablemax");
        double[] z = {2, 0, -1};
        double[] g = new double[3];

        ReferenceGradient.of(recipe, z, 0, Double.NaN, g);

        assertEquals(1 / 4.5, g[1], 1e-16);
        assertEquals(0.25 / 4.5, g[2], 1e-16);
        // s'(z_y)/S − s'(z_y)/s(z_y) = 1/4.5 − 1/3
        assertEquals(1 / 4.5 - 1.0 / 3, g[0], 1e-16);
    }

    @Property(tries = 200)
    void theExactGradientSumsToZeroAndHasTheRightSigns(@ForAll @IntRange(min = 2, max = 3000) int classes,
                                                       @ForAll @DoubleRange(min = 0, max = 60) double gap,
                                                       @ForAll long seed) {
        double[] z = new double[classes];
        SplittableRandom random = new SplittableRandom(seed);
        int y = random.nextInt(classes);
        for (int j = 0; j < classes; j++) {
            z[j] = 3 * random.nextGaussian();
        }
        z[y] = gap + 12;
        double[] g = new double[classes];

        ReferenceGradient.of(FP64, z, y, ReferenceLse.of(FP64, z), g);

        ReferenceGradient.Neumaier sum = new ReferenceGradient.Neumaier();
        double mass = 0;
        for (int j = 0; j < classes; j++) {
            sum.add(g[j]);
            mass += Math.abs(g[j]);
            assertTrue(j == y ? g[j] <= 0 : g[j] >= 0);
        }
        assertTrue(Math.abs(sum.value()) <= 1e-14 * mass, "sum " + sum.value() + " of mass " + mass);
    }

    @Property(tries = 200)
    void neumaierRecoversWhatPlainSummationLoses(@ForAll @DoubleRange(min = 1, max = 1e6) double big,
                                                 @ForAll @IntRange(min = 1, max = 1000) int count) {
        // big, then count copies of an ulp-sized term that plain addition would drop, then −big.
        double small = Math.ulp(big) / 4;
        ReferenceGradient.Neumaier sum = new ReferenceGradient.Neumaier();
        sum.add(big);
        for (int i = 0; i < count; i++) {
            sum.add(small);
        }
        sum.add(-big);

        assertEquals(count * small, sum.value(), 1e-12 * count * small);
    }
}
