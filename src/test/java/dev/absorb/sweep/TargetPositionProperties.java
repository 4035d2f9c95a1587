package dev.absorb.sweep;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the target sits (DESIGN.md §5): first, last, or a seeded random index. */
class TargetPositionProperties {

    @Property(tries = 300)
    void indexIsInRangeAndDeterministic(@ForAll TargetPosition position, @ForAll @IntRange(min = 2, max = 1 << 24) int classes,
                                        @ForAll long seed) {
        // when
        int index = position.index(classes, seed);

        // then
        assertTrue(index >= 0 && index < classes, index + " in [0, " + classes + ")");
        assertEquals(index, position.index(classes, seed), "the same seed gives the same index");
        switch (position) {
            case FIRST: assertEquals(0, index); break;
            case LAST: assertEquals(classes - 1, index); break;
            default: break;
        }
    }

    @Property(tries = 50)
    void randomUsesEveryIndexOfASmallRange(@ForAll @IntRange(min = 2, max = 5) int classes, @ForAll long seed) {
        // 200 seeds over at most 5 indices: each appears (a constant or biased draw would not)
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(TargetPosition.RANDOM.index(classes, seed + i));
        }
        assertEquals(classes, seen.size(), "indices seen: " + seen);
    }

    @Example
    void randomIsPinned() {
        // SplittableRandom(seed).nextInt(C): its algorithm is specified, so these are the same on every JDK.
        assertEquals(678, TargetPosition.RANDOM.index(1000, 0));
        assertEquals(114856, TargetPosition.RANDOM.index(128256, 7));
    }

    @Example
    void keysParseBackAndUnknownNamesTheChoices() {
        for (TargetPosition t : TargetPosition.values()) {
            assertEquals(t, TargetPosition.of(t.key()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetPosition.of("middle"));
        assertEquals("unknown target 'middle'; valid: first, last, random", e.getMessage());
    }
}
