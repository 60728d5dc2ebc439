package dev.jvswitch.ovsdb.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a blocking {@link SocketChannel} that read and write independently: the channel
 * has a read lock and a write lock of its own, so one thread may block in a read while another
 * writes (Java 17's {@code Channels.newInputStream} and {@code newOutputStream} would serialise
 * them on one lock).
 *
 * <p><b>Thread-safety:</b> one reader thread for {@link In}; writers of {@link Out} serialise
 * themselves (the connection writes under a lock).
 */
final class ChannelStreams {
    private ChannelStreams() {
    }

    /** Reads through a 64 KiB buffer. */
    static final class In extends InputStream {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(64 << 10).flip();

        In(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return buf.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        private boolean fill() throws IOException {
            while (!buf.hasRemaining()) {
                buf.clear();
                int n = ch.read(buf);
                buf.flip();
                if (n < 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Writes each array whole. */
    static final class Out extends OutputStream {
        private final SocketChannel ch;

        Out(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
    }
}
