package dev.absorb.cli;

import java.io.PrintWriter;

/**
 * Progress of a long run over rows, on stderr: on a terminal one line redrawn at most four times a
 * second; elsewhere (a CI log) a plain line at most every {@value #LOG_EVERY_SECONDS} s, so short
 * runs print nothing and long ones do not flood the log.
 */
final class RowProgress {

    static final int LOG_EVERY_SECONDS = 30;

    private final PrintWriter err;
    private final String what;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long total = -1;
    private long lastPrint = start;
    private boolean drawn;

    RowProgress(PrintWriter err, String what, boolean terminal) {
        this.err = err;
        this.what = what;
        this.terminal = terminal;
    }

    /** The row count to expect, or −1 where it is not known. */
    void expect(long rows) {
        total = rows;
    }

    void update(long rows) {
        long now = System.nanoTime();
        long gap = terminal ? 250_000_000L : LOG_EVERY_SECONDS * 1_000_000_000L;
        if (now - lastPrint < gap) {
            return;
        }
        lastPrint = now;
        String text = what + ": " + rows + (total > 0 ? "/" + total + " rows (" + 100 * rows / total + " %)" : " rows")
                + ", " + (now - start) / 1_000_000_000L + " s";
        if (terminal) {
            err.print("\r" + text);
            drawn = true;
        } else {
            err.println(text);
        }
        err.flush();
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
