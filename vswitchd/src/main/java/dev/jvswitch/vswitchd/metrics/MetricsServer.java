package dev.jvswitch.vswitchd.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Prometheus endpoint: {@code GET /metrics} on {@code control.metrics-listen}, served by the
 * JDK's HTTP server on one daemon thread. The text format is a few dozen lines to write
 * ({@link PromWriter}), so no client library: the counters already exist (the PMDs' Agrona
 * counters), and a library's registry would be a second copy kept in step.
 *
 * <p>Bounds: one thread answers one request at a time (a scrape takes well under a millisecond
 * per port and PMD); the listen backlog is {@value #BACKLOG}; the JDK closes idle keep-alive
 * connections. Only {@code GET} and {@code HEAD} of {@code /metrics} (or {@code /}) are answered;
 * anything else gets 404 or 405.
 *
 * <p><b>Thread-safety:</b> the server's own thread runs the handler; {@link #close} from the main
 * thread at shutdown; the counters are atomics.
 */
public final class MetricsServer implements AutoCloseable {
    static final int BACKLOG = 16;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer http;
    private final ExecutorService executor;
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private MetricsServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /**
     * Binds {@code address} and starts serving {@code metrics}.
     *
     * @throws IOException when the address cannot be bound (in use, not local), naming it
     */
    public static MetricsServer start(InetSocketAddress address, SwitchMetrics metrics) throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(address, BACKLOG);
        } catch (IOException e) {
            throw new IOException("control.metrics-listen " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + e.getMessage(), e);
        }
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jvswitchd-metrics");
            t.setDaemon(true);
            return t;
        });
        MetricsServer s = new MetricsServer(http, ex);
        http.createContext("/", e -> s.handle(e, metrics));
        http.setExecutor(ex);
        http.start();
        LOG.info("metrics: Prometheus endpoint on http://{}:{}/metrics", address.getAddress().getHostAddress(),
                s.port());
        return s;
    }

    /** The port bound (the configured one, or the kernel's choice for port 0 in tests). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Scrapes answered. */
    public long scrapes() {
        return scrapes.get();
    }

    private void handle(HttpExchange e, SwitchMetrics metrics) throws IOException {
        try (e) {
            String path = e.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/")) {
                e.sendResponseHeaders(404, -1);
                return;
            }
            String method = e.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                e.getResponseHeaders().set("Allow", "GET, HEAD");
                e.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try {
                body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException ex) {
                errors.incrementAndGet();
                LOG.warn("metrics: scrape failed: {}", ex.toString());
                e.sendResponseHeaders(500, -1);
                return;
            }
            scrapes.incrementAndGet();
            e.getResponseHeaders().set("Content-Type", PromWriter.CONTENT_TYPE);
            if (method.equals("HEAD")) {
                e.sendResponseHeaders(200, -1);
                return;
            }
            e.sendResponseHeaders(200, body.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The endpoint's own counters, for the exposition. */
    public void write(PromWriter w) {
        w.family("jvswitch_metrics_scrapes_total", "counter", "scrapes answered").sample(scrapes.get());
        w.family("jvswitch_metrics_errors_total", "counter", "scrapes that failed").sample(errors.get());
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
