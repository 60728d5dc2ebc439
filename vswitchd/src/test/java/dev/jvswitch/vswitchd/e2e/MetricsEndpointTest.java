package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.pmd.pcap.PcapWriter;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * The Prometheus endpoint scraped with the JDK's HTTP client while jvswitchd forwards a pcap
 * port's endless replay to a null port: the PMD, port and upcall counters move between two
 * scrapes, the megaflow gauge is set, every sample line parses, only GET /metrics answers.
 */
class MetricsEndpointTest {
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{[^}]*\\})? (-?[0-9.eE+-]+)");

    @TempDir
    Path dir;
    private DaemonProcess daemon;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void scrapedDuringTrafficTheCountersMove() throws Exception {
        Path pcap = dir.resolve("in.pcap");
        try (PcapWriter w = PcapWriter.open(pcap, 2048)) {
            for (int i = 0; i < 64; i++) {
                byte[] f = Frames.udp4().ports(1000 + i, 53).build();
                w.write(f, 0, f.length, i);
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path file = TestSwitch.writeConfig(dir, """
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 2048
                bridges:
                  br0:
                    ports:
                      in: {type: pcap, ofport: 1, options: {file: %s}}
                      out: {type: null, ofport: 2}
                    flows:
                      - in_port=1,actions=output:2
                control:
                  socket: ctl.sock
                  metrics-listen: %d
                """.formatted(pcap, port));
        daemon = new DaemonProcess(file, dir.resolve("ctl.sock"), dir).start(null, Duration.ofSeconds(60));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");

        HttpResponse<String> first = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Double> a = parse(first.body());
        String rx = "jvswitch_pmd_rx_packets_total{pmd=\"0\"";
        String portRx = "jvswitch_port_rx_packets_total{bridge=\"br0\",port=\"in\",type=\"pcap\"}";
        String portTx = "jvswitch_port_tx_packets_total{bridge=\"br0\",port=\"out\",type=\"null\"}";
        Map<String, Double>[] b = new Map[1];
        Await.until(Duration.ofSeconds(90), Duration.ofMillis(50), () -> {
            b[0] = parse(get(http, uri));
            return sum(b[0], rx) > sum(a, rx) && b[0].get(portTx) > a.get(portTx);
        }, () -> "counters to move between scrapes:\n" + b[0]);
        assertThat(b[0].get(portRx)).isGreaterThan(a.get(portRx));
        assertThat(b[0].get("jvswitch_megaflows")).isGreaterThanOrEqualTo(1);
        assertThat(sum(b[0], "jvswitch_pmd_upcall_ok_total{")).isGreaterThanOrEqualTo(1);
        assertThat(b[0]).containsKey("jvswitch_revalidator_dump_duration_seconds")
                .containsKey("jvswitch_pmd_dropped_total{pmd=\"0\",core=\"" + coreOf(b[0]) + "\",reason=\"action_drop\"}")
                .containsKey("jvswitch_port_link_up{bridge=\"br0\",port=\"out\",type=\"null\"}");

        HttpResponse<String> notFound = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private static String coreOf(Map<String, Double> m) {
        for (String k : m.keySet()) {
            Matcher c = Pattern.compile("jvswitch_pmd_rx_packets_total\\{pmd=\"0\",core=\"(\\d+)\"\\}").matcher(k);
            if (c.matches()) {
                return c.group(1);
            }
        }
        throw new AssertionError("no pmd 0 in " + m.keySet());
    }

    private static String get(HttpClient http, URI uri) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static double sum(Map<String, Double> m, String prefix) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }

    /** Every line: a comment or a sample that parses; samples by name{labels}. */
    private static Map<String, Double> parse(String body) {
        Map<String, Double> out = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line '%s'", line).isTrue();
            out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return out;
    }
}
