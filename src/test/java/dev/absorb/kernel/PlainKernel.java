package dev.absorb.kernel;

import dev.absorb.format.RoundingMode;

import java.math.BigDecimal;
import java.util.function.DoubleUnaryOperator;

/**
 * DESIGN.md §4 written out a second time, as plain double code, for recipes on fp64, fp32 and bf16
 * with round=rne: every operation is a double operation followed by the rounding of its target
 * (identity for fp64, a float cast for fp32, a float cast then bf16's bit trick for bf16).
 *
 * <p>Why a double operation then a cast is the exactly rounded operation: + − × ÷ of two values
 * of a format with p significant bits, rounded first to q ≥ 2p + 2 bits and then to p bits, give
 * the exactly rounded result (the "innocuous double rounding" DESIGN.md §2 relies on). Double has
 * 53 ≥ 2·24 + 2, float 24 ≥ 2·8 + 2. So this class only ever combines values of fp32 (or of
 * fp64 in fp64 recipes): no acc=fp64 for fp32 or bf16. The one step whose operand is a full
 * double, the center gradient's mean, is done in BigDecimal.
 *
 * <p>exp is ExpPoly (or Math.exp for exp=jdk) in float for fp32 and bf16 recipes, in double for
 * fp64; log and log1p are StrictMath in double, rounded to float for non-fp64 recipes
 * (docs/decisions.md, "Transcendental functions"). Nothing here calls ScalarKernel, Rounding or
 * ExactSum.
 */
final class PlainKernel {

    /** Which formats a test recipe may use here. */
    enum Fmt {
        FP64(52, -1022), FP32(23, -126), BF16(7, -126);

        final int mantissaBits;
        final int minExponent;

        Fmt(int mantissaBits, int minExponent) {
            this.mantissaBits = mantissaBits;
            this.minExponent = minExponent;
        }

        static Fmt of(String name) {
            switch (name) {
                case "fp64": return FP64;
                case "fp32": return FP32;
                case "bf16": return BF16;
                default: throw new IllegalArgumentException(name);
            }
        }

        /** Nearest-even rounding of a value that is already float-exact or a double op's result. */
        double rd(double x) {
            switch (this) {
                case FP64: return x;
                case FP32: return (float) x;
                default: return bf16((float) x);
            }
        }
    }

    /** Nearest-even rounding of a float to bf16: add half an ulp minus the even bit, truncate. */
    static double bf16(float f) {
        if (Float.isNaN(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }

    private final Recipe recipe;
    private final Fmt f;
    private final Fmt k;
    private final Fmt a;
    private final boolean fp64;

    PlainKernel(Recipe recipe) {
        if (recipe.round() != RoundingMode.RNE || recipe.sat() || recipe.ftz() || recipe.cap() != 0
                || recipe.norm() != Recipe.Norm.SOFTMAX) {
            throw new IllegalArgumentException("PlainKernel covers rne softmax recipes only: " + recipe);
        }
        this.recipe = recipe;
        this.f = Fmt.of(recipe.format().name());
        this.k = Fmt.of(recipe.computeFormat().name());
        this.a = Fmt.of(recipe.accumulatorFormat().name());
        this.fp64 = f == Fmt.FP64;
        if (a == Fmt.FP64 && !fp64) {
            throw new IllegalArgumentException("acc=fp64 under a float format is not plain double code: " + recipe);
        }
    }

    private double exp(double x) {
        if (fp64) {
            return recipe.exp() == Recipe.Exp.POLY ? ExpPoly.exp(x) : Math.exp(x);
        }
        return recipe.exp() == Recipe.Exp.POLY ? ExpPoly.exp((float) x) : (float) Math.exp((float) x);
    }

    private double log(double x) {
        return fp64 ? StrictMath.log(x) : (float) StrictMath.log(x);
    }

    private double log1p(double x) {
        return fp64 ? StrictMath.log1p(x) : (float) StrictMath.log1p(x);
    }

    /** ε(x) = rd_K(exp(x)) of a value x of K. */
    private double eps(double x) {
        return k.rd(exp(x));
    }

    /** Returns {lse, loss} and fills g. */
    double[] evaluate(double[] z, int y, double[] g) {
        int n = z.length;
        int w = recipe.lanes();

        // 1. the max (exact), or none for naive, or the online normaliser's
        double m;
        double onlineS = Double.NaN;
        if (recipe.algo() == Recipe.Algo.NAIVE) {
            m = 0;
        } else if (recipe.algo() == Recipe.Algo.TWOPASS) {
            m = Double.NEGATIVE_INFINITY;
            for (double zj : z) {
                m = Math.max(m, zj);
            }
        } else {
            double[] mo = online(z);
            m = mo[0];
            onlineS = mo[1];
        }

        // 2. d_j = rd_K(z_j − m), e_j = rd_K(exp(d_j))
        double[] d = new double[n];
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
            d[j] = k.rd(z[j] - m);
            e[j] = eps(d[j]);
        }

        // 3. S
        double s = recipe.algo() == Recipe.Algo.ONLINE ? onlineS : sum(e, -1, w);

        // 4. r, lse, loss
        double r;
        if (recipe.lse() == Recipe.Lse.LOG1P) {
            int first = 0;
            while (z[first] != m) {
                first++;
            }
            r = k.rd(log1p(sum(e, first, w)));
        } else {
            r = k.rd(log(s));
        }
        double lse = k.rd(m + r);
        double loss = k.rd(lse - z[y]);

        // 5. the gradient
        double[] p = new double[n];
        for (int j = 0; j < n; j++) {
            switch (recipe.grad()) {
                case STANDARD:
                case CENTER:
                    p[j] = eps(k.rd(d[j] - r));
                    break;
                case LSE:
                    p[j] = eps(k.rd(z[j] - lse));
                    break;
                default:
                    p[j] = k.rd(e[j] / s);
                    break;
            }
        }
        for (int j = 0; j < n; j++) {
            g[j] = f.rd(p[j]);
        }
        switch (recipe.grad()) {
            case COMPLEMENT:
                g[y] = f.rd(-k.rd(sum(e, y, w) / s));
                break;
            case ZEROSUM: {
                BigDecimal others = BigDecimal.ZERO;
                for (int j = 0; j < n; j++) {
                    if (j != y) {
                        others = others.add(new BigDecimal(g[j]));
                    }
                }
                // rounded once, straight to FORMAT
                g[y] = BigMath.round(others.negate(), f.mantissaBits, f.minExponent, RoundingMode.RNE);
                break;
            }
            default:
                g[y] = f.rd(k.rd(p[y] - 1));
                break;
        }
        if (recipe.grad() == Recipe.Gradient.CENTER) {
            BigDecimal total = BigDecimal.ZERO;
            for (int j = 0; j < n; j++) {
                total = total.add(new BigDecimal(g[j]));
            }
            // the mean in fp64: the exact sum rounded to odd, divided by C (docs/decisions.md)
            double mean = BigMath.round(total, 52, -1022, RoundingMode.RTO) / n;
            for (int j = 0; j < n; j++) {
                BigDecimal centered = new BigDecimal(g[j]).subtract(new BigDecimal(mean));
                double inK = BigMath.round(centered, k.mantissaBits, k.minExponent, RoundingMode.RNE);
                g[j] = f.rd(inK);
            }
        }
        return new double[] {lse, loss};
    }

    /**
     * Σ e_j over j ≠ skip: partial l = j mod W adds in index order, then the partials fold in
     * halves, s_i = rd_A(s_i + s_{i+n/2}). Kahan keeps (s, c) per partial, every step in A.
     */
    private double sum(double[] e, int skip, int w) {
        double[] s = new double[w];
        double[] c = new double[w];
        boolean kahan = recipe.acc() == Recipe.Accumulator.KAHAN;
        for (int j = 0; j < e.length; j++) {
            if (j == skip) {
                continue;
            }
            int l = j % w;
            if (kahan) {
                kahanAdd(s, c, l, e[j]);
            } else {
                s[l] = a.rd(s[l] + e[j]);
            }
        }
        for (int width = w; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                if (kahan) {
                    kahanAdd(s, c, i, a.rd(s[i + width / 2] - c[i + width / 2]));
                } else {
                    s[i] = a.rd(s[i] + s[i + width / 2]);
                }
            }
        }
        return kahan ? a.rd(s[0] - c[0]) : s[0];
    }

    /** y = x − c, t = s + y, c = (t − s) − y, s = t (docs/decisions.md, "Kahan accumulation"). */
    private void kahanAdd(double[] s, double[] c, int l, double x) {
        double yv = a.rd(x - c[l]);
        double t = a.rd(s[l] + yv);
        c[l] = a.rd(a.rd(t - s[l]) - yv);
        s[l] = t;
    }

    /** The online normaliser of DESIGN.md §4: returns {m, S}. Finite logits only. */
    private double[] online(double[] z) {
        int w = recipe.lanes();
        double[] mx = new double[w];
        double[] s = new double[w];
        boolean[] used = new boolean[w];
        for (int j = 0; j < z.length; j++) {
            int l = j % w;
            if (!used[l]) {
                mx[l] = z[j];
                s[l] = a.rd(eps(0.0));
                used[l] = true;
                continue;
            }
            double newMax = Math.max(mx[l], z[j]);
            double rescaled = a.rd(s[l] * eps(k.rd(mx[l] - newMax)));
            s[l] = a.rd(rescaled + eps(k.rd(z[j] - newMax)));
            mx[l] = newMax;
        }
        for (int width = w; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                int b = i + width / 2;
                if (!used[b]) {
                    continue;
                }
                if (!used[i]) {
                    mx[i] = mx[b];
                    s[i] = s[b];
                    used[i] = true;
                    continue;
                }
                double newMax = Math.max(mx[i], mx[b]);
                double sa = a.rd(s[i] * eps(k.rd(mx[i] - newMax)));
                double sb = a.rd(s[b] * eps(k.rd(mx[b] - newMax)));
                s[i] = a.rd(sa + sb);
                mx[i] = newMax;
            }
        }
        return new double[] {mx[0], s[0]};
    }

    /** A random logit vector of FORMAT values: N(0, σ²) entries, the target raised by a gap. */
    static double[] logits(java.util.SplittableRandom random, int n, int y, Fmt f) {
        double sigma = new double[] {0.3, 2, 10}[random.nextInt(3)];
        double gap = random.nextDouble() * 30;
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
            // Box–Muller: enough for test data
            double u = 1 - random.nextDouble();
            double gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
            z[j] = f.rd(sigma * gauss + (j == y ? gap : 0));
        }
        return z;
    }
}
