package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.testkit.env.Needs;

/**
 * What outlives the process, and what a process without privileges is told, with the port opened
 * in a child JVM ({@link XdpProbe}) on a veth made for the test: a process killed with SIGKILL
 * leaves no XDP program on the interface (the BPF link dies with its last descriptor), and one
 * without CAP_NET_RAW, or without CAP_NET_ADMIN and CAP_BPF, gets one line naming the call, the
 * interface and what to grant.
 */
@Tag("netns")
class AfXdpProcessTest {
    private Topology topo;
    private Topology.Veth v;

    @BeforeEach
    void setUp() {
        Needs.that(Topology.available(), "root, ip and python3");
        topo = new Topology();
        v = topo.vethInRoot("k");
    }

    @AfterEach
    void tearDown() {
        if (topo != null) {
            topo.close();
        }
    }

    private static List<String> javaCommand(List<String> prefix, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-D")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), XdpProbe.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static boolean hasXdp(String ifname) {
        return Sh.run("ip", "-d", "link", "show", "dev", ifname).contains("prog/xdp");
    }

    @Test
    void aKilledProcessLeavesNoProgramOnTheInterface() throws Exception {
        assertThat(hasXdp(v.root())).isFalse();
        Process child = new ProcessBuilder(javaCommand(List.of(), v.root(), "native", "hold"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            for (int i = 0; i < 20 && line != null && !line.startsWith("OPENED") && !line.startsWith("ERROR"); i++) {
                line = out.readLine();
            }
            assertThat(line).isEqualTo("OPENED native");
            assertThat(hasXdp(v.root())).as("program attached while the process runs").isTrue();
            child.destroyForcibly();   // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);
        } finally {
            child.destroyForcibly();
        }
        Await.until(Duration.ofSeconds(10), () -> !hasXdp(v.root()), () -> "XDP program still on " + v.root() + ": "
                + Sh.run("ip", "-d", "link", "show", "dev", v.root()));
        // The queue is free again: a new port binds to it.
        assertThat(probe(List.of(), v.root(), "native")).isEqualTo("OPENED native");
    }

    @Test
    void withoutCapNetRawTheErrorNamesTheSocketCall() throws Exception {
        Needs.that(Sh.onPath("setpriv"), "setpriv to drop capabilities");
        String line = probe(List.of("setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw", "--"), v.root(),
                "native");
        assertThat(line).isEqualTo("ERROR port p1: socket(AF_XDP) on interface " + v.root() + " failed: Operation not"
                + " permitted (EPERM): AF_XDP ports need CAP_NET_RAW, CAP_NET_ADMIN and CAP_BPF (or root)");
        assertThat(hasXdp(v.root())).as("nothing left attached").isFalse();
    }

    @Test
    void withoutCapNetAdminAndBpfTheErrorNamesTheBpfCall() throws Exception {
        Needs.that(Sh.onPath("setpriv"), "setpriv to drop capabilities");
        String drop = "-net_admin,-bpf,-sys_admin,-perfmon";
        String line = probe(List.of("setpriv", "--bounding-set=" + drop, "--inh-caps=" + drop, "--"), v.root(),
                "native");
        assertThat(line).startsWith("ERROR port p1: bpf(").contains("on interface " + v.root() + " failed: Operation not"
                + " permitted (EPERM): AF_XDP ports need CAP_NET_ADMIN and CAP_BPF");
        assertThat(line).doesNotContain("\n");
    }

    private static String probe(List<String> prefix, String ifname, String mode) throws Exception {
        Process p = new ProcessBuilder(javaCommand(prefix, ifname, mode)).redirectErrorStream(true).start();
        String output;
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("ERROR ") || line.startsWith("OPENED ")) {
                return line;
            }
        }
        throw new AssertionError("the probe said nothing useful: " + output);
    }
}
