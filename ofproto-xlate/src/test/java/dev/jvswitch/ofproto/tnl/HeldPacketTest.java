package dev.jvswitch.ofproto.tnl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.ofproto.upcall.OfprotoUpcallHandler;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.testkit.frame.Frames;

/**
 * The upcall that misses a tunnel's next hop asks for it at once and keeps its packet; the
 * upcall that learns the next hop sends that packet, pushed, with its own actions: what the PMD
 * runs right after each upcall ({@link UpcallResult#packetOuts()}), so the first packet to a new
 * endpoint is not lost. Through the upcall handler the PMDs call, with real mbufs.
 */
class HeldPacketTest {
    private final TunnelSwitch sw = new TunnelSwitch();
    private final OfprotoUpcallHandler handler = sw.ofproto.upcallHandler();

    /** Port 1's packets go out of the VXLAN port to 192.0.2.2, whose MAC is not known yet. */
    @BeforeEach
    void toTheTunnel() {
        sw.flows("br-int", "in_port=1,actions=output:10");
    }

    @AfterEach
    void close() {
        sw.close();
    }

    private static byte[] inner(int port) {
        return Frames.udp4().src("00:00:00:00:00:01").dst("00:00:00:00:00:02").ip("10.0.0.1", "10.0.0.2")
                .ports(port, 2000).build();
    }

    private static byte[] arpReply() {
        return Frames.arp().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("192.0.2.2", "192.0.2.1").arpOp(2).arpSha(TunnelSwitch.REMOTE_MAC_TEXT)
                .arpTha(TunnelSwitch.LOCAL_MAC_TEXT).build();
    }

    /** The upcall of {@code frame} on datapath port {@code dpPort} (key as parsed, or {@code key}), into a fresh result. */
    private UpcallResult upcall(byte[] frame, FlowKey key) {
        UpcallResult r = new UpcallResult();
        Mbuf m = sw.packets.pool().get();
        try {
            assertThat(m.copyFrom(frame, 0, frame.length)).isTrue();
            assertThat(handler.onUpcall(0, key, m, r)).isEqualTo(UpcallOutcome.OK);
        } finally {
            sw.packets.pool().put(m);
        }
        return r;
    }

    /** The upcall of one packet from port 1 (it misses the next hop, which holds it); the packet. */
    private byte[] missOnce() {
        byte[] f = inner(1000);
        upcall(f, sw.key(f, 1));
        return f;
    }

    @Test
    void theMissSendsTheRequestAndTheReplySendsThePacketPushed() {
        byte[] first = inner(1000);
        UpcallResult miss = upcall(first, sw.key(first, 1));
        assertThat(miss.actions().isDrop()).isTrue();
        assertThat(miss.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_NEIGH_MISS);
        // The ARP request leaves with the upcall that missed: out of br-phy's eth0 (datapath port 2).
        assertThat(miss.packetOuts()).isEqualTo(1);
        assertThat(miss.packetOutFrame(0)).isEqualTo(Frames.arp().src(TunnelSwitch.LOCAL_MAC_TEXT)
                .dst("ff:ff:ff:ff:ff:ff").ip("192.0.2.1", "192.0.2.2").arpOp(1).arpSha(TunnelSwitch.LOCAL_MAC_TEXT)
                .arpTha("00:00:00:00:00:00").build());
        assertThat(miss.packetOutActions(0).toString()).isEqualTo("2");
        assertThat(sw.tunnels.neighbours().heldNow()).isEqualTo(1);

        byte[] reply = arpReply();
        UpcallResult learned = upcall(reply, sw.key(reply, 2));
        assertThat(learned.packetOuts()).isEqualTo(1);
        assertThat(learned.packetOutFrame(0)).isEqualTo(first);
        assertThat(learned.packetOutActions(0).toString()).startsWith("tnl_push(tnl_port(10),").endsWith("out_port(2)),2");
        assertThat(sw.tunnels.neighbours().heldNow()).isZero();
        assertThat(sw.tunnels.coverage()).containsEntry("tnl_neigh_held", 1L).containsEntry("tnl_neigh_held_sent", 1L)
                .containsEntry("tnl_neigh_held_dropped", 0L);

        // Sent once: the same reply again finds nothing held.
        assertThat(upcall(reply, sw.key(reply, 2)).packetOuts()).isZero();
    }

    @Test
    void aNeighbourSetByHandSendsWhatWaitedForIt() {
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        java.util.List<String> actions = new java.util.ArrayList<>();
        sw.ofproto.packetExecutor((frame, a) -> {
            sent.add(frame);
            actions.add(a.toString());
        });
        byte[] first = missOnce();
        assertThat(sw.tunnels.neighbours().heldNow()).isEqualTo(1);
        // tnl/neigh/set (OfprotoService): the held packet goes out pushed, as when the reply is snooped.
        sw.ofproto.sendPacketOuts(sw.tunnels.setNeighbour("br-phy", IpAddress.parse("192.0.2.2"),
                TunnelSwitch.REMOTE_MAC, sw.clockNs.get()));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).isEqualTo(first);
        assertThat(actions.get(0)).startsWith("tnl_push(tnl_port(10),").endsWith("out_port(2)),2");
        assertThat(sw.tunnels.neighbours().heldNow()).isZero();
        assertThat(sw.tunnels.coverage()).containsEntry("tnl_neigh_held_sent", 1L);
    }

    @Test
    void atMostThreePacketsWaitForOneNextHop() {
        for (int i = 0; i < 5; i++) {
            byte[] f = inner(1000 + i);
            UpcallResult r = upcall(f, sw.key(f, 1));
            // One request for the next hop, from the first miss; the others wait for its answer.
            assertThat(r.packetOuts()).isEqualTo(i == 0 ? 1 : 0);
        }
        assertThat(sw.tunnels.neighbours().heldNow()).isEqualTo(NeighbourCache.MAX_HELD_PER_HOP);
        byte[] reply = arpReply();
        UpcallResult learned = upcall(reply, sw.key(reply, 2));
        assertThat(learned.packetOuts()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(learned.packetOutFrame(i)).isEqualTo(inner(1000 + i));
        }
        assertThat(sw.tunnels.coverage()).containsEntry("tnl_neigh_held", 3L).containsEntry("tnl_neigh_held_sent", 3L)
                .containsEntry("tnl_neigh_held_dropped", 2L);
    }

    @Test
    void aPacketHeldTooLongIsDropped() {
        missOnce();
        sw.clockNs.addAndGet(NeighbourCache.HOLD_NS);
        // Housekeeping drops it (and asks for the next hop again).
        assertThat(sw.tunnels.onTick(sw.clockNs.get())).hasSize(1);
        assertThat(sw.tunnels.neighbours().heldNow()).isZero();
        byte[] reply = arpReply();
        assertThat(upcall(reply, sw.key(reply, 2)).packetOuts()).isZero();
        assertThat(sw.tunnels.coverage()).containsEntry("tnl_neigh_held_sent", 0L)
                .containsEntry("tnl_neigh_held_dropped", 1L);
    }

    @Test
    void aPacketOutOfATunnelIsNotHeldAndAFlushDropsWhatIs() {
        missOnce();
        assertThat(sw.tunnels.neighbours().heldNow()).isEqualTo(1);
        // A popped packet's tunnel metadata is not in its frame: a replay could not have it.
        FlowKey popped = sw.key(inner(1001), 10);
        TunnelXlateTest.tunnel(popped, 100, "192.0.2.3", "192.0.2.1");
        sw.tunnels.hold(new NeighbourCache.Probe("br-phy", IpAddress.parse("192.0.2.2"), IpAddress.parse("192.0.2.1"),
                TunnelSwitch.LOCAL_MAC), inner(1001), popped, sw.clockNs.get());
        assertThat(sw.tunnels.neighbours().heldNow()).isEqualTo(1);
        sw.tunnels.neighbours().flush();
        assertThat(sw.tunnels.neighbours().heldNow()).isZero();
        assertThat(sw.tunnels.coverage()).containsEntry("tnl_neigh_held", 1L)
                .containsEntry("tnl_neigh_held_dropped", 1L);
    }
}
