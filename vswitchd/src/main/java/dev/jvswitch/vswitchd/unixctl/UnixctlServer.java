package dev.jvswitch.vswitchd.unixctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.jvswitch.ovsdb.jsonrpc.JsonRpcCodec;
import dev.jvswitch.ovsdb.jsonrpc.JsonRpcException;
import dev.jvswitch.ovsdb.jsonrpc.JsonRpcMessage;
import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.ctl.Jvsctl;

/**
 * The unixctl socket: each JSON-RPC request ({@code {"method": "dpctl/dump-flows", "params":
 * ["-m"], "id": 0}}) is relayed, as a jvsctl request, to the daemon's own control socket, and its
 * answer returned as OVS's unixctl server returns one: {@code result} the text (success) or
 * {@code error} the message (failure; ovs-appctl prints it and exits 2). Relaying keeps one
 * command path: the same registry, the same change queue and "busy" limit, the same output,
 * counters and logging as jvsctl.
 *
 * <p>{@code version} is answered here (ovs-appctl asks for it); {@code vlog/*} is relayed as any
 * other command, so {@code ovs-appctl -t ovs-vswitchd vlog/set dpif_netdev:dbg} works.
 *
 * <p><b>Thread-safety:</b> an accept thread, and one daemon thread per client (at most
 * {@value #MAX_CLIENTS} at once; more wait in the backlog). Nothing is shared between clients
 * but the counters (atomics).
 */
public final class UnixctlServer implements AutoCloseable {
    static final int MAX_CLIENTS = 16;
    /** A relayed command may wait for a change (a reload) to finish. */
    static final long RELAY_TIMEOUT_MS = 120_000;
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");

    private final Path path;
    private final Path control;
    private final ServerSocketChannel server;
    /** More names clients may use ({@code ovs-vswitchd.PID.ctl}), each its own socket (close only). */
    private final java.util.List<ServerSocketChannel> aliases = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Path> aliasPaths = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Semaphore clients = new Semaphore(MAX_CLIENTS);
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean closed;

    private UnixctlServer(Path path, Path control, ServerSocketChannel server) {
        this.path = path;
        this.control = control;
        this.server = server;
    }

    /**
     * Binds {@code path} (mode 0600; a stale socket file nobody answers on is replaced) and
     * starts accepting.
     *
     * @param control the daemon's control socket, where requests are relayed
     * @throws IOException if the socket is in use or cannot be bound
     */
    public static UnixctlServer start(Path path, Path control) throws IOException {
        ServerSocketChannel ch = bind(path);
        UnixctlServer s = new UnixctlServer(path, control, ch);
        Thread t = new Thread(() -> s.acceptLoop(ch, path), "unixctl");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /**
     * Also answers at {@code alias}, as OVS's default socket {@code RUNDIR/ovs-vswitchd.PID.ctl}
     * that {@code ovs-appctl} finds through {@code ovs-vswitchd.pid} when given no {@code -t}.
     */
    public void alsoAt(Path alias) throws IOException {
        ServerSocketChannel ch = bind(alias);
        aliases.add(ch);
        aliasPaths.add(alias);
        Thread t = new Thread(() -> acceptLoop(ch, alias), "unixctl");
        t.setDaemon(true);
        t.start();
    }

    private static ServerSocketChannel bind(Path path) throws IOException {
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(path));
                throw new IOException("unixctl socket " + path + " is in use by another daemon");
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("in use by another daemon")) {
                    throw e;
                }
                Files.deleteIfExists(path);
            }
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(path), MAX_CLIENTS);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return ch;
    }

    public Path path() {
        return path;
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.get();
    }

    private void acceptLoop(ServerSocketChannel server, Path path) {
        while (!closed) {
            try {
                clients.acquire();
                SocketChannel c = server.accept();
                Thread t = new Thread(() -> serve(c), "unixctl-client");
                t.setDaemon(true);
                t.start();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                clients.release();
                if (!closed) {
                    LOG.warn("unixctl {}: accept failed: {}", path, e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c; InputStream in = new SocketIn(c); OutputStream out = new SocketOut(c)) {
            JsonRpcCodec.Reader reader = new JsonRpcCodec.Reader(in);
            JsonRpcMessage m;
            while ((m = reader.next()) != null) {
                if (m.kind() != JsonRpcMessage.Kind.REQUEST) {
                    continue;
                }
                requests.incrementAndGet();
                JsonRpcCodec.write(out, answer(m));
            }
        } catch (IOException | JsonRpcException | RuntimeException e) {
            LOG.debug("unixctl client: {}", e.getMessage());
        } finally {
            clients.release();
        }
    }

    /** The response to request {@code m}. */
    JsonRpcMessage answer(JsonRpcMessage m) {
        List<String> args = new ArrayList<>();
        for (JsonNode p : m.params()) {
            if (!p.isTextual()) {
                return JsonRpcMessage.errorResponse(m.id(), TextNode.valueOf("command arguments must be strings"));
            }
            args.add(p.textValue());
        }
        String method = m.method();
        if (method.equals("version")) {
            return JsonRpcMessage.response(m.id(), TextNode.valueOf("ovs-vswitchd (jvswitch) 0.1.0\n"));
        }
        try {
            ControlProtocol.Response r = relay(method, args);
            return r.ok() ? JsonRpcMessage.response(m.id(), TextNode.valueOf(r.output()))
                    : JsonRpcMessage.errorResponse(m.id(), TextNode.valueOf(r.error() + "\n"));
        } catch (IOException | IllegalArgumentException e) {
            return JsonRpcMessage.errorResponse(m.id(), TextNode.valueOf(method + ": " + e.getMessage() + "\n"));
        }
    }

    private ControlProtocol.Response relay(String method, List<String> args) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(control));
            Jvsctl.writeAll(c, (ControlProtocol.request(method, args) + "\n").getBytes(StandardCharsets.UTF_8));
            String line = Jvsctl.readLine(c, RELAY_TIMEOUT_MS);
            if (line == null) {
                throw new IOException("jvswitchd closed the control connection without an answer");
            }
            return ControlProtocol.parseResponse(line);
        }
    }

    @Override
    public void close() {
        closed = true;
        java.util.List<ServerSocketChannel> all = new java.util.ArrayList<>(aliases);
        all.add(server);
        java.util.List<Path> paths = new java.util.ArrayList<>(aliasPaths);
        paths.add(path);
        for (ServerSocketChannel ch : all) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing
            }
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("unixctl: cannot remove {}: {}", p, e.getMessage());
            }
        }
    }

    /** Blocking reads straight from the channel. */
    private static final class SocketIn extends InputStream {
        private final SocketChannel c;

        SocketIn(SocketChannel c) {
            this.c = c;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : c.read(ByteBuffer.wrap(b, off, len));
        }
    }

    /** Blocking writes straight to the channel. */
    private static final class SocketOut extends OutputStream {
        private final SocketChannel c;

        SocketOut(SocketChannel c) {
            this.c = c;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Jvsctl.writeAll(c, java.util.Arrays.copyOfRange(b, off, off + len));
        }
    }
}
