package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.testkit.frame.ReferenceFrames.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.flowcache.testing.ParseHarness.Parsed;
import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.mempool.Mbuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Golden tests over reference bytes (see {@code ReferenceFrames}): one per header type, checking
 * the whole key through its printed form, the header offsets and the hashes.
 */
class PacketParserGoldenTest {
    private static final String META = "recirc_id(0),in_port(0),";
    private static final String ETH = "eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),";

    private final ParseHarness harness = new ParseHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private Parsed check(String hex, String printed, int l3, int l4) {
        Parsed p = harness.parseHex(hex);
        assertThat(FlowPrinter.format(p.key())).isEqualTo(printed);
        assertThat(p.l2()).isZero();
        assertThat(p.l3()).isEqualTo(l3);
        assertThat(p.l4()).isEqualTo(l4);
        assertThat(p.rssHash()).isEqualTo(FlowHash.hash5(p.key()));
        assertThat(p.key().hash()).isEqualTo(FlowHash.slotHash(p.key()));
        return p;
    }

    @Test
    void udp4() {
        Parsed p = check(UDP4, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)", 14, 34);
        assertThat(p.key().get(FlowField.NW_SRC)).isEqualTo(Addresses.parseIpv4("10.0.0.1") & 0xffffffffL);
        assertThat(p.key().get(FlowField.TP_DST)).isEqualTo(2);
        assertThat(p.key().get(FlowField.ETH_SRC)).isEqualTo(1);
    }

    @Test
    void tcp4WithOptionsAndFlags() {
        Parsed p = check(TCP4_SYN_MSS, META + "eth(src=52:54:00:12:34:56,dst=52:54:00:65:43:21),eth_type(0x0800),"
                + "ipv4(src=192.168.1.10,dst=192.168.1.20,proto=6,tos=0x10,ttl=63,frag=no),"
                + "tcp(src=40000,dst=80),tcp_flags(syn)", 14, 34);
        assertThat(p.key().get(FlowField.TCP_FLAGS)).isEqualTo(0x002);
    }

    @Test
    void sctp4() {
        check(SCTP4, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=132,tos=0,ttl=64,frag=no),sctp(src=5000,dst=6000)", 14, 34);
    }

    @Test
    void icmp4CarriesTypeAndCodeInThePorts() {
        Parsed p = check(ICMP4_ECHO, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=1,tos=0,ttl=64,frag=no),icmp(type=8,code=0)", 14, 34);
        assertThat(p.key().get(FlowField.TP_SRC)).isEqualTo(8);
        assertThat(p.key().get(FlowField.ICMP_TYPE)).isEqualTo(8);
    }

    @Test
    void ipv4OptionsMoveL4() {
        check(IPV4_OPTIONS_UDP, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=10.1.1.1,dst=10.1.1.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1000,dst=2000)", 14, 38);
    }

    @Test
    void ipv4LaterFragmentHasNoL4Fields() {
        Parsed p = check(IPV4_LATER_FRAG, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=later)", 14, 34);
        assertThat(p.key().nwFrag()).isEqualTo(FlowKey.FRAG_ANY | FlowKey.FRAG_LATER);
        assertThat(p.key().get(FlowField.TP_SRC)).isZero();
    }

    @Test
    void ipv4FirstFragmentKeepsPorts() {
        Parsed p = check(IPV4_FIRST_FRAG, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=first),udp(src=7,dst=9)", 14, 34);
        assertThat(p.key().nwFrag()).isEqualTo(FlowKey.FRAG_ANY);
    }

    @Test
    void ipv6HopByHopAndDestinationOptions() {
        Parsed p = check(UDP6_HBH_DST, META + ETH + "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,"
                + "label=0x12345,proto=17,tclass=0,hlimit=64,frag=no),udp(src=53,dst=5353)", 14, 70);
        assertThat(p.key().getHigh(FlowField.IPV6_SRC)).isEqualTo(0x20010db800000000L);
        assertThat(p.key().getLow(FlowField.IPV6_SRC)).isEqualTo(1L);
    }

    @Test
    void ipv6RoutingHeaderAndTcp() {
        check(TCP6_RTHDR, META + ETH + "eth_type(0x86dd),ipv6(src=fe80::1,dst=fe80::2,"
                + "label=0,proto=6,tclass=0,hlimit=255,frag=no),tcp(src=22,dst=50000),tcp_flags(psh|ack)", 14, 62);
    }

    @Test
    void ipv6FirstFragmentKeepsPorts() {
        check(UDP6_FRAG_FIRST, META + ETH + "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,"
                + "label=0,proto=17,tclass=0,hlimit=64,frag=first),udp(src=1,dst=2)", 14, 62);
    }

    @Test
    void ipv6LaterFragmentReportsProtocol44() {
        Parsed p = check(IPV6_FRAG_LATER, META + ETH + "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,"
                + "label=0,proto=44,tclass=0,hlimit=64,frag=later)", 14, 62);
        assertThat(p.key().nwProto()).isEqualTo(FlowKey.IPPROTO_FRAGMENT);
    }

    @Test
    void icmp6Echo() {
        check(ICMP6_ECHO, META + ETH + "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,"
                + "label=0,proto=58,tclass=0,hlimit=64,frag=no),icmpv6(type=128,code=0)", 14, 54);
    }

    @Test
    void neighbourSolicitationWithSourceLinkAddress() {
        Parsed p = check(ND_NS_SLL, META + "eth(src=00:00:5e:00:53:01,dst=33:33:ff:00:00:02),eth_type(0x86dd),"
                + "ipv6(src=2001:db8::1,dst=ff02::1:ff00:2,label=0,proto=58,tclass=0,hlimit=255,frag=no),"
                + "icmpv6(type=135,code=0),nd(target=2001:db8::2,sll=00:00:5e:00:53:01,tll=00:00:00:00:00:00)",
                14, 54);
        assertThat(p.key().get(FlowField.ND_SLL)).isEqualTo(Addresses.parseMac("00:00:5e:00:53:01"));
        assertThat(p.key().getLow(FlowField.ND_TARGET)).isEqualTo(2);
    }

    @Test
    void neighbourAdvertisementWithTargetLinkAddress() {
        check(ND_NA_TLL, META + "eth(src=00:00:5e:00:53:02,dst=00:00:5e:00:53:01),eth_type(0x86dd),"
                + "ipv6(src=2001:db8::2,dst=2001:db8::1,label=0,proto=58,tclass=0,hlimit=255,frag=no),"
                + "icmpv6(type=136,code=0),nd(target=2001:db8::2,sll=00:00:00:00:00:00,tll=00:00:5e:00:53:02)",
                14, 54);
    }

    @Test
    void arpRequest() {
        Parsed p = check(ARP_REQUEST, META + "eth(src=00:00:5e:00:53:01,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0806),"
                + "arp(sip=192.0.2.1,tip=192.0.2.2,op=1,sha=00:00:5e:00:53:01,tha=00:00:00:00:00:00)", 14, -1);
        assertThat(p.key().get(FlowField.ARP_SPA)).isEqualTo(p.key().get(FlowField.NW_SRC));
    }

    @Test
    void paddedArpReplyIgnoresPadding() {
        check(ARP_REPLY_PADDED, META + "eth(src=00:00:5e:00:53:02,dst=00:00:5e:00:53:01),eth_type(0x0806),"
                + "arp(sip=192.0.2.2,tip=192.0.2.1,op=2,sha=00:00:5e:00:53:02,tha=00:00:5e:00:53:01)", 14, -1);
    }

    @Test
    void singleVlanTag() {
        Parsed p = check(VLAN_UDP4, META + ETH + "eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2))", 18, 38);
        assertThat(p.key().get(FlowField.VLAN_TPID)).isEqualTo(0x8100);
        assertThat(p.key().get(FlowField.VLAN_TCI)).isEqualTo(0x600a | FlowKey.VLAN_CFI);
        assertThat(p.key().get(FlowField.VLAN_TCI1)).isZero();
    }

    @Test
    void qinqTwoTags() {
        Parsed p = check(QINQ_TCP4, META + ETH + "eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100),"
                + "vlan(vid=10,pcp=0),encap(eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1,dst=2),tcp_flags(ack)))",
                22, 42);
        assertThat(p.key().get(FlowField.VLAN_TPID)).isEqualTo(0x88a8);
        assertThat(p.key().get(FlowField.VLAN_TPID1)).isEqualTo(0x8100);
        assertThat(p.key().get(FlowField.VLAN_TCI1)).isEqualTo(10 | FlowKey.VLAN_CFI);
    }

    @Test
    void vxlanIsParsedAsItsOuterHeaders() {
        check(VXLAN, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=172.16.0.1,dst=172.16.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=49152,dst=4789)", 14, 34);
    }

    @Test
    void llcSnapCarriesAnEthernetType() {
        check(LLC_SNAP_IPV4, META + ETH + "eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)", 22, 42);
    }

    @Test
    void plain8023FrameHasNoEthernetType() {
        Parsed p = check(STP_8023, META + "eth(src=00:00:00:00:00:01,dst=01:80:c2:00:00:00)", 14, -1);
        assertThat(p.key().ethType()).isEqualTo(FlowKey.ETH_TYPE_NONE);
        assertThat(p.rssHash()).isEqualTo(FlowHash.hash5(p.key()));
    }

    @Test
    void metadataComesFromTheMbufAndRecircChangesTheEmcHash() {
        Mbuf m = harness.mbuf();
        m.reset();
        m.copyFrom(dev.jvswitch.testkit.frame.Frames.fromHex(UDP4), 0, 64);
        m.inPort(3);
        m.recircId(5);
        m.dpHash(0xabc);
        m.skbMark(7);
        m.tunnel(42, Addresses.parseIpv4("192.0.2.1"), Addresses.parseIpv4("192.0.2.2"), 0, 64, 8, 0, 4789);
        Parsed p = harness.parseLoaded();
        assertThat(FlowPrinter.format(p.key())).startsWith("recirc_id(0x5),dp_hash(0xabc),"
                + "tunnel(tun_id=0x2a,src=192.0.2.1,dst=192.0.2.2,ttl=64,tp_dst=4789,flags(key)),in_port(3),"
                + "skb_mark(0x7)," + ETH);
        assertThat(p.key().get(FlowField.IN_PORT)).isEqualTo(3);
        assertThat(p.key().get(FlowField.TUN_ID)).isEqualTo(42);
        assertThat(p.rssHash()).isEqualTo(FlowHash.hash5(p.key()));
        assertThat(p.key().hash()).isEqualTo(FlowHash.emcHash(FlowHash.ipv4SlotHash(p.key()), 5))
                .isNotEqualTo(FlowHash.ipv4SlotHash(p.key()));
        assertThat(m.rssHashValid()).isTrue();
    }

    @Test
    void runtFrameHasNoLayers() {
        Parsed p = harness.parse(new byte[13]);
        assertThat(p.l2()).isEqualTo(-1);
        assertThat(p.l3()).isEqualTo(-1);
        assertThat(p.l4()).isEqualTo(-1);
        assertThat(p.key()).isEqualTo(new FlowKey());
        assertThat(FlowPrinter.format(p.key())).isEqualTo("recirc_id(0),in_port(0),eth(src=00:00:00:00:00:00,"
                + "dst=00:00:00:00:00:00)");
    }
}
