package dev.jvswitch.ovsdb.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;

/**
 * One JSON-RPC connection over a unix or tcp stream socket ({@code unix:PATH},
 * {@code tcp:IP:PORT}), the client side of RFC 7047: numbered requests whose responses complete
 * futures, notifications and requests from the peer handed to a handler, and {@code echo}
 * requests from the peer answered at once (the server's liveness probe).
 *
 * <p>A reader thread ({@link #start}) reads messages until the stream ends or fails, then
 * fails every pending call and tells {@code onClose}. Writes are serialised on the connection.
 *
 * <p><b>Thread-safety:</b> {@link #call}, {@link #send} and {@link #close} may be called from any
 * thread (writes hold the output stream's lock; pending calls sit in a concurrent map whose put
 * happens before the request is written, so a response always finds its future). The handler
 * and {@code onClose} run on the reader thread.
 */
public final class JsonRpcConnection implements AutoCloseable {
    private final String target;
    private final SocketChannel channel;
    private final OutputStream out;
    private final InputStream in;
    private final Map<Long, CompletableFuture<JsonRpcMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile boolean closed;
    private volatile long lastReadNs = System.nanoTime();

    private JsonRpcConnection(String target, SocketChannel channel) {
        this.target = target;
        this.channel = channel;
        // Not Channels.newInput/OutputStream: on Java 17 both hold the channel's blocking lock for
        // the whole call, so a write would wait for the reader's blocking read to return.
        this.out = new ChannelStreams.Out(channel);
        this.in = new ChannelStreams.In(channel);
    }

    /**
     * Connects to {@code target}: {@code unix:PATH} or {@code tcp:IP:PORT}.
     *
     * @throws IOException              if the connection cannot be made
     * @throws IllegalArgumentException if the target is not one of those forms
     */
    public static JsonRpcConnection connect(String target) throws IOException {
        SocketAddress address = address(target);
        SocketChannel ch = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            ch.connect(address);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new JsonRpcConnection(target, ch);
    }

    /** The socket address of a {@code unix:} or {@code tcp:} target. */
    public static SocketAddress address(String target) {
        if (target.startsWith("unix:") && target.length() > 5) {
            return UnixDomainSocketAddress.of(Path.of(target.substring(5)));
        }
        if (target.startsWith("tcp:")) {
            String rest = target.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon > 0) {
                String host = rest.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    int port = Integer.parseInt(rest.substring(colon + 1));
                    if (port > 0 && port < 65536) {
                        return new InetSocketAddress(host, port);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
        }
        throw new IllegalArgumentException("expected unix:PATH or tcp:IP:PORT, got '" + target + "'");
    }

    /** The target this connection was made to. */
    public String target() {
        return target;
    }

    /**
     * Starts the reader thread.
     *
     * @param handler notifications and requests (but {@code echo}) from the peer
     * @param onClose told once when the connection ends, with why (null: closed by us)
     */
    public void start(Consumer<JsonRpcMessage> handler, Consumer<Exception> onClose, String threadName) {
        Thread t = new Thread(() -> readLoop(handler, onClose), threadName);
        t.setDaemon(true);
        t.start();
    }

    private void readLoop(Consumer<JsonRpcMessage> handler, Consumer<Exception> onClose) {
        Exception why = null;
        try {
            JsonRpcCodec.Reader reader = new JsonRpcCodec.Reader(in);
            JsonRpcMessage m;
            while ((m = reader.next()) != null) {
                lastReadNs = System.nanoTime();
                dispatch(m, handler);
            }
            why = closed ? null : new IOException("connection closed by " + target);
        } catch (IOException | JsonRpcException | RuntimeException e) {
            why = closed ? null : e;
        } finally {
            close();
            IOException gone = new IOException("connection to " + target + " lost");
            for (CompletableFuture<JsonRpcMessage> f : pending.values()) {
                f.completeExceptionally(gone);
            }
            pending.clear();
            onClose.accept(why);
        }
    }

    private void dispatch(JsonRpcMessage m, Consumer<JsonRpcMessage> handler) throws IOException {
        switch (m.kind()) {
            case RESPONSE -> {
                CompletableFuture<JsonRpcMessage> f = m.id().canConvertToLong() ? pending.remove(m.id().asLong()) : null;
                if (f != null) {
                    f.complete(m);
                }
            }
            case REQUEST -> {
                if ("echo".equals(m.method())) {
                    send(JsonRpcMessage.response(m.id(), m.params()));
                } else {
                    handler.accept(m);
                }
            }
            case NOTIFICATION -> handler.accept(m);
        }
    }

    /** Nanos ({@link System#nanoTime}) of the last message read. */
    public long lastReadNs() {
        return lastReadNs;
    }

    /** Sends {@code m} as it is. */
    public void send(JsonRpcMessage m) throws IOException {
        byte[] bytes = JsonRpcCodec.encode(m);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    /** Sends request {@code method(params)}; the future completes with its response. */
    public CompletableFuture<JsonRpcMessage> callAsync(String method, ArrayNode params) {
        long id = nextId.incrementAndGet();
        CompletableFuture<JsonRpcMessage> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            send(JsonRpcMessage.request(method, params, LongNode.valueOf(id)));
            if (closed) {
                f.completeExceptionally(new IOException("connection to " + target + " closed"));
            }
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    /**
     * Calls {@code method(params)} and waits for the result.
     *
     * @throws JsonRpcException if the peer answered with an error
     * @throws IOException      if the connection failed or no answer came in {@code timeoutMs}
     */
    public JsonNode call(String method, ArrayNode params, long timeoutMs) throws IOException, JsonRpcException {
        CompletableFuture<JsonRpcMessage> f = callAsync(method, params);
        JsonRpcMessage r;
        try {
            r = f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " to " + target + " interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(method + " to " + target + ": no answer in " + timeoutMs + " ms");
        }
        if (r.failed()) {
            throw new JsonRpcException(method + " failed: " + JsonRpcMessage.abbreviate(r.error()));
        }
        return r.result();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
