package dev.jvswitch.vswitchd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.tnl.Endpoint;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMapScope;
import dev.jvswitch.ofproto.tnl.TunnelPort;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.port.RingPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * Takes real frames through the datapath side of an OVN chassis's first ping once the daemon is
 * up, so that the first ping after a port's flows are installed does not meet those paths
 * interpreted: a scratch datapath of its own (one PMD stepped on the caller's thread, in-memory
 * ports, a pool of its own) under a scratch ofproto laid out as ovn-controller lays out a chassis
 * (br-int with two VIFs and a Geneve port with {@code key=flow} and OVN's option as
 * {@code tun_metadata0}; br-phy with the underlay and the tunnel endpoint on LOCAL, a device as
 * the chassis's TAP, so that snooping and popping take the device's path), and a table in
 * OVN's style ({@link #FLOWS}): ARP answered by the table, conntrack ({@code ct(table=..,zone=reg13)},
 * {@code ct(commit)}, {@code ct_clear}), the loopback output between stack pushes and pops, a
 * Geneve push to the remote chassis and a pop from it. Each round sends the VIF's ARP request, an
 * ICMP echo and a TCP SYN; in every other round the echo finds no next hop for the tunnel, so the
 * datapath asks for it (ARP on the underlay) and holds the echo and the SYN, which the round's
 * ARP reply sends; the pushed frames come back popped as the remote chassis's replies. Between
 * rounds the megaflows are flushed, so every round upcalls and translates again.
 *
 * <p>Nothing is shared with the running switch: the pool, datapath, ofproto and ports are made
 * here and closed after; no frame reaches any real interface; no counter, flow or connection of
 * the switch changes; nothing is logged. It is meant for a daemon thread of its own.
 *
 * <p><b>Thread-safety:</b> {@link #run} may be called from any thread; it shares no state.
 */
final class DatapathWarmup {
    private static final String BR_INT = "br-int";
    private static final String BR_PHY = "br-phy";
    private static final int VIF1 = 1;
    private static final int VIF2 = 2;
    private static final int GENEVE_OFPORT = 10;
    private static final int GENEVE_DP = 3;
    private static final int UNDERLAY_DP = 4;
    private static final int TAP_DP = 5;
    private static final long MAC1 = 0x0a0000000101L;
    private static final long MAC2 = 0x0a0000000201L;
    private static final long LOCAL_MAC = 0x02000000000aL;
    private static final long REMOTE_MAC = 0x02000000000bL;
    private static final int IP1 = 0x0a000001;
    private static final int IP2 = 0x0a000002;
    private static final int LOCAL_IP = 0xc0000201;
    private static final int REMOTE_IP = 0xc0000202;
    /** OVN's one Geneve option (class 0x0102, type 0x80, 4 bytes) as tun_metadata0. */
    private static final TlvMap.Mapping OVN_OPTION = new TlvMap.Mapping(0x0102, 0x80, 4, 0);
    private static final TlvMap OVN_MAP = TlvMap.EMPTY.add(List.of(OVN_OPTION));
    /**
     * br-int's table, in the shape of ovn-controller's for one logical switch (datapath 1) with
     * pa (VIF 1, zone 1) here and pb (VIF 2 here, or behind the Geneve port on the remote chassis).
     */
    static final List<String> FLOWS = List.of(
            "table=0,priority=100,in_port=1,actions=set_field:0x1->reg13,set_field:0x1->metadata,"
                    + "set_field:0x1->reg14,resubmit(,8)",
            "table=0,priority=100,in_port=2,actions=set_field:0x2->reg13,set_field:0x1->metadata,"
                    + "set_field:0x2->reg14,resubmit(,8)",
            "table=0,priority=100,in_port=10,actions=move:NXM_NX_TUN_ID[0..23]->OXM_OF_METADATA[0..23],"
                    + "move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14],"
                    + "move:NXM_NX_TUN_METADATA0[0..15]->NXM_NX_REG15[0..15],resubmit(,38)",
            "table=8,priority=110,arp,metadata=0x1,arp_op=1,arp_tpa=10.0.0.2,actions="
                    + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:0a:00:00:00:02:01->eth_src,"
                    + "set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                    + "set_field:0a:00:00:00:02:01->arp_sha,push:NXM_OF_ARP_SPA[],push:NXM_OF_ARP_TPA[],"
                    + "pop:NXM_OF_ARP_SPA[],pop:NXM_OF_ARP_TPA[],move:NXM_NX_REG14[]->NXM_NX_REG15[],"
                    + "set_field:0x1/0x1->reg10,resubmit(,37)",
            "table=8,priority=100,ip,metadata=0x1,actions=ct(table=9,zone=NXM_NX_REG13[0..15])",
            "table=8,priority=0,actions=resubmit(,10)",
            "table=9,priority=100,ct_state=+new-est+trk,ip,metadata=0x1,actions="
                    + "ct(commit,zone=NXM_NX_REG13[0..15],exec(set_field:0x1/0x1->ct_mark)),resubmit(,10)",
            "table=9,priority=100,ct_state=-new+est-rpl+trk,ip,metadata=0x1,actions=resubmit(,10)",
            "table=9,priority=100,ct_state=-new+est+rpl+trk,ip,metadata=0x1,actions=resubmit(,10)",
            "table=9,priority=0,actions=resubmit(,10)",
            "table=10,priority=50,metadata=0x1,dl_dst=0a:00:00:00:02:01,actions=set_field:0x2->reg15,resubmit(,37)",
            "table=10,priority=50,metadata=0x1,dl_dst=0a:00:00:00:01:01,actions=set_field:0x1->reg15,resubmit(,37)",
            "table=10,priority=0,actions=drop",
            "table=37,priority=100,reg15=0x2,metadata=0x1,actions=load:0x1->NXM_NX_TUN_ID[0..23],"
                    + "set_field:0x2->tun_metadata0,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],"
                    + "output:10,resubmit(,38)",
            "table=37,priority=0,actions=resubmit(,38)",
            "table=38,priority=100,reg15=0x1,metadata=0x1,actions=set_field:0x1->reg13,resubmit(,40)",
            "table=38,priority=0,actions=drop",
            "table=40,priority=100,ip,metadata=0x1,actions=ct_clear,ct(table=41,zone=NXM_NX_REG13[0..15])",
            "table=40,priority=0,actions=resubmit(,42)",
            "table=41,priority=100,ct_state=+new+trk,ip,actions=ct(commit,zone=NXM_NX_REG13[0..15]),resubmit(,42)",
            "table=41,priority=0,actions=resubmit(,42)",
            "table=42,priority=110,reg10=0x1/0x1,reg15=0x1,metadata=0x1,actions=push:NXM_OF_IN_PORT[],"
                    + "load:0xffff->NXM_OF_IN_PORT[],output:1,pop:NXM_OF_IN_PORT[]",
            "table=42,priority=100,reg15=0x1,metadata=0x1,actions=output:1",
            "table=42,priority=0,actions=drop");
    /** Rounds of frames at most, and the wall time after which none starts. */
    static final int ROUNDS = 400;
    /** Steps of the PMD per round, enough for a frame's upcall and its recirculations. */
    private static final int STEPS = 4;
    /** Two mbuf caches' worth (the PMD's and the warm-up's own) and the frames in flight. */
    private static final int MBUFS = 1024;
    private static final int ETH = 14;
    private static final int IP = 20;
    private static final int GENEVE_OUTER = ETH + IP + 8 + 8 + 8;

    private DatapathWarmup() {
    }

    /** What a warm-up did: rounds run, frames it got back on the VIF and on the underlay, and the time taken. */
    record Result(int rounds, long vifFrames, long underlayFrames, long elapsedMs) {
    }

    /**
     * Builds the scratch chassis and runs up to {@code rounds} rounds of frames through it, none
     * begun after {@code budgetMs}; closes everything.
     *
     * @throws NetdevException if a scratch port cannot be made (the caller skips the warm-up)
     */
    static Result run(int rounds, long budgetMs) throws NetdevException {
        long start = System.nanoTime();
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("warmup", MBUFS))) {
            Ofproto ofproto = new Ofproto();
            Datapath dp = new Datapath(DatapathConfig.defaults(), pool, ofproto.upcallHandler());
            RingPorts.Pair vif1 = RingPorts.pair("warm-vif1", "warm-h1", 1, 64);
            RingPorts.Pair vif2 = RingPorts.pair("warm-vif2", "warm-h2", 1, 64);
            RingPorts.Pair wire = RingPorts.pair("warm-phy", "warm-wire", 1, 64);
            RingPorts.Pair tap = RingPorts.pair("warm-brphy", "warm-host", 1, 64);
            MbufCache cache = pool.newCache();
            try {
                ofproto.packetExecutor(dp::execute);
                Netdev geneve = Netdevs.open(new NetdevConfig("warm-genev", "geneve",
                        Map.of("remote_ip", IpAddress.ofIpv4(REMOTE_IP).toString(), "key", "flow", "csum", "true"), pool));
                dp.addPort(VIF1, vif1.a());
                dp.addPort(VIF2, vif2.a());
                dp.addPort(GENEVE_DP, geneve);
                dp.addPort(UNDERLAY_DP, wire.a());
                dp.addPort(TAP_DP, tap.a());
                ofproto.addBridge(new BridgeConfig(BR_INT, List.of(OfPort.trunk(VIF1, VIF1, "warm-vif1"),
                        OfPort.trunk(VIF2, VIF2, "warm-vif2"), OfPort.trunk(GENEVE_OFPORT, GENEVE_DP, "warm-genev"))));
                // br-phy's LOCAL is a device, as the TAP that holds the encap IP on a chassis.
                ofproto.addBridge(new BridgeConfig(BR_PHY, List.of(OfPort.trunk(1, UNDERLAY_DP, "warm-phy"),
                        OfPort.trunk(OfPorts.LOCAL, TAP_DP, "warm-brphy"))));
                ofproto.tunnels().tlvMaps().add(BR_INT, List.of(OVN_OPTION));
                ofproto.apply(BR_INT, TlvMapScope.with(OVN_MAP, () -> parse(FLOWS)));
                ofproto.apply(BR_PHY, parse(List.of("priority=0,actions=NORMAL")));
                ofproto.configureTunnels(
                        List.of(new Endpoint(BR_PHY, IpAddress.ofIpv4(LOCAL_IP), 24, null, 0, LOCAL_MAC)),
                        List.of(new TunnelPort("warm-genev", BR_INT, GENEVE_DP, geneve.tunnelOps())), List.of());
                Rounds r = new Rounds(dp.pmd(0), dp, ofproto, cache, vif1.b(), wire.b(), tap.b());
                int done = 0;
                while (done < rounds && (System.nanoTime() - start) / 1_000_000L < budgetMs) {
                    r.round(done);
                    done++;
                }
                return new Result(done, r.vifFrames, r.underlayFrames, (System.nanoTime() - start) / 1_000_000L);
            } finally {
                pool.releaseCache(cache);
                dp.close();
                vif1.close();
                vif2.close();
                wire.close();
                tap.close();
            }
        }
    }

    private static List<FlowMod> parse(List<String> flows) {
        List<FlowMod> out = new ArrayList<>();
        for (String f : flows) {
            out.add(FlowSyntax.parseAdd(f));
        }
        return out;
    }

    /** One round's frames: the VIF's side (h1) and the underlay's far side (the wire). */
    private static final class Rounds {
        private final PmdAgent pmd;
        private final Datapath dp;
        private final Ofproto ofproto;
        private final MbufCache cache;
        private final RingPort h1;
        private final RingPort wireEnd;
        private final RingPort host;
        private final PacketBatch batch = new PacketBatch();
        private final List<byte[]> fromWire = new ArrayList<>();
        long vifFrames;
        long underlayFrames;

        Rounds(PmdAgent pmd, Datapath dp, Ofproto ofproto, MbufCache cache, RingPort h1, RingPort wireEnd,
                RingPort host) {
            this.pmd = pmd;
            this.dp = dp;
            this.ofproto = ofproto;
            this.cache = cache;
            this.h1 = h1;
            this.wireEnd = wireEnd;
            this.host = host;
        }

        /**
         * pa's ARP request, an ICMP echo and a TCP SYN (source port by round) into VIF 1; what
         * leaves on the underlay is answered: an ARP request for the remote endpoint by its reply,
         * a pushed frame by the remote chassis's reply to it, pushed the other way. Every other
         * round starts with no next hop (the neighbour cache flushed): the echo and the SYN wait
         * for the ARP reply and leave with its upcall, as a chassis's first ping does.
         */
        void round(int n) {
            dp.flows().flush();
            if ((n & 1) == 1) {
                ofproto.tunnels().neighbours().flush();
            }
            send(h1, WarmupFrames.arpRequest(MAC1, IP1, IP2));
            send(h1, WarmupFrames.icmpEcho(MAC1, MAC2, IP1, IP2, n));
            send(h1, WarmupFrames.tcpSyn(MAC1, MAC2, IP1, IP2, 40_000 + (n & 0x3fff), 80));
            // The ARP reply, then the held frames pushed and their replies: three exchanges at most.
            for (int exchange = 0; exchange < 3; exchange++) {
                step();
                drain(h1, null);
                drain(wireEnd, fromWire);
                if (fromWire.isEmpty()) {
                    return;
                }
                for (byte[] f : fromWire) {
                    byte[] answer = WarmupFrames.isArpRequest(f, REMOTE_IP)
                            ? WarmupFrames.arpReply(REMOTE_MAC, REMOTE_IP, f)
                            : WarmupFrames.isGeneve(f) ? WarmupFrames.remoteReply(f, GENEVE_OUTER) : null;
                    if (answer != null) {
                        send(wireEnd, answer);
                    }
                }
                fromWire.clear();
            }
            step();
            drain(h1, null);
            drain(wireEnd, null);
        }

        private void step() {
            for (int i = 0; i < STEPS; i++) {
                pmd.doWork();
                pmd.runCommands();
            }
            // What br-phy passes on to its device (the snooped ARP replies) is the host's: freed.
            drain(host, null);
        }

        private void send(RingPort side, byte[] frame) {
            Mbuf m = cache.get();
            if (m == null) {
                return;
            }
            if (!m.copyFrom(frame, 0, frame.length)) {
                cache.put(m);
                return;
            }
            batch.clear();
            batch.add(m);
            side.txq(0).send(batch, cache);
            batch.clear();
        }

        /** Frees what {@code side} received, keeping a copy of each in {@code into} if not null. */
        private void drain(RingPort side, List<byte[]> into) {
            for (int k = 0; k < 8; k++) {
                batch.clear();
                int n = side.rxq(0).recv(batch, cache);
                if (n == 0) {
                    return;
                }
                for (int i = 0; i < batch.size(); i++) {
                    Mbuf m = batch.get(i);
                    if (side == h1) {
                        vifFrames++;
                    } else if (side == wireEnd) {
                        underlayFrames++;
                    }
                    if (into != null) {
                        into.add(m.toByteArray());
                    }
                    cache.put(m);
                }
                batch.clear();
            }
        }
    }
}
