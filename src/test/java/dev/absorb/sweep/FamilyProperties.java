package dev.absorb.sweep;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logit families (DESIGN.md §5, docs/decisions.md "Families"): what {@link Family#fill} and
 * {@link Family#setGap} store and return. The threshold finder relies on every one of these:
 * it fills once and then only moves z_y with {@code setGap}, and reports the returned gap.
 */
class FamilyProperties {

    /** A family, a format, C, a target, a gap parameter, an offset and a seed. */
    record Case(Family family, Format format, int classes, int target, double gap, double offset, long seed) {
        double[] fill() {
            double[] z = new double[classes];
            family.fill(z, target, gap, offset, format, seed);
            return z;
        }
    }

    @Provide
    Arbitrary<Format> formats() {
        return Arbitraries.of("fp64", "fp32", "tf32", "bf16", "fp16", "e5m2", "e4m3", "e4m3fnuz", "e3m4", "e2m3", "e2m1")
                .map(Format::of);
    }

    /**
     * Cases whose logits stay inside the format's finite range: |o| + 8 (the runner-up's drop)
     * plus the gap at most the largest finite value (beyond it z_y is inf or NaN, which no
     * threshold search reaches without an offset).
     */
    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> classes = Arbitraries.oneOf(Arbitraries.of(2, 3), Arbitraries.integers().between(2, 300));
        return formats().flatMap(format -> {
            double offsetBound = Math.min(20, format.maxFinite() / 4);
            double gapBound = Math.min(120, format.maxFinite() / 2);
            Arbitrary<Double> offsets = Arbitraries.oneOf(Arbitraries.of(0.0),
                    Arbitraries.doubles().between(-offsetBound, offsetBound).ofScale(4));
            Arbitrary<Double> gaps = gaps().map(g -> Math.min(g, gapBound));
            return Combinators.combine(Arbitraries.of(Family.class), classes, Arbitraries.doubles().between(0, 1), gaps,
                            offsets, Arbitraries.longs())
                    .as((family, c, where, gap, offset, seed) ->
                            new Case(family, format, c, Math.min(c - 1, (int) (where * c)), gap, offset, seed));
        });
    }

    /** Gap parameters from 0 to beyond any format's underflow gap, with small ones favoured. */
    private static Arbitrary<Double> gaps() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 20).ofScale(6),
                Arbitraries.doubles().between(0, 120).ofScale(3),
                Arbitraries.of(0.0, 0.1, 1.0, 2.75, 17.34375, 93.0));
    }

    private static double maxOther(double[] z, int y) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            if (j != y) {
                m = Math.max(m, z[j]);
            }
        }
        return m;
    }

    @Property(tries = 400)
    void returnedGapIsTheStoredGap(@ForAll("cases") Case c) {
        // given
        double[] z = new double[c.classes()];

        // when
        double gap = c.family().fill(z, c.target(), c.gap(), c.offset(), c.format(), c.seed());

        // then
        assertEquals(z[c.target()] - maxOther(z, c.target()), gap, "z_y - max_{j!=y} z_j");
        assertEquals(z[c.target()] - maxOther(z, c.target()),
                c.family().setGap(z, c.target(), c.gap(), c.offset(), c.format()), "setGap returns the same stored gap");
    }

    @Property(tries = 400)
    void everyLogitIsAValueOfTheFormat(@ForAll("cases") Case c) {
        // given
        Rounding store = Rounding.nearest(c.format());

        // when
        double[] z = c.fill();

        // then: rounding to the format again changes nothing (the logits are stored values)
        for (int j = 0; j < z.length; j++) {
            double x = z[j];
            assertFalse(Double.isNaN(x), "logit " + j + " is a number");
            assertEquals(x, store.round(x, 0), "z[" + j + "] = " + x + " is a value of " + c.format());
        }
    }

    @Property(tries = 300)
    void setGapMovesOnlyTheTargetAndMatchesAFreshFill(@ForAll("cases") Case c, @ForAll("gaps") double anyGap) {
        // given
        double newGap = Math.min(anyGap, c.format().maxFinite() / 2);
        double[] z = c.fill();
        double[] before = z.clone();
        Case refilled = new Case(c.family(), c.format(), c.classes(), c.target(), newGap, c.offset(), c.seed());

        // when
        double gap = c.family().setGap(z, c.target(), newGap, c.offset(), c.format());

        // then
        for (int j = 0; j < z.length; j++) {
            if (j != c.target()) {
                assertEquals(before[j], z[j], "only z_y depends on the gap; z[" + j + "] moved");
            }
        }
        assertArrayEquals(refilled.fill(), z, "setGap after fill = fill with the new gap");
        assertEquals(refilled.family().fill(new double[c.classes()], c.target(), newGap, c.offset(), c.format(), c.seed()), gap);
    }

    @Provide("gaps")
    Arbitrary<Double> gapsProvider() {
        return gaps();
    }

    @Property(tries = 300)
    void aLargerGapParameterNeverGivesASmallerStoredGap(@ForAll("cases") Case c, @ForAll @DoubleRange(min = 0, max = 1) double more) {
        // The finder bisects over gap codes: that needs the stored gap to be monotone in the parameter.
        double[] z = c.fill();
        double larger = c.gap() + more * (c.format().maxFinite() / 2 - c.gap());
        double g1 = c.family().setGap(z, c.target(), c.gap(), c.offset(), c.format());
        double g2 = c.family().setGap(z, c.target(), larger, c.offset(), c.format());
        assertTrue(g2 >= g1, g2 + " >= " + g1);
    }

    @Property(tries = 300)
    void fillIsDeterministicForASeed(@ForAll("cases") Case c) {
        assertArrayEquals(c.fill(), c.fill());
    }

    @Property(tries = 200)
    void familyShapes(@ForAll("cases") Case c) {
        // given
        Rounding store = Rounding.nearest(c.format());
        double level = store.round(c.offset(), 0);
        int y = c.target();

        // when
        double[] z = c.fill();

        // then
        switch (c.family()) {
            case FLAT:
                for (int j = 0; j < z.length; j++) {
                    if (j != y) {
                        assertEquals(level, z[j], "flat: every other logit is the offset");
                    }
                }
                assertEquals(store.round(level + c.gap(), 0), z[y], "flat: z_y = rd(o + gap)");
                break;
            case RUNNERUP:
                int rival = (y + 1) % c.classes();
                double rest = store.round(c.offset() - 8, 0);
                for (int j = 0; j < z.length; j++) {
                    if (j != y) {
                        assertEquals(j == rival ? level : rest, z[j], "runnerup: logit " + j);
                    }
                }
                assertEquals(store.round(level + c.gap(), 0), z[y], "runnerup: z_y = rd(o + gap)");
                break;
            case GAUSS:
                assertEquals(store.round(maxOther(z, y) + c.gap(), 0), z[y], "gauss: z_y = rd(max others + gap)");
                break;
        }
    }

    @Property(tries = 100)
    void gaussDiffersBetweenSeeds(@ForAll long seed, @ForAll @IntRange(min = 16, max = 200) int classes,
                                  @ForAll("wideFormats") Format format) {
        // given
        double[] a = new double[classes];
        double[] b = new double[classes];

        // when
        Family.GAUSS.fill(a, 0, 5, 0, format, seed);
        Family.GAUSS.fill(b, 0, 5, 0, format, seed + 1);

        // then: 15+ draws of N(0,1) on a 8-bit-or-better grid never all coincide for two seeds
        assertFalse(Arrays.equals(a, b), "seeds " + seed + " and " + (seed + 1) + " draw the same logits");
    }

    @Provide
    Arbitrary<Format> wideFormats() {
        return Arbitraries.of("fp64", "fp32", "bf16", "fp16").map(Format::of);
    }

    @Property(tries = 50)
    void gaussOthersLookStandardNormal(@ForAll long seed) {
        // given: fp64, so the draws are not rounded
        int n = 4001;
        double[] z = new double[n];

        // when
        Family.GAUSS.fill(z, 0, 0, 0, Format.FP64, seed);

        // then: mean ~ 0 and variance ~ 1 (6 standard errors: a broken transform fails, a good one does not)
        double sum = 0;
        double squares = 0;
        for (int j = 1; j < n; j++) {
            sum += z[j];
            squares += z[j] * z[j];
        }
        double mean = sum / (n - 1);
        double variance = squares / (n - 1) - mean * mean;
        assertEquals(0, mean, 6 / Math.sqrt(n - 1), "mean");
        assertEquals(1, variance, 6 * Math.sqrt(2.0 / (n - 1)), "variance");
    }

    /**
     * Pins the Gaussian draws: Box–Muller on StrictMath over SplittableRandom, so the logits are
     * the same on every JDK (docs/decisions.md "Families"). A change here changes every gauss row.
     */
    @Example
    void gaussDrawsArePinned() {
        double[] z = new double[4];
        double gap = Family.GAUSS.fill(z, 3, 1, 0, Format.FP64, 42);
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        double[] expected = new double[4];
        for (int j = 0; j < 3; j++) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            expected[j] = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
        }
        double m = Math.max(expected[0], Math.max(expected[1], expected[2]));
        expected[3] = m + 1;
        assertArrayEquals(expected, z);
        assertEquals(expected[3] - m, gap);
    }

    @Example
    void flatBf16StoresTheRoundedGap() {
        // given: 20.1 is not a bf16 value; [16, 32) has spacing 1/8
        double[] z = new double[10];

        // when
        double gap = Family.FLAT.fill(z, 9, 20.1, 0, Format.of("bf16"), 0);

        // then
        assertEquals(20.125, gap);
        assertEquals(20.125, z[9]);
        assertEquals(0, z[0]);
    }

    @Example
    void unknownFamilyNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Family.of("uniform"));
        assertEquals("unknown family 'uniform'; valid: flat, gauss, runnerup", e.getMessage());
        for (Family f : Family.values()) {
            assertEquals(f, Family.of(f.key()));
        }
    }
}
