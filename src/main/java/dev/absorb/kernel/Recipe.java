package dev.absorb.kernel;

import dev.absorb.format.Format;
import dev.absorb.format.Rounding;
import dev.absorb.format.RoundingMode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * One kernel formulation: {@code FORMAT(/key=value)*} (DESIGN.md §3), e.g. {@code bf16},
 * {@code fp16/grad=complement/round=sr/seed=7}.
 *
 * <p>A recipe is normalised on construction: a key whose value means the same as its default
 * ({@code fp32/acc=fp32}, {@code fp64/acc=fp64}, {@code fp32/compute=fp32}) becomes the default, so
 * equal kernels have equal recipes and one canonical {@link #toString() text}, which lists only
 * non-default keys in the order of the table. {@code parse(r.toString()).equals(r)} always holds.
 *
 * <p>Rejected combinations (each with a message naming the reason): fp64 with a rounding other
 * than rne, with {@code compute=fp32} or {@code acc=fp32} (fp64 recipes run natively in double);
 * {@code seed} without a stochastic rounding; {@code lse=log1p} with {@code algo=naive} (log1p
 * needs the max shift); {@code norm=stablemax} with an algo other than twopass, with
 * {@code lse=log1p} or with {@code grad=lse} (StableMax has no max shift and no exp); the framework
 * keys {@code unroll}, {@code hsum} and {@code short} with {@code algo=online}, {@code rowsum=FORMAT}
 * with lse=log1p, online or stablemax, {@code exp=sleef}, {@code glibc} or {@code xla} with fp64,
 * {@code sum=xla} with lanes, unroll, hsum or short (it fixes its own order), with acc=kahan or
 * online, {@code sumexp=fp32} with fp64, online or stablemax, and {@code grad=recip} or
 * {@code recipfma} with stablemax (docs/presets.md). {@code rowsum=FORMAT} with acc=FORMAT or
 * kahan, {@code logp=FORMAT} where K = FORMAT or the gradient does not exponentiate
 * log-probabilities, and {@code sumexp=fp32} where K = fp32 without ftz, normalise to the default.
 *
 * <p>A framework preset ({@link Presets}, e.g. {@code torch:bf16}) parses to its recipe under the
 * preset's name: {@link #preset()} holds the name and {@link #toString()} prints it;
 * {@link #expansion()} is the same kernel as a plain recipe.
 */
public record Recipe(Format format, Algo algo, Accumulator acc, Compute compute, Gradient grad,
                     RoundingMode round, long seed, boolean sat, boolean ftz, Lse lse, int lanes,
                     Exp exp, Norm norm, double cap, RowSum rowsum, LogProb logp, int unroll, Hsum hsum,
                     ShortRow shortRows, Sum sum, SumExp sumExp, Mitigations mitigations, String preset) {

    /** The summation order's partial-sum counts; the first is the default. */
    public static final List<Integer> LANES = List.of(8, 1, 2, 4, 16, 32, 64);
    /** The largest {@link #LANES} value: fold operations are numbered below it per level. */
    public static final int MAX_LANES = 64;

    public enum Algo { TWOPASS, ONLINE, NAIVE }

    public enum Accumulator { FORMAT, FP32, FP64, KAHAN }

    public enum Compute { FORMAT, FP32 }

    public enum Gradient { STANDARD, LSE, DIV, COMPLEMENT, ZEROSUM, CENTER, RECIP, RECIPFMA }

    public enum Lse { LOG, LOG1P }

    public enum Exp { POLY, JDK, SLEEF, GLIBC, XLA }

    /** Where the row sum S (and r = log S) is kept: in A, or stored to FORMAT before the log. */
    public enum RowSum { ACC, FORMAT }

    /** Whether the log-probabilities d_j − r stay in K or are stored to FORMAT before the backward's exp. */
    public enum LogProb { COMPUTE, FORMAT }

    /** How the partials of one vector are reduced at the end: halving (shuffle tree) or one by one. */
    public enum Hsum { TREE, SERIAL }

    /** How a row with fewer classes than partials is summed: like any row, or its vector serially. */
    public enum ShortRow { FOLD, SERIAL }

    /** The accumulator unrolls: {@code unroll} vectors of lanes/unroll partials each. */
    public static final List<Integer> UNROLLS = List.of(1, 2, 4);

    public enum Norm { SOFTMAX, STABLEMAX }

    /** The order of the row sum: §4's lane partials, or XLA:CPU's, which depends on C (docs/presets.md). */
    public enum Sum { LANES, XLA }

    /** What the row sum adds: e_j = rd_K(exp(d_j)), or exp(d_j) as evaluated in fp32, before that rounding. */
    public enum SumExp { COMPUTE, FP32 }

    private static final String KEYS = "algo, acc, rowsum, compute, sumexp, logp, grad, round, seed, sat, ftz, lse, sum, "
            + "lanes, unroll, hsum, short, exp, norm, cap, chunk, smooth, zloss, scale, gradfmt";

    public Recipe {
        if (acc == Accumulator.FP32 && format.equals(Format.FP32) || acc == Accumulator.FP64 && format.isFp64()) {
            acc = Accumulator.FORMAT;
        }
        if (compute == Compute.FP32 && format.equals(Format.FP32)) {
            compute = Compute.FORMAT;
        }
        // Storing to FORMAT what is already a value of FORMAT changes nothing.
        if (rowsum == RowSum.FORMAT && (acc == Accumulator.FORMAT || acc == Accumulator.KAHAN)) {
            rowsum = RowSum.ACC;
        }
        // Only the log-probability gradients exponentiate log-probabilities: elsewhere nothing is stored.
        if (logp == LogProb.FORMAT && (compute == Compute.FORMAT || grad != Gradient.STANDARD && grad != Gradient.CENTER)) {
            logp = LogProb.COMPUTE;
        }
        // A row shorter than one partial per class takes the serial reduction anyway.
        if (shortRows == ShortRow.SERIAL && hsum == Hsum.SERIAL) {
            shortRows = ShortRow.FOLD;
        }
        // Where K is fp32, e_j is the fp32 exp itself, unless ftz flushes a subnormal one.
        if (sumExp == SumExp.FP32 && !ftz && (compute == Compute.FP32 || format.equals(Format.FP32))) {
            sumExp = SumExp.COMPUTE;
        }
        mitigations = mitigations.normalised(format);
        if (format.isFp64()) {
            require(round == RoundingMode.RNE, "fp64 runs natively in double: round must be rne, not " + round.key());
            require(compute == Compute.FORMAT, "fp64 runs natively in double: compute=fp32 would narrow it");
            require(acc != Accumulator.FP32, "fp64 runs natively in double: acc=fp32 would narrow it");
        }
        require(seed == 0 || round.isStochastic(), "seed applies only with round=sr or round=srh");
        require(!(lse == Lse.LOG1P && algo == Algo.NAIVE), "lse=log1p needs the max shift: not with algo=naive");
        require(!(acc == Accumulator.KAHAN && algo == Algo.ONLINE), "acc=kahan has no online (rescaled) form: use algo=twopass or naive");
        if (norm == Norm.STABLEMAX) {
            require(algo == Algo.TWOPASS, "norm=stablemax has no max shift: algo must be twopass");
            require(lse == Lse.LOG, "norm=stablemax has no max shift: lse must be log");
            require(grad != Gradient.LSE, "norm=stablemax has no exp: grad=lse does not apply");
        }
        require(LANES.contains(lanes), "lanes must be one of " + LANES.stream().sorted().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ", not " + lanes);
        require(cap == 0 || (cap > 0 && Double.isFinite(cap)), "cap must be none or a finite number > 0, not " + cap);
        require(UNROLLS.contains(unroll) && unroll <= lanes, "unroll must be one of 1, 2, 4 and at most lanes ("
                + lanes + "), not " + unroll);
        boolean plainFold = unroll == 1 && hsum == Hsum.TREE && shortRows == ShortRow.FOLD;
        require(plainFold || algo != Algo.ONLINE, "unroll, hsum and short describe the two-pass sum: not with algo=online");
        require(!(format.isFp64() && (exp == Exp.SLEEF || exp == Exp.GLIBC || exp == Exp.XLA)), "exp=" + key(exp)
                + " is a float exp: not with fp64");
        if (sum == Sum.XLA) {
            require(lanes == 8 && unroll == 1 && hsum == Hsum.TREE && shortRows == ShortRow.FOLD,
                    "sum=xla fixes its own order: lanes, unroll, hsum and short apply to sum=lanes");
            require(acc != Accumulator.KAHAN, "acc=kahan compensates the lane partials of sum=lanes: not with sum=xla");
            require(algo != Algo.ONLINE, "sum=xla orders the two-pass sum: not with algo=online");
        }
        if (sumExp == SumExp.FP32) {
            require(!format.isFp64(), "sumexp=fp32: fp64 recipes evaluate exp in fp64");
            require(algo != Algo.ONLINE && norm == Norm.SOFTMAX,
                    "sumexp=fp32 applies to the two-pass softmax sum: not with algo=online or norm=stablemax");
        }
        require(norm == Norm.SOFTMAX || grad != Gradient.RECIP && grad != Gradient.RECIPFMA,
                "norm=stablemax has its own gradient: grad=" + key(grad) + " does not apply");
        require(rowsum == RowSum.ACC || norm == Norm.SOFTMAX && lse == Lse.LOG && algo != Algo.ONLINE,
                "rowsum=" + format.name() + " applies to softmax with lse=log and algo twopass or naive");
        if (mitigations.any()) {
            require(norm == Norm.SOFTMAX && (grad == Gradient.STANDARD || grad == Gradient.LSE || grad == Gradient.DIV),
                    "smooth, zloss, scale and gradfmt apply to softmax with grad standard, lse or div");
        }
        if (mitigations.chunk() > 0) {
            require(algo == Algo.TWOPASS && lse == Lse.LOG && norm == Norm.SOFTMAX && sum == Sum.LANES,
                    "chunk merges per-chunk (max, sum) pairs: it needs algo=twopass, lse=log, norm=softmax and sum=lanes");
            require(grad != Gradient.COMPLEMENT, "chunk merges S, not S₋: not with grad=complement");
        }
        Format g = mitigations.gradFormat();
        require(g == null || g.fitsFloat() || format.isFp64(),
                "gradfmt=" + (g == null ? "" : g.name()) + ": a gradient of float logits is stored in a format floats hold");
    }

    /** The default recipe of a format. */
    public static Recipe of(Format format) {
        return new Recipe(format, Algo.TWOPASS, Accumulator.FORMAT, Compute.FORMAT, Gradient.STANDARD,
                RoundingMode.RNE, 0, false, false, Lse.LOG, 8, Exp.POLY, Norm.SOFTMAX, 0, RowSum.ACC,
                LogProb.COMPUTE, 1, Hsum.TREE, ShortRow.FOLD, Sum.LANES, SumExp.COMPUTE, Mitigations.NONE, null);
    }

    /**
     * Parses {@code FORMAT(/key=value)*}.
     *
     * @throws IllegalArgumentException with one line naming the problem and the valid choices
     */
    public static Recipe parse(String text) {
        String[] parts = text.trim().split("/", -1);
        if (parts[0].contains(":")) {
            return Presets.parse(text.trim());
        }
        Format format = Format.of(parts[0]);
        return of(format).withKeys(text, parts, 1);
    }

    /**
     * This recipe with the keys {@code parts[from..]} ({@code key=value}) set; {@code text} names
     * the whole recipe in messages. The result keeps this recipe's preset name.
     */
    Recipe withKeys(String text, String[] parts, int from) {
        Recipe d = this;
        Format format = d.format;
        Algo algo = d.algo;
        Accumulator acc = d.acc;
        Compute compute = d.compute;
        Gradient grad = d.grad;
        RoundingMode round = d.round;
        long seed = d.seed;
        boolean sat = d.sat;
        boolean ftz = d.ftz;
        Lse lse = d.lse;
        int lanes = d.lanes;
        Exp exp = d.exp;
        Norm norm = d.norm;
        double cap = d.cap;
        RowSum rowsum = d.rowsum;
        LogProb logp = d.logp;
        int unroll = d.unroll;
        Hsum hsum = d.hsum;
        ShortRow shortRows = d.shortRows;
        Sum sum = d.sum;
        SumExp sumExp = d.sumExp;
        Mitigations mitigations = d.mitigations;
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = from; i < parts.length; i++) {
            String part = parts[i];
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("recipe '" + text + "': '" + part + "' is not key=value; keys: " + KEYS);
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            if (seen.put(key, value) != null) {
                throw new IllegalArgumentException("recipe '" + text + "': key '" + key + "' given twice");
            }
            switch (key) {
                case "algo": algo = choice(Algo.class, key, value, format); break;
                case "acc": acc = choice(Accumulator.class, key, value, format); break;
                case "compute": compute = choice(Compute.class, key, value, format); break;
                case "grad": grad = choice(Gradient.class, key, value, format); break;
                case "round": round = RoundingMode.of(value); break;
                case "seed": seed = parseLong(key, value); break;
                case "sat": sat = onOff(key, value); break;
                case "ftz": ftz = onOff(key, value); break;
                case "lse": lse = choice(Lse.class, key, value, format); break;
                case "lanes": lanes = parseLanes(value); break;
                case "exp": exp = choice(Exp.class, key, value, format); break;
                case "norm": norm = choice(Norm.class, key, value, format); break;
                case "cap": cap = parseCap(value); break;
                case "rowsum": rowsum = storage(RowSum.class, key, value, format, "acc"); break;
                case "logp": logp = storage(LogProb.class, key, value, format, "compute"); break;
                case "unroll": unroll = parseUnroll(value); break;
                case "hsum": hsum = choice(Hsum.class, key, value, format); break;
                case "short": shortRows = choice(ShortRow.class, key, value, format); break;
                case "sum": sum = choice(Sum.class, key, value, format); break;
                case "sumexp": sumExp = storage(SumExp.class, key, value, Format.FP32, "compute"); break;
                case "chunk":
                case "smooth":
                case "zloss":
                case "scale":
                case "gradfmt":
                    mitigations = mitigations.with(key, value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown recipe key '" + key + "'; valid: " + KEYS);
            }
        }
        return new Recipe(format, algo, acc, compute, grad, round, seed, sat, ftz, lse, lanes, exp, norm, cap,
                rowsum, logp, unroll, hsum, shortRows, sum, sumExp, mitigations, preset);
    }

    /** This recipe under a preset's name (what {@link #toString()} prints), or as itself with null. */
    Recipe named(String name) {
        return new Recipe(format, algo, acc, compute, grad, round, seed, sat, ftz, lse, lanes, exp, norm, cap,
                rowsum, logp, unroll, hsum, shortRows, sum, sumExp, mitigations, name);
    }

    /** The same kernel without a preset's name: its plain recipe. */
    public Recipe expansion() {
        return named(null);
    }

    /**
     * This recipe with one key changed: its canonical text without {@code key}, plus
     * {@code key=value}, parsed (so the key may already be set, and the result is validated).
     */
    public Recipe with(String key, String value) {
        StringJoiner text = new StringJoiner("/");
        for (String part : toString().split("/")) {
            if (!part.startsWith(key + "=")) {
                text.add(part);
            }
        }
        return parse(text.add(key + "=" + value).toString());
    }

    /**
     * Whether the recipe uses only what the SIMD kernels implement: no framework keys (rowsum,
     * logp, unroll, hsum, short, sum, sumexp, grad=recip and recipfma) and absorb's or the JDK's exp.
     */
    public boolean absorbKernel() {
        return rowsum == RowSum.ACC && logp == LogProb.COMPUTE && unroll == 1 && hsum == Hsum.TREE
                && shortRows == ShortRow.FOLD && (exp == Exp.POLY || exp == Exp.JDK) && !xlaKeys();
    }

    /**
     * Whether only the scalar reference kernel runs the recipe: exp=glibc and the keys of XLA's
     * kernel (sum=xla, exp=xla, sumexp=fp32, grad=recip and recipfma) have no vector form
     * (docs/decisions.md).
     */
    public boolean scalarOnly() {
        return exp == Exp.GLIBC || xlaKeys();
    }

    private boolean xlaKeys() {
        return sum == Sum.XLA || exp == Exp.XLA || sumExp == SumExp.FP32 || grad == Gradient.RECIP
                || grad == Gradient.RECIPFMA;
    }

    /** The format values are computed in: K in DESIGN.md §4. */
    public Format computeFormat() {
        return compute == Compute.FP32 ? Format.FP32 : format;
    }

    /** The format the gradient is stored in: {@code gradfmt}, FORMAT by default. */
    public Format gradientFormat() {
        return mitigations.gradientFormat(format);
    }

    /** The format partial sums are kept in: A in DESIGN.md §4 (kahan compensates in FORMAT). */
    public Format accumulatorFormat() {
        switch (acc) {
            case FP32: return Format.FP32;
            case FP64: return Format.FP64;
            default: return format;
        }
    }

    /** Rounding to {@code target} under this recipe's mode, saturation and flush; fp64 is native rne. */
    public Rounding roundingTo(Format target) {
        return new Rounding(target, target.isFp64() ? RoundingMode.RNE : round, sat, ftz);
    }

    /** The canonical text: the format, then the non-default keys in the order of DESIGN.md §3. */
    @Override
    public String toString() {
        return preset != null ? preset : keysText(of(format), format.name());
    }

    /** {@code head} followed by the keys in which this recipe differs from {@code d}, in table order. */
    String keysText(Recipe d, String head) {
        return keysText(d, head, null);
    }

    /** As {@link #keysText(Recipe, String)}, listing only the keys in {@code only} (null: every key). */
    String keysText(Recipe d, String head, Set<String> only) {
        List<String> parts = new ArrayList<>();
        if (algo != d.algo) parts.add("algo=" + key(algo));
        if (acc != d.acc) parts.add("acc=" + spelling(acc, format));
        if (rowsum != d.rowsum) parts.add("rowsum=" + storageSpelling(rowsum, format, "acc"));
        if (compute != d.compute) parts.add("compute=" + spelling(compute, format));
        if (sumExp != d.sumExp) parts.add("sumexp=" + storageSpelling(sumExp, Format.FP32, "compute"));
        if (logp != d.logp) parts.add("logp=" + storageSpelling(logp, format, "compute"));
        if (grad != d.grad) parts.add("grad=" + key(grad));
        if (round != d.round) parts.add("round=" + round.key());
        if (seed != d.seed) parts.add("seed=" + seed);
        if (sat != d.sat) parts.add("sat=on");
        if (ftz != d.ftz) parts.add("ftz=on");
        if (lse != d.lse) parts.add("lse=" + key(lse));
        if (sum != d.sum) parts.add("sum=" + key(sum));
        if (lanes != d.lanes) parts.add("lanes=" + lanes);
        if (unroll != d.unroll) parts.add("unroll=" + unroll);
        if (hsum != d.hsum) parts.add("hsum=" + key(hsum));
        if (shortRows != d.shortRows) parts.add("short=" + key(shortRows));
        if (exp != d.exp) parts.add("exp=" + key(exp));
        if (norm != d.norm) parts.add("norm=" + key(norm));
        if (cap != d.cap) parts.add("cap=" + BigDecimal.valueOf(cap).stripTrailingZeros().toPlainString());
        parts.addAll(mitigations.parts(d.mitigations));
        StringJoiner out = new StringJoiner("/");
        out.add(head);
        parts.stream().filter(p -> only == null || only.contains(p.substring(0, p.indexOf('=')))).forEach(out::add);
        return out.toString();
    }

    private static String spelling(Enum<?> value, Format format) {
        return value.name().equals("FORMAT") ? format.name() : key(value);
    }

    static String key(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The enum constant spelled {@code value}; a constant named FORMAT is spelled as the format itself. */
    private static <E extends Enum<E>> E choice(Class<E> type, String key, String value, Format format) {
        for (E e : type.getEnumConstants()) {
            if (spelling(e, format).equals(value)) {
                return e;
            }
        }
        String valid = Arrays.stream(type.getEnumConstants()).map(e -> spelling(e, format)).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key " + key + "; valid: " + valid);
    }

    /** A storage choice: {@code other} (the default's spelling) or FORMAT's name. */
    private static <E extends Enum<E>> E storage(Class<E> type, String key, String value, Format format, String other) {
        E[] values = type.getEnumConstants();
        if (value.equals(other)) {
            return values[0];
        }
        if (value.equals(format.name())) {
            return values[1];
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key " + key + "; valid: " + other
                + ", " + format.name());
    }

    private static String storageSpelling(Enum<?> value, Format format, String other) {
        return value.ordinal() == 0 ? other : format.name();
    }

    private static int parseUnroll(String value) {
        for (int u : UNROLLS) {
            if (value.equals(String.valueOf(u))) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key unroll; valid: 1, 2, 4");
    }

    private static boolean onOff(String key, String value) {
        if (value.equals("on") || value.equals("off")) {
            return value.equals("on");
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key " + key + "; valid: off, on");
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recipe key " + key + " needs an integer, not '" + value + "'");
        }
    }

    /** One of {@link #LANES}; anything else (3, eight, 2^32 + 8) is named with the valid choices. */
    private static int parseLanes(String value) {
        for (int lanes : LANES) {
            if (value.equals(String.valueOf(lanes))) {
                return lanes;
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key lanes; valid: "
                + LANES.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")));
    }

    private static double parseCap(String value) {
        if (value.equals("none")) {
            return 0;
        }
        try {
            double c = Double.parseDouble(value);
            if (c > 0 && Double.isFinite(c)) {
                return c;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("unknown value '" + value + "' for recipe key cap; valid: none, or a number > 0");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
