package dev.jvswitch.pmd.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpCt;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.pcap.PcapWriter;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.testkit.frame.Fragmenter;
import dev.jvswitch.testkit.frame.Frames;

/**
 * A two-stage stateful firewall in datapath flows, as OVS translates one: untracked packets go
 * through {@code ct(zone=1),recirc(1)}; after recirculation, port 1 may open connections
 * ({@code ct(commit)}), established packets pass both ways, anything else drops.
 */
class ConntrackDatapathTest {
    private static final int TRK = 0x20;
    private static final int NEW = 0x01;
    private static final int EST = 0x02;

    private static DpActions firewall(FlowKey k) {
        if (k.get(FlowField.RECIRC_ID) == 0) {
            return DpActions.builder().ct(1, 0, 0, 0, 0, 0, 0, 0).recirc(1).build();
        }
        long state = k.get(FlowField.CT_STATE);
        long in = k.get(FlowField.IN_PORT);
        if (in == 1 && (state & NEW) != 0) {
            return DpActions.builder().ct(1, DpCt.COMMIT, 0x7, 0xff, 0, 0, 0, 0).output(2).build();
        }
        if ((state & EST) != 0) {
            return DpActions.builder().output(in == 1 ? 2 : 1).build();
        }
        return DpActions.DROP;
    }

    private static final DpCt.Nat SNAT = DpCt.nat(DpActions.parse("ct(commit,zone=1,nat(src=192.0.2.100:6000-6099))"), 0);

    /** The firewall with the connections port 1 opens source-NATed, and every ct applying the NAT. */
    private static DpActions snatFirewall(FlowKey k) {
        if (k.get(FlowField.RECIRC_ID) == 0) {
            return DpActions.builder().ct(1, 0, 0, 0, 0, 0, 0, 0, DpCt.Nat.BARE).recirc(1).build();
        }
        long state = k.get(FlowField.CT_STATE);
        long in = k.get(FlowField.IN_PORT);
        if (in == 1 && (state & NEW) != 0) {
            return DpActions.builder().ct(1, DpCt.COMMIT, 0, 0, 0, 0, 0, 0, SNAT).output(2).build();
        }
        if ((state & EST) != 0) {
            return DpActions.builder().output(in == 1 ? 2 : 1).build();
        }
        return DpActions.DROP;
    }

    @Test
    void sourceNatTranslatesOutgoingAndRepliesThroughRecirculation() {
        TestUpcall upcall = new TestUpcall(ConntrackDatapathTest::snatFirewall, FlowField.RECIRC_ID, FlowField.IN_PORT,
                FlowField.CT_STATE);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            h.send(1, udp("10.0.0.1", "10.0.0.2", 1000, 53));
            h.stepUntilIdle();
            java.util.List<byte[]> out = h.receive(2);
            assertThat(out).hasSize(1);
            byte[] f = out.get(0);
            assertThat(java.util.Arrays.copyOfRange(f, 26, 30)).containsExactly(192, 0, 2, 100);
            int port = (f[34] & 0xff) << 8 | (f[35] & 0xff);
            assertThat(port).isBetween(6000, 6099);
            h.send(2, udp("10.0.0.2", "192.0.2.100", 53, port));
            h.stepUntilIdle();
            java.util.List<byte[]> back = h.receive(1);
            assertThat(back).hasSize(1);
            assertThat(java.util.Arrays.copyOfRange(back.get(0), 30, 34)).containsExactly(10, 0, 0, 1);
            assertThat((back.get(0)[36] & 0xff) << 8 | (back.get(0)[37] & 0xff)).isEqualTo(1000);
        }
    }

    private static byte[] udp(String src, String dst, int sport, int dport) {
        return Frames.udp4().ip(src, dst).ports(sport, dport).size(60).build();
    }

    /**
     * A 3000-byte ping in three fragments each way through the firewall: each ct reassembles
     * them (the request twice, before and after recirculation), the fragments themselves leave,
     * and the fragmented reply passes as established; the same ping from port 2 is dropped.
     */
    @Test
    void fragmentedPingsPassAsTheirReassembledDatagram() {
        TestUpcall upcall = new TestUpcall(ConntrackDatapathTest::firewall, FlowField.RECIRC_ID, FlowField.IN_PORT,
                FlowField.CT_STATE);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            byte[] echo = Frames.icmp4().ip("10.0.0.1", "10.0.0.2").payload(new byte[3000]).build();
            for (byte[] f : Fragmenter.split(echo, 1480, 77)) {
                h.send(1, f);
            }
            h.stepUntilIdle();
            java.util.List<byte[]> out = h.receive(2);
            assertThat(out).hasSize(3);
            assertThat(h.dp.conntrack().connectionCount()).isEqualTo(1);
            byte[] reply = Frames.icmp4().ip("10.0.0.2", "10.0.0.1").icmp(0, 0).payload(new byte[3000]).build();
            for (byte[] f : Fragmenter.split(reply, 1480, 78)) {
                h.send(2, f);
            }
            h.stepUntilIdle();
            assertThat(h.receive(1)).hasSize(3);
            byte[] inbound = Frames.icmp4().ip("10.0.0.2", "10.0.0.1").icmpRest(0x99990001).payload(new byte[3000])
                    .build();
            for (byte[] f : Fragmenter.split(inbound, 1480, 79)) {
                h.send(2, f);
            }
            h.stepUntilIdle();
            assertThat(h.receive(1)).isEmpty();
            assertThat(h.dp.conntrack().ipf().counters(false)[1]).isEqualTo(12);
            assertThat(h.dp.conntrack().ipf().heldFragments()).isZero();
        }
    }

    /** The same with IPv6: a 3000-byte UDP datagram each way in fragments with a fragment header. */
    @Test
    void fragmentedIpv6DatagramsPassAsTheirReassembledDatagram() {
        TestUpcall upcall = new TestUpcall(ConntrackDatapathTest::firewall, FlowField.RECIRC_ID, FlowField.IN_PORT,
                FlowField.CT_STATE);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            byte[] out = Frames.udp6().ip("fd00::1", "fd00::2").ports(1000, 53).payload(new byte[3000]).build();
            for (byte[] f : Fragmenter.split(out, 1448, 0x10001)) {
                h.send(1, f);
            }
            h.stepUntilIdle();
            assertThat(h.receive(2)).hasSize(3);
            byte[] back = Frames.udp6().ip("fd00::2", "fd00::1").ports(53, 1000).payload(new byte[3000]).build();
            for (byte[] f : Fragmenter.split(back, 1448, 0x10002)) {
                h.send(2, f);
            }
            h.stepUntilIdle();
            assertThat(h.receive(1)).hasSize(3);
            assertThat(h.dp.conntrack().ipf().counters(true)[1]).isEqualTo(9);
        }
    }

    @Test
    void repliesPassNewInboundDropsAndStateSurvivesRecirculation() {
        TestUpcall upcall = new TestUpcall(ConntrackDatapathTest::firewall, FlowField.RECIRC_ID, FlowField.IN_PORT,
                FlowField.CT_STATE);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults().withEmcInsertInvProb(1), upcall, 2)) {
            h.send(1, udp("10.0.0.1", "10.0.0.2", 1000, 53));
            h.stepUntilIdle();
            assertThat(h.receive(2)).hasSize(1);
            assertThat(h.dp.conntrack().connectionCount()).isEqualTo(1);
            assertThat(h.dp.conntrack().dump(-1, h.nowMs()).get(0).format(false, false))
                    .isEqualTo("udp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=1000,dport=53),"
                            + "reply=(src=10.0.0.2,dst=10.0.0.1,sport=53,dport=1000),zone=1,mark=7");
            h.send(2, udp("10.0.0.2", "10.0.0.1", 53, 1000));
            h.stepUntilIdle();
            assertThat(h.receive(1)).hasSize(1);
            // h2 cannot open a connection to h1.
            h.send(2, udp("10.0.0.2", "10.0.0.1", 4000, 22));
            h.stepUntilIdle();
            assertThat(h.receive(1)).isEmpty();
            assertThat(h.dp.conntrack().connectionCount()).isEqualTo(1);
            assertThat(h.pmd().stats().get(PmdCounter.RECIRCULATIONS)).isEqualTo(3);
            StringBuilder flows = new StringBuilder();
            for (var u : h.dp.flows().dump()) {
                FlowKey k = new FlowKey();
                FlowMask m = new FlowMask();
                u.flow().copyMaskedKeyTo(k);
                u.flow().copyMaskTo(m);
                flows.append(FlowPrinter.format(k, m)).append(" actions:").append(u.flow().actions()).append('\n');
            }
            assertThat(flows.toString()).contains("ct_state(-new+est-rel+rpl-inv+trk-snat-dnat),recirc_id(0x1),in_port(2),eth() actions:1")
                    .contains("recirc_id(0),in_port(1),eth() actions:ct(zone=1),recirc(0x1)")
                    .contains("actions:ct(commit,zone=1,mark=0x7/0xff),2");
        }
    }

    /**
     * 1 000 UDP connections replayed from a pcap port into a null port through
     * {@code ct(zone=1),recirc} and {@code ct(commit)}: once every connection is established, the
     * PMD loop (rx, parse, EMC, ct, recirc, parse, EMC, output) allocates nothing.
     */
    @Test
    void establishedTrafficThroughCtAndRecircAllocatesNothing(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("conns.pcap");
        try (PcapWriter w = PcapWriter.open(pcap, 65535)) {
            for (int i = 0; i < 1000; i++) {
                byte[] f = udp("10.0.0.1", "10.0.0.2", 1024 + i, 53);
                w.write(f, 0, f.length, i);
            }
        }
        TestUpcall upcall = new TestUpcall(ConntrackDatapathTest::firewall, FlowField.RECIRC_ID, FlowField.IN_PORT,
                FlowField.CT_STATE);
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-alloc", 4096))) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withEmcInsertInvProb(1), pool, upcall);
            try {
                dp.addPort(1, Netdevs.open(new NetdevConfig("pcap", "pcap", Map.of("file", pcap.toString()), pool)));
                dp.addPort(2, Netdevs.open(new NetdevConfig("null", "null", Map.of(), pool)));
                PmdAgent pmd = dp.pmd(0);
                long until = System.nanoTime() + 1_500_000_000L;
                while (System.nanoTime() < until) {
                    runPackets(pmd, 50_000);
                }
                assertThat(dp.conntrack().connectionCount()).isEqualTo(1000);
                com.sun.management.ThreadMXBean mx =
                        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long recircBefore = pmd.stats().get(PmdCounter.RECIRCULATIONS);
                long before = mx.getCurrentThreadAllocatedBytes();
                runPackets(pmd, 500_000);
                long bytes = mx.getCurrentThreadAllocatedBytes() - before;
                System.out.printf("ct datapath: %d heap bytes over 500000 established packets (ct + recirc)%n", bytes);
                assertThat(pmd.stats().get(PmdCounter.RECIRCULATIONS) - recircBefore).isGreaterThanOrEqualTo(500_000);
                // A few hundred bytes of slack for the clock's once-a-second housekeeping; per packet: 0.
                assertThat(bytes / 500_000.0).isLessThan(0.01);
            } finally {
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    private static void runPackets(PmdAgent pmd, long packets) {
        long target = pmd.stats().raw(PmdCounter.RX_PACKETS) + packets;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (long i = 0; i < 10 * packets; i++) {
            if (pmd.stats().raw(PmdCounter.RX_PACKETS) >= target) {
                return;
            }
            pmd.doWork();
            if ((i & 1023) == 0 && System.nanoTime() > deadline) {
                break;
            }
        }
        throw new AssertionError("PMD did not receive " + packets + " packets in time");
    }
}
