package dev.absorb.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Writes whose I/O errors name where they were writing: a stream that runs out of space says
 * only "No space left on device", and the one line a user gets must name the path.
 */
final class Writes {

    /** One write, or several, that may fail with an I/O error. */
    interface Action<T> {
        T run() throws IOException;
    }

    private Writes() {
    }

    /**
     * Runs {@code action}; an I/O error that names no file is reported as one on {@code where}
     * (the file or folder being written).
     */
    static <T> T into(Path where, Action<T> action) throws IOException {
        try {
            return action.run();
        } catch (FileSystemException named) {
            throw named;
        } catch (IOException e) {
            throw atPath(where, e);
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            throw cause instanceof FileSystemException ? cause : atPath(where, cause);
        }
    }

    /**
     * Like {@link #into}, for the files of a run folder that holds an INCOMPLETE marker: the
     * error says that the folder stays marked, so nobody takes it for a finished run.
     */
    static <T> T intoRunFolder(Path folder, String marker, Action<T> action) throws IOException {
        try {
            return into(folder, action);
        } catch (IOException e) {
            throw new IOException(Errors.ioMessage(e) + "; " + folder + " stays marked " + marker, e);
        }
    }

    /** {@code e}, adding which of {@code folders} (this run's, left marked) stay marked. */
    static IOException sayingMarked(IOException e, java.util.List<Path> folders, String marker) {
        if (folders.isEmpty()) {
            return e;
        }
        return new IOException(Errors.ioMessage(e) + "; " + folders.get(0) + " stays marked " + marker, e);
    }

    /**
     * Whether an error in creating a folder at a path is the path's fault (bad input: it exists
     * and is a file, or a file sits where a parent folder should be) rather than the
     * environment's (no space, read-only, permission denied).
     */
    static boolean notAFolder(IOException e) {
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return true;
        }
        String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : null;
        return reason != null && (reason.equals("Not a directory") || reason.contains("not a folder"));
    }

    private static FileSystemException atPath(Path where, IOException e) {
        FileSystemException named = new FileSystemException(where.toString(), null, Errors.ioMessage(e));
        named.initCause(e);
        return named;
    }
}
