package dev.absorb.results;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file whole or not at all, and never replaces one: the content goes to a temporary
 * file in the same folder ({@code NAME.<pid>.tmp}, so two processes never share one), which is
 * then published under its name by a hard link. {@code link(2)} fails when the name exists, so
 * the check and the publication are one atomic step: of two writers of one name, exactly one
 * wins, and the other's {@link FileAlreadyExistsException} leaves the winner's file untouched. A
 * rename cannot do this: {@code rename(2)} replaces its target. Where the file system has no hard
 * links, the name is reserved with an empty file created with CREATE_NEW (atomic too) and the
 * temporary renamed over that reservation, the only file this class ever renames onto.
 */
public final class AtomicFile {

    /** Writes a file's content to a stream. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** This process's temporary for {@code file}: {@code NAME.<pid>.tmp} beside it. */
    public static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    /** @throws FileAlreadyExistsException if {@code file} exists (it is left as it was) */
    public static void write(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** @throws FileAlreadyExistsException if {@code file} exists (it is left as it was) */
    public static void write(Path file, Content content) throws IOException {
        refuseExisting(file);
        Path temporary = temporary(file);
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE))) {
                content.writeTo(out);
            }
            place(temporary, file);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(temporary, e);
            throw e;
        }
    }

    /**
     * Publishes a finished temporary file under {@code file}, atomically and only if no file has
     * that name; the temporary is gone afterwards.
     *
     * @throws FileAlreadyExistsException if {@code file} exists (the temporary stays)
     */
    public static void place(Path temporary, Path file) throws IOException {
        refuseExisting(file);
        try {
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            throw taken(file);
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            // vfat, some network and FUSE file systems: reserve the name, then rename onto the reservation
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                throw taken(file);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(file, e);
                throw e;
            }
            return;
        }
        Files.delete(temporary);
    }

    private static void refuseExisting(Path file) throws FileAlreadyExistsException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw taken(file);
        }
    }

    private static FileAlreadyExistsException taken(Path file) {
        return new FileAlreadyExistsException(file.toString(), null, "already exists; absorb never replaces a file");
    }

    /** Removes a temporary of ours; a failure to do so is added to the one being reported. */
    private static void deleteQuietly(Path file, Throwable reported) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            reported.addSuppressed(e);
        }
    }
}
