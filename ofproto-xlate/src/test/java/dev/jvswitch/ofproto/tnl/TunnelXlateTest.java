package dev.jvswitch.ofproto.tnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Translation of native tunnels: output to a VXLAN port becomes OVS's {@code tnl_push} with the
 * underlay bridge's outputs after it, a tunnel packet for the endpoint becomes {@code tnl_pop},
 * the decapsulated packet finds its port by metadata, and the neighbour cache is filled by ARP
 * that reaches LOCAL.
 */
class TunnelXlateTest {
    /** What OVS 3.1 prints for the same tunnel (key 100, 192.0.2.1 -> 192.0.2.2). */
    static final String HEADER = "header(size=50,type=4,eth(dst=aa:bb:cc:00:00:01,src=aa:55:aa:55:00:00,"
            + "dl_type=0x0800),ipv4(src=192.0.2.1,dst=192.0.2.2,proto=17,tos=0,ttl=64,frag=0x4000),"
            + "udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x64))";

    private final TunnelSwitch sw = new TunnelSwitch();

    @AfterEach
    void close() {
        sw.close();
    }

    private static byte[] inner() {
        return Frames.udp4().src("00:00:00:00:00:01").dst("00:00:00:00:00:02").ip("10.0.0.1", "10.0.0.2")
                .ports(1000, 2000).build();
    }

    @Test
    void outputToATunnelPortPushesAndSendsThroughTheUnderlayBridge() {
        sw.neighbourKnown().flows("br-int", "in_port=1,actions=output:10");
        XlateResult r = sw.xlate(sw.key(inner(), 1));
        assertThat(r.actions().toString()).isEqualTo("tnl_push(tnl_port(10)," + HEADER + ",out_port(2)),2");
        // As OVS's: in_port, recirc_id, eth_type, nw_frag and the inner ECN bits, nothing of the
        // underlay's translation.
        assertThat(FlowPrinter.format(sw.key(inner(), 1), r.mask()))
                .isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(tos=0/0x3,frag=no)");
    }

    @Test
    void aTunnelOutputFollowedByOthersIsCloned() {
        sw.neighbourKnown().flows("br-int", "in_port=1,actions=output:10,output:2");
        assertThat(sw.xlate(sw.key(inner(), 1)).actions().toString())
                .isEqualTo("clone(tnl_push(tnl_port(10)," + HEADER + ",out_port(2)),2),3");
    }

    @Test
    void tosTtlAndEcnFollowTheOptions() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestVxlan.of("vx0", "remote_ip", "192.0.2.2", "key", "100",
                "tos", "inherit", "ttl", "inherit", "csum", "true", "df_default", "false")));
        sw.apply().neighbourKnown().flows("br-int", "in_port=1,actions=output:10");
        byte[] f = Frames.udp4().ip("10.0.0.1", "10.0.0.2").tos(0xb8 | 3).ttl(17).build();
        String a = sw.xlate(sw.key(f, 1)).actions().toString();
        // DSCP inherited, CE becomes ECT(0), TTL inherited, DF off, checksum marked for the push.
        assertThat(a).contains("ipv4(src=192.0.2.1,dst=192.0.2.2,proto=17,tos=0xba,ttl=17,frag=0x0)")
                .contains("udp(src=0,dst=4789,csum=0xffff)");
    }

    @Test
    void anUnknownNextHopDropsSendsOneArpRequestAndResolvesFromTheReply() {
        sw.flows("br-int", "in_port=1,actions=output:10");
        FlowKey k = sw.key(inner(), 1);
        XlateResult miss = sw.upcall(k);
        assertThat(miss.actions().isDrop()).isTrue();
        assertThat(miss.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_NEIGH_MISS);
        assertThat(miss.packetOuts()).hasSize(1);
        PacketOut arp = miss.packetOuts().get(0);
        assertThat(arp.bridge()).isEqualTo("br-phy");
        assertThat(arp.frame()).isEqualTo(Frames.arp().src(TunnelSwitch.LOCAL_MAC_TEXT).dst("ff:ff:ff:ff:ff:ff")
                .ip("192.0.2.1", "192.0.2.2").arpOp(1).arpSha(TunnelSwitch.LOCAL_MAC_TEXT).arpTha("00:00:00:00:00:00")
                .build());
        assertThat(arp.key()).isEqualTo(withInPortLocal(sw.key(arp.frame(), 0)));
        // Within the second, another upcall sends nothing more; revalidation never sends.
        assertThat(sw.upcall(k).packetOuts()).isEmpty();
        assertThat(sw.xlate(k).packetOuts()).isEmpty();
        // The request goes out of br-phy's port, from LOCAL.
        assertThat(sw.ofproto.xlate().translatePacketOut(sw.ofproto.snapshot(), "br-phy", arp.key(),
                sw.clockNs.get()).toString()).isEqualTo("2");

        long seq = sw.ofproto.revalSeq();
        byte[] reply = Frames.arp().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("192.0.2.2", "192.0.2.1").arpOp(2).arpSha(TunnelSwitch.REMOTE_MAC_TEXT)
                .arpTha(TunnelSwitch.LOCAL_MAC_TEXT).build();
        XlateResult snoop = sw.upcall(sw.key(reply, 2));
        assertThat(snoop.slowPath()).isTrue();
        assertThat(snoop.toController()).isFalse();
        assertThat(sw.ofproto.revalSeq()).isGreaterThan(seq);
        assertThat(sw.tunnels.neighbours().lookup("br-phy", IpAddress.parse("192.0.2.2"), sw.clockNs.get()))
                .isEqualTo(TunnelSwitch.REMOTE_MAC);
        assertThat(sw.xlate(k).actions().toString()).startsWith("tnl_push(tnl_port(10),");
    }

    private static FlowKey withInPortLocal(FlowKey parsed) {
        FlowKey k = parsed.copy();
        k.set(FlowField.IN_PORT, dev.jvswitch.ofproto.port.OfPorts.LOCAL);
        k.hash(0);
        return k;
    }

    @Test
    void noRouteDropsForThatReason() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestVxlan.of("vx0", "remote_ip", "198.51.100.7")));
        sw.apply().flows("br-int", "in_port=1,actions=output:10");
        XlateResult r = sw.upcall(sw.key(inner(), 1));
        assertThat(r.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_NO_ROUTE);
        assertThat(r.packetOuts()).isEmpty();
        // A user route through a gateway: the gateway is the neighbour to resolve.
        sw.tunnels.routes().add(sw.tunnels.userRoute(new RouteRequest("198.51.100.0/24", "br-phy", "192.0.2.254", null)));
        r = sw.upcall(sw.key(inner(), 1));
        assertThat(r.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_NEIGH_MISS);
        assertThat(r.packetOuts().get(0).key().get(FlowField.ARP_TPA)).isEqualTo(IpAddress.parse("192.0.2.254").ipv4()
                & 0xffff_ffffL);
    }

    @Test
    void flowBasedTunnelsTakeDestinationAndKeyFromTheFlow() {
        sw.neighbourKnown().flows("br-int", "in_port=1,actions=set_field:192.0.2.2->tun_dst,set_field:200->tun_id,"
                + "output:11");
        XlateResult r = sw.xlate(sw.key(inner(), 1));
        assertThat(r.actions().toString()).isEqualTo("tnl_push(tnl_port(11)," + HEADER.replace("vni=0x64", "vni=0xc8")
                + ",out_port(2)),2");
    }

    @Test
    void aTunnelPacketForTheEndpointIsPopped() {
        byte[] vxlan = Frames.udp4().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("192.0.2.2", "192.0.2.1").ports(50000, 4789).udpChecksum(false).vxlan(100, inner()).build();
        XlateResult r = sw.upcall(sw.key(vxlan, 2));
        assertThat(r.actions().toString()).isEqualTo("tnl_pop(10)");
        // The remote is learned from the tunnel packet, as OVS does.
        assertThat(sw.tunnels.neighbours().lookup("br-phy", IpAddress.parse("192.0.2.2"), sw.clockNs.get()))
                .isEqualTo(TunnelSwitch.REMOTE_MAC);

        byte[] fragment = Frames.udp4().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("192.0.2.2", "192.0.2.1").ports(50000, 4789).vxlan(100, inner()).fragment(0, true).build();
        XlateResult frag = sw.xlate(sw.key(fragment, 2));
        assertThat(frag.actions().isDrop()).isTrue();
        assertThat(frag.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_FRAGMENT);

        byte[] otherUdp = Frames.udp4().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("192.0.2.2", "192.0.2.1").ports(50000, 53).build();
        assertThat(sw.xlate(sw.key(otherUdp, 2)).actions().dropCause(0)).isEqualTo(DropCause.LOCAL_NO_STACK);
    }

    @Test
    void aDecapsulatedPacketFindsItsPortByMetadata() {
        sw.flows("br-int", "in_port=10,actions=output:1", "in_port=11,actions=output:2");
        FlowKey k = sw.key(inner(), 10);
        tunnel(k, 100, "192.0.2.2", "192.0.2.1");
        XlateResult r = sw.xlate(k);
        assertThat(r.actions().toString()).isEqualTo("1");
        assertThat(r.mask().isExact(FlowField.TUN_ID)).isTrue();
        assertThat(r.mask().isExact(FlowField.TUN_SRC)).isTrue();
        // Another VNI from the same remote: vx0 does not take it, vxf (key=flow) does.
        tunnel(k, 7, "192.0.2.2", "192.0.2.1");
        assertThat(sw.xlate(k).actions().toString()).isEqualTo("3");
        // Without vxf, nothing does: dropped and counted as such.
        sw.ports.remove(1);
        sw.apply();
        XlateResult none = sw.xlate(k);
        assertThat(none.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_NO_PORT);
    }

    @Test
    void rulesMatchTunnelMetadataWithMasks() {
        // vxf (OpenFlow 11, key and remote flow) takes every popped packet; the rules tell them apart.
        sw.flows("br-int", "priority=30,in_port=11,tun_id=0x64,tun_src=192.0.2.0/24,actions=output:1",
                "priority=20,in_port=11,tun_ipv6_src=2001:db8:100::/48,actions=output:2",
                "priority=10,in_port=11,tun_dst=192.0.2.1,actions=drop",
                "priority=0,actions=output:1");
        FlowKey k = sw.key(inner(), 11);
        tunnel(k, 0x64, "192.0.2.77", "192.0.2.1");
        assertThat(sw.xlate(k).actions().toString()).isEqualTo("1");
        tunnel(k, 0x64, "192.0.3.77", "192.0.2.1");
        assertThat(sw.xlate(k).actions().isDrop()).isTrue();
        tunnel(k, 0x65, "192.0.2.77", "192.0.2.1");
        assertThat(sw.xlate(k).actions().isDrop()).isTrue();
        tunnel(k, 0x65, "192.0.2.77", "192.0.2.9");
        assertThat(sw.xlate(k).actions().toString()).isEqualTo("1");

        FlowKey v6 = sw.key(inner(), 11);
        v6.set(FlowField.TUN_ID, 5);
        IpAddress src = IpAddress.parse("2001:db8:100:7::2");
        IpAddress dst = IpAddress.parse("2001:db8::1");
        v6.set(FlowField.TUN_IPV6_SRC, src.hi(), src.lo());
        v6.set(FlowField.TUN_IPV6_DST, dst.hi(), dst.lo());
        v6.set(FlowField.TUN_FLAGS, 8);
        assertThat(sw.xlate(v6).actions().toString()).isEqualTo("3");
        IpAddress other = IpAddress.parse("2001:db8:101::2");
        v6.set(FlowField.TUN_IPV6_SRC, other.hi(), other.lo());
        assertThat(sw.xlate(v6).actions().toString()).isEqualTo("1");
    }

    static void tunnel(FlowKey k, long vni, String src, String dst) {
        k.set(FlowField.TUN_ID, vni);
        k.set(FlowField.TUN_SRC, IpAddress.parse(src).ipv4() & 0xffff_ffffL);
        k.set(FlowField.TUN_DST, IpAddress.parse(dst).ipv4() & 0xffff_ffffL);
        k.set(FlowField.TUN_FLAGS, 8);
        k.set(FlowField.TUN_TTL, 64);
    }

    @Test
    void arpForTheEndpointIsAnsweredFromLocal() {
        byte[] request = Frames.arp().src(TunnelSwitch.REMOTE_MAC_TEXT).dst("ff:ff:ff:ff:ff:ff")
                .ip("192.0.2.2", "192.0.2.1").arpOp(1).arpSha(TunnelSwitch.REMOTE_MAC_TEXT).build();
        XlateResult r = sw.upcall(sw.key(request, 2));
        assertThat(r.slowPath()).isTrue();
        assertThat(r.packetOuts()).hasSize(1);
        byte[] expected = Frames.arp().src(TunnelSwitch.LOCAL_MAC_TEXT).dst(TunnelSwitch.REMOTE_MAC_TEXT)
                .ip("192.0.2.1", "192.0.2.2").arpOp(2).arpSha(TunnelSwitch.LOCAL_MAC_TEXT)
                .arpTha(TunnelSwitch.REMOTE_MAC_TEXT).build();
        assertThat(r.packetOuts().get(0).frame()).isEqualTo(expected);
        // The requester is learned, and the reply goes back out of eth0 (learned by NORMAL).
        assertThat(sw.tunnels.neighbours().lookup("br-phy", IpAddress.parse("192.0.2.2"), sw.clockNs.get()))
                .isEqualTo(TunnelSwitch.REMOTE_MAC);
        PacketOut reply = r.packetOuts().get(0);
        DpActions out = sw.ofproto.xlate().translatePacketOut(sw.ofproto.snapshot(), "br-phy", reply.key(),
                sw.clockNs.get());
        assertThat(out.toString()).isEqualTo("2");
        // ARP for another address is not ours: it is not answered, and it may become a megaflow.
        byte[] other = Frames.arp().src(TunnelSwitch.REMOTE_MAC_TEXT).dst("ff:ff:ff:ff:ff:ff")
                .ip("192.0.2.2", "192.0.2.9").arpOp(1).arpSha(TunnelSwitch.REMOTE_MAC_TEXT).build();
        XlateResult o = sw.upcall(sw.key(other, 2));
        assertThat(o.slowPath()).isFalse();
        assertThat(o.packetOuts()).isEmpty();
    }

    @Test
    void ipv6EndpointsSolicitAndAnswerNeighbours() {
        sw.ports.set(0, new TunnelPort("vx0", "br-int", 10, TestVxlan.of("vx0", "remote_ip", "2001:db8::2",
                "key", "100")));
        sw.apply().flows("br-int", "in_port=1,actions=output:10");
        XlateResult miss = sw.upcall(sw.key(inner(), 1));
        assertThat(miss.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_NEIGH_MISS);
        PacketOut ns = miss.packetOuts().get(0);
        byte[] expectedNs = Frames.ndSolicit().src(TunnelSwitch.LOCAL_MAC_TEXT).dst("33:33:ff:00:00:02")
                .ip("2001:db8::1", "ff02::1:ff00:2").ttl(255).ndTarget("2001:db8::2").sll(TunnelSwitch.LOCAL_MAC_TEXT)
                .build();
        assertThat(ns.frame()).isEqualTo(expectedNs);
        assertThat(ns.key()).isEqualTo(withInPortLocal(sw.key(ns.frame(), 0)));

        byte[] advert = Frames.ndAdvert().src(TunnelSwitch.REMOTE_MAC_TEXT).dst(TunnelSwitch.LOCAL_MAC_TEXT)
                .ip("2001:db8::2", "2001:db8::1").ttl(255).icmpRest(0x60000000).ndTarget("2001:db8::2")
                .tll(TunnelSwitch.REMOTE_MAC_TEXT).build();
        assertThat(sw.upcall(sw.key(advert, 2)).slowPath()).isTrue();
        String a = sw.xlate(sw.key(inner(), 1)).actions().toString();
        assertThat(a).startsWith("tnl_push(tnl_port(10),header(size=70,type=4,eth(dst=aa:bb:cc:00:00:01,"
                + "src=aa:55:aa:55:00:00,dl_type=0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,proto=17,"
                + "tclass=0x0,hlimit=64),udp(src=0,dst=4789,csum=0xffff),vxlan(flags=0x8000000,vni=0x64)),"
                + "out_port(2)),2");

        // A solicitation for the endpoint is answered.
        byte[] solicit = Frames.ndSolicit().src(TunnelSwitch.REMOTE_MAC_TEXT).dst("33:33:ff:00:00:01")
                .ip("2001:db8::2", "ff02::1:ff00:1").ttl(255).ndTarget("2001:db8::1")
                .sll(TunnelSwitch.REMOTE_MAC_TEXT).build();
        XlateResult answered = sw.upcall(sw.key(solicit, 2));
        assertThat(answered.packetOuts()).hasSize(1);
        byte[] expectedNa = Frames.ndAdvert().src(TunnelSwitch.LOCAL_MAC_TEXT).dst(TunnelSwitch.REMOTE_MAC_TEXT)
                .ip("2001:db8::1", "2001:db8::2").ttl(255).icmpRest(0x60000000).ndTarget("2001:db8::1")
                .tll(TunnelSwitch.LOCAL_MAC_TEXT).build();
        assertThat(answered.packetOuts().get(0).frame()).isEqualTo(expectedNa);
    }

    @Test
    void neighbourRequestsAreRetriedAndEntriesAge() {
        sw.flows("br-int", "in_port=1,actions=output:10");
        assertThat(sw.upcall(sw.key(inner(), 1)).packetOuts()).hasSize(1);
        assertThat(sw.tunnels.onTick(sw.clockNs.get())).isEmpty();
        sw.clockNs.addAndGet(NeighbourCache.RETRY_NS);
        List<PacketOut> retry = sw.tunnels.onTick(sw.clockNs.get());
        assertThat(retry).hasSize(1);
        assertThat(retry.get(0).key().get(FlowField.ARP_TPA)).isEqualTo(IpAddress.parse("192.0.2.2").ipv4() & 0xffffffffL);

        sw.neighbourKnown();
        assertThat(sw.tunnels.neighbours().pendingCount()).isZero();
        long seq = sw.ofproto.revalSeq();
        sw.clockNs.addAndGet(NeighbourCache.AGING_NS);
        sw.tunnels.onTick(sw.clockNs.get());
        assertThat(sw.ofproto.revalSeq()).isGreaterThan(seq);
        assertThat(sw.tunnels.neighbours().lookup("br-phy", IpAddress.parse("192.0.2.2"), sw.clockNs.get()))
                .isEqualTo(-1);
    }
    @Test
    void aFlowRevalidatedIntoANeighbourMissStillAsksForTheNextHop() {
        // The upcall happened before the route existed (a daemon starting, OVN's first packets):
        // only revalidation sees the miss, and the drop megaflow it keeps sends no upcall.
        sw.flows("br-int", "in_port=1,actions=output:10");
        XlateResult revalidated = sw.xlate(sw.key(inner(), 1));
        assertThat(revalidated.actions().dropCause(0)).isEqualTo(DropCause.TUNNEL_NEIGH_MISS);
        assertThat(revalidated.packetOuts()).isEmpty();
        List<PacketOut> asked = sw.tunnels.onTick(sw.clockNs.get());
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).key().get(FlowField.ARP_TPA)).isEqualTo(IpAddress.parse("192.0.2.2").ipv4() & 0xffffffffL);
        assertThat(asked.get(0).bridge()).isEqualTo("br-phy");

        // Nobody answers: when the resolution gives up, the megaflows are translated again, and
        // the one still dropping for want of the neighbour records it again.
        long seq = sw.ofproto.revalSeq();
        for (int i = 0; i < 3 * NeighbourCache.MAX_RETRIES && sw.ofproto.revalSeq() == seq; i++) {
            sw.clockNs.addAndGet(NeighbourCache.RETRY_NS);
            sw.tunnels.onTick(sw.clockNs.get());
        }
        assertThat(sw.ofproto.revalSeq()).isGreaterThan(seq);
        assertThat(sw.tunnels.neighbours().pendingCount()).isZero();
        sw.xlate(sw.key(inner(), 1));
        assertThat(sw.tunnels.onTick(sw.clockNs.get())).hasSize(1);

        // A trace asks for nothing.
        sw.tunnels.neighbours().flush();
        sw.traced(sw.key(inner(), 1), new ArrayList<>());
        assertThat(sw.tunnels.neighbours().pendingCount()).isZero();
    }

    @Test
    void anEndpointThatChangesMacAnnouncesItselfOnce() {
        // TunnelSwitch configured the endpoint already; the same configuration says nothing.
        assertThat(sw.tunnels.configure(sw.endpoints, sw.ports, List.of())).isEmpty();
        sw.endpoints.set(0, new Endpoint("br-phy", IpAddress.parse("192.0.2.1"), 24, IpAddress.parse("2001:db8::1"),
                64, 0xaa55aa550001L));
        List<PacketOut> announce = sw.tunnels.configure(sw.endpoints, sw.ports, List.of());
        assertThat(announce).hasSize(2);
        assertThat(announce.get(0).bridge()).isEqualTo("br-phy");
        // A gratuitous ARP request: sender and target both the endpoint's address.
        assertThat(announce.get(0).frame()).isEqualTo(Frames.arp().src("aa:55:aa:55:00:01").dst("ff:ff:ff:ff:ff:ff")
                .ip("192.0.2.1", "192.0.2.1").arpOp(1).arpSha("aa:55:aa:55:00:01").arpTha("00:00:00:00:00:00")
                .build());
        assertThat(announce.get(0).key()).isEqualTo(withInPortLocal(sw.key(announce.get(0).frame(), 0)));
        // An unsolicited neighbour advertisement to all nodes, with the override flag.
        FlowKey na = announce.get(1).key();
        assertThat(na.get(FlowField.ETH_DST)).isEqualTo(0x3333_0000_0001L);
        assertThat(na.get(FlowField.ICMPV6_TYPE)).isEqualTo((long) FlowKey.ND_NEIGHBOR_ADVERT);
        assertThat(na).isEqualTo(withInPortLocal(sw.key(announce.get(1).frame(), 0)));
        assertThat(sw.tunnels.configure(sw.endpoints, sw.ports, List.of())).isEmpty();
    }
}
