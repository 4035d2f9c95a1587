package dev.absorb.kernel;

import dev.absorb.format.Rounding;

import java.util.ArrayList;
import java.util.List;

/**
 * Which path each step of a recipe takes on float lanes ({@link SimdKernel}), decided once from
 * the recipe and the vector width: whether the lanes run the recipe at all, whether they run it
 * without boxing ({@link Kernels} sends it to them only then), and how each step's results are
 * rounded ({@link Path}). Every choice keeps the bits; they differ in speed only.
 */
final class SimdPlan {

    /** How a step's results are rounded on float lanes. */
    enum Path {
        /** Lane-wise, inline in the step's loop: the identity, rne by bit tricks, narrow sums and quotients ({@link VectorRounding}). */
        SHORT,
        /** Exact results rounded to odd in double by scalar code, then rounded by one flat loop ({@link VectorStagedRounding}). */
        STAGED,
        /** round=sr and srh: decided from the exact value and the random bits ({@link VectorStochasticRounding}). */
        STOCHASTIC;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final int WIDTH = VectorWidth.FLOATS.length();

    /** d_j = rd_K(z_j − m) and the other differences in K, and the rounding of exp's results to K. */
    final Path differences;
    /** The quotients in K (e_j / S, stablemax's s'_j / S, cap's z_j / c), where the recipe {@link #divides}. */
    final Path quotients;
    /** Rounding values of K to FORMAT (the stored gradient, logp=FORMAT). */
    final Path toFormat;
    /** Rounding values of K to the gradient's format G under the mitigations (FORMAT by default). */
    final Path toGradient;
    /** Whether the recipe has smooth, zloss, scale or gradfmt ({@link SimdGradient#mitigatedGradient}). */
    final boolean mitigated;
    /** G is K: the rounding to G is skipped, as {@link #formatIsCompute} skips FORMAT's. */
    final boolean gradientIsCompute;
    /** The partial sums in A (lanes ≥ the width; fewer take the scalar rounding). */
    final Path sums;
    /**
     * Whether K and A both have p ≤ 11, so that sums (A + K) and quotients (K / A) of their
     * values are exact-once as a float operation rounded once more (under rne). Subtractions in K
     * always have K or FORMAT operands, so VectorRounding decides those alone.
     */
    final boolean narrowSums;
    /**
     * K and A are fp32, one accumulator vector, no Kahan, lse=log: S is Σ exp(z_j − m) in one
     * loop ({@link SimdFusedPass}), without storing d_j and e_j. The forward pass takes it
     * whatever the gradient's form; the fused pass only with {@link #fused}.
     */
    final boolean sumInOneLoop;
    /** {@link #sumInOneLoop}, FORMAT rounded inline and grad standard or lse: the fused path. */
    final boolean fused;
    /** S rounds the exps to K as it sums them ({@link SimdSum#roundingSum}): the short paths, lanes ≥ the width, no Kahan. */
    final boolean roundsExpsInSum;
    /**
     * K is FORMAT: rd_FORMAT of a value of K is that value (a representable value rounds to
     * itself in every mode, sr and srh included: its discarded fraction is 0; sat and ftz leave
     * it), so that pass is skipped.
     */
    final boolean formatIsCompute;
    /** Whether the recipe's loops divide (e_j / S, stablemax's s'/S, cap's z / c). */
    final boolean divides;

    SimdPlan(Recipe recipe) {
        String refusal = refusal(recipe);
        if (refusal != null) {
            throw new IllegalArgumentException("the SIMD kernel does not run " + recipe + ": " + refusal);
        }
        boolean stochastic = recipe.round().isStochastic();
        this.narrowSums = narrowSums(recipe);
        this.formatIsCompute = recipe.computeFormat().equals(recipe.format());
        this.divides = divides(recipe);
        this.mitigated = recipe.mitigations().any();
        this.gradientIsCompute = recipe.computeFormat().equals(recipe.gradientFormat());
        if (stochastic) {
            this.toGradient = Path.STOCHASTIC;
            this.differences = Path.STOCHASTIC;
            this.quotients = Path.STOCHASTIC;
            this.toFormat = Path.STOCHASTIC;
            this.sums = Path.STOCHASTIC;
            this.sumInOneLoop = false;
            this.fused = false;
            this.roundsExpsInSum = false;
            return;
        }
        VectorRounding toFormatLanes = new VectorRounding(recipe.roundingTo(recipe.format()));
        VectorRounding toComputeLanes = new VectorRounding(recipe.roundingTo(recipe.computeFormat()));
        VectorRounding toAccLanes = new VectorRounding(recipe.roundingTo(recipe.accumulatorFormat()));
        int lanes = recipe.lanes();
        boolean kahan = recipe.acc() == Recipe.Accumulator.KAHAN;
        boolean computeStaged = !toComputeLanes.isShort();
        boolean sumsStaged = !(toAccLanes.isShort() && (narrowSums || toAccLanes.isIdentity()));
        // Only recipes that divide (divide() is their loop) stage quotients: the flag also stages
        // the rounding to FORMAT below, which made fused bf16/acc=fp32 (standard) 4x slower.
        boolean quotientsStaged = divides && !(toComputeLanes.isShort() && (narrowSums || toComputeLanes.isIdentity()));
        // With staged quotients the probabilities are rounded to FORMAT staged too: on JDK 17 the
        // short loop after a staged quotient boxed (fused bf16/acc=fp32/grad=div: 40 B per element).
        boolean formatStaged = !toFormatLanes.isShort() || quotientsStaged;
        this.differences = computeStaged ? Path.STAGED : Path.SHORT;
        this.quotients = quotientsStaged ? Path.STAGED : Path.SHORT;
        this.toFormat = formatStaged ? Path.STAGED : Path.SHORT;
        boolean gradientStaged = !new VectorRounding(recipe.roundingTo(recipe.gradientFormat())).isShort() || quotientsStaged;
        this.toGradient = gradientStaged ? Path.STAGED : Path.SHORT;
        this.sums = sumsStaged ? Path.STAGED : Path.SHORT;
        // The fused loop rounds to FORMAT inline: only on the short path (e5m12/compute=fp32/acc=fp32 is not).
        // Not with exp=sleef: its exp inlined into the one loop passed C2's limits and boxed every
        // vector (-prof gc: 118 KB per forward call of torch:fp32 at C = 4096); the separate exp loop does not.
        this.sumInOneLoop = recipe.exp() != Recipe.Exp.SLEEF
                && toComputeLanes.isIdentity() && toAccLanes.isIdentity() && lanes == WIDTH
                && !kahan && recipe.lse() == Recipe.Lse.LOG;
        // The mitigations' steps run on the general path's probabilities.
        this.fused = sumInOneLoop && !formatStaged && !recipe.mitigations().any() && recipe.logp() == Recipe.LogProb.COMPUTE
                && (recipe.grad() == Recipe.Gradient.STANDARD || recipe.grad() == Recipe.Gradient.LSE);
        this.roundsExpsInSum = !fused && !computeStaged && !sumsStaged && !toComputeLanes.isIdentity()
                && lanes >= WIDTH && !kahan;
    }

    /** Whether float lanes run the recipe (else {@link ScalarKernel} or {@link SimdKernel64} does). */
    static boolean supports(Recipe recipe) {
        return refusal(recipe) == null;
    }

    /** Why float lanes do not run the recipe, or null where they do. */
    static String refusal(Recipe recipe) {
        if (recipe.scalarOnly()) {
            return recipe.exp() == Recipe.Exp.GLIBC ? "exp=glibc has no vector form" : "XLA's keys run on the scalar reference only";
        }
        if (recipe.algo() == Recipe.Algo.ONLINE && recipe.round().isStochastic()) {
            return "algo=online under " + recipe.round().key() + ": its loop-carried sum is not staged";
        }
        if (!recipe.format().fitsFloat()) {
            return recipe.format() + " does not fit float lanes";
        }
        if (!recipe.gradientFormat().fitsFloat()) {
            return "gradfmt=" + recipe.gradientFormat() + " does not fit float lanes";
        }
        if (recipe.acc() == Recipe.Accumulator.FP64) {
            return "acc=fp64: double partials need shape conversions in the sum's loop";
        }
        if (recipe.round().isStochastic()) {
            return recipe.acc() == Recipe.Accumulator.KAHAN ? "acc=kahan under " + recipe.round().key() + " is not staged" : null;
        }
        for (Rounding r : List.of(recipe.roundingTo(recipe.format()), recipe.roundingTo(recipe.computeFormat()),
                recipe.roundingTo(recipe.accumulatorFormat()), recipe.roundingTo(recipe.gradientFormat()))) {
            if (!VectorRounding.supports(r)) {
                return "lanes do not round to " + r;
            }
        }
        return null;
    }

    /** Whether every vector step of the recipe compiles without boxing: see {@link #boxing}. */
    static boolean runsUnboxed(Recipe recipe) {
        return supports(recipe) && boxing(recipe) == null;
    }

    /**
     * Why some vector step of a recipe the lanes run would box, or null where none does
     * (measured with JMH {@code -prof gc}). Each step of twopass and naive takes a short path
     * (the identity, rne by bit tricks, narrow sums and quotients) or is staged and rounded by one
     * flat loop: sr and srh by {@link VectorStochasticRounding}, every other mode, sat, ftz and
     * the sums and quotients that are not narrow by {@link VectorStagedRounding}. The variants
     * (online, cap, stablemax, center) are fast where their own loops' roundings are short.
     */
    static String boxing(Recipe recipe) {
        boolean variant = recipe.algo() == Recipe.Algo.ONLINE || recipe.cap() > 0
                || recipe.norm() == Recipe.Norm.STABLEMAX || recipe.grad() == Recipe.Gradient.CENTER;
        if (!variant || recipe.round().isStochastic()) {
            return null; // every step short or staged (sr, srh: VectorStochasticRounding; else VectorStagedRounding)
        }
        // The variants' own loops (online's carried sum, cap's and stablemax's products and
        // quotients) use the vector roundings directly: fast only where those are short.
        VectorRounding toFormat = new VectorRounding(recipe.roundingTo(recipe.format()));
        VectorRounding toCompute = new VectorRounding(recipe.roundingTo(recipe.computeFormat()));
        VectorRounding toAcc = new VectorRounding(recipe.roundingTo(recipe.accumulatorFormat()));
        boolean narrowSums = narrowSums(recipe);
        if (!(toFormat.isShort() && toCompute.isShort() && toAcc.isShort())) {
            return "the variant's own loops round on the long lane-wise path, which boxes";
        }
        if (!(narrowSums || toAcc.isIdentity()) || divides(recipe) && !(narrowSums || toCompute.isIdentity())) {
            return "the variant's sums or quotients are not narrow in float, which boxes";
        }
        // online's rescale s·ε (in A) and cap's c·t (in K) are products: short only where the float product is exact.
        if (recipe.algo() == Recipe.Algo.ONLINE && !SimdOnlineSum.exactProducts(recipe)) {
            return "online's product s·ε is not exact in float, which boxes";
        }
        if (recipe.cap() > 0 && !SimdOnlineSum.exactProducts(recipe.computeFormat(), recipe.round())) {
            return "cap's product c·t is not exact in float, which boxes";
        }
        return null;
    }

    /** Whether any step is staged (VectorStagedRounding): the short paths must not be. */
    boolean staged() {
        return differences == Path.STAGED || quotients == Path.STAGED || toFormat == Path.STAGED || sums == Path.STAGED;
    }

    /** The path of each step, in words: {@code differences short}, {@code sums staged}, …. */
    List<String> steps() {
        List<String> steps = new ArrayList<>();
        steps.add("differences " + differences.key());
        if (divides) {
            steps.add("quotients " + quotients.key());
        }
        steps.add("to FORMAT " + (formatIsCompute ? "skipped (K is FORMAT)" : toFormat.key()));
        steps.add("sums " + sums.key());
        if (mitigated) {
            steps.add("mitigations: weight, targets and scale in K, differences' path; to G "
                    + (gradientIsCompute ? "skipped (G is K)" : toGradient.key()));
        }
        if (fused) {
            steps.add("fused: S and the probabilities each in one loop from z");
        } else if (sumInOneLoop) {
            steps.add("forward: S in one loop from z");
        } else if (roundsExpsInSum) {
            steps.add("exps rounded to K inside the sum's loop");
        }
        return steps;
    }

    /** See {@link #divides the field}. */
    private static boolean divides(Recipe recipe) {
        return recipe.grad() == Recipe.Gradient.DIV || recipe.grad() == Recipe.Gradient.COMPLEMENT
                || recipe.grad() == Recipe.Gradient.ZEROSUM || recipe.norm() == Recipe.Norm.STABLEMAX || recipe.cap() > 0;
    }

    /** See {@link #narrowSums the field}. */
    private static boolean narrowSums(Recipe recipe) {
        return recipe.computeFormat().fp32RoundingIsInnocuous() && recipe.accumulatorFormat().fp32RoundingIsInnocuous();
    }
}
