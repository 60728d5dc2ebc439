package dev.jvswitch.ofproto.tnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.upcall.OfprotoUpcallHandler;
import dev.jvswitch.pmd.tunnel.UdpTunnel;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Upcalls through a tunnel make no garbage once the translating thread is warm, as every other
 * upcall (see {@code UpcallAllocationTest}): the encap upcall (output to a VXLAN port: route,
 * neighbour, header template, the underlay bridge's translation, the {@code tnl_push} clone),
 * the decap upcall of the outer packet (to the endpoint's LOCAL: {@code tnl_pop}) and the decap
 * upcall of the popped packet (tunnel port found by its metadata), each over many distinct inner
 * flows, through the upcall handler the PMDs call; and the same for a Geneve port.
 */
class TunnelUpcallAllocationTest {
    private static final int FLOWS = 256;
    private static final int WARMUP_ROUNDS = 200;
    private static final int ROUNDS = 200;

    private final TunnelSwitch sw = new TunnelSwitch();

    @AfterEach
    void close() {
        sw.close();
    }

    @Test
    void encapUpcallsAllocateNothing() {
        sw.neighbourKnown().flows("br-int", "in_port=1,actions=output:10");
        sw.flows("br-phy", "in_port=LOCAL,actions=output:1");
        FlowKey[] keys = new FlowKey[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            keys[i] = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.1." + i).ports(1000 + i, 2000)
                    .tos(i & 0xfc).build(), 1);
        }
        assertThat(perUpcall(keys, "tnl_push(tnl_port(10),")).as("heap bytes per encap upcall").isLessThan(1.0);
    }

    @Test
    void flowBasedEncapUpcallsAllocateNothing() {
        sw.neighbourKnown().flows("br-int", "in_port=1,actions=set_field:192.0.2.2->tun_dst,output:11");
        sw.flows("br-phy", "in_port=LOCAL,actions=output:1");
        FlowKey[] keys = new FlowKey[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            keys[i] = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.1." + i).ports(1000 + i, 2000).build(), 1);
        }
        assertThat(perUpcall(keys, "tnl_push(tnl_port(11),")).as("heap bytes per flow-based encap upcall")
                .isLessThan(1.0);
    }

    @Test
    void decapUpcallsAllocateNothing() {
        sw.neighbourKnown().flows("br-int", "in_port=10,actions=output:1");
        sw.flows("br-phy", "in_port=1,actions=LOCAL");
        FlowKey[] outer = new FlowKey[FLOWS];
        FlowKey[] inner = new FlowKey[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            byte[] in = Frames.udp4().ip("10.0.1." + i, "10.0.0.1").ports(1000 + i, 2000).build();
            outer[i] = sw.key(Frames.udp4().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                    .ip("192.0.2.2", "192.0.2.1").ports(40000 + i, 4789).udpChecksum(false).vxlan(100, in).build(), 2);
            inner[i] = sw.key(in, 10);
            inner[i].set(FlowField.TUN_ID, 100);
            inner[i].set(FlowField.TUN_SRC, 0xc0000202L);
            inner[i].set(FlowField.TUN_DST, 0xc0000201L);
            inner[i].set(FlowField.TUN_FLAGS, 8);
            inner[i].set(FlowField.TUN_TTL, 64);
        }
        assertThat(perUpcall(outer, "tnl_pop(10)")).as("heap bytes per outer decap upcall").isLessThan(1.0);
        assertThat(perUpcall(inner, "1")).as("heap bytes per inner decap upcall").isLessThan(1.0);
    }

    @Test
    void geneveUpcallsAllocateNothing() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestGeneve.of("vx0", "remote_ip", "192.0.2.2", "key",
                "100")));
        sw.apply().neighbourKnown().flows("br-int", "in_port=1,actions=output:10", "in_port=10,actions=output:1");
        sw.flows("br-phy", "in_port=LOCAL,actions=output:1", "in_port=1,actions=LOCAL");
        FlowKey[] encap = new FlowKey[FLOWS];
        FlowKey[] outer = new FlowKey[FLOWS];
        byte[] option = FrameBuilder.geneveOption(0x0102, 0x80, new byte[] {0, 1, 0, 2});
        for (int i = 0; i < FLOWS; i++) {
            encap[i] = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.1." + i).ports(1000 + i, 2000).build(), 1);
            byte[] in = Frames.udp4().ip("10.0.1." + i, "10.0.0.1").ports(1000 + i, 2000).build();
            outer[i] = sw.key(Frames.udp4().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                    .ip("192.0.2.2", "192.0.2.1").ports(40000 + i, 6081).udpChecksum(false)
                    .geneve(100, false, option, in).build(), 2);
        }
        assertThat(perUpcall(encap, "tnl_push(tnl_port(10),header(size=50,type=5,"))
                .as("heap bytes per geneve encap upcall").isLessThan(1.0);
        assertThat(perUpcall(outer, "tnl_pop(10)")).as("heap bytes per geneve outer decap upcall").isLessThan(1.0);
    }

    @Test
    void geneveOptionUpcallsAllocateNothing() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestGeneve.of("vx0", "remote_ip", "192.0.2.2", "key",
                "100")));
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse("{class=0x102,type=0x80,len=4}->tun_metadata0,"
                + "{class=0xffff,type=1,len=4}->tun_metadata1"));
        // A zero set_field is present, so pushed; the popped packets are matched on their option.
        sw.apply().neighbourKnown().flows("br-int", "in_port=1,actions=set_field:0->tun_metadata0,output:10",
                "in_port=10,tun_metadata0=0x10002,actions=output:1", "in_port=10,priority=0,actions=drop");
        sw.flows("br-phy", "in_port=LOCAL,actions=output:1", "in_port=1,actions=LOCAL");
        FlowKey[] encap = new FlowKey[FLOWS];
        FlowKey[] popped = new FlowKey[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            encap[i] = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.1." + i).ports(1000 + i, 2000).build(), 1);
            popped[i] = popped(i, 16, 0xffff_0101_0000_0000L | i, 0x0102_8001_0001_0002L);
        }
        assertThat(perUpcall(encap, "tnl_push(tnl_port(10),header(size=58,type=5,"))
                .as("heap bytes per geneve encap upcall with an option").isLessThan(1.0);
        assertThat(perUpcall(popped, "1")).as("heap bytes per upcall of a popped packet with options")
                .isLessThan(1.0);
    }

    /** A longer option set whole on the way out and matched whole on the way in: laid out in its slots with no allocation. */
    @Test
    void longerOptionUpcallsAllocateNothing() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestGeneve.of("vx0", "remote_ip", "192.0.2.2", "key",
                "100")));
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse("{class=0xffff,type=2,len=8}->tun_metadata2"));
        sw.apply().neighbourKnown().flows("br-int",
                "in_port=1,actions=set_field:0x1122334455667788->tun_metadata2,set_field:0x1->tun_metadata63,output:10",
                "in_port=10,tun_metadata2=0x1122334455667788,actions=output:1", "in_port=10,priority=0,actions=drop");
        sw.flows("br-phy", "in_port=LOCAL,actions=output:1", "in_port=1,actions=LOCAL");
        FlowKey[] encap = new FlowKey[FLOWS];
        FlowKey[] popped = new FlowKey[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            encap[i] = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.1." + i).ports(1000 + i, 2000).build(), 1);
            popped[i] = popped(i, 12, 0xffff_0202_1122_3344L, 0x5566_7788_0000_0000L);
        }
        assertThat(perUpcall(encap, "tnl_push(tnl_port(10),header(size=62,type=5,"))
                .as("heap bytes per geneve encap upcall with an 8-byte option").isLessThan(1.0);
        assertThat(perUpcall(popped, "1")).as("heap bytes per upcall of a popped packet matched on an 8-byte option")
                .isLessThan(1.0);
    }

    /** An option longer than 16 bytes set whole: its bytes come from the action's chunks, with no allocation. */
    @Test
    void wideOptionSetUpcallsAllocateNothing() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestGeneve.of("vx0", "remote_ip", "192.0.2.2", "key",
                "100")));
        sw.tunnels.tlvMaps().add("br-int", TlvMap.parse("{class=0xffff,type=4,len=40}->tun_metadata4"));
        sw.apply().neighbourKnown().flows("br-int", "in_port=1,actions=set_field:0x" + "0123456789".repeat(8)
                + "->tun_metadata4,output:10");
        sw.flows("br-phy", "in_port=LOCAL,actions=output:1", "in_port=1,actions=LOCAL");
        FlowKey[] encap = new FlowKey[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            encap[i] = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.1." + i).ports(1000 + i, 2000).build(), 1);
        }
        assertThat(perUpcall(encap, "tnl_push(tnl_port(10),header(size=94,type=5,"))
                .as("heap bytes per geneve encap upcall with a 40-byte option").isLessThan(1.0);
    }

    /** The key of popped Geneve packet {@code i} on vx0 with raw options {@code words} of {@code length} bytes. */
    private FlowKey popped(int i, int length, long... words) {
        FlowKey k = sw.key(Frames.udp4().ip("10.0.1." + i, "10.0.0.1").ports(1000 + i, 2000).build(), 10);
        k.set(FlowField.TUN_ID, 100).set(FlowField.TUN_SRC, 0xc0000202L).set(FlowField.TUN_DST, 0xc0000201L)
                .set(FlowField.TUN_TTL, 64).set(FlowField.TUN_FLAGS, UdpTunnel.FLAG_KEY | UdpTunnel.FLAG_UDPIF)
                .set(FlowField.TUN_METADATA_LEN, length);
        System.arraycopy(words, 0, k.words(), FlowKey.TUN_METADATA_WORD, words.length);
        k.tunnelMetadataWritten();
        return k;
    }

    /** Heap bytes per upcall over the keys, after a warm-up; each upcall's actions must start so. */
    private double perUpcall(FlowKey[] keys, String actionsStart) {
        OfprotoUpcallHandler handler = sw.ofproto.upcallHandler();
        UpcallResult result = new UpcallResult();
        for (FlowKey k : keys) {
            result.reset();
            assertThat(handler.onUpcall(0, k, null, result)).isEqualTo(UpcallOutcome.OK);
            assertThat(result.actions().toString()).startsWith(actionsStart);
            assertThat(result.packetOuts()).isZero();
        }
        run(handler, result, keys, WARMUP_ROUNDS);
        long before = allocated();
        run(handler, result, keys, ROUNDS);
        long bytes = allocated() - before;
        double per = (double) bytes / ((long) ROUNDS * keys.length);
        System.out.printf("%s...: %.3f heap bytes per upcall%n", actionsStart, per);
        return per;
    }

    private static void run(OfprotoUpcallHandler handler, UpcallResult result, FlowKey[] keys, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (FlowKey k : keys) {
                result.reset();
                handler.onUpcall(0, k, null, result);
            }
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
