package dev.jvswitch.vswitchd.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.function.UnaryOperator;

/**
 * The daemon's end of the control socket: a Unix domain socket, mode 0600, served by the control
 * thread through a selector. Each connection sends one request line and gets one response line
 * ({@link ControlProtocol}); the daemon then closes it.
 *
 * <p>Binding is race-free as to permissions: the socket is bound under a temporary name, made
 * 0600, then renamed to its final path, so no one can connect to it while it is more open. A
 * stale socket file left by a daemon that died is removed; a live one (something answers) makes
 * {@link #bind} fail instead.
 *
 * <p>The control agent serves it without blocking ({@link #poll}); its idle strategy blocks in
 * {@link #await} until a client or a {@link #wakeup()} needs it.
 *
 * <p><b>Thread-safety:</b> owned by the control thread, except {@link #wakeup()}, which any
 * thread (a signal handler) may call to end an {@link #await} early, or make the next one return
 * at once.
 */
public final class ControlServer implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;
    private long served;
    private long rejected;

    private ControlServer(Path path, ServerSocketChannel server, Selector selector) {
        this.path = path;
        this.server = server;
        this.selector = selector;
    }

    /**
     * Creates the socket at {@code path} (and its directory, mode 0700, if missing).
     *
     * @throws IOException with a one-line message when the path is in use or cannot be bound
     */
    public static ControlServer bind(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException("control socket " + path + " is in use by a running jvswitchd");
            }
            Files.delete(path);
        }
        Path tmp = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(tmp));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            server.configureBlocking(false);
            Selector selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new ControlServer(path, server, selector);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(tmp);
            throw new IOException("cannot create control socket " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether something accepts connections on {@code path}. */
    private static boolean answers(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Blocks until a connection needs serving, {@link #wakeup()} is called (or was, since the
     * last {@link #poll}), or {@code timeoutMs} (at least 1) passes. Serves nothing: the keys it
     * finds ready wait for the next {@link #poll}.
     */
    public void await(long timeoutMs) throws IOException {
        selector.select(Math.max(1, timeoutMs));
    }

    /**
     * Serves what is ready now, without blocking: accepts connections, reads requests, and
     * answers each complete one through {@code handler} (request line in, response line out).
     *
     * @return how many connections were served (accepted, read or written)
     */
    public int poll(UnaryOperator<String> handler) throws IOException {
        int work = 0;
        selector.selectNow();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (!k.isValid()) {
                continue;
            }
            work++;
            try {
                if (k.isAcceptable()) {
                    SocketChannel c = server.accept();
                    if (c != null) {
                        c.configureBlocking(false);
                        c.register(selector, SelectionKey.OP_READ, new Connection());
                    }
                } else if (k.isReadable()) {
                    onReadable(k, handler);
                } else if (k.isWritable()) {
                    onWritable(k);
                }
            } catch (IOException e) {
                close(k);
            }
        }
        return work;
    }

    /** Makes an {@link #await} in progress, or else the next one, return; callable from any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    public long served() {
        return served;
    }

    public long rejected() {
        return rejected;
    }

    private void onReadable(SelectionKey k, UnaryOperator<String> handler) throws IOException {
        Connection conn = (Connection) k.attachment();
        SocketChannel c = (SocketChannel) k.channel();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        int n = c.read(buf);
        if (n < 0) {
            close(k);
            return;
        }
        buf.flip();
        while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b == '\n') {
                String line = conn.request.toString(StandardCharsets.UTF_8);
                respond(k, conn, handler.apply(line));
                served++;
                return;
            }
            conn.request.write(b);
        }
        if (conn.request.size() > ControlProtocol.MAX_REQUEST_BYTES) {
            rejected++;
            respond(k, conn, ControlProtocol.failure("request longer than " + ControlProtocol.MAX_REQUEST_BYTES
                    + " bytes", true));
        }
    }

    private void respond(SelectionKey k, Connection conn, String response) throws IOException {
        conn.response = ByteBuffer.wrap((response + "\n").getBytes(StandardCharsets.UTF_8));
        k.interestOps(SelectionKey.OP_WRITE);
        onWritable(k);
    }

    private void onWritable(SelectionKey k) throws IOException {
        Connection conn = (Connection) k.attachment();
        ((SocketChannel) k.channel()).write(conn.response);
        if (!conn.response.hasRemaining()) {
            close(k);
        }
    }

    private static void close(SelectionKey k) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException ignored) {
            // The peer went away; nothing to tell it.
        }
    }

    /** Closes every connection and the socket, and removes the socket file. */
    @Override
    public void close() {
        for (SelectionKey k : selector.keys()) {
            close(k);
        }
        try {
            selector.close();
            server.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A stale file is removed by the next bind.
        }
    }

    /** One client: the request bytes so far, then the response left to write. */
    private static final class Connection {
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        ByteBuffer response;
    }
}
