package dev.absorb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file whole or not at all: to {@code NAME.tmp} in the same folder, then an atomic
 * rename. A reader never sees half a file, and an existing file is never replaced.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    public static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /** @throws FileAlreadyExistsException if {@code file} exists (nothing is written then) */
    public static void write(Path file, String text) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString(), null, "already exists; choose a new name");
        }
        Path temporary = temporary(file);
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            place(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Renames a finished temporary file into place, atomically. */
    public static void place(Path temporary, Path file) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString(), null, "already exists; choose a new name");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
