package dev.absorb.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0, as numpy's
 * {@code numpy.lib.format} writes them): the magic string {@code \x93NUMPY}, the version, the
 * header's length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), then a Python dict
 * literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (10000, 128256), }},
 * padded with spaces and a newline so the data starts on a 16- or 64-byte boundary.
 *
 * @param descr        the dtype string, e.g. {@code <f4}
 * @param fortranOrder whether the data is stored column by column
 * @param shape        the array's shape
 * @param dataOffset   where the data starts in the file
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape, long dataOffset) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy refuses headers this long too: a bound on what a malformed length makes us read. */
    private static final int MAX_HEADER = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * Reads the header from the start of {@code channel}, leaving it at the data.
     *
     * @param name the file's name, for messages
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    static NpyHeader read(ReadableByteChannel channel, String name) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(10);
        while (start.hasRemaining() && channel.read(start) >= 0) {
            // until 10 bytes or the end
        }
        start.flip();
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= start.limit() || start.get(i) != MAGIC[i]) {
                throw new IllegalArgumentException(name + " is not a .npy file (it does not start with \\x93NUMPY)");
            }
        }
        if (start.limit() < 10) {
            throw new IllegalArgumentException(name + " is cut short: it ends inside its first 10 bytes");
        }
        start.position(6);
        int major = start.get() & 0xff;
        start.get();
        long length;
        int prefix;
        if (major == 1) {
            length = start.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            ByteBuffer more = readFully(channel, 2, name, "its header length");
            length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).put(start.array(), 8, 2).put(more.array())
                    .flip().getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw new IllegalArgumentException(name + ": .npy format version " + major + " is not supported (1, 2 and 3 are)");
        }
        if (length > MAX_HEADER) {
            throw new IllegalArgumentException(name + ": .npy header of " + length + " bytes (a malformed file)");
        }
        ByteBuffer dict = readFully(channel, (int) length, name, "its header");
        // Version 3 allows UTF-8 in the header (field names of structured dtypes); 1 and 2 are latin-1.
        String text = new String(dict.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(text, prefix + length, name);
    }

    static NpyHeader parse(String dict, long dataOffset, String name) {
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!dict.trim().startsWith("{") || !descr.find() || !fortran.find() || !shape.find()) {
            throw new IllegalArgumentException(name + ": the .npy header " + dict.trim()
                    + " lacks 'descr', 'fortran_order' or 'shape' (a structured dtype is not supported)");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : shape.group(1).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                dims.add(Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": the .npy shape (" + shape.group(1) + ") is not a tuple of integers");
            }
        }
        return new NpyHeader(descr.group(1), fortran.group(1).equals("True"), dims.stream().mapToLong(Long::longValue).toArray(),
                dataOffset);
    }

    private static ByteBuffer readFully(ReadableByteChannel channel, int n, String name, String what) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(n);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IllegalArgumentException(name + " is cut short: it ends inside " + what);
            }
        }
        return buffer.flip();
    }

    /** The shape as numpy prints it: (10000, 128256). */
    String shapeText() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
