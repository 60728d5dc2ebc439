package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.netdev.NetdevRxq;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Syscalls;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;

/**
 * A PMD that sleeps ({@code pmd-idle: sleep}) waits in {@code poll(2)} on the XDP socket itself: the
 * descriptor an rx queue hands out becomes readable when a frame arrives, and none is handed out
 * while the queue cannot receive. A socket a poll may still hold is not closed under it: the
 * kernel would keep it bound, writing into frames the port had given back to the pool.
 */
class AfXdpSleepTest extends XdpNetnsTest {
    private final ByteBuffer pollfd = Scratch.direct(Syscalls.POLLFD_BYTES);
    private final long pollfdAddress = Scratch.address(pollfd);

    @Test
    void theSocketWakesAPollWhenAFrameArrivesAndIsNotClosedUnderIt() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfXdpNetdev port = open("p1", v.root(), Map.of());
        NetdevRxq rxq = port.rxq(0);
        pollUntil(port, port::linkUp, "link up");

        int fd = rxq.pollFd();
        assertThat(fd).as("the rx queue's descriptor; %s", dump(port)).isNotNegative();
        assertThat(poll(fd, 0)).as("nothing received yet").isZero();
        List<byte[]> frames = List.of(MarkedFrames.frame(60, 1));
        CompletableFuture<Integer> woken = CompletableFuture.supplyAsync(() -> poll(fd, 20_000));
        try (Peer sender = Peer.sender(v.ns(), v.peer(), frames)) {
            assertThat(woken.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("poll(2) woken by the frame").isEqualTo(1);
            assertThat(pollfd.getShort(6) & Syscalls.POLLIN).as("POLLIN").isNotZero();
            sender.awaitExit(WAIT);
        }
        rxq.pollEnded();
        assertSameFrames(pmd.receive(rxq, 1, WAIT), frames, port);

        // A poll may hold the socket (pollFd handed out, pollEnded not yet called): the interface's
        // deletion leaves the sockets alone and says why, until the poll is over.
        assertThat(rxq.pollFd()).isEqualTo(fd);
        Sh.run("ip", "link", "del", v.root());
        port.refresh();
        assertThat(port.afXdpStats().lastError()).as(dump(port)).contains("slept in poll(2) on rx queue 0");
        assertThat(port.ifindex()).as("sockets not retired while polled").isPositive();
        rxq.pollEnded();
        port.refresh();
        assertThat(port.ifindex()).as("retired once the poll ended; %s", dump(port)).isZero();
        assertThat(rxq.pollFd()).as("no socket, no descriptor").isEqualTo(NetdevRxq.NO_POLL_FD);
        rxq.pollEnded();
        closeAndCheckNoLeaks();
    }

    @Test
    void linkDownHandsOutNoDescriptor() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfXdpNetdev port = open("p1", v.root(), Map.of());
        pollUntil(port, port::linkUp, "link up");
        Sh.inNs(ns, "ip", "link", "set", v.peer(), "down");
        pollUntil(port, () -> {
            port.refresh();
            return !port.linkUp();
        }, "link down after the peer went down");
        assertThat(port.rxq(0).pollFd()).isEqualTo(NetdevRxq.NO_POLL_FD);
        port.rxq(0).pollEnded();
        closeAndCheckNoLeaks();
    }

    /** One poll(2) on {@code fd}: its result (1 readable, 0 timed out). */
    private int poll(int fd, int timeoutMs) {
        pollfd.putInt(0, fd);
        pollfd.putShort(4, Syscalls.POLLIN);
        pollfd.putShort(6, (short) 0);
        return Syscalls.LIBC.poll(pollfdAddress, 1, timeoutMs);
    }
}
