package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import dev.jvswitch.vswitchd.ctl.Jvsctl;

/**
 * A control-socket client that sends whatever bytes a test wants (garbage, a line 20 000 levels
 * deep, no line at all) and reads the one line back with a time bound, with jvsctl's own framing
 * ({@link Jvsctl#writeAll}, {@link Jvsctl#readLine}).
 */
public final class RawClient {
    private RawClient() {
    }

    public static SocketChannel connect(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    /**
     * Sends {@code bytes} (a newline ends a request) and returns the answer line without its
     * newline, or {@code null} if the daemon closed the connection without one.
     *
     * @throws java.net.SocketTimeoutException if no line came within {@code timeoutMs}
     */
    public static String exchange(Path socket, byte[] bytes, long timeoutMs) throws IOException {
        try (SocketChannel c = connect(socket)) {
            Jvsctl.writeAll(c, bytes);
            return Jvsctl.readLine(c, timeoutMs);
        }
    }
}
