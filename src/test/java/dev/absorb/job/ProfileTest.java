package dev.absorb.job;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileTest {

    @Test
    void namesAreTheKeys() {
        assertEquals(Profile.SMOKE, Profile.of("smoke"));
        assertEquals(Profile.QUICK, Profile.of("quick"));
        assertEquals(Profile.FULL, Profile.of("full"));
    }

    @Test
    void unknownProfileNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.of("Quick"));
        assertEquals("unknown profile 'Quick'; valid: smoke, quick, full", e.getMessage());
    }

    @Test
    void smokeIsSmallButGateable() {
        Profile.Iterations it = Profile.SMOKE.iterations();
        assertEquals(new Profile.Iterations(5, 10, 200, 3, 100), it);
        // the gate's samples are forks: enough of them that one fork's luck does not decide
        assertTrue(dev.absorb.results.RatioEstimate.minimumP(it.forks(), it.forks() - 1) < 0.05,
                "gate can flag a smoke-profile regression at the default alpha, even with one fork out of line");
        assertEquals(List.of("4"), Profile.SMOKE.params().get("gap"));
        assertEquals(List.of("1000"), Profile.SMOKE.params().get("classes"));
        assertTrue(Profile.SMOKE.ignoresLock());
        assertEquals(List.of(10, 1000), Profile.SMOKE.sweep().classes());
    }

    @Test
    void quickKeepsEveryBenchmarksOwnParamsAndIterations() {
        assertTrue(Profile.QUICK.params().isEmpty());
        assertEquals(null, Profile.QUICK.iterations(), "each class's own @Fork, @Warmup, @Measurement");
        assertFalse(Profile.QUICK.ignoresLock());
        assertEquals(null, Profile.QUICK.sweep().recipes(), "the sweep's default recipes");
    }

    @Test
    void fullRunsEveryDefaultSweepRecipeAndNarrowFormat() {
        assertTrue(Profile.FULL.params().get("recipe").size() > 100, "the default sweep's recipes");
        assertTrue(Profile.FULL.params().get("format").containsAll(List.of("bf16", "fp16", "tf32", "e4m3", "e2m1")));
        assertFalse(Profile.FULL.params().get("format").contains("fp32"), "lanes round fp32 as the identity");
        assertEquals(3, Profile.FULL.sweep().families().size());
        int forks = Profile.FULL.iterations().forks();
        assertTrue(dev.absorb.results.RatioEstimate.minimumP(forks, forks) < 0.05, "gateable on fork medians");
    }
}
