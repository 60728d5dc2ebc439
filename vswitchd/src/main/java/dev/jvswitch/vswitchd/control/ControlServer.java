package dev.jvswitch.vswitchd.control;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.config.listen.ConnectionGuard;

/**
 * The daemon's end of the control socket: a Unix domain socket, mode 0600, served by the control
 * thread through a selector. Each connection sends one request line and gets one response line
 * ({@link ControlProtocol}); the daemon then closes it. The answer may come at once (from
 * {@link Handler#onRequest}) or later ({@link #reply}), when the request is carried out on
 * another thread; meanwhile the server keeps serving everyone else.
 *
 * <p><b>Bounds.</b> Nothing a client does costs the daemon more than a fixed amount:
 * <ul>
 *   <li>a request line is read through one shared buffer into a per-client buffer of at most
 *       {@link ControlProtocol#MAX_REQUEST_BYTES}; a longer line is refused with one error line
 *       and the connection closed;</li>
 *   <li>clients, idle timeout and accept failures follow the listener rules of
 *       {@link ConnectionGuard}: at most {@code max-clients} at once (the longest idle one is
 *       closed to admit a newcomer), idle ones closed after {@code idle-timeout}, and a failed
 *       accept (the descriptor limit) never closes the listening socket;</li>
 *   <li>the listen backlog is {@link ConnectionGuard.Limits#backlog}.</li>
 * </ul>
 *
 * <p>Binding is race-free as to permissions: the socket is bound under a temporary name, made
 * 0600, then renamed to its final path, so no one can connect to it while it is more open. A
 * stale socket file left by a daemon that died is removed; a live one (something answers) makes
 * {@link #bind} fail instead.
 *
 * <p>The control agent serves it without blocking ({@link #poll}); its idle strategy blocks in
 * {@link #await} until a client, a {@link #wakeup()} or the next deadline needs it.
 *
 * <p><b>Thread-safety:</b> owned by the control thread, except {@link #wakeup()}, which any
 * thread (a signal handler, the change agent) may call to end an {@link #await} early, or make
 * the next one return at once.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");
    private static final int READ_CHUNK_BYTES = 8192;
    /** Most connections accepted in one poll, so a flood of connects cannot starve the rest. */
    private static final int ACCEPTS_PER_POLL = 64;

    /** What the server asks of its owner for each complete request line. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Answers {@code line}: the response line, or null to answer later through
         * {@link #reply}. Must not throw.
         */
        String onRequest(Exchange exchange, String line);
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final SelectionKey serverKey;
    private final ConnectionGuard<Exchange> guard;
    private final ByteBuffer readBuf = ByteBuffer.allocate(READ_CHUNK_BYTES);
    private long served;
    private long rejected;
    private long repliesDropped;
    private long connectionErrors;

    private ControlServer(Path path, ServerSocketChannel server, Selector selector, SelectionKey serverKey,
            ConnectionGuard.Limits limits) {
        this.path = path;
        this.server = server;
        this.selector = selector;
        this.serverKey = serverKey;
        this.guard = new ConnectionGuard<>("control socket " + path, limits, message -> LOG.warn("{}", message));
    }

    /**
     * Creates the socket at {@code path} (and its directory, mode 0700, if missing).
     *
     * @throws IOException with a one-line message when the path is in use or cannot be bound
     */
    public static ControlServer bind(Path path, ConnectionGuard.Limits limits) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException("control socket " + path + " is in use by a running jvswitchd");
            }
            Files.delete(path);
            LOG.info("control socket {}: removed the stale file of a daemon that is gone", path);
        }
        Path tmp = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(tmp), limits.backlog());
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            server.configureBlocking(false);
            Selector selector = Selector.open();
            SelectionKey key = server.register(selector, SelectionKey.OP_ACCEPT);
            return new ControlServer(path, server, selector, key, limits);
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

    /** Milliseconds until the server must run again on its own (an idle timeout, accepting resumes). */
    public long msUntilDue(long nowNs) {
        long deadline = guard.nextDeadlineNs();
        if (deadline == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long ns = deadline - nowNs;
        return ns <= 0 ? 0 : Math.max(1, ns / 1_000_000L);
    }

    /**
     * Serves what is ready now, without blocking: accepts connections, reads requests, answers
     * each complete one through {@code handler}, writes replies, and closes idle connections.
     *
     * @return how many connections were served (accepted, read, written or closed)
     * @throws IOException only if the selector itself fails
     */
    public int poll(Handler handler, long nowNs) throws IOException {
        int work = guard.expire(nowNs, this::closeQuietly);
        if ((serverKey.interestOps() & SelectionKey.OP_ACCEPT) == 0 && guard.mayAccept(nowNs)) {
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        selector.selectNow();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (!k.isValid()) {
                continue;
            }
            work++;
            if (k == serverKey) {
                accept(nowNs);
                continue;
            }
            Exchange ex = (Exchange) k.attachment();
            try {
                if (k.isReadable()) {
                    onReadable(ex, handler, nowNs);
                }
                if (k.isValid() && k.isWritable()) {
                    onWritable(ex, nowNs);
                }
            } catch (IOException e) {
                close(ex);
            } catch (RuntimeException e) {
                // A key cancelled under us, or a bug: this client only, never the listener.
                connectionErrors++;
                if (connectionErrors == 1) {
                    LOG.warn("control socket {}: a client failed ({}); closed (logged once, counted in "
                            + "control_connection_errors)", path, e.toString());
                }
                close(ex);
            }
        }
        return work;
    }

    /**
     * Sends {@code response} as the answer to {@code exchange}'s request; dropped (and counted)
     * if the client has gone meanwhile. Control thread only; {@code nowNs} on the clock
     * {@link #poll} is given.
     */
    public void reply(Exchange exchange, String response, long nowNs) {
        if (exchange.closed) {
            repliesDropped++;
            return;
        }
        try {
            respond(exchange, response, nowNs);
        } catch (IOException | RuntimeException e) {
            repliesDropped++;
            close(exchange);
        }
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

    /** Clients connected now. */
    public int clients() {
        return guard.connections();
    }

    /** The server's counters for {@code coverage/show}, each prefixed {@code control_}. */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("control_requests", served);
        c.put("control_rejected", rejected);
        for (Map.Entry<String, Long> e : guard.counters().entrySet()) {
            c.put("control_clients_" + e.getKey(), e.getValue());
        }
        c.put("control_replies_dropped", repliesDropped);
        c.put("control_connection_errors", connectionErrors);
        return c;
    }

    private void accept(long nowNs) {
        for (int i = 0; i < ACCEPTS_PER_POLL; i++) {
            if (!guard.mayAccept(nowNs)) {
                // Level-triggered: without this the selector would report the backlog at once, again.
                serverKey.interestOps(0);
                return;
            }
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!guard.onAcceptFailed(e, nowNs, this::closeQuietly)) {
                    serverKey.interestOps(0);
                    return;
                }
                continue;
            }
            if (c == null) {
                return;
            }
            Exchange ex = new Exchange(c);
            try {
                c.configureBlocking(false);
                if (guard.admit(ex, nowNs, this::closeQuietly) == ConnectionGuard.Admission.REFUSED) {
                    refuse(c);
                    continue;
                }
                ex.key = c.register(selector, SelectionKey.OP_READ, ex);
            } catch (IOException e) {
                close(ex);
            }
        }
    }

    /** Every slot is busy: one error line if the socket takes it without waiting, then close. */
    private void refuse(SocketChannel c) {
        try (c) {
            c.write(ByteBuffer.wrap((ControlProtocol.failure("busy: " + guard.limits().maxClients()
                    + " control clients are being served; try again", false) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // Gone already.
        }
    }

    private void onReadable(Exchange ex, Handler handler, long nowNs) throws IOException {
        readBuf.clear();
        int n = ex.channel.read(readBuf);
        if (n < 0) {
            close(ex);
            return;
        }
        guard.touch(ex, nowNs);
        byte[] chunk = readBuf.array();
        for (int i = 0; i < n; i++) {
            if (chunk[i] == '\n') {
                ex.append(chunk, 0, i);
                onRequest(ex, handler, nowNs);
                return;
            }
        }
        if (ex.length + n > ControlProtocol.MAX_REQUEST_BYTES) {
            rejected++;
            ex.request = null;
            respond(ex, ControlProtocol.failure("request longer than " + ControlProtocol.MAX_REQUEST_BYTES
                    + " bytes; refused", true), nowNs);
            return;
        }
        ex.append(chunk, 0, n);
    }

    private void onRequest(Exchange ex, Handler handler, long nowNs) throws IOException {
        if (ex.length > ControlProtocol.MAX_REQUEST_BYTES) {
            rejected++;
            ex.request = null;
            respond(ex, ControlProtocol.failure("request longer than " + ControlProtocol.MAX_REQUEST_BYTES
                    + " bytes; refused", true), nowNs);
            return;
        }
        String line = new String(ex.request, 0, ex.length, StandardCharsets.UTF_8);
        ex.request = null;
        ex.state = State.SERVING;
        // One request per connection: nothing more is read. A client that half-closes after its
        // request (socat does) still gets its answer.
        ex.key.interestOps(0);
        guard.busy(ex);
        served++;
        String response = handler.onRequest(ex, line);
        if (response != null) {
            respond(ex, response, nowNs);
        }
    }

    private void respond(Exchange ex, String response, long nowNs) throws IOException {
        ex.response = ByteBuffer.wrap((response + "\n").getBytes(StandardCharsets.UTF_8));
        ex.state = State.WRITING;
        guard.idle(ex, nowNs);
        ex.key.interestOps(SelectionKey.OP_WRITE);
        onWritable(ex, nowNs);
    }

    private void onWritable(Exchange ex, long nowNs) throws IOException {
        if (ex.state != State.WRITING) {
            return;
        }
        if (ex.channel.write(ex.response) > 0) {
            guard.touch(ex, nowNs);
        }
        if (!ex.response.hasRemaining()) {
            close(ex);
        }
    }

    /** The guard closes a connection (idle, or to make room). */
    private void closeQuietly(Exchange ex) {
        ex.closed = true;
        if (ex.key != null) {
            ex.key.cancel();
        }
        try {
            ex.channel.close();
        } catch (IOException ignored) {
            // The peer went away; nothing to tell it.
        }
    }

    private void close(Exchange ex) {
        guard.release(ex);
        closeQuietly(ex);
    }

    /** Closes every connection and the socket, and removes the socket file. */
    @Override
    public void close() {
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey k : keys) {
            if (k.attachment() instanceof Exchange ex) {
                close(ex);
            }
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

    private enum State { READING, SERVING, WRITING }

    /**
     * One client and its one request: the bytes of the request line so far, then (once answered)
     * the response left to write. The handle a deferred answer goes back to ({@link #reply}).
     */
    public static final class Exchange {
        private final SocketChannel channel;
        private SelectionKey key;
        private State state = State.READING;
        private byte[] request = new byte[256];
        private int length;
        private ByteBuffer response;
        private boolean closed;

        private Exchange(SocketChannel channel) {
            this.channel = channel;
        }

        /** Whether the client is gone (a deferred reply would be dropped). */
        public boolean closed() {
            return closed;
        }

        private void append(byte[] b, int off, int n) {
            if (length + n > request.length) {
                int cap = Math.min(Math.max(request.length * 2, length + n), ControlProtocol.MAX_REQUEST_BYTES + 1);
                request = Arrays.copyOf(request, Math.max(cap, length + n));
            }
            System.arraycopy(b, off, request, length, n);
            length += n;
        }
    }
}
