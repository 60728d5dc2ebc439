package dev.jvswitch.config.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * How the YAML producer reads a file — the config file and each {@code @file} of flows or
 * groups — so that no file, however large, endless or strange, costs more than a bounded amount
 * of time and memory, or blocks:
 * <ul>
 *   <li>only a regular file is opened (after following symbolic links): a FIFO, a device such as
 *       {@code /dev/zero}, a socket or a directory is refused before it is opened, so reading
 *       never blocks on a pipe with no writer nor runs forever;</li>
 *   <li>at most {@code maxBytes} are read: a larger file is refused by its size, and one that
 *       grows past the limit while it is read is refused when it does;</li>
 *   <li>lines are split on {@code \n} through a fixed read buffer, each line bounded by
 *       {@code maxLineBytes}; nothing ever waits for an end of line that does not come;</li>
 *   <li>text only: a NUL byte ends the reading with "not a text file" (flow and group files are
 *       text, and binary content must not be echoed back), and invalid UTF-8 is reported at the
 *       line and byte where it is.</li>
 * </ul>
 * A file is checked and then opened: a file swapped for a FIFO between the two by someone who may
 * write the config's directory could still block; such a person can change the config anyway.
 *
 * <p>Stateless.
 */
final class TextFile {
    /** Largest config file read: 16 MiB. */
    static final long MAX_CONFIG_BYTES = 16L << 20;
    /** Largest {@code @file} of flows or groups read: 256 MiB (a million rules of ~250 bytes). */
    static final long MAX_INCLUDE_BYTES = 256L << 20;
    /** Longest line of an {@code @file}: 64 KiB. */
    static final int MAX_INCLUDE_LINE_BYTES = 64 << 10;
    private static final int READ_CHUNK_BYTES = 64 << 10;

    private TextFile() {
    }

    /** Why a file cannot be used, in one line; {@code line} is 0 for the file as a whole. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        Problem(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }

        /** 1-based line of the problem inside the file, or 0 if it concerns the whole file. */
        int line() {
            return line;
        }
    }

    /** Receives the lines of a file, numbered from 1, without their {@code \n}. */
    @FunctionalInterface
    interface LineSink {
        void line(int number, String text);
    }

    /** The whole of {@code file} as text (lines joined by {@code \n}). */
    static String read(Path file, long maxBytes) throws Problem {
        StringBuilder sb = new StringBuilder();
        lines(file, maxBytes, (int) Math.min(Integer.MAX_VALUE - 8, maxBytes), (n, text) -> {
            if (n > 1) {
                sb.append('\n');
            }
            sb.append(text);
        });
        return sb.toString();
    }

    /** Passes every line of {@code file} to {@code sink}, in order. */
    static void lines(Path file, long maxBytes, int maxLineBytes, LineSink sink) throws Problem {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new Problem(0, "no such file");
        } catch (IOException e) {
            throw new Problem(0, message(e));
        }
        if (a.isDirectory()) {
            throw new Problem(0, "is a directory, not a file");
        }
        if (!a.isRegularFile()) {
            throw new Problem(0, "not a regular file (a pipe, device or socket); only regular files are read");
        }
        if (a.size() > maxBytes) {
            throw new Problem(0, "is " + a.size() + " bytes; the limit is " + maxBytes + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
            new Splitter(maxBytes, maxLineBytes, sink).run(in);
        } catch (IOException e) {
            throw new Problem(0, message(e));
        }
    }

    private static String message(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Splits a stream into decoded lines, within the bounds. */
    private static final class Splitter {
        private final long maxBytes;
        private final int maxLineBytes;
        private final LineSink sink;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private byte[] line = new byte[256];
        private int length;
        private boolean ascii = true;
        private int number = 1;

        Splitter(long maxBytes, int maxLineBytes, LineSink sink) {
            this.maxBytes = maxBytes;
            this.maxLineBytes = maxLineBytes;
            this.sink = sink;
        }

        void run(InputStream in) throws IOException, Problem {
            byte[] buf = new byte[READ_CHUNK_BYTES];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new Problem(0, "grew past the limit of " + maxBytes + " bytes while being read");
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit();
                        continue;
                    }
                    if (b == 0) {
                        throw new Problem(number, "not a text file (a NUL byte at line " + number + ")");
                    }
                    if (length == maxLineBytes) {
                        throw new Problem(number, "line " + number + " is longer than " + maxLineBytes + " bytes");
                    }
                    if (length == line.length) {
                        line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                    }
                    line[length++] = b;
                    ascii &= b >= 0;
                }
            }
            if (length > 0) {
                emit();
            }
        }

        private void emit() throws Problem {
            String text;
            if (ascii) {
                text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
            } else {
                ByteBuffer in = ByteBuffer.wrap(line, 0, length);
                CharBuffer out = CharBuffer.allocate(length);
                utf8.reset();
                CoderResult r = utf8.decode(in, out, true);
                if (!r.isError()) {
                    r = utf8.flush(out);
                }
                if (r.isError()) {
                    throw new Problem(number, "not valid UTF-8 at line " + number + ", byte " + (in.position() + 1)
                            + " of the line");
                }
                text = out.flip().toString();
            }
            sink.line(number++, text);
            length = 0;
            ascii = true;
        }
    }
}
