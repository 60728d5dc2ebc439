package dev.jvswitch.bench.l2fwd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jvswitch.afpacket.NetnsPortTest;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;

/** {@code jvs-bench l2fwd}: usage errors, and real runs in both modes between two veths. */
class L2FwdTest extends NetnsPortTest {
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
        assertThat(r.status()).as("exit status of l2fwd %s", String.join(" ", args)).isEqualTo(L2Fwd.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("l2fwd: " + message + "\n" + HINT);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheOption() {
        assertUsageError("unknown option --bogus", "--port", "a", "--port", "b", "--bogus");
        assertUsageError("unknown option --ports", "--ports=a");
        assertUsageError("unexpected argument 'a'", "a", "b");
        assertUsageError("--port must be given twice (port 1 and port 2), got 0", "--mode", "io");
        assertUsageError("--port must be given twice (port 1 and port 2), got 1", "--port", "a");
        assertUsageError("--port must be given twice (port 1 and port 2), got 3",
                "--port", "a", "--port", "b", "--port", "c");
        assertUsageError("--port a given twice; port 1 and port 2 must be different interfaces",
                "--port", "a", "--port", "a");
        assertUsageError("--port needs a value", "--port");
        assertUsageError("--mode must be io or switch, got 'fast'", "--port", "a", "--port", "b", "--mode", "fast");
        assertUsageError("--mode must be io or switch, got ''", "--port", "a", "--port", "b", "--mode=");
        assertUsageError("--seconds must be a number of seconds, 0 or more, got 'soon'",
                "--port", "a", "--port", "b", "--seconds", "soon");
        assertUsageError("--seconds must be a number of seconds, 0 or more, got '-1'",
                "--port", "a", "--port", "b", "--seconds", "-1");
        assertUsageError("--pmd-cpu must be a CPU number within 0..1023, got '1024'",
                "--port", "a", "--port", "b", "--pmd-cpu", "1024");
        assertUsageError("--json takes no value", "--port", "a", "--port", "b", "--json=yes");
        closeAndCheckNoLeaks();
    }

    @Test
    void helpPrintsUsageAndExitsWithZero() {
        Run r = l2fwd("--port", "a", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("usage: l2fwd --port IFNAME --port IFNAME [--mode io|switch] [--seconds S]"
                + " [--pmd-cpu N] [--json]\n");
        assertThat(r.err()).isEmpty();
        closeAndCheckNoLeaks();
    }

    @ParameterizedTest
    @ValueSource(strings = {"io", "switch"})
    void aPortThatCannotBeOpenedExitsWithOne(String mode) {
        Run r = l2fwd("--port", "jvsnosuch1", "--port", "jvsnosuch2", "--seconds", "1", "--mode", mode);
        assertThat(r.status()).isEqualTo(L2Fwd.EXIT_FAILURE);
        assertThat(r.err()).isEqualTo(
                "l2fwd: port p1: interface jvsnosuch1: no such interface (if_nametoindex: No such device (ENODEV))\n");
        closeAndCheckNoLeaks();
    }

    @Test
    void aCpuThatDoesNotExistExitsWithOneAndClosesThePorts() {
        Topology.Veth v = topo.vethInRoot("c");
        Run r = l2fwd("--port", v.root(), "--port", v.peer(), "--seconds", "1", "--mode", "switch",
                "--pmd-cpu", "1023");
        assertThat(r.status()).isEqualTo(L2Fwd.EXIT_FAILURE);
        assertThat(r.err()).startsWith("l2fwd: cannot pin thread to cpu 1023: ");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(packetSocketsOn(v.root())).as("sockets left on %s", v.root()).isZero();
        closeAndCheckNoLeaks();
    }

    /**
     * Two hosts in namespaces, each behind one port; both send at once. Everything each sends
     * arrives at the other byte-identical, and the JSON counts add up: with nothing else on the
     * wires, every frame received is one frame sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"io", "switch"})
    void forwardsBothWaysBetweenTwoVethsAndReportsJson(String mode) throws Exception {
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
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> l2fwd(
                    "--port", a.root(), "--port", b.root(), "--mode", mode, "--seconds", "15", "--json"));
            awaitReceiveSocket(a.root());
            awaitReceiveSocket(b.root());
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
            assertThat(Double.parseDouble(m.group(4))).isPositive();
            assertSameFramesNoPort(gotAtB, fromA);
            assertSameFramesNoPort(gotAtA, fromB);
        }
        assertThat(packetSocketsOn(a.root())).as("sockets left on %s", a.root()).isZero();
        closeAndCheckNoLeaks();
    }

    @Test
    void textOutputHasTheSameCountsInOneLine() throws Exception {
        Topology.Veth v = topo.vethInRoot("t");
        Run r = l2fwd("--port", v.root(), "--port", v.peer(), "--seconds", "0.3", "--mode", "switch");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).matches("mode switch: rx \\d+ packets, tx \\d+ packets, dropped \\d+, busy [0-9.]+"
                + " ns/packet \\([0-9.]+ s, [0-9.]+ Mpps forwarded\\)\n");
        closeAndCheckNoLeaks();
    }

    /** Waits until an ETH_P_ALL packet socket is bound to {@code ifname} (the forwarder's rx socket). */
    private static void awaitReceiveSocket(String ifname) throws IOException {
        String ifindex = ifindex(ifname);
        Await.until(WAIT, () -> packetSockets(ifindex, true) > 0, () -> "a receive socket on " + ifname);
    }

    /** Packet sockets (any protocol) bound to {@code ifname}. */
    static long packetSocketsOn(String ifname) {
        try {
            return packetSockets(ifindex(ifname), false);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String ifindex(String ifname) throws IOException {
        return Files.readString(Path.of("/sys/class/net", ifname, "ifindex")).trim();
    }

    private static long packetSockets(String ifindex, boolean receiveOnly) {
        try {
            return Files.readAllLines(Path.of("/proc/net/packet")).stream()
                    .map(line -> line.trim().split("\\s+"))
                    .filter(f -> f.length > 4 && f[4].equals(ifindex) && (!receiveOnly || f[3].equals("0003")))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void assertSameFramesNoPort(List<byte[]> got, List<byte[]> expected) {
        assertThat(got).hasSameSizeAs(expected);
        int first = MarkedFrames.seq(expected.get(0));
        for (byte[] f : got) {
            assertThat(f).isEqualTo(expected.get(MarkedFrames.seq(f) - first));
        }
    }
}
