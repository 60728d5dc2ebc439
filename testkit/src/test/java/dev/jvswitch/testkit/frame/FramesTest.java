package dev.jvswitch.testkit.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * {@link Frames} must produce, byte for byte, what an independent library produced for the same
 * description: that pins every length and checksum (IPv4, TCP, UDP, ICMP, ICMPv6, SCTP CRC32c).
 */
class FramesTest {

    private static void assertSameBytes(byte[] built, String referenceHex) {
        assertThat(Frames.hex(built)).isEqualTo(referenceHex);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void udp4PaddedToSize() {
        byte[] f = Frames.udp4().src("00:00:00:00:00:01").dst("00:00:00:00:00:02").ip("10.0.0.1", "10.0.0.2")
                .ports(1, 2).size(64).build();
        assertThat(f).hasSize(64);
        assertSameBytes(f, ReferenceFrames.UDP4);
    }

    @Test
    void tcp4WithOptions() {
        byte[] f = Frames.tcp4().src("52:54:00:12:34:56").dst("52:54:00:65:43:21").ip("192.168.1.10", "192.168.1.20")
                .ipId(0x1234).dontFragment().ttl(63).tos(0x10).ports(40000, 80).tcpFlags(0x002).seq(1000)
                .window(64240).tcpOptions(Frames.fromHex("020405b4 0101 0402")).build();
        assertSameBytes(f, ReferenceFrames.TCP4_SYN_MSS);
    }

    @Test
    void sctp4Crc32c() {
        byte[] f = Frames.sctp4().ipId(7).ports(5000, 6000).payload(new byte[] {1, 2, 3, 4}).build();
        assertSameBytes(f, ReferenceFrames.SCTP4);
    }

    @Test
    void icmp4Echo() {
        byte[] f = Frames.icmp4().ipId(1).icmpRest(0x0102_0003).payload(ascii("ping")).build();
        assertSameBytes(f, ReferenceFrames.ICMP4_ECHO);
    }

    @Test
    void ipv4Options() {
        byte[] f = Frames.udp4().ip("10.1.1.1", "10.1.1.2").ipOptions(new byte[] {(byte) 0x94, 4, 0, 0})
                .ports(1000, 2000).payload(ascii("abcd")).build();
        assertSameBytes(f, ReferenceFrames.IPV4_OPTIONS_UDP);
    }

    @Test
    void ipv4LaterFragmentHasNoL4Header() {
        byte[] f = Frames.udp4().ipId(99).fragment(185 * 8, false).payload(new byte[16]).build();
        assertSameBytes(f, ReferenceFrames.IPV4_LATER_FRAG);
    }

    @Test
    void ipv6ExtensionHeaders() {
        byte[] f = Frames.udp6().flowLabel(0x12345).hopByHop().destOpts().ports(53, 5353).payload(ascii("dnsq"))
                .build();
        assertSameBytes(f, ReferenceFrames.UDP6_HBH_DST);
        byte[] r = Frames.tcp6().ip("fe80::1", "fe80::2").ttl(255).routing().ports(22, 50000).tcpFlags(0x018)
                .seq(1).ack(2).window(512).payload(ascii("ssh")).build();
        assertSameBytes(r, ReferenceFrames.TCP6_RTHDR);
    }

    @Test
    void ipv6LaterFragment() {
        byte[] f = Frames.udp6().ipId(0xabcd).fragment(800, false).payload(new byte[16]).build();
        assertSameBytes(f, ReferenceFrames.IPV6_FRAG_LATER);
    }

    @Test
    void icmp6Echo() {
        byte[] f = Frames.icmp6().icmpRest(0x0001_0002).payload(ascii("hi")).build();
        assertSameBytes(f, ReferenceFrames.ICMP6_ECHO);
    }

    @Test
    void neighbourDiscovery() {
        byte[] ns = Frames.ndSolicit().src("00:00:5e:00:53:01").dst("33:33:ff:00:00:02")
                .ip("2001:db8::1", "ff02::1:ff00:2").ndTarget("2001:db8::2").sll("00:00:5e:00:53:01").build();
        assertSameBytes(ns, ReferenceFrames.ND_NS_SLL);
        byte[] na = Frames.ndAdvert().src("00:00:5e:00:53:02").dst("00:00:5e:00:53:01")
                .ip("2001:db8::2", "2001:db8::1").ndTarget("2001:db8::2").tll("00:00:5e:00:53:02").build();
        assertSameBytes(na, ReferenceFrames.ND_NA_TLL);
    }

    @Test
    void arp() {
        assertSameBytes(Frames.arp().src("00:00:5e:00:53:01").ip("192.0.2.1", "192.0.2.2").build(),
                ReferenceFrames.ARP_REQUEST);
        byte[] reply = Frames.arp().src("00:00:5e:00:53:02").dst("00:00:5e:00:53:01").arpOp(2)
                .ip("192.0.2.2", "192.0.2.1").arpTha("00:00:5e:00:53:01").pad(60).build();
        assertSameBytes(reply, ReferenceFrames.ARP_REPLY_PADDED);
    }

    @Test
    void vlanTags() {
        assertSameBytes(Frames.udp4().vlan(10, 3).ports(1, 2).payload(new byte[18]).build(), ReferenceFrames.VLAN_UDP4);
        assertSameBytes(Frames.tcp4().qinq(100, 10).ports(1, 2).build(), ReferenceFrames.QINQ_TCP4);
    }

    @Test
    void vxlanEncapsulation() {
        byte[] inner = Frames.udp4().src("00:00:00:00:00:0a").dst("00:00:00:00:00:0b").ip("192.168.0.1", "192.168.0.2")
                .ports(1111, 2222).payload(ascii("inner")).build();
        byte[] outer = Frames.udp4().ip("172.16.0.1", "172.16.0.2").ports(49152, 0).vxlan(42, inner).build();
        assertSameBytes(outer, ReferenceFrames.VXLAN);
    }

    @Test
    void sizeBelowHeadersIsRejectedWithTheNumbers() {
        assertThatThrownBy(() -> Frames.tcp4().size(40).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size 40 is smaller than the headers and payload (54 bytes)");
    }

    @Test
    void badFieldValuesNameTheField() {
        assertThatThrownBy(() -> Frames.udp4().vlan(4096)).hasMessage("vlan vid 4096 out of range 0..4095");
        assertThatThrownBy(() -> Frames.udp4().ports(1, 70000)).hasMessage("dst port 70000 out of range 0..65535");
        assertThatThrownBy(() -> Frames.udp4().src("00:11")).hasMessage("bad MAC address '00:11'");
        assertThatThrownBy(() -> Frames.ethernet(0x88cc).ip("10.0.0.1", "10.0.0.2"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Frames.udp4().fragment(7, true)).hasMessageContaining("fragment offset 7");
    }

    @Test
    void hexRoundTripIgnoresWhitespace() {
        assertThat(Frames.fromHex("00 01\nff\tAb")).containsExactly(0, 1, 0xff, 0xab);
        assertThat(Frames.hex(new byte[] {0, (byte) 0xab})).isEqualTo("00ab");
        assertThatThrownBy(() -> Frames.fromHex("0g")).hasMessageContaining("bad hex digit");
    }

    @Test
    void checksumHelpers() {
        // RFC 1071's worked example: 0001 f203 f4f5 f6f7 sums to 0xddf2, checksum 0x220d.
        byte[] b = Frames.fromHex("0001f203f4f5f6f7");
        assertThat(Checksums.internet(b, 0, b.length)).isEqualTo(0x220d);
        // CRC32c check value of "123456789" (RFC 3720 B.4).
        assertThat(Checksums.crc32c(ascii("123456789"), 0, 9)).isEqualTo(0xe3069283);
    }
}
