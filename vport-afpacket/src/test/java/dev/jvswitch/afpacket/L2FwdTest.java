package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.jvswitch.afpacket.tools.L2Fwd;

/** The io forwarder's command line: usage errors, and a real run between two veths. */
class L2FwdTest extends NetnsPortTest {

    private record Run(int status, String out, String err) {
    }

    private static Run l2fwd(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = L2Fwd.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() {
        assertThat(l2fwd("--port", "a")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).startsWith("l2fwd: give exactly two --port IFNAME, got 1\nusage: l2fwd");
        });
        assertThat(l2fwd("--port", "a", "--port", "b", "--mode", "switch").err())
                .startsWith("l2fwd: --mode switch needs the PMD pipeline");
        assertThat(l2fwd("--port", "a", "--port", "b", "--seconds", "soon").err())
                .startsWith("l2fwd: --seconds must be a number, got 'soon'");
        assertThat(l2fwd("--bogus").err()).startsWith("l2fwd: unknown argument '--bogus'");
        assertThat(l2fwd("--port").err()).startsWith("l2fwd: --port needs a value");
        assertThat(l2fwd("--help").status()).isZero();
        closeAndCheckNoLeaks();
    }

    @Test
    void aPortThatCannotBeOpenedExitsWithOne() {
        Run r = l2fwd("--port", "jvsnosuch1", "--port", "jvsnosuch2", "--seconds", "1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().trim()).isEqualTo(
                "l2fwd: port p1: interface jvsnosuch1: no such interface (if_nametoindex: No such device (ENODEV))");
        closeAndCheckNoLeaks();
    }

    @Test
    void forwardsBetweenTwoVethsAndReportsJson() throws Exception {
        String nsA = topo.namespace("a");
        String nsB = topo.namespace("b");
        Topology.Veth a = topo.veth(nsA, "a");
        Topology.Veth b = topo.veth(nsB, "b");

        int count = 500;
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            frames.add(Frames.frame(60 + seq, seq));
        }
        try (Peer receiver = Peer.receiver(nsB, b.peer(), count, WAIT)) {
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(
                    () -> l2fwd("--port", a.root(), "--port", b.root(), "--seconds", "3", "--json"));
            awaitReceiveSocket(a.root());
            awaitReceiveSocket(b.root());
            List<byte[]> got = new ArrayList<>();
            try (Peer sender = Peer.sender(nsA, a.peer(), frames)) {
                got.addAll(receiver.awaitFrames(WAIT));
                sender.awaitExit(WAIT);
            }
            Run r = run.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.err()).isZero();
            Matcher m = Pattern.compile("\\{\"rxPackets\":(\\d+),\"txPackets\":(\\d+),\"dropped\":(\\d+),"
                    + "\"busyNsPerPacket\":([0-9.]+)}").matcher(r.out().trim());
            assertThat(m.matches()).as(r.out()).isTrue();
            assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(count);
            assertThat(Long.parseLong(m.group(2))).isGreaterThanOrEqualTo(count);
            assertThat(Double.parseDouble(m.group(4))).isPositive();
            assertSameFramesNoPort(got, frames);
        }
        closeAndCheckNoLeaks();
    }

    /** Waits until an ETH_P_ALL packet socket is bound to {@code ifname} (the forwarder's rx socket). */
    private static void awaitReceiveSocket(String ifname) throws IOException {
        String ifindex = Files.readString(Path.of("/sys/class/net", ifname, "ifindex")).trim();
        Await.until(WAIT, () -> {
            try {
                return Files.readAllLines(Path.of("/proc/net/packet")).stream()
                        .map(line -> line.trim().split("\\s+"))
                        .anyMatch(f -> f.length > 4 && f[3].equals("0003") && f[4].equals(ifindex));
            } catch (IOException e) {
                return false;
            }
        }, () -> "a receive socket on " + ifname);
    }

    private static void assertSameFramesNoPort(List<byte[]> got, List<byte[]> expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(expected.get(Frames.seq(got.get(i))));
        }
    }
}
