package dev.jvswitch.flowcache.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.flowcache.testing.ParseHarness.Parsed;
import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.testkit.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where a malformed header stops the key, following OVS's miniflow_extract case by case. */
class PacketParserMalformedTest {
    private static final int L3 = 14;
    private final ParseHarness harness = new ParseHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    /** The key a frame gets when parsing stops right after eth_type. */
    private void assertStopsAtEthType(Parsed p, int ethType) {
        FlowKey expected = new FlowKey().set(FlowField.ETH_SRC, 1).set(FlowField.ETH_DST, 2)
                .set(FlowField.ETH_TYPE, ethType);
        assertThat(p.key()).isEqualTo(expected);
        assertThat(p.l3()).isEqualTo(L3);
        assertThat(p.l4()).isEqualTo(-1);
    }

    @Test
    void ipv4HeaderLengthBelowFiveStops() {
        byte[] f = Frames.udp4().ports(1, 2).build();
        f[L3] = 0x44;
        assertStopsAtEthType(harness.parse(f), FlowKey.ETH_TYPE_IPV4);
    }

    @Test
    void ipv4HeaderLongerThanTotalLengthStops() {
        byte[] f = Frames.udp4().ports(1, 2).size(100).build();
        f[L3] = 0x4f;
        put16(f, L3 + 2, 28);
        assertStopsAtEthType(harness.parse(f), FlowKey.ETH_TYPE_IPV4);
    }

    @Test
    void ipv4TotalLengthBeyondTheFrameStops() {
        byte[] f = Frames.udp4().ports(1, 2).build();
        put16(f, L3 + 2, 29);
        assertStopsAtEthType(harness.parse(f), FlowKey.ETH_TYPE_IPV4);
    }

    @Test
    void ipv4TotalLengthBoundsL4EvenWhenTheFrameIsLonger() {
        byte[] f = Frames.udp4().ports(1, 2).size(80).build();
        put16(f, L3 + 2, 20 + 7);
        Parsed p = harness.parse(f);
        assertThat(p.key().nwProto()).isEqualTo(FlowKey.IPPROTO_UDP);
        assertThat(p.key().get(FlowField.TP_SRC)).isZero();
        assertThat(p.l4()).isEqualTo(34);
    }

    @Test
    void tcpDataOffsetOutOfRangeLeavesL4Empty() {
        byte[] f = Frames.tcp4().ports(1, 2).tcpFlags(0x12).build();
        f[34 + 12] = 0x40;
        Parsed low = harness.parse(f);
        assertThat(low.key().nwProto()).isEqualTo(6);
        assertThat(low.key().get(FlowField.TP_DST)).isZero();
        assertThat(low.key().get(FlowField.TCP_FLAGS)).isZero();
        f[34 + 12] = (byte) 0x60;
        Parsed high = harness.parse(f);
        assertThat(high.key().get(FlowField.TP_DST)).isZero();
    }

    @Test
    void shortUdpSctpAndIcmpHeadersLeaveL4Empty() {
        for (byte[] f : new byte[][] {
            Frames.ipv4(FlowKey.IPPROTO_UDP).payload(new byte[] {0, 1, 0, 2, 0, 0, 0}).build(),
            Frames.ipv4(FlowKey.IPPROTO_SCTP).payload(new byte[] {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0}).build(),
            Frames.ipv4(FlowKey.IPPROTO_ICMP).payload(new byte[] {8, 0, 0, 0, 0, 0, 0}).build()}) {
            Parsed p = harness.parse(f);
            assertThat(p.key().get(FlowField.TP_SRC)).isZero();
            assertThat(p.key().get(FlowField.TP_DST)).isZero();
            assertThat(p.l4()).isEqualTo(34);
        }
    }

    @Test
    void ipv6PayloadLengthBeyondTheFrameStops() {
        byte[] f = Frames.udp6().ports(1, 2).build();
        put16(f, L3 + 4, 9);
        assertStopsAtEthType(harness.parse(f), FlowKey.ETH_TYPE_IPV6);
    }

    @Test
    void ipv6ExtensionHeaderBeyondThePayloadKeepsOnlyAddresses() {
        byte[] f = Frames.udp6().flowLabel(5).hopByHop().ports(1, 2).build();
        f[L3 + 40 + 1] = 5;
        Parsed p = harness.parse(f);
        assertThat(p.key().getLow(FlowField.IPV6_SRC)).isEqualTo(1);
        assertThat(p.key().getLow(FlowField.IPV6_DST)).isEqualTo(2);
        assertThat(p.key().nwProto()).isZero();
        assertThat(p.key().get(FlowField.NW_TTL)).isZero();
        assertThat(p.key().get(FlowField.IPV6_LABEL)).isZero();
        assertThat(p.key().get(FlowField.TP_SRC)).isZero();
        assertThat(p.l4()).isEqualTo(-1);
    }

    @Test
    void ipv6ExtensionHeaderShorterThanEightBytesStops() {
        Parsed p = harness.parse(Frames.ipv6(0).payload(new byte[] {17, 0, 0, 0}).build());
        assertThat(p.key().nwProto()).isZero();
        assertThat(p.l4()).isEqualTo(-1);
        assertThat(p.key().getLow(FlowField.IPV6_SRC)).isEqualTo(1);
    }

    @Test
    void ipv6AuthenticationHeaderIsSkipped() {
        byte[] ah = new byte[12];
        ah[1] = 1; // (1 + 2) * 4 = 12 bytes
        Parsed p = harness.parse(Frames.udp6().extHeader(51, ah).ports(7, 8).build());
        assertThat(p.key().nwProto()).isEqualTo(FlowKey.IPPROTO_UDP);
        assertThat(p.key().get(FlowField.TP_DST)).isEqualTo(8);
        assertThat(p.l4()).isEqualTo(14 + 40 + 12);
    }

    @Test
    void ndWithoutTargetKeepsTypeOnly() {
        Parsed p = harness.parse(Frames.ipv6(FlowKey.IPPROTO_ICMPV6).payload(new byte[] {(byte) 135, 0, 0, 0, 0, 0, 0, 0})
                .build());
        assertThat(p.key().get(FlowField.ICMPV6_TYPE)).isEqualTo(135);
        assertThat(p.key().getHigh(FlowField.ND_TARGET)).isZero();
        assertThat(p.key().getLow(FlowField.ND_TARGET)).isZero();
    }

    @Test
    void ndDuplicateLinkLayerOptionInvalidatesTheNdFields() {
        byte[] f = Frames.ndSolicit().ndTarget("2001:db8::9").sll("00:00:5e:00:53:01").tll("00:00:5e:00:53:02").build();
        Parsed ok = harness.parse(f);
        assertThat(ok.key().get(FlowField.ND_TLL)).isEqualTo(0x00005e005302L);
        f[14 + 40 + 24 + 8] = 1; // the TLL option becomes a second SLL
        Parsed dup = harness.parse(f);
        assertThat(dup.key().get(FlowField.ICMPV6_TYPE)).isEqualTo(135);
        assertThat(dup.key().getLow(FlowField.ND_TARGET)).isZero();
        assertThat(dup.key().get(FlowField.ND_SLL)).isZero();
        assertThat(dup.key().get(FlowField.ND_TLL)).isZero();
    }

    @Test
    void ndOptionLoopStopsAtZeroOrOverlongLengthKeepingTheTarget() {
        byte[] f = Frames.ndSolicit().ndTarget("2001:db8::9").sll("00:00:5e:00:53:01").build();
        int opt = 14 + 40 + 24;
        f[opt + 1] = 0;
        Parsed zero = harness.parse(f);
        assertThat(zero.key().getLow(FlowField.ND_TARGET)).isEqualTo(9);
        assertThat(zero.key().get(FlowField.ND_SLL)).isZero();
        f[opt + 1] = 2;
        Parsed overlong = harness.parse(f);
        assertThat(overlong.key().getLow(FlowField.ND_TARGET)).isEqualTo(9);
        assertThat(overlong.key().get(FlowField.ND_SLL)).isZero();
    }

    @Test
    void ndSkipsUnknownOptions() {
        byte[] base = Frames.ndAdvert().ndTarget("2001:db8::9").build();
        byte[] mtu = {5, 1, 0, 0, 0, 0, 5, (byte) 0xdc};
        byte[] tll = {2, 1, 0, 0, 0x5e, 0, 0x53, 0x02};
        byte[] f = Arrays.copyOf(base, base.length + 16);
        System.arraycopy(mtu, 0, f, base.length, 8);
        System.arraycopy(tll, 0, f, base.length + 8, 8);
        put16(f, L3 + 4, 24 + 16);
        Parsed p = harness.parse(f);
        assertThat(p.key().get(FlowField.ND_TLL)).isEqualTo(0x00005e005302L);
    }

    @Test
    void arpWithOtherHardwareOrLongOpcode() {
        byte[] f = Frames.arp().dst("00:00:00:00:00:02").build();
        f[L3 + 4] = 8;
        assertStopsAtEthType(harness.parse(f), FlowKey.ETH_TYPE_ARP);
        byte[] g = Frames.arp().arpOp(0x100).build();
        Parsed p = harness.parse(g);
        assertThat(p.key().get(FlowField.ARP_OP)).isZero();
        assertThat(p.key().get(FlowField.ARP_TPA)).isEqualTo(0x0a000002L);
        Parsed shortArp = harness.parse(Arrays.copyOf(Frames.arp().dst("00:00:00:00:00:02").build(), 41));
        assertStopsAtEthType(shortArp, FlowKey.ETH_TYPE_ARP);
    }

    @Test
    void rarpIsParsedAsArp() {
        Parsed p = harness.parse(Frames.arp().ethType(FlowKey.ETH_TYPE_RARP).arpOp(3).build());
        assertThat(FlowPrinter.format(p.key())).contains("eth_type(0x8035),arp(sip=10.0.0.1,tip=10.0.0.2,op=3,");
    }

    @Test
    void llcWithoutSnapOrTruncatedSnapHasNoType() {
        Parsed stp = harness.parse(Frames.ethernet(0x26).payload(new byte[] {0x42, 0x42, 3, 0, 0, 0, 0, 0, 0}).build());
        assertThat(stp.key().ethType()).isEqualTo(FlowKey.ETH_TYPE_NONE);
        assertThat(stp.l3()).isEqualTo(14);
        Parsed cut = harness.parse(Frames.ethernet(0x26).payload(new byte[] {(byte) 0xaa, (byte) 0xaa, 3, 0, 0, 0, 8})
                .build());
        assertThat(cut.key().ethType()).isEqualTo(FlowKey.ETH_TYPE_NONE);
        Parsed snapShortType = harness.parse(Frames.ethernet(0x26)
                .payload(new byte[] {(byte) 0xaa, (byte) 0xaa, 3, 0, 0, 0, 0, 0x40}).build());
        assertThat(snapShortType.key().ethType()).isEqualTo(FlowKey.ETH_TYPE_NONE);
        assertThat(snapShortType.l3()).isEqualTo(22);
    }

    @Test
    void truncatedVlanTagLeavesItsTpidAsTheType() {
        byte[] f = Arrays.copyOf(Frames.udp4().vlan(7).build(), 17);
        Parsed p = harness.parse(f);
        assertThat(p.key().ethType()).isEqualTo(0x8100);
        assertThat(p.key().get(FlowField.VLAN_TCI)).isZero();
        assertThat(p.l3()).isEqualTo(14);
        Parsed whole = harness.parse(Arrays.copyOf(Frames.udp4().vlan(7).build(), 18));
        assertThat(whole.key().get(FlowField.VLAN_TCI)).isEqualTo(7 | FlowKey.VLAN_CFI);
        assertThat(whole.key().ethType()).isEqualTo(FlowKey.ETH_TYPE_IPV4);
    }

    @Test
    void icmpv6InsideIpv4IsReadByProtocolAsOvsDoes() {
        Parsed p = harness.parse(Frames.ipv4(FlowKey.IPPROTO_ICMPV6).payload(new byte[] {(byte) 128, 0, 0, 0, 0, 0, 0, 0})
                .build());
        assertThat(p.key().get(FlowField.TP_SRC)).isEqualTo(128);
        assertThat(FlowPrinter.format(p.key())).doesNotContain("icmpv6(");
    }
}
