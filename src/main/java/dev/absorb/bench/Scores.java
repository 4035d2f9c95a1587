package dev.absorb.bench;

import dev.absorb.results.BenchmarkRun;
import dev.absorb.results.JmhJson;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the scores out of a JMH JSON result file ({@code -rf json}), and prints them readably. */
public final class Scores {

    private Scores() {
    }

    /**
     * Every benchmark of a JMH JSON file, in file order, as {@link JmhJson} reads it.
     *
     * @throws IllegalArgumentException if the file is missing or is not JMH JSON
     */
    public static List<Score> read(Path file) {
        List<Score> scores = new ArrayList<>();
        for (BenchmarkRun row : JmhJson.read(file).rows()) {
            scores.add(new Score(JmhPlan.shortName(row.key().benchmark()), row.key().params(), row.score(),
                    row.scoreError(), row.unit()));
        }
        return scores;
    }

    /** {@code 80510 ± 1234}, or the score alone where there is no error. */
    public static String scoreText(double score, double error) {
        return Double.isFinite(error) ? readable(score) + " ± " + readable(error) : readable(score);
    }

    /** Four significant digits, without an exponent: 80510, 2.515, 0.0006123. */
    public static String readable(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        if (x == 0) {
            return "0";
        }
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
