package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Packet capture through a real topology: h1 pings h2 across jvswitchd; a mirror of port h1
 * written as pcap and read back with tcpdump shows the echo requests (received on h1) and the
 * replies (sent to h1); a mirror bounded by max-bytes stops at the bound, its file whole.
 */
class MirrorCaptureTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SwitchedHosts net;
    private Hosts hosts;
    private DaemonProcess d;

    @BeforeEach
    void setUp() throws Exception {
        Needs.that(Sh.onPath("tcpdump"), "tcpdump");
        net = SwitchedHosts.create(dir);
        hosts = net.hosts;
        hosts.host(1);
        hosts.host(2);
        net.writeConfig(SwitchedHosts.config(false, SwitchedHosts.NORMAL));
        d = net.startDaemon(START);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                () -> "pings\n" + d.log());
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private long frames(String port) {
        Matcher m = Pattern.compile("mirror " + port + " .*\\n  frames=(\\d+)").matcher(d.ok("mirror/show"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void aPingCapturedOnAPortReadsBackWithTcpdump() throws Exception {
        Path pcap = dir.resolve("h1.pcap");
        assertThat(d.ok("mirror/start", "h1", pcap.toString())).contains("writing " + pcap);
        assertThat(hosts.ping(1, 2, 3, 0.2).output()).contains(" 0% packet loss");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> frames("h1") >= 6,
                () -> "6 frames mirrored:\n" + d.ok("mirror/show"));
        assertThat(d.ok("mirror/stop", "h1")).contains("stopped: asked").contains("0 copies dropped");

        String read = Sh.run("tcpdump", "-nn", "-r", pcap.toString(), "icmp");
        assertThat(Pattern.compile("10\\.77\\.0\\.1 > 10\\.77\\.0\\.2: ICMP echo request").matcher(read).results()
                .count()).as(read).isGreaterThanOrEqualTo(3);
        assertThat(Pattern.compile("10\\.77\\.0\\.2 > 10\\.77\\.0\\.1: ICMP echo reply").matcher(read).results()
                .count()).as(read).isGreaterThanOrEqualTo(3);
        if (Sh.onPath("tshark")) {
            String t = Sh.run("tshark", "-r", pcap.toString(), "-Y", "icmp.type == 8", "-T", "fields", "-e", "ip.src");
            assertThat(t.lines().filter(l -> l.equals("10.77.0.1")).count()).isGreaterThanOrEqualTo(3);
        }
        assertThat(d.ok("mirror/show")).isEqualTo("no mirrors\n");
    }

    @Test
    void jvsTcpdumpShowsThePingsAndRemovesItsMirror() throws Exception {
        // jvsctl from the test class path (the jar may not be built yet).
        Path jvsctl = dir.resolve("jvsctl");
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        for (String w : DaemonProcess.javaCommand("dev.jvswitch.vswitchd.ctl.Jvsctl")) {
            script.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        Files.writeString(jvsctl, script.append(" \"$@\"\n").toString());
        jvsctl.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder(Launcher.ROOT.resolve("bin/jvs-tcpdump").toString(), "--socket",
                d.socket.toString(), "h1", "-c", "4", "-nn", "icmp").redirectErrorStream(true);
        pb.environment().put("JVSCTL", jvsctl.toString());
        Process dump = pb.start();
        dump.getOutputStream().close();
        try {
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), () -> d.ok("mirror/show").contains("writing"),
                    () -> "the mirror to start:\n" + d.ok("mirror/show"));
            for (int i = 0; i < 10 && dump.isAlive(); i++) {
                hosts.ping(1, 2, 2, 0.2);
            }
            assertThat(dump.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String out = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(dump.exitValue()).as(out).isZero();
            assertThat(out).contains("10.77.0.1 > 10.77.0.2: ICMP echo request")
                    .contains("10.77.0.2 > 10.77.0.1: ICMP echo reply");
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> d.ok("mirror/show").equals("no mirrors\n"),
                    () -> "jvs-tcpdump to remove its mirror:\n" + d.ok("mirror/show"));
        } finally {
            dump.destroyForcibly();
        }
    }

    @Test
    void aMirrorStopsAtItsByteBoundAndOnlyRxWhenAsked() throws Exception {
        Path pcap = dir.resolve("bounded.pcap");
        d.ok("mirror/start", "h2", pcap.toString(), "rx", "max-bytes=4096", "snaplen=64");
        hosts.ping(1, 2, 60, 0.01);
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> d.ok("mirror/show").contains("stopped: max-bytes 4096 reached"), () -> d.ok("mirror/show"));
        assertThat(Files.size(pcap)).isLessThanOrEqualTo(4096).isGreaterThan(4096 - 16 - 64);
        String read = Sh.run("tcpdump", "-nn", "-r", pcap.toString());
        // rx on h2: what h2 sends (replies), never what the switch sends to h2.
        assertThat(read).contains("ICMP echo reply").doesNotContain("ICMP echo request");
        d.ok("mirror/stop", "h2");
        assertThat(d.ctl("mirror/start", "nosuch", pcap.toString()).exit()).isEqualTo(1);
        assertThat(d.ctl("mirror/start", "h1", pcap.toString(), "snaplen=3").exit()).isEqualTo(2);
    }
}
