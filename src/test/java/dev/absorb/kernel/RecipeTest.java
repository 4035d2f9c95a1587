package dev.absorb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.absorb.format.Format;
import dev.absorb.format.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** Recipe examples: the canonical text of DESIGN.md §3, and every way a recipe text can be wrong. */
class RecipeTest {

    private static final String ALL_KEYS = "algo, acc, rowsum, compute, sumexp, logp, grad, round, seed, sat, ftz, lse, sum, lanes, "
            + "unroll, hsum, short, exp, norm, cap";

    @Test
    void defaultsAreTheFirstValuesOfTheTable() {
        Recipe r = Recipe.parse("bf16");
        assertEquals(Format.of("bf16"), r.format());
        assertEquals(Recipe.Algo.TWOPASS, r.algo());
        assertEquals(Recipe.Accumulator.FORMAT, r.acc());
        assertEquals(Recipe.Compute.FORMAT, r.compute());
        assertEquals(Recipe.Gradient.STANDARD, r.grad());
        assertEquals(RoundingMode.RNE, r.round());
        assertEquals(0, r.seed());
        assertFalse(r.sat());
        assertFalse(r.ftz());
        assertEquals(Recipe.Lse.LOG, r.lse());
        assertEquals(8, r.lanes());
        assertEquals(Recipe.Exp.POLY, r.exp());
        assertEquals(Recipe.Norm.SOFTMAX, r.norm());
        assertEquals(0.0, r.cap());
        assertEquals(Recipe.of(Format.of("bf16")), r);
    }

    static Stream<Arguments> canonicalTexts() {
        return Stream.of(
                // the spec's own example, keys given out of order
                Arguments.of("fp16/round=sr/grad=complement/seed=7", "fp16/grad=complement/round=sr/seed=7"),
                // every default stated explicitly
                Arguments.of("bf16/cap=none/norm=softmax/exp=poly/lanes=8/lse=log/ftz=off/sat=off/round=rne/grad=standard"
                        + "/compute=bf16/acc=bf16/algo=twopass", "bf16"),
                // a wider accumulator or compute format equal to the format is the default
                Arguments.of("fp32/acc=fp32/compute=fp32", "fp32"),
                Arguments.of("fp64/acc=fp64/compute=fp64", "fp64"),
                Arguments.of("fp32/acc=fp64", "fp32/acc=fp64"),
                // a seed of 0 is the default even under sr
                Arguments.of("bf16/seed=0/round=sr", "bf16/round=sr"),
                // every non-default key at once, given in reverse order
                Arguments.of("fp16/cap=30/exp=jdk/lanes=1/lse=log1p/ftz=on/sat=on/seed=-7/round=srh/grad=zerosum"
                        + "/compute=fp32/acc=kahan",
                        "fp16/acc=kahan/compute=fp32/grad=zerosum/round=srh/seed=-7/sat=on/ftz=on/lse=log1p/lanes=1"
                                + "/exp=jdk/cap=30"),
                Arguments.of("e4m3/norm=stablemax/algo=twopass/grad=complement", "e4m3/grad=complement/norm=stablemax"),
                Arguments.of("bf16/algo=online/acc=fp32", "bf16/algo=online/acc=fp32"),
                // cap is written as the shortest plain decimal
                Arguments.of("bf16/cap=30.0", "bf16/cap=30"),
                Arguments.of("bf16/cap=0.50", "bf16/cap=0.5"),
                Arguments.of("bf16/cap=1e-3", "bf16/cap=0.001"),
                Arguments.of("bf16/cap=2.5E2", "bf16/cap=250"),
                // custom formats keep their spelling
                Arguments.of("e5m7fn/acc=fp32", "e5m7fn/acc=fp32"),
                // XLA's keys; sumexp=fp32 where K is fp32 changes nothing unless ftz flushes a subnormal exp
                Arguments.of("bf16/exp=xla/sum=xla/grad=recipfma/sumexp=fp32", "bf16/sumexp=fp32/grad=recipfma/sum=xla/exp=xla"),
                Arguments.of("bf16/sum=lanes/sumexp=compute/grad=recip", "bf16/grad=recip"),
                Arguments.of("fp32/sumexp=fp32", "fp32"),
                Arguments.of("bf16/compute=fp32/sumexp=fp32", "bf16/compute=fp32"),
                Arguments.of("fp32/ftz=on/sumexp=fp32", "fp32/sumexp=fp32/ftz=on"),
                // the mitigations: after cap, in the order smooth, zloss, scale, gradfmt; their defaults normalise away
                Arguments.of("bf16/gradfmt=fp32/scale=1024/zloss=1e-4/smooth=0.10/cap=30",
                        "bf16/cap=30/smooth=0.1/zloss=0.0001/scale=1024/gradfmt=fp32"),
                Arguments.of("bf16/smooth=0/zloss=0/scale=1/gradfmt=bf16/chunk=none", "bf16"),
                Arguments.of("bf16/smooth=0.1/chunk=4096", "bf16/chunk=4096/smooth=0.1"),
                Arguments.of("fp16/scale=65536.0", "fp16/scale=65536"),
                Arguments.of("bf16/scale=0.5", "bf16/scale=0.5"),
                Arguments.of("bf16/smooth=1", "bf16/smooth=1"),
                Arguments.of("torch:bf16/zloss=1e-4", "torch:bf16/zloss=0.0001"),
                Arguments.of("torch:bf16/cpu=avx512/smooth=0.1", "torch:bf16/cpu=avx512/smooth=0.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canonicalTexts")
    void canonicalText(String text, String canonical) {
        Recipe r = Recipe.parse(text);
        assertEquals(canonical, r.toString());
        assertEquals(r, Recipe.parse(canonical));
    }

    @Test
    void computeAndAccumulatorFormats() {
        Recipe r = Recipe.parse("bf16/compute=fp32/acc=fp64");
        assertEquals(Format.FP32, r.computeFormat());
        assertEquals(Format.FP64, r.accumulatorFormat());
        assertEquals(Format.of("bf16"), Recipe.parse("bf16/acc=kahan").accumulatorFormat());
        assertEquals(Format.of("bf16"), Recipe.parse("bf16").computeFormat());
        // fp64 accumulation is native rne, everything else uses the recipe's mode
        assertEquals(RoundingMode.RNE, Recipe.parse("bf16/round=rtz/acc=fp64").roundingTo(Format.FP64).mode());
        assertEquals(RoundingMode.RTZ, Recipe.parse("bf16/round=rtz/acc=fp64").roundingTo(Format.FP32).mode());
    }

    @Test
    void withChangesOneKeyEvenWhenItIsAlreadySet() {
        Recipe r = Recipe.parse("bf16/grad=div/lanes=1");
        assertEquals("bf16/grad=complement/lanes=1", r.with("grad", "complement").toString());
        assertEquals("bf16/lanes=1", r.with("grad", "standard").toString());
        assertEquals("bf16/grad=div/lanes=1/exp=jdk", r.with("exp", "jdk").toString());
    }

    /**
     * Every invalid text, with the pieces its message must contain: the bad token, and the valid
     * choices (or, for a rejected combination, the keys involved and what is allowed).
     */
    static Stream<Arguments> invalidTexts() {
        String grads = "standard, lse, div, complement, zerosum, center";
        return Stream.of(
                // unknown format
                Arguments.of("bf17", new String[] {"'bf17'", "fp64, fp32, tf32, bf16, fp16", "eXmY"}),
                Arguments.of("e9m3/algo=online", new String[] {"'e9m3'", "bf16"}),
                Arguments.of("", new String[] {"''", "bf16"}),
                Arguments.of("BF16", new String[] {"'BF16'", "bf16"}),
                // unknown key, malformed pairs
                Arguments.of("bf16/speed=fast", new String[] {"'speed'", ALL_KEYS}),
                Arguments.of("bf16/Algo=online", new String[] {"'Algo'", ALL_KEYS}),
                Arguments.of("bf16/algo", new String[] {"'algo'", "key=value", ALL_KEYS}),
                Arguments.of("bf16/=online", new String[] {"'=online'", "key=value", ALL_KEYS}),
                Arguments.of("bf16/algo=", new String[] {"'algo='", "key=value", ALL_KEYS}),
                Arguments.of("bf16/", new String[] {"''", "key=value", ALL_KEYS}),
                Arguments.of("bf16//algo=online", new String[] {"''", "key=value", ALL_KEYS}),
                // unknown values
                Arguments.of("bf16/algo=fast", new String[] {"'fast'", "algo", "twopass, online, naive"}),
                Arguments.of("bf16/acc=fp16", new String[] {"'fp16'", "acc", "bf16, fp32, fp64, kahan"}),
                Arguments.of("bf16/acc=format", new String[] {"'format'", "acc", "bf16, fp32, fp64, kahan"}),
                Arguments.of("bf16/compute=fp64", new String[] {"'fp64'", "compute", "bf16, fp32"}),
                Arguments.of("bf16/grad=magic", new String[] {"'magic'", "grad", grads}),
                Arguments.of("bf16/grad=Standard", new String[] {"'Standard'", "grad", grads}),
                Arguments.of("bf16/round=nearest", new String[] {"'nearest'", "rne, rna, rtz, rup, rdn, rto, sr, srh"}),
                Arguments.of("bf16/sat=yes", new String[] {"'yes'", "sat", "off, on"}),
                Arguments.of("bf16/ftz=1", new String[] {"'1'", "ftz", "off, on"}),
                Arguments.of("bf16/lse=ln", new String[] {"'ln'", "lse", "log, log1p"}),
                Arguments.of("bf16/lanes=3", new String[] {"3", "lanes", "1, 2, 4, 8, 16, 32, 64"}),
                Arguments.of("bf16/lanes=0", new String[] {"0", "lanes", "1, 2, 4, 8, 16, 32, 64"}),
                Arguments.of("bf16/lanes=eight", new String[] {"'eight'", "lanes", "1, 2, 4, 8, 16, 32, 64"}),
                // 2^32 + 8 must not wrap around to lanes=8
                Arguments.of("bf16/lanes=4294967304", new String[] {"4294967304", "lanes", "1, 2, 4, 8, 16, 32, 64"}),
                Arguments.of("bf16/exp=fast", new String[] {"'fast'", "exp", "poly, jdk"}),
                Arguments.of("bf16/norm=sparsemax", new String[] {"'sparsemax'", "norm", "softmax, stablemax"}),
                Arguments.of("bf16/cap=0", new String[] {"'0'", "cap", "none, or a number > 0"}),
                Arguments.of("bf16/cap=-30", new String[] {"'-30'", "cap", "none, or a number > 0"}),
                Arguments.of("bf16/cap=NaN", new String[] {"'NaN'", "cap", "none, or a number > 0"}),
                Arguments.of("bf16/cap=Infinity", new String[] {"'Infinity'", "cap", "none, or a number > 0"}),
                Arguments.of("bf16/cap=1e400", new String[] {"'1e400'", "cap", "none, or a number > 0"}),
                Arguments.of("bf16/cap=thirty", new String[] {"'thirty'", "cap", "none, or a number > 0"}),
                Arguments.of("bf16/round=sr/seed=seven", new String[] {"'seven'", "seed", "integer"}),
                // duplicate key
                Arguments.of("bf16/algo=online/algo=naive", new String[] {"'algo'", "twice"}),
                Arguments.of("bf16/lanes=8/lanes=8", new String[] {"'lanes'", "twice"}),
                // rejected combinations (Recipe's Javadoc, docs/decisions.md "fp64 recipes", "Kahan")
                Arguments.of("fp64/round=rtz", new String[] {"fp64", "rtz", "rne"}),
                Arguments.of("fp64/round=sr", new String[] {"fp64", "sr", "rne"}),
                Arguments.of("fp64/compute=fp32", new String[] {"fp64", "compute=fp32"}),
                Arguments.of("fp64/acc=fp32", new String[] {"fp64", "acc=fp32"}),
                Arguments.of("bf16/seed=7", new String[] {"seed", "round=sr", "round=srh"}),
                Arguments.of("bf16/round=rtz/seed=7", new String[] {"seed", "round=sr", "round=srh"}),
                Arguments.of("bf16/algo=naive/lse=log1p", new String[] {"lse=log1p", "algo=naive"}),
                Arguments.of("bf16/algo=online/acc=kahan", new String[] {"acc=kahan", "online", "twopass", "naive"}),
                Arguments.of("bf16/norm=stablemax/algo=online", new String[] {"norm=stablemax", "algo", "twopass"}),
                Arguments.of("bf16/norm=stablemax/algo=naive", new String[] {"norm=stablemax", "algo", "twopass"}),
                Arguments.of("bf16/norm=stablemax/lse=log1p", new String[] {"norm=stablemax", "lse", "log"}),
                Arguments.of("bf16/norm=stablemax/grad=lse", new String[] {"norm=stablemax", "grad=lse"}),
                // XLA's keys (docs/presets.md)
                Arguments.of("bf16/sum=tree", new String[] {"'tree'", "sum", "lanes, xla"}),
                Arguments.of("bf16/sumexp=fp64", new String[] {"'fp64'", "sumexp", "compute, fp32"}),
                Arguments.of("bf16/exp=cephes", new String[] {"'cephes'", "exp", "poly, jdk, sleef, glibc, xla"}),
                Arguments.of("bf16/grad=fma", new String[] {"'fma'", "grad", "recip, recipfma"}),
                Arguments.of("bf16/sum=xla/lanes=32", new String[] {"sum=xla", "lanes", "sum=lanes"}),
                Arguments.of("bf16/sum=xla/unroll=2/lanes=16", new String[] {"sum=xla", "unroll"}),
                Arguments.of("bf16/sum=xla/acc=kahan", new String[] {"acc=kahan", "sum=xla"}),
                Arguments.of("bf16/sum=xla/algo=online", new String[] {"sum=xla", "algo=online"}),
                Arguments.of("fp64/exp=xla", new String[] {"exp=xla", "fp64"}),
                Arguments.of("fp64/sumexp=fp32", new String[] {"sumexp=fp32", "fp64"}),
                Arguments.of("bf16/sumexp=fp32/algo=online", new String[] {"sumexp=fp32", "algo=online"}),
                Arguments.of("bf16/sumexp=fp32/norm=stablemax", new String[] {"sumexp=fp32", "norm=stablemax"}),
                Arguments.of("bf16/norm=stablemax/grad=recipfma", new String[] {"norm=stablemax", "grad=recipfma"}),
                Arguments.of("jax:fp32/lanes=16", new String[] {"sum=xla", "lanes"}),
                // the mitigations' values and combinations (docs/recipes.md, Mitigations)
                Arguments.of("bf16/smooth=1.5", new String[] {"'1.5'", "smooth", "a number from 0 to 1"}),
                Arguments.of("bf16/smooth=-0.1", new String[] {"'-0.1'", "smooth", "a number from 0 to 1"}),
                Arguments.of("bf16/smooth=NaN", new String[] {"'NaN'", "smooth", "a number from 0 to 1"}),
                Arguments.of("bf16/smooth=ten", new String[] {"'ten'", "smooth", "a number from 0 to 1"}),
                Arguments.of("bf16/smooth=0.1f", new String[] {"'0.1f'", "smooth", "a number from 0 to 1"}),
                Arguments.of("bf16/zloss=-1", new String[] {"'-1'", "zloss", "a finite number >= 0"}),
                Arguments.of("bf16/zloss=Infinity", new String[] {"'Infinity'", "zloss", "a finite number >= 0"}),
                Arguments.of("fp16/scale=0", new String[] {"'0'", "scale", "a number > 0 that fp32 holds exactly"}),
                Arguments.of("fp16/scale=0.1", new String[] {"'0.1'", "scale", "a number > 0 that fp32 holds exactly"}),
                Arguments.of("fp16/scale=1e39", new String[] {"'1e39'", "scale", "a number > 0 that fp32 holds exactly"}),
                Arguments.of("bf16/gradfmt=fp128", new String[] {"fp128"}),
                Arguments.of("bf16/gradfmt=fp64", new String[] {"gradfmt=fp64", "floats hold"}),
                Arguments.of("bf16/grad=complement/smooth=0.1", new String[] {"smooth, zloss, scale and gradfmt", "standard, lse or div"}),
                Arguments.of("bf16/grad=zerosum/scale=2", new String[] {"smooth, zloss, scale and gradfmt", "standard, lse or div"}),
                Arguments.of("bf16/norm=stablemax/zloss=0.1", new String[] {"smooth, zloss, scale and gradfmt", "softmax"}),
                Arguments.of("bf16/smooth=0.1/smooth=0.2", new String[] {"'smooth'", "twice"}),
                Arguments.of("bf16/chunk=0", new String[] {"'0'", "chunk", "none, or a class count from 1 to 2147483647"}),
                Arguments.of("bf16/chunk=-4", new String[] {"'-4'", "chunk", "none, or a class count"}),
                Arguments.of("bf16/chunk=4096.0", new String[] {"'4096.0'", "chunk", "none, or a class count"}),
                Arguments.of("bf16/chunk=2147483648", new String[] {"'2147483648'", "chunk", "none, or a class count"}),
                Arguments.of("bf16/chunk=64/algo=online", new String[] {"chunk", "algo=twopass"}),
                Arguments.of("bf16/chunk=64/lse=log1p", new String[] {"chunk", "lse=log"}),
                Arguments.of("bf16/chunk=64/grad=complement", new String[] {"chunk", "grad=complement"}));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("invalidTexts")
    void invalidTextIsRejectedWithAHelpfulMessage(String text, String[] mustContain) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipe.parse(text));
        String message = e.getMessage();
        for (String piece : mustContain) {
            assertTrue(message.contains(piece), () -> "message for '" + text + "' lacks \"" + piece + "\": " + message);
        }
        assertFalse(message.contains("\n"), "one line");
    }

    @Test
    void theConstructorRejectsWhatParseRejects() {
        Format bf16 = Format.of("bf16");
        assertThrows(IllegalArgumentException.class, () -> new Recipe(bf16, Recipe.Algo.TWOPASS, Recipe.Accumulator.FORMAT,
                Recipe.Compute.FORMAT, Recipe.Gradient.STANDARD, RoundingMode.RNE, 0, false, false, Recipe.Lse.LOG, 3,
                Recipe.Exp.POLY, Recipe.Norm.SOFTMAX, 0, Recipe.RowSum.ACC, Recipe.LogProb.COMPUTE, 1,
                Recipe.Hsum.TREE, Recipe.ShortRow.FOLD, Recipe.Sum.LANES, Recipe.SumExp.COMPUTE, Mitigations.NONE, null));
        assertThrows(IllegalArgumentException.class, () -> new Recipe(bf16, Recipe.Algo.TWOPASS, Recipe.Accumulator.FORMAT,
                Recipe.Compute.FORMAT, Recipe.Gradient.STANDARD, RoundingMode.RNE, 0, false, false, Recipe.Lse.LOG, 8,
                Recipe.Exp.POLY, Recipe.Norm.SOFTMAX, Double.POSITIVE_INFINITY, Recipe.RowSum.ACC, Recipe.LogProb.COMPUTE, 1,
                Recipe.Hsum.TREE, Recipe.ShortRow.FOLD, Recipe.Sum.LANES, Recipe.SumExp.COMPUTE, Mitigations.NONE, null));
        assertThrows(IllegalArgumentException.class, () -> new Recipe(bf16, Recipe.Algo.TWOPASS, Recipe.Accumulator.FORMAT,
                Recipe.Compute.FORMAT, Recipe.Gradient.STANDARD, RoundingMode.RNE, 0, false, false, Recipe.Lse.LOG, 8,
                Recipe.Exp.POLY, Recipe.Norm.SOFTMAX, -1, Recipe.RowSum.ACC, Recipe.LogProb.COMPUTE, 1,
                Recipe.Hsum.TREE, Recipe.ShortRow.FOLD, Recipe.Sum.LANES, Recipe.SumExp.COMPUTE, Mitigations.NONE, null));
    }
}
