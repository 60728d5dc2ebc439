package dev.jvswitch.flowcache.actions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Golden strings: what {@code ovs-appctl dpctl/dump-flows} prints for the same actions (several
 * taken verbatim from OVS's own test suite).
 */
class DpActionsFormatTest {

    private static DpActionsBuilder b() {
        return DpActions.builder();
    }

    private static long ip(int a, int b, int c, int d) {
        return (long) a << 24 | b << 16 | c << 8 | d;
    }

    @Test
    void outputDropAndVlan() {
        assertThat(b().output(2).build()).hasToString("2");
        assertThat(b().build()).hasToString("drop");
        assertThat(b().drop().build()).hasToString("drop");
        assertThat(b().output(1).drop().build()).hasToString("1,drop");
        assertThat(b().output(3).pushVlan(0x8100, DpActions.vlanTci(17, 0)).output(2).output(3).build())
                .hasToString("3,push_vlan(vid=17,pcp=0),2,3");
        assertThat(b().popVlan().pushVlan(0x8100, DpActions.vlanTci(11, 7)).output(1).build())
                .hasToString("pop_vlan,push_vlan(vid=11,pcp=7),1");
        assertThat(b().pushVlan(0x88a8, DpActions.vlanTci(10, 3)).build()).hasToString("push_vlan(tpid=0x88a8,vid=10,pcp=3)");
        assertThat(b().pushVlan(0x8100, 10).build()).hasToString("push_vlan(vid=10,pcp=0,cfi=0)");
    }

    @Test
    void ipv4Sets() {
        assertThat(b().setField(DpField.IPV4_DST, ip(10, 0, 0, 2)).setField(DpField.IPV4_SRC, ip(10, 0, 0, 1)).build())
                .hasToString("set(ipv4(src=10.0.0.1,dst=10.0.0.2))");
        assertThat(b().setField(DpField.IPV4_DST, ip(10, 0, 0, 0), ip(255, 255, 255, 0)).build())
                .hasToString("set(ipv4(dst=10.0.0.0/255.255.255.0))");
        assertThat(b().setField(DpField.IPV4_TOS, 0x10, 0xfc).setField(DpField.IPV4_TTL, 63).build())
                .hasToString("set(ipv4(tos=0x10/0xfc,ttl=63))");
        assertThat(b().setField(DpField.IPV4_TOS, 0).setField(DpField.IPV4_TTL, 0x40, 0xf0).build())
                .hasToString("set(ipv4(tos=0,ttl=64/0xf0))");
        assertThat(b().setField(DpField.IPV4_DST, ip(192, 168, 1, 1)).output(2).setField(DpField.IPV4_DST,
                ip(10, 10, 10, 1)).output(3).build())
                .hasToString("set(ipv4(dst=192.168.1.1)),2,set(ipv4(dst=10.10.10.1)),3");
    }

    @Test
    void ethernetSets() {
        assertThat(b().setField(DpField.ETH_DST, 0x50540000000aL).output(2).build())
                .hasToString("set(eth(dst=50:54:00:00:00:0a)),2");
        assertThat(b().setField(DpField.ETH_DST, 0xffffffffffffL).setField(DpField.ETH_SRC, 1).build())
                .hasToString("set(eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff))");
        assertThat(b().setField(DpField.ETH_DST, 0x010000000000L, 0x010000000000L).build())
                .hasToString("set(eth(dst=01:00:00:00:00:00/01:00:00:00:00:00))");
    }

    @Test
    void transportSets() {
        assertThat(b().setField(DpField.TCP_DST, 81).output(1).build()).hasToString("set(tcp(dst=81)),1");
        assertThat(b().setField(DpField.TCP_SRC, 42, 0xff).output(1).build()).hasToString("set(tcp(src=42/0xff)),1");
        assertThat(b().setField(DpField.UDP_DST, 6632).setField(DpField.UDP_SRC, 81).build())
                .hasToString("set(udp(src=81,dst=6632))");
        assertThat(b().setField(DpField.SCTP_SRC, 0x5200, 0xff00).setField(DpField.SCTP_DST, 6633).build())
                .hasToString("set(sctp(src=20992/0xff00,dst=6633))");
        assertThat(b().setField(DpField.tpSrc(6), 80).setField(DpField.tpSrc(17), 53).build())
                .hasToString("set(tcp(src=80)),set(udp(src=53))");
    }

    @Test
    void ipv6Sets() {
        assertThat(b().setIpv6Dst(0x21120db800000000L, 2).build()).hasToString("set(ipv6(dst=2112:db8::2))");
        assertThat(b().setIpv6Src(0, 1).setIpv6Dst(0, 2).build()).hasToString("set(ipv6(src=::1,dst=::2))");
        assertThat(b().setField(DpField.IPV6_HLIMIT, 63).build()).hasToString("set(ipv6(hlimit=63))");
        assertThat(b().setField(DpField.IPV6_LABEL, 0x2c).build()).hasToString("set(ipv6(label=0x2c))");
        assertThat(b().setField(DpField.IPV6_LABEL, 0).build()).hasToString("set(ipv6(label=0))");
        assertThat(b().setField(DpField.IPV6_TCLASS, 0x40, 0xfc).build()).hasToString("set(ipv6(tclass=0x40/0xfc))");
        assertThat(b().setIpv6Dst(0xfe80000000000000L, 0, -1L, 0).setField(DpField.IPV6_HLIMIT, 1)
                .setIpv6Src(0x20010db800000000L, 0x1L).setField(DpField.IPV6_LABEL, 0x12345, 0xfffff).build())
                .hasToString("set(ipv6(src=2001:db8::1,dst=fe80::/ffff:ffff:ffff:ffff::,label=0x12345,hlimit=1))");
        assertThat(b().setIpv6Src(0, 0x0000ffff0a000001L).build()).hasToString("set(ipv6(src=::ffff:10.0.0.1))");
        assertThat(b().setIpv6Src(0, 0x0a000001L, 0, -1L).build()).hasToString("set(ipv6(src=::10.0.0.1/::ffff:ffff:ffff:ffff))");
        assertThat(b().setIpv6Src(0x0001000000000000L, 0x0000000100000001L).build())
                .hasToString("set(ipv6(src=1::1:0:1))");
        assertThat(b().setIpv6Src(0x0001000000000001L, 0x0000000100000000L).build())
                .hasToString("set(ipv6(src=1::1:0:1:0:0))");
        assertThat(b().setIpv6Src(0x0001000000000002L, 0x3L).build()).hasToString("set(ipv6(src=1:0:0:2::3))");
        assertThat(b().setIpv6Src(0x0001000200030004L, 0x0005000600070008L).build())
                .hasToString("set(ipv6(src=1:2:3:4:5:6:7:8))");
        assertThat(b().setIpv6Src(0x0001000000030004L, 0x0005000600070008L).build())
                .hasToString("set(ipv6(src=1:0:3:4:5:6:7:8))");
    }

    @Test
    void metadataSets() {
        assertThat(b().setField(DpField.SKB_MARK, 1).output(1).build()).hasToString("set(skb_mark(0x1)),1");
        assertThat(b().setField(DpField.SKB_MARK, 0x4d2).build()).hasToString("set(skb_mark(0x4d2))");
        assertThat(b().setField(DpField.SKB_MARK, 0).build()).hasToString("set(skb_mark(0))");
        assertThat(b().setField(DpField.SKB_MARK, 1, 0xff).build()).hasToString("set(skb_mark(0x1/0xff))");
        assertThat(b().setField(DpField.TUN_TTL, 64).setField(DpField.TUN_IPV4_DST, ip(1, 1, 1, 1))
                .setField(DpField.TUN_TOS, 4).setField(DpField.TUN_ID, 5).setField(DpField.TUN_IPV4_SRC, ip(2, 2, 2, 2))
                .build()).hasToString("set(tunnel(tun_id=0x5,src=2.2.2.2,dst=1.1.1.1,tos=0x4,ttl=64,flags(key)))");
        assertThat(b().setField(DpField.TUN_IPV4_DST, ip(1, 1, 1, 1)).setField(DpField.TUN_TTL, 64).output(1).build())
                .hasToString("set(tunnel(dst=1.1.1.1,ttl=64,flags(0))),1");
    }

    @Test
    void hashRecircAndClone() {
        assertThat(b().hash(0).recirc(1).build()).hasToString("hash(l4(0)),recirc(0x1)");
        assertThat(b().hash(-1).recirc(-1).build()).hasToString("hash(l4(4294967295)),recirc(0xffffffff)");
        assertThat(b().clone(b().setField(DpField.IPV4_DST, ip(192, 168, 2, 2)).output(2).build())
                .setField(DpField.IPV4_DST, ip(10, 10, 10, 1)).output(3).build())
                .hasToString("clone(set(ipv4(dst=192.168.2.2)),2),set(ipv4(dst=10.10.10.1)),3");
        assertThat(b().clone(b().output(1).build()).build()).hasToString("clone(1)");
        assertThat(b().clone(b().clone(b().output(1).build()).output(2).build()).build())
                .hasToString("clone(clone(1),2)");
    }

    @Test
    void tunnels() {
        assertThat(b().tnlPop(4789).build()).hasToString("tnl_pop(4789)");
        assertThat(b().tnlPush(4789, DpActions.TNL_TYPE_VXLAN, VxlanTemplates.ipv4(), 1).build()).hasToString(
                "tnl_push(tnl_port(4789),header(size=50,type=4,eth(dst=aa:55:00:00:00:02,src=aa:55:00:00:00:01,"
                + "dl_type=0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=0x4000),"
                + "udp(src=0,dst=4789,csum=0x0),vxlan(flags=0xc000004,vni=0x0)),out_port(1))");
        assertThat(b().tnlPush(4789, DpActions.TNL_TYPE_VXLAN, VxlanTemplates.ipv6(), 100).output(1).build()).hasToString(
                "tnl_push(tnl_port(4789),header(size=70,type=4,eth(dst=f8:bc:12:44:34:b6,src=aa:55:aa:55:00:00,"
                + "dl_type=0x86dd),ipv6(src=2001:cafe::88,dst=2001:cafe::92,label=0,proto=17,tclass=0x0,hlimit=64),"
                + "udp(src=0,dst=4789,csum=0xffff),vxlan(flags=0x8000000,vni=0x7b)),out_port(100)),1");
    }
}
