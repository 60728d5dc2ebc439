package dev.jvswitch.flowcache.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.testkit.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Golden strings for megaflows (key + mask), in the form dpctl/dump-flows prints them. */
class FlowPrinterTest {
    private final ParseHarness harness = new ParseHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private FlowKey key(byte[] frame) {
        FlowKey k = harness.parse(frame).key();
        k.set(FlowField.IN_PORT, 1);
        return k;
    }

    /** What translation always unwildcards: recirc_id, in_port, eth_type, and nw_frag for IP. */
    private static FlowMask base() {
        return new FlowMask().exact(FlowField.RECIRC_ID).exact(FlowField.IN_PORT).exact(FlowField.ETH_TYPE);
    }

    @Test
    void keyOnlyMatchesTheDesignExample() {
        FlowKey k = key(Frames.udp4().ports(1, 2).build());
        assertThat(FlowPrinter.format(k)).isEqualTo("recirc_id(0),in_port(1),eth(src=00:00:00:00:00:01,"
                + "dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,"
                + "frag=no),udp(src=1,dst=2)");
        assertThat(k.toString()).isEqualTo(FlowPrinter.format(k));
    }

    @Test
    void wildcardedFieldsAreOmittedAndPartialOnesShowTheirMask() {
        FlowKey k = key(Frames.udp4().ports(1, 2).build());
        FlowMask m = base().exact(FlowField.NW_FRAG).prefix(FlowField.NW_DST, 24);
        assertThat(FlowPrinter.format(k, m))
                .isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.0.0.2/255.255.255.0,frag=no)");
        m.exact(FlowField.NW_PROTO).exact(FlowField.TP_DST).bits(FlowField.ETH_DST, 0x010000000000L);
        assertThat(FlowPrinter.format(k, m)).isEqualTo("recirc_id(0),in_port(1),eth(dst=00:00:00:00:00:02/"
                + "01:00:00:00:00:00),eth_type(0x0800),ipv4(dst=10.0.0.2/255.255.255.0,proto=17,frag=no),udp(dst=2)");
    }

    @Test
    void catchAllShowsOnlyTheEthernetMarker() {
        assertThat(FlowPrinter.format(key(Frames.tcp4().build()), new FlowMask())).isEqualTo("eth()");
    }

    @Test
    void metadataMasks() {
        FlowKey k = key(Frames.udp4().build()).set(FlowField.DP_HASH, 0x1235).set(FlowField.RECIRC_ID, 2);
        FlowMask m = new FlowMask().exact(FlowField.RECIRC_ID).bits(FlowField.DP_HASH, 0xf)
                .bits(FlowField.IN_PORT, 0xff).bits(FlowField.ETH_TYPE, 0xff00);
        assertThat(FlowPrinter.format(k, m))
                .isEqualTo("recirc_id(0x2),dp_hash(0x1235/0xf),in_port(1/0xff),eth(),eth_type(0x0800/0xff00)");
    }

    @Test
    void tcpFlagsMaskedAndExact() {
        FlowKey k = key(Frames.tcp4().ports(1000, 80).tcpFlags(0x002).build());
        FlowMask m = base().exact(FlowField.NW_FRAG).exact(FlowField.NW_PROTO).exact(FlowField.TP_DST)
                .bits(FlowField.TCP_FLAGS, 0x012);
        assertThat(FlowPrinter.format(k, m)).isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),"
                + "ipv4(proto=6,frag=no),tcp(dst=80),tcp_flags(+syn-ack)");
        m.exact(FlowField.TCP_FLAGS);
        assertThat(FlowPrinter.format(k, m)).endsWith("tcp(dst=80),tcp_flags(syn)");
        assertThat(FlowPrinter.format(key(Frames.tcp4().tcpFlags(0).build()))).doesNotContain("tcp_flags");
    }

    @Test
    void tunnelWithMaskedFlags() {
        FlowKey k = key(Frames.udp4().build()).set(FlowField.TUN_ID, 42).set(FlowField.TUN_SRC, 0xc0000201L)
                .set(FlowField.TUN_DST, 0xc0000202L).set(FlowField.TUN_TTL, 64).set(FlowField.TUN_FLAGS, 8);
        FlowMask m = base().exact(FlowField.TUN_ID).exact(FlowField.TUN_DST).bits(FlowField.TUN_FLAGS, 0x6);
        assertThat(FlowPrinter.format(k, m)).startsWith("recirc_id(0),tunnel(tun_id=0x2a,dst=192.0.2.2,"
                + "flags(-df-csum+key)),in_port(1),eth(),");
        assertThat(FlowPrinter.format(k)).startsWith("recirc_id(0),tunnel(tun_id=0x2a,src=192.0.2.1,dst=192.0.2.2,"
                + "ttl=64,flags(key)),in_port(1),");
    }

    @Test
    void vlanMasks() {
        FlowKey k = key(Frames.udp4().vlan(10).build());
        FlowMask m = base().exact(FlowField.NW_FRAG).bits(FlowField.VLAN_TCI, FlowKey.VLAN_VID_MASK | FlowKey.VLAN_CFI);
        assertThat(FlowPrinter.format(k, m)).isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x8100),"
                + "vlan(vid=10),encap(eth_type(0x0800),ipv4(frag=no))");
        FlowKey pcp = key(Frames.udp4().vlan(10, 5).build());
        // As OVS: a non-zero PCP in the (unmasked) key is shown with its zero mask.
        assertThat(FlowPrinter.format(pcp, m)).contains("vlan(vid=10,pcp=5/0x0)");
        assertThat(FlowPrinter.format(pcp, base())).isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x8100),"
                + "encap(eth_type(0x0800))");
    }

    @Test
    void truncatedAndTripleTags() {
        byte[] full = Frames.udp4().build();
        byte[] runt = java.util.Arrays.copyOf(full, 17);
        runt[12] = (byte) 0x81;
        runt[13] = 0;
        FlowKey t = harness.parse(runt).key();
        assertThat(FlowPrinter.format(t)).isEqualTo("recirc_id(0),in_port(0),eth(src=00:00:00:00:00:01,"
                + "dst=00:00:00:00:00:02),eth_type(0x8100),vlan(vid=0,pcp=0,cfi=0),encap()");
        FlowKey three = harness.parse(Frames.udp4().vlan(1).vlan(2).vlan(3).build()).key();
        assertThat(FlowPrinter.format(three)).endsWith("eth_type(0x8100),vlan(vid=1,pcp=0),encap(eth_type(0x8100),"
                + "vlan(vid=2,pcp=0),encap(eth_type(0x8100)))");
    }

    @Test
    void ipv6ArpIcmpAndNdMasks() {
        FlowKey v6 = key(Frames.udp6().ip("2001:db8::1", "2001:db8::2").build());
        assertThat(FlowPrinter.format(v6, base().exact(FlowField.NW_FRAG).prefix(FlowField.IPV6_SRC, 64)
                .bits(FlowField.IPV6_LABEL, 0xff)))
                .endsWith("eth_type(0x86dd),ipv6(src=2001:db8::1/ffff:ffff:ffff:ffff::,label=0/0xff,frag=no)");
        FlowKey arp = key(Frames.arp().ip("192.0.2.1", "192.0.2.2").build());
        assertThat(FlowPrinter.format(arp, base().exact(FlowField.ARP_TPA).exact(FlowField.ARP_OP)))
                .endsWith("eth_type(0x0806),arp(tip=192.0.2.2,op=1)");
        FlowKey icmp = key(Frames.icmp4().build());
        assertThat(FlowPrinter.format(icmp, base().exact(FlowField.NW_FRAG).exact(FlowField.NW_PROTO)
                .exact(FlowField.ICMP_TYPE))).endsWith("ipv4(proto=1,frag=no),icmp(type=8)");
        FlowKey nd = key(Frames.ndSolicit().ndTarget("2001:db8::7").sll("00:00:5e:00:53:01").build());
        FlowMask ndMask = base().exact(FlowField.NW_FRAG).exact(FlowField.NW_PROTO).exact(FlowField.ICMPV6_TYPE)
                .exact(FlowField.ICMPV6_CODE).exact(FlowField.ND_TARGET);
        assertThat(FlowPrinter.format(nd, ndMask))
                .endsWith("ipv6(proto=58,frag=no),icmpv6(type=135,code=0),nd(target=2001:db8::7)");
        assertThat(FlowPrinter.format(nd, base().exact(FlowField.ND_TARGET))).doesNotContain("nd(");
    }

    @Test
    void laterFragmentsHaveNoL4Attribute() {
        FlowKey k = key(Frames.udp4().fragment(8, false).payload(new byte[8]).build());
        FlowMask m = base().exact(FlowField.NW_FRAG).exact(FlowField.TP_SRC);
        assertThat(FlowPrinter.format(k, m)).endsWith("eth_type(0x0800),ipv4(frag=later)");
    }

    @Test
    void nonEthernetIiFrameShowsTheTypeMaskOnly() {
        byte[] stp = Frames.fromHex(dev.jvswitch.testkit.frame.ReferenceFrames.STP_8023);
        assertThat(FlowPrinter.format(key(stp), base())).isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0/0xffff)");
    }
}
