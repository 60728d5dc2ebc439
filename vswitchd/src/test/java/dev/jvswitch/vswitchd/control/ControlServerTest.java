package dev.jvswitch.vswitchd.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.listen.ConnectionGuard;

/**
 * The control socket's bounds, with real Unix sockets and the server stepped by hand on a test
 * clock: a line over the request limit is refused with one line; a silent client is closed after
 * the idle timeout; a full server closes its longest idle client to admit a new one and refuses
 * only when every client is being served; an answer can come later, and one for a client that
 * left is dropped and counted.
 */
class ControlServerTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;
    private ControlServer server;
    private long nowNs = 1_000 * MS;
    private final Map<String, ControlServer.Exchange> deferred = new HashMap<>();
    private final List<SocketChannel> clients = new ArrayList<>();

    /** Echoes "ok LINE", except that a line "later..." is answered later (kept in {@code deferred}). */
    private final ControlServer.Handler handler = (ex, line) -> {
        if (line.startsWith("later")) {
            deferred.put(line, ex);
            return null;
        }
        return "ok " + line;
    };

    @BeforeEach
    void setUp() throws IOException {
        server = ControlServer.bind(dir.resolve("ctl.sock"), new ConnectionGuard.Limits(3, 1_000 * MS, 16));
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SocketChannel c : clients) {
            c.close();
        }
        server.close();
    }

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(server.path()));
        c.configureBlocking(false);
        clients.add(c);
        return c;
    }

    private static void send(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** Steps the server until {@code c} has a whole line or is closed; null if closed without one. */
    private String readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            server.poll(handler, nowNs);
            b.clear();
            int n;
            try {
                n = c.read(b);
            } catch (IOException e) {
                return got.size() == 0 ? null : got.toString(StandardCharsets.UTF_8);
            }
            if (n < 0) {
                return got.size() == 0 ? null : got.toString(StandardCharsets.UTF_8);
            }
            got.write(b.array(), 0, n);
            String s = got.toString(StandardCharsets.UTF_8);
            if (s.endsWith("\n")) {
                return s.substring(0, s.length() - 1);
            }
        }
        throw new AssertionError("no line and no close within 10 s");
    }

    /** Steps the server until it has {@code n} clients (they connect through the backlog). */
    private void pollUntilClients(int n) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.clients() != n && System.nanoTime() < deadline) {
            server.poll(handler, nowNs);
        }
        assertThat(server.clients()).isEqualTo(n);
    }

    @Test
    void aRequestIsAnsweredAndTheConnectionClosed() throws IOException {
        SocketChannel c = connect();
        send(c, "hello\n");
        assertThat(readLine(c)).isEqualTo("ok hello");
        assertThat(readLine(c)).isNull();
        assertThat(server.counters()).containsEntry("control_requests", 1L);
    }

    @Test
    void aLineOverTheLimitIsRefusedWithOneLine() throws IOException {
        SocketChannel c = connect();
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) '[');
        // Sends until the server has refused (its answer arrives and it closes), at most 2 MiB.
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(4096);
        long sent = 0;
        boolean closed = false;
        while (sent < 2 * ControlProtocol.MAX_REQUEST_BYTES && !closed) {
            ByteBuffer out = ByteBuffer.wrap(chunk);
            try {
                sent += c.write(out);
            } catch (IOException e) {
                closed = true;
            }
            server.poll(handler, nowNs);
            in.clear();
            try {
                int n = c.read(in);
                closed |= n < 0;
                if (n > 0) {
                    got.write(in.array(), 0, n);
                }
            } catch (IOException e) {
                closed = true;
            }
        }
        String answer = got.toString(StandardCharsets.UTF_8);
        assertThat(answer).isEqualTo(ControlProtocol.failure("request longer than " + ControlProtocol.MAX_REQUEST_BYTES
                + " bytes; refused", true) + "\n");
        assertThat(server.counters()).containsEntry("control_rejected", 1L);
        // The server serves the next client as usual.
        SocketChannel d = connect();
        send(d, "next\n");
        assertThat(readLine(d)).isEqualTo("ok next");
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeout() throws IOException {
        SocketChannel c = connect();
        pollUntilClients(1);
        nowNs += 999 * MS;
        server.poll(handler, nowNs);
        assertThat(server.clients()).isEqualTo(1);
        assertThat(server.msUntilDue(nowNs)).isEqualTo(1);
        nowNs += MS;
        assertThat(readLine(c)).isNull();
        assertThat(server.clients()).isZero();
        assertThat(server.counters()).containsEntry("control_clients_idle_closed", 1L);
    }

    @Test
    void aFullServerMakesRoomByClosingItsLongestIdleClient() throws IOException {
        SocketChannel a = connect();
        pollUntilClients(1);
        nowNs += MS;
        SocketChannel b = connect();
        SocketChannel c = connect();
        pollUntilClients(3);
        nowNs += MS;
        SocketChannel d = connect();
        send(d, "d\n");
        assertThat(readLine(d)).isEqualTo("ok d");
        assertThat(readLine(a)).isNull(); // the longest idle one made room
        send(b, "b\n");
        assertThat(readLine(b)).isEqualTo("ok b");
        assertThat(server.counters()).containsEntry("control_clients_evicted", 1L);
        c.close();
    }

    @Test
    void laterAnswersGoOutAndAServerOfBusyClientsRefusesMore() throws IOException {
        List<SocketChannel> busy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SocketChannel c = connect();
            send(c, "later" + i + "\n");
            busy.add(c);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deferred.size() < 3 && System.nanoTime() < deadline) {
            server.poll(handler, nowNs);
        }
        assertThat(deferred).hasSize(3);
        SocketChannel extra = connect();
        assertThat(readLine(extra)).isEqualTo(ControlProtocol.failure("busy: 3 control clients are being served; try"
                + " again", false));
        // Busy clients do not time out.
        nowNs += 60_000 * MS;
        server.poll(handler, nowNs);
        assertThat(server.clients()).isEqualTo(3);
        server.reply(deferred.get("later0"), "done 0", nowNs);
        assertThat(readLine(busy.get(0))).isEqualTo("done 0");
        // A client that left before its answer: the answer is dropped and counted.
        busy.get(1).close();
        server.reply(deferred.get("later1"), "done 1", nowNs);
        server.poll(handler, nowNs);
        server.reply(deferred.get("later2"), "done 2", nowNs);
        assertThat(readLine(busy.get(2))).isEqualTo("done 2");
        assertThat(server.counters()).containsEntry("control_clients_refused", 1L);
        assertThat(server.counters()).containsEntry("control_replies_dropped", 1L);
    }
}
