package dev.jvswitch.vswitchd.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A control-socket client that sends whatever bytes a test wants (garbage, a line 20 000 levels
 * deep, no line at all) and reads the one line back with a time bound.
 */
final class RawClient {
    private RawClient() {
    }

    static SocketChannel connect(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    /** Sends {@code bytes} and returns the answer (without its newline), or null if closed without one. */
    static String exchange(Path socket, byte[] bytes, long timeoutMs) throws IOException {
        try (SocketChannel c = connect(socket)) {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                c.write(out);
            }
            return readLine(c, timeoutMs);
        }
    }

    /** Reads one line from {@code c} within {@code timeoutMs}; null at EOF (or reset) without one. */
    static String readLine(SocketChannel c, long timeoutMs) throws IOException {
        c.configureBlocking(false);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(8192);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        try (Selector sel = Selector.open()) {
            c.register(sel, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new IOException("no answer within " + timeoutMs + " ms");
                }
                sel.select(left);
                sel.selectedKeys().clear();
                int n;
                try {
                    n = c.read(in.clear());
                } catch (IOException e) {
                    n = -1;
                }
                if (n < 0) {
                    return got.size() == 0 ? null : got.toString(StandardCharsets.UTF_8);
                }
                got.write(in.array(), 0, n);
                if (n > 0 && in.get(n - 1) == '\n') {
                    String s = got.toString(StandardCharsets.UTF_8);
                    return s.substring(0, s.length() - 1);
                }
            }
        }
    }
}
