package dev.absorb.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Order properties of the deterministic modes on several formats: monotone, idempotent, rne is
 * nearest, directed modes land on their side. Inputs are spread over each format's whole range,
 * including subnormals and overflow.
 */
class RoundingProperties {

    private static final String[] FORMATS = {"fp32", "tf32", "bf16", "fp16", "e5m2", "e4m3", "e4m3fnuz", "e3m4", "e2m1"};

    @Provide
    Arbitrary<Rounding> roundings() {
        return Combinators.combine(
                        Arbitraries.of(FORMATS),
                        Arbitraries.of(TestFormats.DETERMINISTIC),
                        Arbitraries.of(false, true),
                        Arbitraries.of(false, true))
                .as((f, mode, sat, ftz) -> new Rounding(Format.of(f), mode, sat, ftz));
    }

    /** Doubles of either sign with magnitudes from 2^-160 to 2^140, plus zeros and infinities. */
    @Provide
    Arbitrary<Double> values() {
        Arbitrary<Double> spread = Combinators.combine(
                        Arbitraries.doubles().between(1, 2),
                        Arbitraries.integers().between(-160, 140),
                        Arbitraries.of(1.0, -1.0))
                .as((m, e, s) -> s * Math.scalb(m, e));
        return Arbitraries.oneOf(spread, Arbitraries.of(0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))
                .edgeCases(c -> c.add(448.0, 464.0, 465.0, 65520.0, 0x1p-24));
    }

    /** A small perturbation, to make pairs x &lt;= y that often share a gap. */
    @Provide
    Arbitrary<Double> steps() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(-170, 140))
                .as((m, e) -> Math.scalb(m, e));
    }

    @Property(tries = 3000)
    void monotone(@ForAll("roundings") Rounding r, @ForAll("values") double x, @ForAll("steps") double step) {
        // given
        double y = x + step;
        Assume.that(x <= y && !Double.isNaN(y));

        // when
        double rx = r.round(x, 0);
        double ry = r.round(y, 0);

        // then: NaN only arises from overflow of fn/fnuz formats, and is monotone at the ends
        if (Double.isNaN(rx) || Double.isNaN(ry)) {
            assertTrue(r.format().hasNaN() && !r.format().hasInfinity());
        } else {
            assertTrue(rx <= ry, () -> r + ": " + x + " -> " + rx + " but " + y + " -> " + ry);
        }
    }

    @Property(tries = 3000)
    void idempotent(@ForAll("roundings") Rounding r, @ForAll("values") double x) {
        double once = r.round(x, 0);
        double twice = r.round(once, 0);
        assertTrue(TestFormats.same(once, twice), () -> r + ": " + x + " -> " + once + " -> " + twice);
    }

    @Property(tries = 3000)
    void resultIsAValueOfTheFormat(@ForAll("roundings") Rounding r, @ForAll("values") double x) {
        double rounded = r.round(x, 0);
        Assume.that(!Double.isNaN(rounded));
        Format f = r.format();
        assertTrue(TestFormats.same(rounded, f.decode(f.encode(rounded))), () -> r + ": " + x + " -> " + rounded);
    }

    @Property(tries = 3000)
    void rneIsNearest(@ForAll("values") double x, @ForAll @IntRange(min = 0, max = 8) int formatIndex) {
        // given: a finite x inside the range (beyond it rne overflows by design)
        Format f = Format.of(FORMATS[formatIndex]);
        Assume.that(Double.isFinite(x) && Math.abs(x) <= f.maxFinite());
        ExactRounding exact = ExactRounding.of(f);
        java.math.BigDecimal[] n = exact.neighbours(new java.math.BigDecimal(x).abs());

        // when
        double rounded = Rounding.nearest(f).round(x, 0);

        // then: no representable neighbour is strictly nearer
        double distance = Math.abs(x - rounded); // exact: x and rounded are close doubles
        for (java.math.BigDecimal v : n) {
            if (v.compareTo(exact.maxFinite()) <= 0) {
                double candidate = Math.copySign(v.doubleValue(), x);
                assertTrue(distance <= Math.abs(x - candidate), () -> f + ": " + x + " -> " + rounded + ", nearer: " + candidate);
            }
        }
    }

    @Property(tries = 3000)
    void directedModesLandOnTheirSide(@ForAll("values") double x, @ForAll @IntRange(min = 0, max = 8) int formatIndex) {
        // given
        Format f = Format.of(FORMATS[formatIndex]);
        Assume.that(Double.isFinite(x));

        // when
        double up = new Rounding(f, RoundingMode.RUP, false, false).round(x, 0);
        double down = new Rounding(f, RoundingMode.RDN, false, false).round(x, 0);
        double towardZero = new Rounding(f, RoundingMode.RTZ, false, false).round(x, 0);

        // then (NaN: overflow of a format without inf)
        assertTrue(Double.isNaN(up) || up >= x || (f.specials() == Format.Specials.NONE && x > f.maxFinite()),
                () -> f + " rup " + x + " -> " + up);
        assertTrue(Double.isNaN(down) || down <= x || (f.specials() == Format.Specials.NONE && x < -f.maxFinite()),
                () -> f + " rdn " + x + " -> " + down);
        assertTrue(Math.abs(towardZero) <= Math.abs(x), () -> f + " rtz " + x + " -> " + towardZero);
        assertEquals(x >= 0 ? down : up, towardZero, 0.0);
    }

    @Property(tries = 2000)
    void negationSymmetryOfSymmetricModes(@ForAll("roundings") Rounding r, @ForAll("values") double x) {
        // rne, rna, rtz and rto commute with negation; rup and rdn swap
        RoundingMode mirror = r.mode() == RoundingMode.RUP ? RoundingMode.RDN
                : r.mode() == RoundingMode.RDN ? RoundingMode.RUP : r.mode();
        Rounding mirrored = new Rounding(r.format(), mirror, r.saturate(), r.flushToZero());
        double a = r.round(x, 0);
        double b = mirrored.round(-x, 0);
        if (a == 0 && !r.format().hasNegativeZero()) {
            assertTrue(TestFormats.same(0.0, b));
        } else {
            assertTrue(TestFormats.same(-a, b) || Double.isNaN(a) && Double.isNaN(b), () -> r + ": " + x);
        }
    }
}
