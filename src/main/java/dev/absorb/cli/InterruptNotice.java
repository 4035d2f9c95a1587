package dev.absorb.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * While a command fills a run folder: a signal that ends the JVM (Ctrl-C, SIGTERM) leaves one line
 * on stderr saying that the folder stays marked INCOMPLETE, so the exit code (128 + the signal's
 * number, the JVM's) does not come alone. Armed before the folder exists (a signal can come the
 * moment its marker appears), told the folder once it does; closing the notice, on success or on
 * an error that {@link Errors} reports, takes it back.
 */
final class InterruptNotice implements AutoCloseable {

    private final Thread hook;
    private volatile Path folder;

    private InterruptNotice(PrintWriter err, String command, String marker) {
        this.hook = new Thread(() -> {
            Path watched = folder;
            // No folder yet, or ended after the marker's removal: nothing is left unfinished.
            if (watched != null && Files.exists(watched.resolve(marker))) {
                err.println(command + ": interrupted; " + watched + " stays marked " + marker);
                err.flush();
            }
        }, "absorb-interrupt-notice");
    }

    static InterruptNotice arm(PrintWriter err, String command, String marker) {
        InterruptNotice notice = new InterruptNotice(err, command, marker);
        try {
            Runtime.getRuntime().addShutdownHook(notice.hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal came first: the JVM halts before this command gets far; the exit code says why
        }
        return notice;
    }

    /** The folder whose marker a signal would leave behind. */
    void watch(Path folder) {
        this.folder = folder;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already ending: the hook runs, as it should
        }
    }
}
