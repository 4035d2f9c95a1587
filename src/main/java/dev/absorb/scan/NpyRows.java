package dev.absorb.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rows of a .npy array ({@link NpyHeader}), read through a buffered channel: logits from a
 * 2-D array in C order, targets from a 1-D array or a single column. Only one buffer of at most a
 * few rows is in memory.
 */
final class NpyRows implements RowReader {

    private static final int BUFFER = 1 << 20;

    private final FileChannel channel;
    private final String name;
    private final ElementType type;
    private final ByteBuffer buffer;
    private final long rows;
    private final int width;
    private long read;

    private NpyRows(FileChannel channel, String name, ElementType.Typed typed, long rows, int width) {
        this.channel = channel;
        this.name = name;
        this.type = typed.type();
        this.rows = rows;
        this.width = width;
        int rowBytes = width * type.size();
        this.buffer = ByteBuffer.allocate(Math.max(rowBytes, BUFFER - BUFFER % rowBytes)).order(typed.order());
        buffer.flip();
    }

    static NpyRows open(Path file, boolean logits) throws IOException {
        String name = file.toString();
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": no such file");
        }
        try {
            NpyHeader header = NpyHeader.read(channel, name);
            ElementType.Typed typed = ElementType.of(header.descr(), logits, name);
            long[] shape = header.shape();
            if (header.fortranOrder() && shape.length > 1 && shape[1] > 1) {
                throw new IllegalArgumentException(name + " is in Fortran order; save it in C order (np.ascontiguousarray)");
            }
            long rows;
            long width;
            if (logits) {
                if (shape.length != 2) {
                    throw new IllegalArgumentException(name + " has shape " + header.shapeText()
                            + "; logits must be 2-D (rows, classes)");
                }
                rows = shape[0];
                width = shape[1];
                if (width < 2 || width > Integer.MAX_VALUE / 8) {
                    throw new IllegalArgumentException(name + " has shape " + header.shapeText()
                            + "; a row needs at least 2 classes");
                }
            } else {
                if (shape.length != 1 && !(shape.length == 2 && shape[1] == 1)) {
                    throw new IllegalArgumentException(name + " has shape " + header.shapeText()
                            + "; targets must be 1-D (rows,) or one column (rows, 1)");
                }
                rows = shape[0];
                width = 1;
            }
            long expected = header.dataOffset() + rows * width * typed.type().size();
            long size = channel.size();
            if (size != expected) {
                throw new IllegalArgumentException(name + " holds " + (size - header.dataOffset()) + " bytes of data; shape "
                        + header.shapeText() + " of " + header.descr() + " needs " + (expected - header.dataOffset())
                        + (size < expected ? " (the file is cut short)" : ""));
            }
            return new NpyRows(channel, name, typed, rows, (int) width);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean next(double[] row) throws IOException {
        if (read == rows) {
            return false;
        }
        int bytes = width * type.size();
        if (buffer.remaining() < bytes) {
            buffer.compact();
            while (buffer.position() < bytes) {
                if (channel.read(buffer) < 0) {
                    throw new IllegalArgumentException(name + " ends inside row " + (read + 1));
                }
            }
            buffer.flip();
        }
        for (int j = 0; j < width; j++) {
            row[j] = type.read(buffer);
        }
        read++;
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
