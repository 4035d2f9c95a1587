package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.absorb.format.Format;
import dev.absorb.format.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Round trip and canonical form of recipes (DESIGN.md §3) over random valid recipes: every
 * format kind × every key × every value, including the normalised spellings.
 */
class RecipeProperties {

    /** The keys of DESIGN.md §3's table in its order (seed goes with round). */
    static final List<String> SPEC_ORDER = List.of(
            "algo", "acc", "rowsum", "compute", "sumexp", "logp", "grad", "round", "seed", "sat", "ftz", "lse", "sum", "lanes",
            "unroll", "hsum", "short", "exp", "norm", "cap");

    /** Named formats of every kind, and custom ones (IEEE-like and fn). */
    private static final List<String> FORMATS = List.of(
            "fp64", "fp32", "tf32", "bf16", "fp16", "e5m2", "e4m3", "e4m3fnuz", "e4m3b11fnuz", "e3m2", "e2m1",
            "e6m9", "e5m7fn");

    /** The default value of each key for a format, spelled as in a recipe (written from §3's table). */
    static Map<String, String> defaults(Format f) {
        return Map.ofEntries(
                Map.entry("algo", "twopass"), Map.entry("acc", f.name()), Map.entry("compute", f.name()),
                Map.entry("grad", "standard"), Map.entry("round", "rne"), Map.entry("seed", "0"),
                Map.entry("sat", "off"), Map.entry("ftz", "off"), Map.entry("lse", "log"), Map.entry("lanes", "8"),
                Map.entry("exp", "poly"), Map.entry("norm", "softmax"), Map.entry("cap", "none"),
                Map.entry("rowsum", "acc"), Map.entry("logp", "compute"), Map.entry("unroll", "1"), Map.entry("hsum", "tree"),
                Map.entry("short", "fold"), Map.entry("sum", "lanes"), Map.entry("sumexp", "compute"));
    }

    @Provide
    Arbitrary<Recipe> recipes() {
        Arbitrary<double[]> caps = Arbitraries.oneOf(
                Arbitraries.just(0.0),
                Arbitraries.doubles().between(-3, 3).map(e -> Math.pow(10, e)),
                Arbitraries.of(30.0, 0.1, 1e-300, 1e300, Double.MIN_VALUE, Double.MAX_VALUE, 1e22, 123456.789))
                .map(c -> new double[] {c});
        Arbitrary<Object[]> first = Combinators.combine(
                        Arbitraries.of(FORMATS).map(Format::of),
                        Arbitraries.of(Recipe.Algo.class),
                        Arbitraries.of(Recipe.Accumulator.class),
                        Arbitraries.of(Recipe.Compute.class),
                        Arbitraries.of(Recipe.Gradient.class),
                        Arbitraries.of(RoundingMode.class),
                        Arbitraries.longs().between(Long.MIN_VALUE, Long.MAX_VALUE))
                .as((f, algo, acc, compute, grad, round, seed) -> new Object[] {f, algo, acc, compute, grad, round, seed});
        Arbitrary<Object[]> second = Combinators.combine(
                        Arbitraries.of(false, true),
                        Arbitraries.of(false, true),
                        Arbitraries.of(Recipe.Lse.class),
                        Arbitraries.of(Recipe.LANES),
                        Arbitraries.of(Recipe.Exp.class),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(3, Arbitraries.just(Recipe.Norm.SOFTMAX)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Recipe.Norm.STABLEMAX))),
                        caps)
                .as((sat, ftz, lse, lanes, exp, norm, cap) -> new Object[] {sat, ftz, lse, lanes, exp, norm, cap});
        Arbitrary<Object[]> third = Combinators.combine(
                        Arbitraries.of(Recipe.RowSum.class),
                        Arbitraries.of(Recipe.LogProb.class),
                        Arbitraries.of(Recipe.UNROLLS),
                        Arbitraries.of(Recipe.Hsum.class),
                        Arbitraries.of(Recipe.ShortRow.class),
                        Arbitraries.of(Recipe.Sum.class),
                        Arbitraries.of(Recipe.SumExp.class))
                .as((rowsum, logp, unroll, hsum, shortRows, sum, sumExp) -> new Object[] {rowsum, logp, unroll, hsum, shortRows, sum,
                        sumExp});
        return Combinators.combine(first, second, third).as(RecipeProperties::orNull).filter(r -> r != null);
    }

    /** The recipe of these values, or null where the combination is rejected. */
    private static Recipe orNull(Object[] a, Object[] b, Object[] c) {
        RoundingMode round = (RoundingMode) a[5];
        long seed = round.isStochastic() ? (Long) a[6] : 0; // seed is valid only with sr, srh
        try {
            return new Recipe((Format) a[0], (Recipe.Algo) a[1], (Recipe.Accumulator) a[2], (Recipe.Compute) a[3],
                    (Recipe.Gradient) a[4], round, seed, (Boolean) b[0], (Boolean) b[1], (Recipe.Lse) b[2],
                    (Integer) b[3], (Recipe.Exp) b[4], (Recipe.Norm) b[5], ((double[]) b[6])[0], (Recipe.RowSum) c[0],
                    (Recipe.LogProb) c[1], (Integer) c[2], (Recipe.Hsum) c[3], (Recipe.ShortRow) c[4], (Recipe.Sum) c[5],
                    (Recipe.SumExp) c[6], Mitigations.NONE, null);
        } catch (IllegalArgumentException rejected) {
            return null;
        }
    }

    @Property(tries = 2000)
    void parseOfTheCanonicalTextGivesTheSameRecipe(@ForAll("recipes") Recipe r) {
        String text = r.toString();
        Recipe back = Recipe.parse(text);
        assertEquals(r, back, text);
        assertEquals(text, back.toString());
    }

    @Property(tries = 2000)
    void canonicalTextListsOnlyNonDefaultKeysInTheSpecOrder(@ForAll("recipes") Recipe r) {
        String[] parts = r.toString().split("/");
        assertEquals(r.format().name(), parts[0]);
        Map<String, String> defaults = defaults(r.format());
        int previous = -1;
        for (int i = 1; i < parts.length; i++) {
            String key = parts[i].substring(0, parts[i].indexOf('='));
            String value = parts[i].substring(parts[i].indexOf('=') + 1);
            int position = SPEC_ORDER.indexOf(key);
            assertTrue(position > previous, () -> "keys out of order or repeated in " + r);
            previous = position;
            assertNotEquals(defaults.get(key), value, () -> "default value listed in " + r);
        }
        // Together with the round trip above: the listed keys are exactly the non-default ones.
    }

    /**
     * Any spelling of a recipe — its keys in any order, with explicitly stated defaults — parses
     * to the same recipe and canonical text.
     */
    @Property(tries = 1000)
    void keyOrderAndExplicitDefaultsDoNotMatter(@ForAll("recipes") Recipe r, @ForAll long shuffleSeed) {
        // given: the canonical pairs, plus explicit defaults for some of the keys not listed
        String canonical = r.toString();
        List<String> pairs = new ArrayList<>(List.of(canonical.split("/")).subList(1, canonical.split("/").length));
        List<String> listed = new ArrayList<>();
        for (String p : pairs) {
            listed.add(p.substring(0, p.indexOf('=')));
        }
        Random random = new Random(shuffleSeed);
        defaults(r.format()).forEach((key, value) -> {
            if (!listed.contains(key) && random.nextBoolean()) {
                pairs.add(key + "=" + value);
            }
        });
        Collections.shuffle(pairs, random);
        String text = r.format().name() + (pairs.isEmpty() ? "" : "/" + String.join("/", pairs));

        // when
        Recipe parsed = Recipe.parse(text);

        // then
        assertEquals(r, parsed, text);
        assertEquals(canonical, parsed.toString(), text);
    }

    /** with(key, value) changes exactly that key: the result lists it unless it is the default. */
    @Property(tries = 500)
    void withChangesOneKey(@ForAll("recipes") Recipe r, @ForAll("gradients") String grad) {
        Recipe changed;
        try {
            changed = r.with("grad", grad);
        } catch (IllegalArgumentException rejected) {
            // only StableMax rejects a gradient (grad=lse, recip, recipfma)
            assertEquals(Recipe.Norm.STABLEMAX, r.norm());
            assertTrue(List.of("lse", "recip", "recipfma").contains(grad), grad);
            return;
        }
        assertEquals(grad, changed.grad().name().toLowerCase(Locale.ROOT));
        assertEquals(r.algo(), changed.algo());
        assertEquals(r.round(), changed.round());
        assertEquals(r.seed(), changed.seed());
        assertEquals(r.lanes(), changed.lanes());
        assertEquals(r.cap(), changed.cap());
    }

    @Provide
    Arbitrary<String> gradients() {
        return Arbitraries.of("standard", "lse", "div", "complement", "zerosum", "center", "recip", "recipfma");
    }
}
