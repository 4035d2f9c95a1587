package dev.absorb.cli;

import dev.absorb.results.RunFolder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * While a command fills a run folder: a signal that ends the JVM (Ctrl-C, SIGTERM) leaves one line
 * on stderr saying which folder stays marked INCOMPLETE, so the exit code (128 + the signal's
 * number, the JVM's) does not come alone. Armed before the folder exists (a signal can come the
 * moment its marker appears, before the command knows the folder's name), it names the folders
 * under the given path whose marker this process wrote. Closing the notice, on success or on an
 * error that {@link Errors} reports, takes it back.
 */
final class InterruptNotice implements AutoCloseable {

    private final Thread hook;

    private InterruptNotice(Thread hook) {
        this.hook = hook;
    }

    /** @param where the run folder to be, or the folder a new run folder is made in */
    static InterruptNotice arm(PrintWriter err, String command, Path where) {
        Thread hook = new Thread(() -> {
            for (Path folder : markedByThisProcess(where)) {
                err.println(command + ": interrupted; " + folder + " stays marked " + RunFolder.INCOMPLETE);
            }
            err.flush();
        }, "absorb-interrupt-notice");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal came first: the JVM halts before this command gets far; the exit code says why
        }
        return new InterruptNotice(hook);
    }

    /**
     * {@code where} itself, or the folders in it, whose INCOMPLETE marker names this process: the
     * run it started and has not completed. Another process's folder is never named.
     */
    static List<Path> markedByThisProcess(Path where) {
        List<Path> marked = new ArrayList<>();
        List<Path> candidates = new ArrayList<>(List.of(where));
        if (!Files.exists(where.resolve(RunFolder.INCOMPLETE))) {
            try (Stream<Path> children = Files.list(where)) {
                children.filter(Files::isDirectory).forEach(candidates::add);
            } catch (IOException | RuntimeException unreadable) {
                // no such folder, or none to read: nothing was started there
            }
        }
        long pid = ProcessHandle.current().pid();
        for (Path candidate : candidates) {
            Long owner = ownerPid(candidate);
            if (owner != null && owner == pid) {
                marked.add(candidate);
            }
        }
        return marked;
    }

    /** The pid in a folder's marker (RunFolder waits for one still being written), null without one. */
    private static Long ownerPid(Path folder) {
        try {
            RunFolder.Owner owner = RunFolder.owner(folder);
            return owner == null ? null : owner.pid();
        } catch (IOException | RuntimeException unreadable) {
            return null; // a marker that cannot be read is not one this process can vouch for
        }
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
