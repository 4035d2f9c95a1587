package dev.absorb.cli;

import dev.absorb.format.DecimalText;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import dev.absorb.kernel.Evaluation;
import dev.absorb.kernel.Recipe;
import dev.absorb.kernel.Kernels;
import dev.absorb.sweep.Absorption;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.GradientSummary;
import dev.absorb.sweep.TargetPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code absorb grad}: one evaluation of a recipe's kernel on a family's logits, and what it says
 * about the gradient (DESIGN.md §4, §5).
 */
@Command(name = "grad",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Evaluates one loss and gradient of a recipe on C logits.",
            "",
            "Builds C logits from a family (stored in the recipe's format), evaluates them "
                    + "with the fastest kernel for the recipe (SIMD where it runs it, else the scalar reference; "
                    + "they give the same bits), and prints: the recipe (canonical), the logits' setup, "
                    + "the stored gap, lse, loss, g_y, the largest other g_j, the exact sums of g_j and |g_j|, "
                    + "the zero-sum residual |sum|/abs_sum, and whether g_y is absorbed (exactly 0).",
            "Numbers are the shortest decimals that parse back to the same double (layout of Java's Double.toString). "
                    + "--json prints one JSON object on one line; NaN and infinities are the strings \"NaN\", "
                    + "\"Infinity\", \"-Infinity\" there.",
        })
final class GradCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECIPE", converter = Converters.RecipeConverter.class,
            description = "kernel recipe FORMAT(/key=value)*, e.g. bf16, bf16/acc=fp32, fp16/grad=complement")
    Recipe recipe;

    @Option(names = "--classes", required = true, paramLabel = "C",
            description = "number of classes; " + Ranges.CLASSES)
    int classes;

    @Option(names = "--gap", required = true, paramLabel = "D", converter = Converters.FiniteDoubleConverter.class,
            description = "logit gap: correct-class logit minus the largest other (before storing in the format); "
                    + Ranges.FINITE + " (negative: the correct class is not the largest)")
    double gap;

    @Option(names = "--family", paramLabel = "F", defaultValue = "flat", converter = Converters.FamilyConverter.class,
            description = "logit family: flat, gauss, runnerup (default: ${DEFAULT-VALUE})")
    Family family;

    @Option(names = "--target", paramLabel = "T", defaultValue = "first", converter = Converters.TargetConverter.class,
            description = "where the correct class sits: first, last, random (default: ${DEFAULT-VALUE})")
    TargetPosition target;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "seed of the gauss family and of --target random; " + Ranges.SEED + " (default: ${DEFAULT-VALUE}); "
                    + "stochastic rounding takes its seed from the recipe (seed=N)")
    long seed;

    @Option(names = "--offset", paramLabel = "O", defaultValue = "0", converter = Converters.FiniteDoubleConverter.class,
            description = "added to every logit; matters for grad=lse and algo=naive; " + Ranges.FINITE
                    + " (default: ${DEFAULT-VALUE})")
    double offset;

    @Option(names = "--json", description = "print one JSON object instead of aligned key/value lines")
    boolean json;

    /** One reported quantity; value is a String, Integer, Long, Boolean or Double. */
    record Field(String key, Object value) {
    }

    @Override
    public Integer call() {
        Ranges.check("--classes", classes, 2, Ranges.MAX_CLASSES);
        // The logits and the gradient; the kernel's working arrays come on top.
        Errors.requireMemory(classes + " classes", 16L * classes);
        double[] z = new double[classes];
        double[] g = new double[classes];
        int y = target.index(classes, seed);
        double storedGap = family.fill(z, y, gap, offset, recipe.format(), seed);
        Evaluation evaluation = Kernels.of(recipe).evaluate(z, y, g);
        GradientSummary summary = GradientSummary.of(g, classes, y);

        List<Field> fields = new ArrayList<>();
        fields.add(new Field("recipe", recipe.toString()));
        fields.add(new Field("classes", classes));
        fields.add(new Field("family", family.key()));
        fields.add(new Field("position", target.key()));
        fields.add(new Field("target", y));
        fields.add(new Field("seed", seed));
        fields.add(new Field("offset", offset));
        fields.add(new Field("gap_requested", gap));
        fields.add(new Field("gap", storedGap));
        fields.add(new Field("lse", evaluation.lse()));
        fields.add(new Field("loss", evaluation.loss()));
        fields.add(new Field("g_y", summary.target()));
        fields.add(new Field("g_other_max", summary.largestOther()));
        fields.add(new Field("others_zero", summary.othersAllZero()));
        fields.add(new Field("sum", summary.sum()));
        fields.add(new Field("abs_sum", summary.absoluteSum()));
        fields.add(new Field("zero_sum_residual", summary.zeroSumResidual()));
        // g_y frozen: 0, or under smooth and zloss its value at p_y = 1 (the sweep's predicate)
        fields.add(new Field("absorbed", new Absorption(recipe).targetAbsorbed(g, y, evaluation.lse())));

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(fields, out);
        } else {
            printText(fields, out);
        }
        out.flush();
        return Errors.OK;
    }

    static void printText(List<Field> fields, PrintWriter out) {
        int width = fields.stream().mapToInt(f -> f.key().length()).max().orElse(0);
        for (Field f : fields) {
            out.print(String.format("%-" + width + "s  %s\n", f.key(), text(f.value())));
        }
    }

    static void printJson(List<Field> fields, PrintWriter out) {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            for (Field f : fields) {
                json.writeFieldName(f.key());
                Object v = f.value();
                if (v instanceof Double) {
                    double d = (Double) v;
                    if (Double.isFinite(d)) {
                        // Raw number text, so JSON and text output carry the same shortest digits.
                        json.writeNumber(DecimalText.format(d));
                    } else {
                        json.writeString(DecimalText.format(d));
                    }
                } else if (v instanceof Integer) {
                    json.writeNumber((Integer) v);
                } else if (v instanceof Long) {
                    json.writeNumber((Long) v);
                } else if (v instanceof Boolean) {
                    json.writeBoolean((Boolean) v);
                } else {
                    json.writeString(String.valueOf(v));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.print('\n');
    }

    private static String text(Object value) {
        return value instanceof Double ? DecimalText.format((Double) value) : String.valueOf(value);
    }
}
