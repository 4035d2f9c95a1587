package dev.absorb.cli;

/**
 * The ranges of the numeric options, and their check: every command refuses a value outside its
 * option's range with the same one line, {@code --option must be at least LO and at most HI, not
 * V} (exit 2). NaN and infinities are refused wherever a number is an option
 * ({@link Converters.FiniteDoubleConverter}); they are data only where a command reads numbers
 * ({@code round}'s input lines).
 */
final class Ranges {

    /** 2^24: far beyond any vocabulary; grad's two C-long double arrays alone then take 256 MB. */
    static final int MAX_CLASSES = 1 << 24;
    /**
     * 2^16: a cell is then 1/65536 of the searched range (0.0016 of fp32's range of about 105),
     * finer than any band seen in the default sweep; a configuration's curve (every fourth edge)
     * is then 2.5 MB of curves.csv, and the search holds about 13 MB per thread.
     */
    static final int MAX_GRID_CELLS = 1 << 16;
    /** Threads beyond the work's parallelism only cost memory; far more than any machine's cores. */
    static final int MAX_THREADS = 1024;

    static final String CLASSES = "range: 2 to " + MAX_CLASSES;
    static final String THREADS = "range: 1 to " + MAX_THREADS;
    static final String SEED = "range: any 64-bit integer";
    static final String FINITE = "range: any finite number";

    private Ranges() {
    }

    /** {@code value}, if it lies in [lo, hi]; otherwise the one-line refusal. */
    static int check(String option, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(option + " must be at least " + lo + " and at most " + hi + ", not " + value);
        }
        return value;
    }

    static void checkClasses(String option, Iterable<Integer> classes) {
        for (int c : classes) {
            check(option, c, 2, MAX_CLASSES);
        }
    }
}
