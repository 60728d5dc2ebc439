package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.vswitchd.Ctl;

/**
 * Mirrors to interfaces, and the config's {@code mirrors} section, through a real topology (h1
 * pings h2 across jvswitchd in a namespace): copies sent out of a veth end are what tcpdump reads
 * on its peer; copies written to a TAP the mirror makes are what tcpdump reads on the TAP, which
 * goes away with the mirror ({@code bin/jvs-tcpdump --mirror-to} does the same for tcpdump); a
 * mirror of the config runs from the start, and reloads restart,
 * stop and start mirrors as the file says.
 */
class MirrorOutputsTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SwitchedHosts net;
    private Hosts hosts;
    private DaemonProcess d;

    @BeforeEach
    void setUp() {
        Needs.that(Sh.onPath("tcpdump"), "tcpdump");
        net = SwitchedHosts.create(dir);
        hosts = net.hosts;
        hosts.host(1);
        hosts.host(2);
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private void start(String mirrors) throws IOException {
        net.writeConfig(SwitchedHosts.config(false, SwitchedHosts.NORMAL) + mirrors);
        d = net.startDaemon(START);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                () -> "pings\n" + d.log());
    }

    /** tcpdump on {@code ifname} in the switch's namespace, until {@code count} ICMP frames or 30 s. */
    private final class Dump implements AutoCloseable {
        final Process p;
        final List<String> lines = new ArrayList<>();
        final CountDownLatch listening = new CountDownLatch(1);

        Dump(String ifname, int count) throws Exception {
            p = new ProcessBuilder(Sh.nsCommand(hosts.sw, "timeout", "30", "tcpdump", "-l", "-nn", "-c",
                    String.valueOf(count), "-i", ifname, "icmp")).start();
            p.getOutputStream().close();
            Thread err = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        if (l.contains("listening on")) {
                            listening.countDown();
                        }
                    }
                } catch (IOException e) {
                    listening.countDown();
                }
            }, "tcpdump-stderr");
            err.setDaemon(true);
            err.start();
            assertThat(listening.await(20, TimeUnit.SECONDS)).as("tcpdump listening on " + ifname).isTrue();
        }

        /** Pings h1 -> h2 until tcpdump has its count (at most 10 rounds); what it printed. */
        String pingUntilDone() throws Exception {
            for (int i = 0; i < 10 && p.isAlive(); i++) {
                hosts.ping(1, 2, 2, 0.2);
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("tcpdump to end").isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            p.destroyForcibly();
        }
    }

    @Test
    void copiesLeaveByAVethAndArriveOnATapTheMirrorMakes() throws Exception {
        start("");
        Sh.run("ip", "-n", hosts.sw, "link", "add", "mirA", "type", "veth", "peer", "name", "mirB");
        Sh.run("ip", "-n", hosts.sw, "link", "set", "mirA", "up");
        Sh.run("ip", "-n", hosts.sw, "link", "set", "mirB", "up");
        try (Dump dump = new Dump("mirB", 4)) {
            assertThat(d.ok("mirror/start", "h1", "iface=mirA")).contains("sending to interface mirA");
            String out = dump.pingUntilDone();
            assertThat(out).contains("10.77.0.1 > 10.77.0.2: ICMP echo request")
                    .contains("10.77.0.2 > 10.77.0.1: ICMP echo reply");
        }
        assertThat(d.ok("mirror/show")).contains("-> interface mirA: writing");
        assertThat(d.ok("mirror/stop", "h1")).contains("to interface mirA");

        assertThat(d.ok("mirror/start", "h2", "iface=jvmir0", "rx")).contains("sending to interface jvmir0");
        assertThat(Sh.tryInNs(hosts.sw, "ip", "link", "show", "jvmir0").output()).contains("state UNKNOWN");
        try (Dump dump = new Dump("jvmir0", 3)) {
            String out = dump.pingUntilDone();
            // rx of h2: what h2 sends, the replies.
            assertThat(out).contains("10.77.0.2 > 10.77.0.1: ICMP echo reply").doesNotContain("echo request");
        }
        d.ok("mirror/stop", "h2");
        assertThat(Sh.tryInNs(hosts.sw, "ip", "link", "show", "jvmir0").exit()).as("the TAP goes with the mirror")
                .isNotZero();
        assertThat(d.ctl("mirror/start", "h2", "iface=a/b").exit()).isEqualTo(2);

        // bin/jvs-tcpdump --mirror-to, as ovs-tcpdump: the mirror to a TAP, tcpdump -i on it, both gone after.
        Path jvsctl = dir.resolve("jvsctl");
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        for (String w : DaemonProcess.javaCommand("dev.jvswitch.vswitchd.ctl.Jvsctl")) {
            script.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        Files.writeString(jvsctl, script.append(" \"$@\"\n").toString());
        jvsctl.toFile().setExecutable(true);
        Process dump = new ProcessBuilder(Sh.nsCommand(hosts.sw, "env", "JVSCTL=" + jvsctl, "timeout", "60",
                Launcher.ROOT.resolve("bin/jvs-tcpdump").toString(), "--socket", d.socket.toString(), "--mirror-to",
                "jvmir1", "h1", "-c", "4", "-nn", "icmp")).redirectErrorStream(true).start();
        dump.getOutputStream().close();
        try {
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> d.ok("mirror/show").contains("interface jvmir1: writing"), () -> d.ok("mirror/show"));
            for (int i = 0; i < 10 && dump.isAlive(); i++) {
                hosts.ping(1, 2, 2, 0.2);
            }
            assertThat(dump.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(dump.exitValue()).as(out).isZero();
            assertThat(out).contains("10.77.0.1 > 10.77.0.2: ICMP echo request");
        } finally {
            dump.destroyForcibly();
        }
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> d.ok("mirror/show").equals("no mirrors\n"),
                () -> "jvs-tcpdump to remove its mirror:\n" + d.ok("mirror/show"));
        assertThat(Sh.tryInNs(hosts.sw, "ip", "link", "show", "jvmir1").exit()).isNotZero();
    }

    @Test
    void theConfigsMirrorsRunFromTheStartAndFollowReloads() throws Exception {
        Path pcap = dir.resolve("h1.pcap");
        start("""
                mirrors:
                  cap:
                    port: h1
                    file: h1.pcap
                """);
        assertThat(d.log()).contains("mirrors: mirror cap: port h1 (both) writing " + pcap);
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> frames(d.ok("mirror/show")) >= 2,
                () -> "the first pings in the config's mirror:\n" + d.ok("mirror/show"));
        assertThat(d.ok("mirror/show")).contains("[config: cap]");
        // A command cannot take the port; stopping the config's mirror by command is allowed.
        assertThat(d.ctl("mirror/start", "h1", dir.resolve("other.pcap").toString()).err())
                .contains("mirror cap of the config");

        // Changed: restarted with the new direction and file; added: a second one on h2.
        net.writeConfig(SwitchedHosts.config(false, SwitchedHosts.NORMAL) + """
                mirrors:
                  cap:
                    port: h1
                    direction: rx
                    file: h1-rx.pcap
                  cap2:
                    port: h2
                    file: h2.pcap
                    max-pps: 10
                """);
        String reload = d.ok("reload");
        assertThat(reload).contains("mirror cap: stopped (changed)").contains("mirror cap: port h1 (rx) writing")
                .contains("mirror cap2: port h2 (both) writing " + dir.resolve("h2.pcap"));
        assertThat(d.ok("reload")).as("unchanged: left alone").doesNotContain("mirror");
        hosts.ping(1, 2, 3, 0.2);
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> d.ok("mirror/show").contains("h1-rx.pcap: writing"), () -> d.ok("mirror/show"));

        // A mistake in the section is refused whole with its line; the mirrors run on.
        net.writeConfig(SwitchedHosts.config(false, SwitchedHosts.NORMAL) + """
                mirrors:
                  cap:
                    port: h9
                    file: x.pcap
                """);
        Ctl bad = d.ctl("reload");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).containsPattern(Pattern.quote("sw.yaml:") + "\\d+: mirrors.cap.port: no port named h9");
        assertThat(d.ok("mirror/show")).contains("[config: cap]").contains("[config: cap2]");

        net.writeConfig(SwitchedHosts.config(false, SwitchedHosts.NORMAL));
        assertThat(d.ok("reload")).contains("mirror cap: stopped").contains("mirror cap2: stopped");
        assertThat(d.ok("mirror/show")).isEqualTo("no mirrors\n");
        String read = Sh.run("tcpdump", "-nn", "-r", dir.resolve("h1-rx.pcap").toString(), "icmp");
        assertThat(read).contains("10.77.0.1 > 10.77.0.2: ICMP echo request").doesNotContain("echo reply");
        assertThat(Files.size(pcap)).isGreaterThan(24);
    }

    private static long frames(String show) {
        var m = Pattern.compile("frames=(\\d+)").matcher(show);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
