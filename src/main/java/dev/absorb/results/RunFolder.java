package dev.absorb.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A run's output folder, {@code results/<UTC time>_<jdk>_<cpu tag>/} (DESIGN.md §7), owned by
 * one process from the moment it is taken until the run completes. Taking a folder is atomic:
 * the {@value #INCOMPLETE} marker is created with CREATE_NEW (of two processes exactly one
 * succeeds), holds the owner's pid and start time, and stays locked (a {@link FileLock}) while
 * the run lives; the operating system drops the lock when the process ends, however it ends. A
 * folder is taken only when it is new or empty: a marker another process holds makes it "in
 * use", an unlocked marker is a stale one of a run that ended unfinished (reported, never
 * adopted), and any other file in it (an earlier curves.csv) makes it refused, so nothing in it
 * is ever replaced. The marker is removed only after the last file is in place, so an
 * interrupted run never looks complete.
 */
public final class RunFolder implements AutoCloseable {

    /** Where the run ran: {@link RunEnvironment}. */
    public static final String ENV_JSON = "env.json";
    /** The sweep's thresholds: {@link SweepCsv}. */
    public static final String THRESHOLDS_CSV = "thresholds.csv";
    /** The sweep's curves: {@link SweepCsv}. */
    public static final String CURVES_CSV = "curves.csv";
    /** JMH's results, as JMH writes them: {@link JmhJson}. */
    public static final String JMH_JSON = "jmh.json";
    /** JMH's text output. */
    public static final String JMH_LOG = "jmh.log";
    /** The bench job's summary. */
    public static final String SUMMARY_MD = "summary.md";
    /** {@code absorb report}'s page, and the folder of its plots. */
    public static final String REPORT_MD = "report.md";
    public static final String PLOTS = "plots";
    /** Present while the run has not finished. */
    public static final String INCOMPLETE = "INCOMPLETE";

    /**
     * Folders this process owns. A FileChannel closed anywhere in a JVM drops every lock the JVM
     * holds on that file (POSIX record locks), so this process never opens its own markers again.
     */
    private static final Set<Path> OWNED_HERE = ConcurrentHashMap.newKeySet();

    /** Who holds (or held) a folder's marker: a pid and a start time, null where unreadable. */
    public record Owner(Long pid, Instant started, boolean live) {

        /** {@code pid 4242 since 2026-11-23T13:00:00Z}. */
        public String text() {
            return "pid " + (pid == null ? "unknown" : pid) + " since " + (started == null ? "an unknown time" : started);
        }
    }

    private final Path path;
    private final FileChannel marker;
    private final FileLock lock;

    private RunFolder(Path path, FileChannel marker, FileLock lock) {
        this.path = path;
        this.marker = marker;
        this.lock = lock;
    }

    public Path path() {
        return path;
    }

    /**
     * Creates a new folder under {@code parent} named after the time, the JVM and the CPU
     * ({@link RunEnvironment#folderTag()}), takes it and writes env.json.
     *
     * @throws IOException if the folder cannot be created or taken
     * @throws UncheckedIOException if env.json cannot be written (the folder stays marked)
     */
    public static RunFolder createUnder(Path parent, RunEnvironment env) throws IOException {
        String time = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String name = time + "_jdk" + env.jvm().feature() + "_" + env.folderTag();
        Files.createDirectories(parent);
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve(attempt == 0 ? name : name + "-" + attempt);
            try {
                Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException taken) {
                continue; // two runs in the same second: take the next suffix
            }
            return take(candidate, env);
        }
    }

    /**
     * Takes {@code directory} (created if missing) for a run and writes env.json.
     *
     * @throws IllegalArgumentException if another process runs in it, an unfinished run left its
     *         marker, or it holds any file (one line naming the folder and what to do)
     * @throws FileSystemException if the path exists and is not a folder, or cannot be created
     * @throws UncheckedIOException if env.json cannot be written (the folder stays marked)
     */
    public static RunFolder adopt(Path directory, RunEnvironment env) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new FileSystemException(directory.toString(), null, "exists and is not a folder");
        }
        Files.createDirectories(directory);
        Owner owner = owner(directory);
        if (owner != null) {
            throw refusal(directory, owner);
        }
        refuseContents(directory);
        return take(directory, env);
    }

    /** The marker, created with CREATE_NEW and locked; then the folder must hold nothing else. */
    private static RunFolder take(Path directory, RunEnvironment env) throws IOException {
        Path markerFile = directory.resolve(INCOMPLETE);
        FileChannel channel;
        try {
            channel = FileChannel.open(markerFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException raced) {
            Owner owner = owner(directory);
            throw refusal(directory, owner != null ? owner : new Owner(null, null, true));
        }
        RunFolder folder;
        try {
            FileLock lock = channel.lock();
            Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            channel.write(ByteBuffer.wrap(("this run has not finished (or was interrupted)\npid: " + ProcessHandle.current().pid()
                    + "\nstarted: " + started + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            folder = new RunFolder(directory, channel, lock);
            OWNED_HERE.add(directory.toAbsolutePath().normalize());
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(markerFile);
            throw e;
        }
        try {
            // another process's files may have arrived between the first look and the marker
            refuseContents(directory);
        } catch (IllegalArgumentException e) {
            folder.release(true);
            throw e;
        }
        try {
            AtomicFile.write(directory.resolve(ENV_JSON), env.toJson());
        } catch (IOException e) {
            // the run has begun: its marker stays, and the failure is the environment's, not the folder's
            folder.close();
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /** Refuses a folder that holds anything but this run's marker. */
    private static void refuseContents(Path directory) throws IOException {
        List<String> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(INCOMPLETE)).sorted().toList();
        }
        if (!files.isEmpty()) {
            throw new IllegalArgumentException(directory + " already holds " + files.get(0)
                    + (files.size() > 1 ? " and " + (files.size() - 1) + " more" : "")
                    + "; absorb never replaces a file: give a new or empty folder");
        }
    }

    private static IllegalArgumentException refusal(Path directory, Owner owner) {
        if (owner.live()) {
            return new IllegalArgumentException(directory + " is in use by " + owner.text()
                    + "; give another folder, or wait for that run to finish");
        }
        return new IllegalArgumentException(directory + " holds a stale " + INCOMPLETE + " marker: the run of " + owner.text()
                + " ended unfinished; keep its files elsewhere or delete them with the folder, or give another folder");
    }

    /**
     * Who holds {@code directory}'s marker: null without one; live while a process holds its lock
     * (this process included), not live when no one does (the run ended without finishing).
     */
    public static Owner owner(Path directory) throws IOException {
        Path markerFile = directory.resolve(INCOMPLETE);
        if (!Files.exists(markerFile)) {
            return null;
        }
        if (OWNED_HERE.contains(directory.toAbsolutePath().normalize())) {
            return new Owner(ProcessHandle.current().pid(), null, true);
        }
        for (int look = 0; ; look++) {
            Owner owner;
            boolean held;
            try (FileChannel channel = FileChannel.open(markerFile, StandardOpenOption.READ)) {
                owner = parse(Files.readAllLines(markerFile, StandardCharsets.UTF_8));
                FileLock probe;
                try {
                    probe = channel.tryLock(0, Long.MAX_VALUE, true);
                } catch (OverlappingFileLockException heldHere) {
                    probe = null;
                }
                held = probe == null;
                if (!held) {
                    probe.release();
                }
            } catch (NoSuchFileException completed) {
                return null;
            }
            // a held marker without its pid is being written: its writer names itself at once
            if (held && (owner.pid() != null || look >= 4)) {
                return new Owner(owner.pid(), owner.started(), true);
            }
            // an empty marker that no one locks is being written, or its writer died at once
            if (!held && (owner.pid() != null || look >= 1)) {
                return new Owner(owner.pid(), owner.started(), false);
            }
            try {
                Thread.sleep(held ? 50 : 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while looking at " + markerFile, e);
            }
        }
    }

    /** The marker's {@code pid:} and {@code started:} lines; null for what is missing or malformed. */
    static Owner parse(List<String> lines) {
        Long pid = null;
        Instant started = null;
        for (String line : lines) {
            try {
                if (line.startsWith("pid: ")) {
                    pid = Long.parseLong(line.substring(5).trim());
                } else if (line.startsWith("started: ")) {
                    started = Instant.parse(line.substring(9).trim());
                }
            } catch (RuntimeException malformed) {
                // left null: the message says unknown
            }
        }
        return new Owner(pid, started, false);
    }

    /** Marks the run complete and gives the folder up: call after every file is in place. */
    public void complete() throws IOException {
        release(true);
    }

    /** Gives the folder up; unless completed, its marker stays, and later runs find it stale. */
    @Override
    public void close() throws IOException {
        release(false);
    }

    private void release(boolean removeMarker) throws IOException {
        if (!marker.isOpen()) {
            return;
        }
        try {
            if (removeMarker) {
                Files.deleteIfExists(path.resolve(INCOMPLETE));
            }
        } finally {
            OWNED_HERE.remove(path.toAbsolutePath().normalize());
            if (lock.isValid()) {
                lock.release();
            }
            marker.close();
        }
    }
}
