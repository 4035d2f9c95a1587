package dev.absorb.kernel;

import dev.absorb.format.Rounding;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.absorb.kernel.Ieee754.DOUBLE_EXPONENT_BIAS;
import static dev.absorb.kernel.Ieee754.DOUBLE_EXPONENT_BITS;
import static dev.absorb.kernel.Ieee754.DOUBLE_FRACTION_BITS;

/**
 * The Vector API kernel for fp64 recipes: the evaluation of {@link ScalarKernel} lane-wise on
 * double lanes, with the same result bit for bit.
 *
 * <h2>Why it is simple</h2>
 * fp64 recipes run natively in double with rne (Recipe rejects the rest), so K, A and FORMAT are
 * all the carrier and every rounding rd is the identity, apart from {@code ftz} (flush double
 * subnormals) and {@code sat} (clamp ±inf to ±max). Without those two an operation is the plain
 * lane-wise double operation; with them, a rounding pass over the operation's output follows it.
 *
 * <h2>Summation order</h2>
 * With W = {@code lanes} ≥ V (the vector width), W/V accumulator vectors take turns over
 * consecutive chunks of V elements, so element j lands in partial j mod W (DESIGN.md §4). Chunks
 * with a lane to leave out (the tail past C, the skipped index of S₋ or the log1p sum) take the
 * reference's scalar step on their lanes. The fold of the W partials runs on the scalar rounding
 * in the reference's order. With W &lt; V, or with sat or ftz, every addition of the sum is the
 * reference's scalar step (the exps are still computed lane-wise).
 *
 * <h2>exp</h2>
 * {@code exp=poly} is {@link VectorExp#exp(DoubleVector)}, equal to the reference's
 * {@link ExpPoly} bit for bit. {@code exp=jdk} is {@code Math.exp} on each element, as in the
 * reference: the Vector API's EXP differs from it in the last bit on some inputs, and this
 * kernel promises the reference's bits on the same JVM.
 *
 * <h2>The JIT</h2>
 * As in {@link SimdKernel}: each loop is a small method of its own that takes arrays and scalars,
 * never a vector, and the JVM runs with {@code -XX:CompileCommand=dontinline,dev.absorb.kernel.Simd*::*}
 * so each loop is compiled as its own unit; the species is a static final constant. Loops never
 * branch on a recipe key: the caller picks the loop.
 *
 * <h2>Scope</h2>
 * {@link #supports}: fp64 with algo twopass or naive, softmax without cap, every other key
 * (acc fp64 or kahan, every grad, lse log or log1p, every lanes, exp poly or jdk, sat, ftz).
 * online, stablemax and cap stay on {@link ScalarKernel}.
 *
 * <p>Not thread-safe: it keeps scratch arrays. Use one instance per thread.
 */
final class SimdKernel64 implements Kernel {

    private static final VectorSpecies<Double> SPECIES = VectorWidth.DOUBLES;
    private static final int WIDTH = SPECIES.length();
    /** 1024 significands below 2^53 sum to less than 2^63. */
    private static final int BUCKET_BATCH = 1024;
    /** The largest biased exponent exactSumWithout buckets: entries of 2^877 or more (and inf, NaN) take the reference's sum. */
    private static final int LARGEST_BUCKETED_EXPONENT = DOUBLE_EXPONENT_BIAS + 876;

    private final Recipe recipe;
    /** rd to FORMAT, K and A alike: all three are fp64 (the recipe's sat and ftz, rne). */
    private final Rounding rounding;
    /** Neither sat nor ftz: every rounding is the identity. */
    private final boolean exact;
    /** Magnitudes below this flush to a zero of their sign: the smallest normal with ftz, else 0 (nothing). */
    private final double flushBelow;
    /** Magnitudes above this clamp to it: the largest double with sat, else inf (nothing). */
    private final double limit;
    private final boolean polynomialExp;
    private final boolean kahan;
    private final int lanes;
    /** Whether the partial sums run lane-wise (W ≥ V and additions need no rounding pass). */
    private final boolean vectorSums;
    private final double[] partials;
    /** Kahan's compensation per partial: the partial's value is partials − compensation. */
    private final double[] compensation;
    private final ExactSum exactSum = new ExactSum();
    /** Significands per binary exponent (see exactSumWithout); all zero between calls. */
    private final long[] buckets = new long[2048];
    /** e_j, padded to a multiple of the width (the padding lanes are never read as elements). */
    private double[] exps = new double[0];
    private final double[] tailIn = new double[WIDTH];
    private final double[] tailOut = new double[WIDTH];

    public SimdKernel64(Recipe recipe) {
        if (!supports(recipe)) {
            throw new IllegalArgumentException("the fp64 SIMD kernel does not run " + recipe);
        }
        this.recipe = recipe;
        this.rounding = recipe.roundingTo(recipe.format());
        this.exact = !recipe.sat() && !recipe.ftz();
        this.flushBelow = recipe.ftz() ? Double.MIN_NORMAL : 0.0;
        this.limit = recipe.sat() ? Double.MAX_VALUE : Double.POSITIVE_INFINITY;
        this.polynomialExp = recipe.exp() == Recipe.Exp.POLY;
        this.kahan = recipe.acc() == Recipe.Accumulator.KAHAN;
        this.lanes = recipe.lanes();
        this.vectorSums = exact && lanes >= WIDTH;
        this.partials = new double[lanes];
        this.compensation = new double[lanes];
    }

    /** Whether this kernel runs the recipe (else {@link ScalarKernel} does). */
    public static boolean supports(Recipe recipe) {
        // Recipe already limits fp64 to rne, compute=fp64 and acc fp64 or kahan.
        return recipe.format().isFp64() && recipe.absorbKernel()
                && (recipe.algo() == Recipe.Algo.TWOPASS || recipe.algo() == Recipe.Algo.NAIVE)
                && recipe.norm() == Recipe.Norm.SOFTMAX
                && recipe.cap() == 0 && recipe.mitigations().equals(Mitigations.NONE);
    }

    @Override
    public Recipe recipe() {
        return recipe;
    }

    @Override
    public Evaluation evaluate(double[] z, int y, double[] grad) {
        return evaluate(z, z.length, y, grad);
    }

    /**
     * Evaluates logits {@code z[0..n)} with target {@code y}: returns lse and loss and writes the
     * gradient to {@code grad[0..n)}; with {@code grad == null} only lse and loss are computed
     * (the forward pass).
     */
    public Evaluation evaluate(double[] z, int n, int y, double[] grad) {
        if (n < 1 || y < 0 || y >= n || z.length < n || grad != null && grad.length < n) {
            throw new IllegalArgumentException("need 1 <= n <= z.length, 0 <= y < n and grad.length >= n; got n=" + n
                    + ", y=" + y + ", z.length=" + z.length + ", grad.length=" + (grad == null ? "-" : grad.length));
        }
        ensureScratch(n);
        double m = max(z, n);
        if (recipe.algo() == Recipe.Algo.NAIVE && Double.isFinite(m)) {
            m = 0; // naive shifts only a non-finite max, as the scalar kernel does
        }
        int full = n - n % WIDTH;
        shiftedExp(z, 0, full, m, exps, 0);
        if (full < n) {
            loadTail(z, full, n);
            shiftedExp(tailIn, 0, WIDTH, m, exps, full);
        }
        double sum = sum(n, -1);
        double r;
        if (recipe.lse() == Recipe.Lse.LOG1P) {
            int top = firstIndexOf(z, n, m);
            double s = sum(n, top);
            // As the scalar kernel: a +inf maximum's shift is NaN, and leaving it out must not hide it.
            if (top >= 0 && Double.isNaN(rounding.subtract(z[top], m, 0))) {
                s = Double.NaN;
            }
            r = rounding.round(StrictMath.log1p(s), 0);
        } else {
            r = rounding.round(StrictMath.log(sum), 0);
        }
        double lse = rounding.add(m, r, 0);
        double loss = rounding.subtract(lse, z[y], 0);
        if (grad != null) {
            gradient(z, n, y, m, r, lse, sum, grad);
        }
        return new Evaluation(lse, loss);
    }

    /** The gradient (DESIGN.md §4 step 5) into grad[0..n). */
    private void gradient(double[] z, int n, int y, double m, double r, double lse, double sum, double[] grad) {
        int full = n - n % WIDTH;
        probabilities(z, 0, full, 0, m, r, lse, sum, grad, 0);
        if (full < n) {
            loadTail(z, full, n);
            probabilities(tailIn, 0, WIDTH, full, m, r, lse, sum, tailOut, 0);
            System.arraycopy(tailOut, 0, grad, full, n - full);
        }
        // Storing p_j to FORMAT is a rounding the probabilities already had (rd is idempotent).
        double gy;
        switch (recipe.grad()) {
            case COMPLEMENT:
                gy = -rounding.divide(sum(n, y), sum, 0);
                break;
            case ZEROSUM:
                // As the scalar kernel: the nearest double of the exact sum; a NaN S gives NaN.
                gy = Double.isNaN(sum) ? Double.NaN : rounding.round(-exactSumWithout(grad, n, y), 0);
                break;
            default:
                gy = rounding.subtract(grad[y], 1.0, 0);
                break;
        }
        grad[y] = rounding.round(gy, 0);
        if (recipe.grad() == Recipe.Gradient.CENTER) {
            center(grad, n);
        }
    }

    /**
     * p_j = rd(exp(rd(d_j − r))) (standard, center), rd(exp(rd(z_j − lse))) (lse) or rd(e_j / S)
     * (the others) for the {@code count} elements from z[from], which is element {@code first}.
     */
    private void probabilities(double[] z, int from, int count, int first, double m, double r, double lse, double sum,
                               double[] out, int outFrom) {
        switch (recipe.grad()) {
            case STANDARD:
            case CENTER:
                difference(z, from, count, m, out, outFrom);
                shiftedExp(out, outFrom, count, r, out, outFrom);
                break;
            case LSE:
                shiftedExp(z, from, count, lse, out, outFrom);
                break;
            default:
                divide(exps, first, first + count, sum, out, outFrom);
                if (!exact) {
                    round(out, outFrom, outFrom + count, flushBelow, limit);
                }
                break;
        }
    }

    /** grad=center: g_j ← rd(g_j − mean), the mean of the stored entries taken exactly, as the scalar kernel. */
    private void center(double[] grad, int n) {
        exactSum.clear();
        for (int j = 0; j < n; j++) {
            exactSum.add(grad[j]);
        }
        double mean = exactSum.toOdd() / n;
        int full = n - n % WIDTH;
        difference(grad, 0, full, mean, grad, 0);
        if (full < n) {
            loadTail(grad, full, n);
            difference(tailIn, 0, WIDTH, mean, tailOut, 0);
            System.arraycopy(tailOut, 0, grad, full, n - full);
        }
    }

    /** out[..] = rd(in_j − b) for the {@code count} elements from in[from]. */
    private void difference(double[] in, int from, int count, double b, double[] out, int outFrom) {
        subtract(in, from, from + count, b, out, outFrom);
        if (!exact) {
            round(out, outFrom, outFrom + count, flushBelow, limit);
        }
    }

    /** out[..] = rd(exp(rd(in_j − b))) for the {@code count} elements from in[from]. */
    private void shiftedExp(double[] in, int from, int count, double b, double[] out, int outFrom) {
        if (exact && polynomialExp) {
            expOfDifference(in, from, from + count, b, out, outFrom);
            return;
        }
        difference(in, from, count, b, out, outFrom);
        int outTo = outFrom + count;
        if (polynomialExp) {
            // x − 0 is x for every x (−0 included): the same loop computes exp alone.
            expOfDifference(out, outFrom, outTo, 0.0, out, outFrom);
        } else {
            mathExp(out, outFrom, outTo);
        }
        if (!exact) {
            round(out, outFrom, outTo, flushBelow, limit);
        }
    }

    /**
     * Σ e_j over j ≠ skip in the recipe's order: partial l = j mod W in index order, then the
     * partials fold in halves (DESIGN.md §4 step 3).
     */
    private double sum(int n, int skip) {
        Arrays.fill(partials, 0.0);
        Arrays.fill(compensation, 0.0);
        if (!vectorSums) {
            scalarSteps(0, n, n, skip);
            return fold();
        }
        int full = n - n % WIDTH;
        int skipChunk = skip < 0 ? -1 : skip - skip % WIDTH;
        int accumulators = lanes / WIDTH;
        // Accumulator a takes chunks a, a + A, a + 2A, …: the chains are independent, so running
        // them one after the other gives the interleaved order's result.
        for (int a = 0; a < accumulators; a++) {
            int j = a * WIDTH;
            if (skipChunk >= 0 && skipChunk < full) {
                j = run(j, skipChunk, a);
                if (j == skipChunk) {
                    scalarSteps(j, j + WIDTH, n, skip);
                    j += lanes;
                }
            }
            j = run(j, full, a);
            if (j == full && full < n) {
                scalarSteps(full, n, n, skip);
            }
        }
        return fold();
    }

    /** Accumulator a's chunks from j up to {@code to} (a multiple of the width), lane-wise; returns the next chunk. */
    private int run(int j, int to, int a) {
        return kahan ? kahanRun(exps, j, to, lanes, partials, compensation, a * WIDTH)
                : plainRun(exps, j, to, lanes, partials, a * WIDTH);
    }

    /** The reference's scalar step for elements j in [from, min(to, n)) but skip. */
    private void scalarSteps(int from, int to, int n, int skip) {
        for (int j = from; j < Math.min(to, n); j++) {
            if (j != skip) {
                int l = j & (lanes - 1);
                if (kahan) {
                    kahanAdd(l, exps[j]);
                } else {
                    partials[l] = rounding.add(partials[l], exps[j], 0);
                }
            }
        }
    }

    /**
     * Kahan's step on partial l, every operation rounded to A, as {@link ScalarKernel} does it:
     * the compensation holds what the sum overshot. Do not reorder.
     */
    private void kahanAdd(int l, double x) {
        double s = partials[l];
        double corrected = rounding.subtract(x, compensation[l], 0);
        double t = rounding.add(s, corrected, 0);
        compensation[l] = rounding.subtract(rounding.subtract(t, s, 0), corrected, 0);
        partials[l] = t;
    }

    /** The partials folded in halves, s_i = rd(s_i + s_{i+W/2}), until one is left. */
    private double fold() {
        for (int w = lanes; w > 1; w >>= 1) {
            int half = w >> 1;
            for (int i = 0; i < half; i++) {
                if (kahan) {
                    kahanAdd(i, rounding.subtract(partials[i + half], compensation[i + half], 0));
                } else {
                    partials[i] = rounding.add(partials[i], partials[i + half], 0);
                }
            }
        }
        return kahan ? rounding.subtract(partials[0], compensation[0], 0) : partials[0];
    }

    /**
     * Σ_{j≠skip} x_j, exact, rounded to the nearest double: {@link ExactSum#toNearest} of the same
     * entries (what the reference computes), without its per-entry branches, which cost about
     * 40 ns per entry on gradients (mispredicted). Each entry's significand is added as an integer
     * to the bucket of its binary exponent, exactly: 1024 significands (&lt; 2^53) fit a long, so
     * every 1024 entries the buckets go into an ExactSum as two exact doubles each (a few dozen
     * adds). Where that could differ from the reference, the reference runs instead: a
     * non-finite entry or one of 2^877 or more (ExactSum's overflow rule), and an exact sum of
     * zero (its sign follows ExactSum's order of additions).
     */
    double exactSumWithout(double[] x, int n, int skip) {
        exactSum.clear();
        for (int start = 0; start < n; start += BUCKET_BATCH) {
            int largest = addSignificands(x, start, Math.min(n, start + BUCKET_BATCH), skip, buckets);
            if (largest > LARGEST_BUCKETED_EXPONENT) {
                Arrays.fill(buckets, 0, largest + 1, 0L);
                return referenceSum(x, n, skip);
            }
            for (int e = 0; e <= largest; e++) {
                long v = buckets[e];
                if (v != 0) {
                    buckets[e] = 0;
                    // v = high + low, each exact as a double (at most 32 significant bits), and
                    // scaled exactly: entries below 2^877 keep both far inside double's range.
                    int scale = Math.max(e, 1) - 1075;
                    exactSum.add(Math.scalb((double) (v & ~0xFFFF_FFFFL), scale));
                    exactSum.add(Math.scalb((double) (v & 0xFFFF_FFFFL), scale));
                }
            }
        }
        double total = exactSum.toNearest();
        return total != 0 ? total : referenceSum(x, n, skip);
    }

    /** The reference's exact sum, entry by entry. */
    private double referenceSum(double[] x, int n, int skip) {
        exactSum.clear();
        for (int j = 0; j < n; j++) {
            if (j != skip) {
                exactSum.add(x[j]);
            }
        }
        return exactSum.toNearest();
    }

    /**
     * Adds the significand of each x_j, j ≠ skip, in [from, to) (signed; x_j = significand ·
     * 2^(max(e, 1) − 1075) for the biased exponent e) to buckets[e]; returns the largest e seen.
     */
    private static int addSignificands(double[] x, int from, int to, int skip, long[] buckets) {
        int largest = 0;
        for (int j = from; j < to; j++) {
            if (j != skip) {
                long bits = Double.doubleToRawLongBits(x[j]);
                int e = (int) (bits >>> DOUBLE_FRACTION_BITS) & 0x7FF;
                // The implicit bit for normal numbers: (e + 2047) >> 11 is 0 for e = 0, else 1.
                long significand = (bits & 0xF_FFFF_FFFF_FFFFL) | (long) ((e + 0x7FF) >> DOUBLE_EXPONENT_BITS) << DOUBLE_FRACTION_BITS;
                long sign = bits >> 63;
                buckets[e] += (significand ^ sign) - sign;
                largest = Math.max(largest, e);
            }
        }
        return largest;
    }

    /** The tail z[from, n) into tailIn, zero-padded to one vector (no masked loads: see SimdKernel). */
    private void loadTail(double[] z, int from, int n) {
        Arrays.fill(tailIn, 0.0);
        System.arraycopy(z, from, tailIn, 0, n - from);
    }

    private void ensureScratch(int n) {
        int padded = n + WIDTH - 1 - (n + WIDTH - 1) % WIDTH;
        if (exps.length < padded) {
            exps = new double[padded];
        }
    }

    // The loops. Each is its own small method taking arrays and scalars, never a vector (see the
    // class comment); [from, to) is a whole number of vectors.

    /** max z, exact and as Math.max (NaN wins, +0 over −0) in any order. */
    private static double max(double[] z, int n) {
        DoubleVector max = DoubleVector.broadcast(SPECIES, Double.NEGATIVE_INFINITY);
        int j = 0;
        for (; j <= n - WIDTH; j += WIDTH) {
            max = max.max(DoubleVector.fromArray(SPECIES, z, j));
        }
        double m = max.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            m = Math.max(m, z[j]);
        }
        return m;
    }

    /** out[..] = a_j − b. */
    private static void subtract(double[] a, int from, int to, double b, double[] out, int outFrom) {
        for (int j = from; j < to; j += WIDTH) {
            DoubleVector.fromArray(SPECIES, a, j).sub(b).intoArray(out, outFrom + j - from);
        }
    }

    /** out[..] = ExpPoly.exp(a_j − b). */
    private static void expOfDifference(double[] a, int from, int to, double b, double[] out, int outFrom) {
        for (int j = from; j < to; j += WIDTH) {
            VectorExp.exp(DoubleVector.fromArray(SPECIES, a, j).sub(b)).intoArray(out, outFrom + j - from);
        }
    }

    /** x[..] = Math.exp(x_j) in place: exp=jdk, the reference's function. */
    private static void mathExp(double[] x, int from, int to) {
        for (int j = from; j < to; j++) {
            x[j] = Math.exp(x[j]);
        }
    }

    /** out[..] = e_j / s. */
    private static void divide(double[] e, int from, int to, double s, double[] out, int outFrom) {
        for (int j = from; j < to; j += WIDTH) {
            DoubleVector.fromArray(SPECIES, e, j).div(s).intoArray(out, outFrom + j - from);
        }
    }

    /**
     * rd in place: a magnitude below flushBelow becomes a zero of its sign (ftz; x·0 is that zero
     * for finite x), one above limit becomes ±limit (sat: only ±inf exceed the largest double).
     * NaN compares false everywhere and stays.
     */
    private static void round(double[] x, int from, int to, double flushBelow, double limit) {
        for (int j = from; j < to; j += WIDTH) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, x, j);
            v = v.blend(v.mul(0.0), v.abs().compare(VectorOperators.LT, flushBelow));
            v = v.blend(limit, v.compare(VectorOperators.GT, limit));
            v = v.blend(-limit, v.compare(VectorOperators.LT, -limit));
            v.intoArray(x, j);
        }
    }

    /** Accumulator vector at {@code offset} of sums over the chunks j, j + stride, … below to; returns the next j. */
    private static int plainRun(double[] e, int j, int to, int stride, double[] sums, int offset) {
        DoubleVector acc = DoubleVector.fromArray(SPECIES, sums, offset);
        for (; j < to; j += stride) {
            acc = acc.add(DoubleVector.fromArray(SPECIES, e, j));
        }
        acc.intoArray(sums, offset);
        return j;
    }

    /** As plainRun, with Kahan's step lane-wise (the scalar kahanAdd's operations in its order). */
    private static int kahanRun(double[] e, int j, int to, int stride, double[] sums, double[] compensations, int offset) {
        DoubleVector s = DoubleVector.fromArray(SPECIES, sums, offset);
        DoubleVector c = DoubleVector.fromArray(SPECIES, compensations, offset);
        for (; j < to; j += stride) {
            DoubleVector corrected = DoubleVector.fromArray(SPECIES, e, j).sub(c);
            DoubleVector t = s.add(corrected);
            c = t.sub(s).sub(corrected);
            s = t;
        }
        s.intoArray(sums, offset);
        c.intoArray(compensations, offset);
        return j;
    }

    private static int firstIndexOf(double[] z, int n, double m) {
        for (int j = 0; j < n; j++) {
            if (z[j] == m) {
                return j;
            }
        }
        return -1;
    }
}
