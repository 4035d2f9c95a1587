package dev.absorb.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and naming of framework presets (docs/presets.md). */
class PresetsTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // given; canonical name; expansion
        "torch:fp32; torch:fp32; fp32/short=serial/exp=sleef",
        "torch:fp32/cpu=avx2; torch:fp32; fp32/short=serial/exp=sleef",
        "torch:fp32/cpu=avx512; torch:fp32/cpu=avx512; fp32/lanes=16/short=serial/exp=sleef",
        "torch:fp32/cpu=default; torch:fp32/cpu=default; fp32/hsum=serial/exp=glibc",
        "torch:bf16; torch:bf16; bf16/acc=fp32/rowsum=bf16/compute=fp32/logp=bf16/lanes=16/unroll=2/short=serial/exp=sleef",
        // a mitigation names only what was asked, though grad=complement also drops logp's store
        "torch:bf16/grad=complement; torch:bf16/grad=complement; bf16/acc=fp32/rowsum=bf16/compute=fp32/grad=complement/lanes=16/unroll=2/short=serial/exp=sleef",
        "torch:bf16/grad=complement/cpu=avx512; torch:bf16/cpu=avx512/grad=complement; bf16/acc=fp32/rowsum=bf16/compute=fp32/grad=complement/lanes=32/unroll=2/short=serial/exp=sleef",
        // an override equal to the preset's own value is no override
        "torch:bf16/lanes=16; torch:bf16; bf16/acc=fp32/rowsum=bf16/compute=fp32/logp=bf16/lanes=16/unroll=2/short=serial/exp=sleef",
        "torch:fp16/rowsum=acc/logp=compute; torch:fp16/rowsum=acc/logp=compute; fp16/acc=fp32/compute=fp32/lanes=16/unroll=2/short=serial/exp=sleef",
        // XLA's kernel, and its keys taken back one at a time
        "jax:fp32; jax:fp32; fp32/grad=recipfma/ftz=on/sum=xla/exp=xla",
        "jax:bf16; jax:bf16; bf16/acc=fp32/rowsum=bf16/sumexp=fp32/grad=recip/ftz=on/sum=xla/exp=xla",
        "jax:fp16; jax:fp16; fp16/acc=fp32/rowsum=fp16/grad=recip/sum=xla/exp=xla",
        "jax:bf16/sumexp=compute; jax:bf16/sumexp=compute; bf16/acc=fp32/rowsum=bf16/grad=recip/ftz=on/sum=xla/exp=xla",
        "jax:fp32/sum=lanes/lanes=32; jax:fp32/sum=lanes/lanes=32; fp32/grad=recipfma/ftz=on/lanes=32/exp=xla",
        "jax:fp16/grad=complement; jax:fp16/grad=complement; fp16/acc=fp32/rowsum=fp16/grad=complement/sum=xla/exp=xla",
    })
    void presetsExpandAndNameThemselvesCanonically(String given, String name, String expansion) {
        Recipe r = Recipe.parse(given);
        assertEquals(name, r.toString());
        assertEquals(expansion, r.expansion().toString());
        assertEquals(r, Recipe.parse(r.toString()), "the name parses back to the same recipe");
        assertEquals(r.expansion(), Recipe.parse(expansion), "the expansion is an ordinary recipe");
    }

    @Test
    void aPresetIsItsExpansionUnderAName() {
        Recipe preset = Recipe.parse("torch:fp16");
        assertNotEquals(preset, preset.expansion(), "thresholds.csv keeps the preset's name, so the records differ");
        assertEquals(preset.expansion(), Recipe.parse(preset.expansion().toString()));
        assertEquals("torch:fp16/grad=zerosum", preset.with("grad", "zerosum").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "torch:bf17; unknown preset 'torch:bf17'; valid: torch:fp32, torch:bf16, torch:fp16, jax:fp32",
        "mxnet:fp32; unknown preset 'mxnet:fp32'",
        "torch:fp32/cpu=neon; unknown cpu 'neon'; valid: avx2, avx512, default",
        "jax:fp32/cpu=avx2; unknown cpu 'avx2'; valid: none",
        "torch:bf16/speed=fast; unknown recipe key 'speed'",
        "torch:bf16/grad=complement/grad=div; key 'grad' given twice",
    })
    void badPresetsAreNamedWithTheValidChoices(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipe.parse(text));
        for (String part : expected.split("; ")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void everyPresetParsesAtEveryLevelAndTheBaseNameIsFound() {
        for (Presets.Preset p : Presets.all()) {
            Recipe r = Recipe.parse(p.name());
            assertEquals(p.name(), r.toString());
            assertEquals(p.name(), Presets.baseName(r.with("grad", "complement").toString()));
            assertEquals(p, Presets.of(p.name()));
        }
        assertEquals(null, Presets.baseName("bf16/grad=complement"));
    }
}
