package dev.jvswitch.flowcache.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The tunnel header flyweights against bytes nobody in this project wrote: every field read from
 * captured frames, and the same headers written from scratch come out byte for byte.
 */
class TunnelHeaderFlyweightsTest {
    /**
     * scapy 2.5.0: Ether()/IP(src="172.16.0.1", dst="172.16.0.2")/UDP(sport=49152, dport=4789)
     * /VXLAN(vni=42)/Ether()/IP(src="192.168.0.1", dst="192.168.0.2")/UDP(sport=1111,
     * dport=2222)/"inner", Ethernet addresses 00:..:01 -> 00:..:02 (the capture flowcache's
     * reference frames hold as {@code VXLAN}).
     */
    private static final byte[] VXLAN4 = HexFormat.of().parseHex(""
            + "0000000000020000000000010800450000530000000040112277ac100001ac100002c00012b5003f1bf4080000000000"
            + "2a0000000000000b00000000000a080045000021000000004011f978c0a80001c0a80002045708ae000d27a7696e6e65"
            + "72");

    /**
     * VXLAN over IPv6 as OVS's test suite writes a tnl_push header: 2001:cafe::88 ->
     * 2001:cafe::92, hop limit 64, UDP 0 -> 4789 with checksum 0xffff, VNI 0x7b; written out by
     * hand, field by field (the template the actions tests use as {@code VxlanTemplates.ipv6()}).
     */
    private static final byte[] VXLAN6 = HexFormat.of().parseHex(""
            + "f8bc124434b6" + "aa55aa550000" + "86dd"
            + "60000000" + "0000" + "11" + "40"
            + "2001cafe000000000000000000000088" + "2001cafe000000000000000000000092"
            + "0000" + "12b5" + "0000" + "ffff"
            + "08000000" + "00007b00");

    private final EthernetHeaderFlyweight eth = new EthernetHeaderFlyweight();
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
    private final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
    private final UdpHeaderFlyweight udp = new UdpHeaderFlyweight();
    private final VxlanHeaderFlyweight vxlan = new VxlanHeaderFlyweight();

    @Test
    void readsEveryOuterFieldOfACapturedVxlanOverIpv4Frame() {
        UnsafeBuffer b = new UnsafeBuffer(VXLAN4.clone());
        assertThat(eth.wrap(b, 0, VXLAN4.length).dst()).isEqualTo(0x000000000002L);
        assertThat(eth.src()).isEqualTo(0x000000000001L);
        assertThat(eth.etherType()).isEqualTo(EthernetHeaderFlyweight.ETHER_TYPE_IPV4);

        ipv4.wrap(b, 14, VXLAN4.length - 14);
        assertThat(ipv4.versionIhl()).isEqualTo(0x45);
        assertThat(ipv4.tos()).isZero();
        assertThat(ipv4.totalLength()).isEqualTo(VXLAN4.length - 14).isEqualTo(83);
        assertThat(ipv4.identification()).isZero();
        assertThat(ipv4.flagsFragment()).isZero();
        assertThat(ipv4.ttl()).isEqualTo(64);
        assertThat(ipv4.protocol()).isEqualTo(Ipv4HeaderFlyweight.PROTOCOL_UDP);
        assertThat(ipv4.checksum()).isEqualTo(0x2277);
        assertThat(ipv4.computeChecksum()).as("what scapy computed").isEqualTo(0x2277);
        assertThat(ipv4.src()).isEqualTo(0xac100001);
        assertThat(ipv4.dst()).isEqualTo(0xac100002);
        assertThat(Ipv4HeaderFlyweight.totalLength(b, 14)).isEqualTo(83);

        udp.wrap(b, 34, VXLAN4.length - 34);
        assertThat(udp.srcPort()).isEqualTo(49152);
        assertThat(udp.dstPort()).isEqualTo(VxlanHeaderFlyweight.UDP_PORT);
        assertThat(udp.length()).isEqualTo(VXLAN4.length - 34).isEqualTo(63);
        assertThat(udp.checksum()).isEqualTo(0x1bf4);
        assertThat(UdpHeaderFlyweight.srcPort(b, 34)).isEqualTo(49152);
        assertThat(UdpHeaderFlyweight.length(b, 34)).isEqualTo(63);

        vxlan.wrap(b, 42, VXLAN4.length - 42);
        assertThat(vxlan.flags()).isEqualTo(VxlanHeaderFlyweight.FLAG_VNI_VALID);
        assertThat(vxlan.vni()).isEqualTo(42);
        assertThat(vxlan.reserved()).isZero();
        assertThat(VxlanHeaderFlyweight.vni(b, 42)).isEqualTo(42);
        // The inner frame starts right after: its EtherType is IPv4 too.
        assertThat(eth.wrap(b, 50, VXLAN4.length - 50).etherType()).isEqualTo(0x0800);
    }

    @Test
    void writesTheSameVxlanOverIpv4HeadersFromScratch() {
        byte[] out = new byte[50];
        UnsafeBuffer b = new UnsafeBuffer(out);
        eth.wrap(b, 0, 50).dst(2).src(1).etherType(EthernetHeaderFlyweight.ETHER_TYPE_IPV4);
        ipv4.wrap(b, 14, 36).versionIhl(Ipv4HeaderFlyweight.VERSION_IHL_NO_OPTIONS).ttl(64)
                .protocol(Ipv4HeaderFlyweight.PROTOCOL_UDP).src(0xac100001).dst(0xac100002).totalLength(83);
        ipv4.checksum(ipv4.computeChecksum());
        udp.wrap(b, 34, 16).srcPort(49152).dstPort(VxlanHeaderFlyweight.UDP_PORT).length(63).checksum(0x1bf4);
        vxlan.wrap(b, 42, 8).flags(VxlanHeaderFlyweight.FLAG_VNI_VALID).vni(42);
        assertThat(out).isEqualTo(Arrays.copyOf(VXLAN4, 50));
    }

    @Test
    void readsAndWritesVxlanOverIpv6() {
        UnsafeBuffer b = new UnsafeBuffer(VXLAN6.clone());
        assertThat(eth.wrap(b, 0, 70).dst()).isEqualTo(0xf8bc124434b6L);
        assertThat(eth.src()).isEqualTo(0xaa55aa550000L);
        assertThat(eth.etherType()).isEqualTo(EthernetHeaderFlyweight.ETHER_TYPE_IPV6);
        ipv6.wrap(b, 14, 56);
        assertThat(ipv6.version()).isEqualTo(6);
        assertThat(ipv6.trafficClass()).isZero();
        assertThat(ipv6.flowLabel()).isZero();
        assertThat(ipv6.payloadLength()).isZero();
        assertThat(ipv6.nextHeader()).isEqualTo(17);
        assertThat(ipv6.hopLimit()).isEqualTo(64);
        assertThat(ipv6.srcHi()).isEqualTo(0x2001cafe00000000L);
        assertThat(ipv6.srcLo()).isEqualTo(0x88L);
        assertThat(ipv6.dstHi()).isEqualTo(0x2001cafe00000000L);
        assertThat(ipv6.dstLo()).isEqualTo(0x92L);
        assertThat(udp.wrap(b, 54, 16).dstPort()).isEqualTo(4789);
        assertThat(udp.checksum()).isEqualTo(0xffff);
        assertThat(vxlan.wrap(b, 62, 8).flags()).isEqualTo(0x08000000);
        assertThat(vxlan.vni()).isEqualTo(0x7b);

        byte[] out = new byte[70];
        UnsafeBuffer w = new UnsafeBuffer(out);
        eth.wrap(w, 0, 70).dst(0xf8bc124434b6L).src(0xaa55aa550000L).etherType(EthernetHeaderFlyweight.ETHER_TYPE_IPV6);
        ipv6.wrap(w, 14, 56).versionClassLabel(6, 0, 0).nextHeader(17).hopLimit(64)
                .src(0x2001cafe00000000L, 0x88L).dst(0x2001cafe00000000L, 0x92L);
        udp.wrap(w, 54, 16).dstPort(4789).checksum(0xffff);
        vxlan.wrap(w, 62, 8).flags(0x08000000).vni(0x7b);
        assertThat(out).isEqualTo(VXLAN6);
        ipv6.versionClassLabel(6, 0xb8, 0x12345);
        assertThat(ipv6.version()).isEqualTo(6);
        assertThat(ipv6.trafficClass()).isEqualTo(0xb8);
        assertThat(ipv6.flowLabel()).isEqualTo(0x12345);
        Ipv6HeaderFlyweight.payloadLength(w, 14, 1234);
        assertThat(ipv6.payloadLength()).isEqualTo(1234);
    }

    @Test
    void vniKeepsTheReservedByteAndStaysWithin24Bits() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        vxlan.wrap(b, 0, 8).reserved(0xa5).vni(0x1234567);
        assertThat(vxlan.vni()).isEqualTo(0x234567);
        assertThat(vxlan.reserved()).isEqualTo(0xa5);
        VxlanHeaderFlyweight.vni(b, 0, VxlanHeaderFlyweight.MAX_VNI);
        assertThat(vxlan.vni()).isEqualTo(0xffffff);
        assertThat(vxlan.reserved()).isEqualTo(0xa5);
    }

    @Test
    void wrapChecksTheLength() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        assertThatThrownBy(() -> vxlan.wrap(b, 0, 7)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("vxlan header needs 8 bytes, got 7");
        assertThatThrownBy(() -> ipv4.wrap(b, 50, 20)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("ipv4 header of 20 bytes at 50 is outside a buffer of 64");
        assertThatThrownBy(() -> ipv6.wrap(b, 0, 39)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> udp.wrap(b, -1, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> eth.wrap(b, 60, 14)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(udp.wrap(b, 56, 8)).isSameAs(udp);
    }
}
