package dev.jvswitch.bench.l2fwd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.jvswitch.afpacket.NetnsPortTest;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/** {@code jvs-bench l2fwd --port-type afxdp}: its usage errors, and real runs in both modes and XDP modes. */
class L2FwdAfXdpTest extends NetnsPortTest {
    private static final String HINT = "run 'jvs-bench l2fwd --help' for usage\n";
    private static final Pattern JSON = Pattern.compile(
            "\\{\"rxPackets\":(\\d+),\"txPackets\":(\\d+),\"dropped\":(\\d+),\"busyNsPerPacket\":([0-9.]+)}");

    private record Run(int status, String out, String err) {
    }

    private static Run l2fwd(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = L2Fwd.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsageError(String message, String... args) {
        Run r = l2fwd(args);
        assertThat(r.status()).isEqualTo(L2Fwd.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("l2fwd: " + message + "\n" + HINT);
    }

    @Test
    void portTypeAndXdpModeAreChecked() {
        assertUsageError("--port-type must be afpacket or afxdp, got 'dpdk'", "--port", "a", "--port", "b",
                "--port-type", "dpdk");
        assertUsageError("--xdp-mode must be one of best-effort, native-with-zerocopy, native, generic, got 'turbo'",
                "--port", "a", "--port", "b", "--port-type", "afxdp", "--xdp-mode", "turbo");
        assertUsageError("--xdp-mode needs --port-type afxdp", "--port", "a", "--port", "b", "--xdp-mode", "native");
        Run help = l2fwd("--help");
        assertThat(help.out()).contains("--port-type T", "--xdp-mode M");
        closeAndCheckNoLeaks();
    }

    private static boolean hasXdp(String ifname) {
        return Sh.run("ip", "-d", "link", "show", "dev", ifname).contains("prog/xdp");
    }

    /**
     * Two hosts in namespaces, each behind one AF_XDP port; both send at once. Everything each
     * sends arrives at the other byte-identical, the JSON counts add up, and the programs go with
     * the forwarder.
     */
    @ParameterizedTest
    @CsvSource({"io, native", "switch, generic"})
    void forwardsBothWaysBetweenTwoVethsAndReportsJson(String mode, String xdpMode) throws Exception {
        String nsA = topo.namespace("a");
        String nsB = topo.namespace("b");
        Topology.Veth a = topo.veth(nsA, "a");
        Topology.Veth b = topo.veth(nsB, "b");

        int count = 300;
        List<byte[]> fromA = new ArrayList<>();
        List<byte[]> fromB = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            fromA.add(MarkedFrames.frame(60 + seq, seq));
            fromB.add(MarkedFrames.frame(1514 - seq, count + seq));
        }
        // l2fwd runs for a fixed time; at load 25 the python peers may take seconds to start, so
        // it runs long enough for them and the receivers wait past its end.
        Duration longWait = WAIT.multipliedBy(2);
        try (Peer atB = Peer.receiver(nsB, b.peer(), count, longWait);
                Peer atA = Peer.receiver(nsA, a.peer(), count, longWait)) {
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> l2fwd("--port", a.root(), "--port",
                    b.root(), "--mode", mode, "--port-type", "afxdp", "--xdp-mode", xdpMode, "--seconds", "15",
                    "--json"));
            Await.until(WAIT, () -> hasXdp(a.root()) && hasXdp(b.root()), () -> "XDP programs on both ports");
            List<byte[]> gotAtB;
            List<byte[]> gotAtA;
            try (Peer senderA = Peer.sender(nsA, a.peer(), fromA);
                    Peer senderB = Peer.sender(nsB, b.peer(), fromB)) {
                gotAtB = atB.awaitFrames(longWait);
                gotAtA = atA.awaitFrames(longWait);
                senderA.awaitExit(WAIT);
                senderB.awaitExit(WAIT);
            }
            Run r = run.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            Matcher m = JSON.matcher(r.out().trim());
            assertThat(m.matches()).as(r.out()).isTrue();
            long rx = Long.parseLong(m.group(1));
            long tx = Long.parseLong(m.group(2));
            long dropped = Long.parseLong(m.group(3));
            assertThat(rx).isGreaterThanOrEqualTo(2L * count);
            assertThat(tx).as(r.out()).isEqualTo(rx - dropped).isGreaterThanOrEqualTo(2L * count);
            assertSameFramesNoPort(gotAtB, fromA);
            assertSameFramesNoPort(gotAtA, fromB);
        }
        assertThat(hasXdp(a.root())).as("program left on %s", a.root()).isFalse();
        closeAndCheckNoLeaks();
    }

    private static void assertSameFramesNoPort(List<byte[]> got, List<byte[]> expected) {
        assertThat(got).hasSameSizeAs(expected);
        int first = MarkedFrames.seq(expected.get(0));
        for (byte[] f : got) {
            assertThat(f).isEqualTo(expected.get(MarkedFrames.seq(f) - first));
        }
    }
}
