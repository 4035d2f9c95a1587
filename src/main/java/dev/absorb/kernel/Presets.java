package dev.absorb.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Framework presets (DESIGN.md §4a): {@code FRAMEWORK:FORMAT(/key=value)*}, e.g. {@code torch:bf16},
 * {@code torch:fp32/cpu=avx512}, {@code jax:fp16/grad=complement}. Each names the recipe that
 * reproduces a framework's CPU cross-entropy kernel on logits stored in FORMAT; docs/presets.md
 * derives every key from the framework's source, and FrameworkPresetsTest replays the thresholds
 * measured in the frameworks (scripts/measure-frameworks.sh) against them.
 *
 * <p>The key {@code cpu} picks the vector ISA a framework dispatches on (PyTorch:
 * {@code default}, {@code avx2}, {@code avx512}; avx2 when absent). Every other key overrides the
 * preset's recipe, so a mitigation applies to a framework's kernel. The canonical text is the
 * preset, its {@code cpu} if not the default, then the keys in which the recipe differs from the
 * preset's, in the order of DESIGN.md §3.
 */
public final class Presets {

    /** One preset at one dispatch level. */
    public record Preset(String framework, String format, String cpu, String recipe, String verifiedOn,
                         String description) {

        /** The canonical name: {@code framework:format}, with {@code /cpu=} where not the default level. */
        public String name() {
            String head = framework + ":" + format;
            String defaultCpu = defaultCpu(framework);
            return defaultCpu == null || defaultCpu.equals(cpu) ? head : head + "/cpu=" + cpu;
        }
    }

    static final String TORCH = "torch";
    static final String JAX = "jax";
    private static final String TORCH_VERSION = "PyTorch 2.13.0 (CPU wheel), one thread";
    private static final String JAX_VERSION = "JAX 0.10.2, jaxlib 0.10.2 (XLA:CPU), jitted";
    private static final String MACHINE = "AMD EPYC with AVX2, FMA and AVX-512 (512-bit vectors)";

    private static final String TORCH_REDUCED = "PyTorch's log_softmax on %s (ATen serial_vec_log_softmax_lastdim_range): "
            + "%s; each %s vector splits into two fp32 vectors (unroll=2) that accumulate exp(z - max) in fp32; "
            + "the row sum is stored to %s in a buffer of the logits' type, its log too; the log-probabilities are "
            + "stored to %s, and the backward (log_softmax_backward) computes exp of them in fp32 and subtracts 1.";
    private static final String TORCH_FP32 = "PyTorch's log_softmax on fp32 (ATen serial_vec_log_softmax_lastdim_range): "
            + "%s; everything in fp32.";

    private static final String JAX_SUM = "XLA:CPU's row sum, whose order depends on C (sum=xla): serial for C <= 32, "
            + "windows of 32 (XLA's tree reduction) for C < 4096, YNNPACK's 16-lane kernel for C >= 4096";
    private static final String JAX_FP32 = "jax.grad of -log_softmax, jitted (XLA:CPU), on fp32: " + JAX_SUM
            + "; XLA's Cephes-style exp for C < 4096 and YNNPACK's for C >= 4096, where XLA:CPU hands it the max, "
            + "exp and sum (exp=xla); the gradient fma(1/S, e_j, -[j=y]) (grad=recipfma); FTZ and DAZ (ftz=on).";
    private static final String JAX_REDUCED = "jax.grad of -log_softmax, jitted (XLA:CPU), on %1$s: XLA computes each "
            + "%1$s operation in fp32 and rounds it to %1$s; XLA's exp (exp=xla); %2$s; " + JAX_SUM
            + " in fp32 (acc=fp32), stored to %1$s (rowsum=%1$s); the gradient rd(rd(r*e_j) - [j=y]) with "
            + "r = rd(1/S) (grad=recip).";
    private static final String JAX_BF16_EXPS = "XLA drops the rounding of the exps to bf16 before the fp32 sum as excess "
            + "precision, so the sum adds the fp32 exps (sumexp=fp32) and the gradient the rounded ones; FTZ (ftz=on)";
    private static final String JAX_FP16_EXPS = "the exps are rounded to fp16 before the sum (fp16 operations are "
            + "emitted as such), and fp16 keeps its subnormals";

    private static final List<Preset> ALL = Stream.of(List.of(
            torchFp32("avx2", "fp32/short=serial/exp=sleef",
                    "one accumulator of 8 lanes (AVX2), SLEEF's expf_u10, a shuffle-tree horizontal sum; a row shorter "
                            + "than 8 is summed serially"),
            torchFp32("avx512", "fp32/lanes=16/short=serial/exp=sleef",
                    "one accumulator of 16 lanes (AVX-512), SLEEF's expf_u10, a shuffle-tree horizontal sum; a row "
                            + "shorter than 16 is summed serially"),
            torchFp32("default", "fp32/hsum=serial/exp=glibc",
                    "the generic vector of 8 lanes, glibc's expf lane by lane, and a serial horizontal sum")),
            torchReduced("bf16"), torchReduced("fp16"), List.of(
            jax("fp32", "fp32/grad=recipfma/ftz=on/sum=xla/exp=xla", JAX_FP32),
            jax("bf16", "bf16/acc=fp32/rowsum=bf16/sumexp=fp32/grad=recip/ftz=on/sum=xla/exp=xla",
                    String.format(JAX_REDUCED, "bf16", JAX_BF16_EXPS)),
            jax("fp16", "fp16/acc=fp32/rowsum=fp16/grad=recip/sum=xla/exp=xla",
                    String.format(JAX_REDUCED, "fp16", JAX_FP16_EXPS)))).flatMap(List::stream).collect(Collectors.toUnmodifiableList());

    private static Preset jax(String format, String recipe, String description) {
        return new Preset(JAX, format, null, recipe, JAX_VERSION + "; " + MACHINE, description);
    }

    /** Every preset at every dispatch level, the default level of each first. */
    public static List<Preset> all() {
        return ALL;
    }

    private static Preset torchFp32(String cpu, String recipe, String how) {
        return new Preset(TORCH, "fp32", cpu, recipe, TORCH_VERSION + "; " + MACHINE + ", ATEN_CPU_CAPABILITY=" + cpu,
                String.format(TORCH_FP32, how));
    }

    /** PyTorch's bf16 or fp16 kernel at each dispatch level: only the sum's shape and the exp differ. */
    private static List<Preset> torchReduced(String format) {
        return List.of(
                torchReduced(format, "avx2", "lanes=16/unroll=2/short=serial/exp=sleef",
                        "2 x 8 fp32 lanes (AVX2), SLEEF's expf_u10, a shuffle-tree horizontal sum; a row shorter than 16 "
                                + "adds its two halves and sums the 8 lanes serially"),
                torchReduced(format, "avx512", "lanes=32/unroll=2/short=serial/exp=sleef",
                        "2 x 16 fp32 lanes (AVX-512), SLEEF's expf_u10, a shuffle-tree horizontal sum; a row shorter than "
                                + "32 adds its two halves and sums the 16 lanes serially"),
                torchReduced(format, "default", "lanes=16/unroll=2/hsum=serial/exp=glibc",
                        "2 x 8 fp32 lanes of the generic vector, glibc's expf, a serial horizontal sum"));
    }

    private static Preset torchReduced(String format, String cpu, String keys, String how) {
        String recipe = format + "/acc=fp32/rowsum=" + format + "/compute=fp32/logp=" + format + "/" + keys;
        return new Preset(TORCH, format, cpu, recipe, TORCH_VERSION + "; " + MACHINE + ", ATEN_CPU_CAPABILITY=" + cpu,
                String.format(TORCH_REDUCED, format, how, format, format, format));
    }

    /** The dispatch level a framework's preset takes without {@code cpu=}, or null if it has no such key. */
    static String defaultCpu(String framework) {
        return framework.equals(TORCH) ? "avx2" : null;
    }

    /**
     * Parses {@code FRAMEWORK:FORMAT(/key=value)*} into its recipe, named by the canonical text.
     *
     * @throws IllegalArgumentException with one line naming the problem and the valid choices
     */
    static Recipe parse(String text) {
        String[] parts = text.split("/", -1);
        String head = parts[0];
        int colon = head.indexOf(':');
        String framework = head.substring(0, colon);
        String format = head.substring(colon + 1);
        Map<String, List<Preset>> byHead = new LinkedHashMap<>();
        ALL.forEach(p -> byHead.computeIfAbsent(p.framework() + ":" + p.format(), k -> new ArrayList<>()).add(p));
        List<Preset> levels = byHead.get(head);
        if (levels == null) {
            throw new IllegalArgumentException("unknown preset '" + head + "'; valid: " + String.join(", ", byHead.keySet()));
        }
        String cpu = defaultCpu(framework);
        List<String> rest = new ArrayList<>();
        rest.add(head);
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("cpu=")) {
                String asked = parts[i].substring(4);
                if (levels.stream().noneMatch(p -> asked.equals(p.cpu()))) {
                    throw new IllegalArgumentException("preset '" + head + "': unknown cpu '" + asked + "'; valid: "
                            + (cpu == null ? "none (its results do not depend on the CPU)"
                            : levels.stream().map(Preset::cpu).collect(Collectors.joining(", "))));
                }
                cpu = asked;
            } else {
                rest.add(parts[i]);
            }
        }
        String level = cpu;
        Preset preset = levels.stream().filter(p -> level == null || p.cpu().equals(level)).findFirst().orElseThrow();
        Recipe base = Recipe.parse(preset.recipe());
        Recipe recipe = base.withKeys(text, rest.toArray(String[]::new), 1);
        // Name the keys given, not those a given key normalised (grad=complement drops logp's store).
        Set<String> given = rest.stream().skip(1).map(kv -> kv.substring(0, Math.max(0, kv.indexOf('='))))
                .collect(Collectors.toSet());
        return recipe.named(recipe.keysText(base, preset.name(), given));
    }

    /**
     * The preset a canonical recipe name starts from ({@code torch:bf16/cpu=avx512/grad=complement}
     * gives {@code torch:bf16/cpu=avx512}), or null for a recipe that is not a preset's.
     */
    public static String baseName(String name) {
        if (!name.contains(":")) {
            return null;
        }
        String[] parts = name.split("/");
        return parts.length > 1 && parts[1].startsWith("cpu=") ? parts[0] + "/" + parts[1] : parts[0];
    }

    /** The preset spelled {@code name} (canonical, without overrides), or null. */
    public static Preset of(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The frameworks' heads, e.g. {@code torch:bf16}, in table order. */
    public static List<String> heads() {
        return ALL.stream().map(p -> p.framework() + ":" + p.format()).distinct().collect(Collectors.toList());
    }
}
