package dev.absorb.job;

import dev.absorb.results.AtomicFile;
import dev.absorb.results.JmhJsonMerge;
import dev.absorb.results.RunFolder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Two builds (two jars, or one jar on two JVMs) measured interleaved on one machine: in each
 * round, one JMH fork of every benchmark per side, the sides in an order drawn from the seed.
 * A slow minute of the machine then lands on both sides alike instead of on one run. Writes into
 * a run folder: per side a folder with jmh.json (its forks pooled, {@link JmhJsonMerge}) and
 * jmh.log, each fork's own JSON under {@value #FORKS}, and {@value #ORDER_CSV}.
 */
public final class AbRun {

    public static final String ORDER_CSV = "order.csv";
    public static final String FORKS = "forks";

    /** The two sides, by their folder names. */
    public enum Side {
        BASELINE, CANDIDATE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Runs one fork of every benchmark of a side's plan; JMH's JSON to {@code json}, its text appended to {@code log}. */
    public interface ForkRunner {
        void run(Side side, Path json, Path log) throws IOException;
    }

    /** One fork of one side: when it started and finished. */
    public record Fork(int round, int position, Side side, Instant started, Instant finished) {
    }

    private AbRun() {
    }

    /** The sides' order in each round: a fair coin per round from {@code seed}, so a seed repeats an order. */
    public static List<List<Side>> order(long seed, int rounds) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Side>> order = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            order.add(random.nextBoolean() ? List.of(Side.BASELINE, Side.CANDIDATE) : List.of(Side.CANDIDATE, Side.BASELINE));
        }
        return order;
    }

    /**
     * Runs the rounds into {@code folder} (taken, INCOMPLETE); leaves per side
     * {@code <side>/jmh.json} and {@code <side>/jmh.log}, and {@value #ORDER_CSV}.
     *
     * @return the forks in the order they ran
     */
    public static List<Fork> run(Path folder, long seed, int rounds, ForkRunner runner, PrintWriter console) throws IOException {
        Path forks = Files.createDirectory(folder.resolve(FORKS));
        List<Path> logs = new ArrayList<>();
        for (Side side : Side.values()) {
            Path sideFolder = Files.createDirectory(folder.resolve(side.key()));
            logs.add(Files.createFile(AtomicFile.temporary(sideFolder.resolve(RunFolder.JMH_LOG))));
        }
        List<Fork> done = new ArrayList<>();
        List<List<Path>> jsons = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Side>> order = order(seed, rounds);
        for (int r = 0; r < rounds; r++) {
            for (int position = 0; position < 2; position++) {
                Side side = order.get(r).get(position);
                Path json = forks.resolve(String.format(Locale.ROOT, "round-%03d-%s.json", r + 1, side.key()));
                console.printf("ab: round %d of %d, %s%n", r + 1, rounds, side.key());
                console.flush();
                Instant started = Instant.now();
                runner.run(side, json, logs.get(side.ordinal()));
                done.add(new Fork(r + 1, position + 1, side, started, Instant.now()));
                jsons.get(side.ordinal()).add(json);
            }
        }
        for (Side side : Side.values()) {
            Path sideFolder = folder.resolve(side.key());
            AtomicFile.write(sideFolder.resolve(RunFolder.JMH_JSON), JmhJsonMerge.merge(jsons.get(side.ordinal())));
            AtomicFile.place(logs.get(side.ordinal()), sideFolder.resolve(RunFolder.JMH_LOG));
        }
        AtomicFile.write(folder.resolve(ORDER_CSV), orderCsv(done));
        return List.copyOf(done);
    }

    /** {@value #ORDER_CSV}: round, position in the round, side, and the UTC start and end of its fork. */
    static String orderCsv(List<Fork> forks) {
        StringBuilder csv = new StringBuilder("round,position,side,started,finished\n");
        for (Fork f : forks) {
            csv.append(f.round()).append(',').append(f.position()).append(',').append(f.side().key()).append(',')
                    .append(f.started().truncatedTo(ChronoUnit.MILLIS)).append(',')
                    .append(f.finished().truncatedTo(ChronoUnit.MILLIS)).append('\n');
        }
        return csv.toString();
    }
}
