package dev.jvswitch.bench.l2fwd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jvswitch.afpacket.AfPacketNetdev;
import dev.jvswitch.afpacket.NetnsPortTest;
import dev.jvswitch.pmd.show.DpctlFormat;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The two forwarders between two hosts in namespaces: the switch mode really goes through the
 * datapath (one megaflow per direction, matching in_port), and in both modes the forwarding
 * thread keeps the ports' link state fresh by itself, so a link that goes down and comes back
 * carries traffic again without anyone else calling {@code refresh()}.
 */
class ForwarderTest extends NetnsPortTest {
    private Topology.Veth a;
    private Topology.Veth b;
    private AfPacketNetdev p1;
    private AfPacketNetdev p2;
    private final AtomicBoolean stop = new AtomicBoolean();

    private void twoHosts() throws Exception {
        a = topo.veth(topo.namespace("a"), "a");
        b = topo.veth(topo.namespace("b"), "b");
        p1 = open("p1", a.root(), Map.of());
        p2 = open("p2", b.root(), Map.of());
    }

    /** Starts {@code fwd} on its own thread until {@link #stop} is set. */
    private CompletableFuture<FwdResult> start(Forwarder fwd) {
        CompletableFuture<FwdResult> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(fwd.runAll(stop::get, 0).get(0));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "forwarder");
        t.start();
        return result;
    }

    private FwdResult stop(CompletableFuture<FwdResult> running) throws Exception {
        stop.set(true);
        return running.get(20, TimeUnit.SECONDS);
    }

    /** Sends {@code frames} from {@code from}'s host and returns what {@code to}'s host received. */
    private static List<byte[]> across(Topology.Veth from, Topology.Veth to, List<byte[]> frames) {
        try (Peer receiver = Peer.receiver(to.ns(), to.peer(), frames.size(), WAIT);
                Peer sender = Peer.sender(from.ns(), from.peer(), frames)) {
            List<byte[]> got = receiver.awaitFrames(WAIT);
            sender.awaitExit(WAIT);
            return got;
        }
    }

    private static List<byte[]> frames(int first, int count) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(MarkedFrames.frame(60 + 7 * i, first + i));
        }
        return frames;
    }

    @Test
    void switchModeInstallsOneMegaflowPerDirectionOnInPort() throws Exception {
        twoHosts();
        SwitchForwarder fwd = new SwitchForwarder(p1, p2, pool, -1);
        try {
            CompletableFuture<FwdResult> running = start(fwd);
            List<byte[]> ab = frames(0, 100);
            List<byte[]> ba = frames(100, 100);
            assertSameFrames(across(a, b, ab), ab, p2);
            assertSameFrames(across(b, a, ba), ba, p1);
            FwdResult r = stop(running);

            String flows = DpctlFormat.dumpFlows(fwd.datapath(), false);
            assertThat(flows.lines()).as(flows).hasSize(2);
            assertThat(flows.lines().filter(l -> l.contains("in_port(1)") && l.endsWith("actions:2"))).hasSize(1);
            assertThat(flows.lines().filter(l -> l.contains("in_port(2)") && l.endsWith("actions:1"))).hasSize(1);
            assertThat(fwd.datapath().pmd(0).stats().get(PmdCounter.UPCALL_OK)).isEqualTo(2);
            assertThat(r.rxPackets()).isGreaterThanOrEqualTo(200);
            assertThat(r.txPackets()).isEqualTo(r.rxPackets() - r.dropped());
        } finally {
            stop.set(true);
            fwd.close();
        }
        closeAndCheckNoLeaks();
    }

    @ParameterizedTest
    @EnumSource(FwdMode.class)
    void theForwardingThreadNoticesALinkFlapAndTrafficResumes(FwdMode mode) throws Exception {
        twoHosts();
        try (Forwarder fwd = Forwarder.create(mode, p1, p2, pool, -1)) {
            CompletableFuture<FwdResult> running = start(fwd);
            try {
                Sh.inNs(b.ns(), "ip", "link", "set", b.peer(), "down");
                Await.until(WAIT, () -> !p2.linkUp(), () -> "p2 down; " + dump(p2));
                Sh.inNs(b.ns(), "ip", "link", "set", b.peer(), "up");
                Await.until(WAIT, p2::linkUp, () -> "p2 up again; " + dump(p2));
                List<byte[]> ab = frames(0, 50);
                assertSameFrames(across(a, b, ab), ab, p2);
            } finally {
                FwdResult r = stop(running);
                assertThat(r.txPackets()).isEqualTo(r.rxPackets() - r.dropped());
            }
            assertThat(stats(p2).linkDownEvents).isPositive();
            assertThat(p2.afPacketStats().reopens()).as(dump(p2)).isPositive();
        }
        closeAndCheckNoLeaks();
    }
}
