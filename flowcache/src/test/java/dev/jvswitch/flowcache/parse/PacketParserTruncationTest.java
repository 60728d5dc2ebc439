package dev.jvswitch.flowcache.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.testing.ParseHarness;
import dev.jvswitch.flowcache.testing.ParseHarness.Parsed;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBytes;
import dev.jvswitch.testkit.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A frame cut at each header boundary (one byte short of it, at it and one past it) is refused
 * header by header and the parser reads nothing past the data: the parse reads packet bytes
 * without a bounds check per access ({@link PacketBytes}), trusting the checks each header's parser makes
 * against the frame's end. Each cut is parsed twice with different bytes after it (a read past
 * the data would change the result), and once with the data ending at the very end of the mbuf's
 * buffer, where a read past it would fail {@code PacketBytes}' assertion (tests run with assertions on).
 */
class PacketParserTruncationTest {
    private static final int ETH = 14;
    private static final int IP4 = ETH + 20;
    private static final int IP6 = ETH + 40;

    private final ParseHarness harness = new ParseHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void anEthernetHeaderCutShortIsNoFrame() {
        byte[] frame = Frames.udp4().size(60).build();
        for (int cut = 0; cut <= ETH + 1; cut++) {
            Parsed p = parse(frame, cut);
            if (cut < ETH) {
                assertThat(p.l2()).as("cut %d", cut).isEqualTo(-1);
                assertThat(p.key().get(FlowField.ETH_DST)).isZero();
            } else {
                assertThat(p.key().get(FlowField.ETH_DST)).isEqualTo(2);
                assertThat(p.key().get(FlowField.ETH_TYPE)).isEqualTo(FlowKey.ETH_TYPE_IPV4);
            }
        }
    }

    @Test
    void aVlanTagWithoutItsTypeIsNotParsed() {
        byte[] frame = Frames.udp4().qinq(10, 20).size(64).build();
        for (int cut = ETH; cut <= ETH + 9; cut++) {
            Parsed p = parse(frame, cut);
            long tci = p.key().get(FlowField.VLAN_TCI);
            long tci1 = p.key().get(FlowField.VLAN_TCI1);
            assertThat(tci != 0).as("outer tag at cut %d", cut).isEqualTo(cut >= ETH + 4);
            assertThat(tci1 != 0).as("inner tag at cut %d", cut).isEqualTo(cut >= ETH + 8);
        }
    }

    /**
     * A cut inside the IPv4 header, or anywhere before the end its total length says, refuses
     * L3; with the total length mended to the cut, a cut L4 header leaves the ports zero.
     */
    @Test
    void anIpv4HeaderOrItsTransportHeaderCutShortIsRefused() {
        byte[] udp = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 80).size(60).build();
        for (int cut = ETH; cut <= IP4 + 9; cut++) {
            Parsed p = parse(udp, cut);
            assertThat(p.key().get(FlowField.NW_SRC)).as("nw_src at cut %d", cut).isZero();
            assertThat(p.l4()).isEqualTo(-1);
            if (cut >= IP4) {
                Parsed mended = parse(withIpv4Length(udp, cut - ETH), cut);
                assertThat(mended.key().get(FlowField.NW_SRC)).isEqualTo(0x0a00_0001L);
                assertThat(mended.l4()).isEqualTo(IP4);
                assertThat(mended.key().get(FlowField.TP_SRC)).as("tp_src at cut %d", cut)
                        .isEqualTo(cut >= IP4 + 8 ? 1000 : 0);
            }
        }
        byte[] tcp = Frames.tcp4().ports(1000, 80).tcpFlags(0x12).size(60).build();
        for (int cut = IP4; cut <= IP4 + 21; cut++) {
            Parsed p = parse(withIpv4Length(tcp, cut - ETH), cut);
            assertThat(p.key().get(FlowField.TCP_FLAGS)).as("tcp_flags at cut %d", cut)
                    .isEqualTo(cut >= IP4 + 20 ? 0x12 : 0);
            assertThat(p.key().get(FlowField.TP_DST)).isEqualTo(cut >= IP4 + 20 ? 80 : 0);
        }
    }

    /**
     * IPv6: a cut fixed header refuses L3; with the payload length mended to the cut, a cut
     * extension header stops at the addresses and a cut ND target leaves it zero.
     */
    @Test
    void anIpv6HeaderItsExtensionsOrItsNdTargetCutShortAreRefused() {
        byte[] nd = Frames.ndSolicit().hopByHop().ndTarget("2001:db8::9").sll("00:00:00:00:00:07").build();
        for (int cut = ETH; cut <= nd.length; cut++) {
            Parsed p = parse(nd, cut);
            boolean whole = cut == nd.length;
            assertThat(p.key().getLow(FlowField.IPV6_SRC) != 0).as("ipv6_src at cut %d", cut).isEqualTo(whole);
            if (cut < IP6) {
                continue;
            }
            Parsed mended = parse(withIpv6PayloadLength(nd, cut - IP6), cut);
            assertThat(mended.key().getLow(FlowField.IPV6_SRC)).isEqualTo(1);
            boolean ext = cut >= IP6 + 8;
            assertThat(mended.key().get(FlowField.NW_PROTO)).as("nw_proto at cut %d", cut)
                    .isEqualTo(ext ? FlowKey.IPPROTO_ICMPV6 : 0);
            assertThat(mended.key().getLow(FlowField.ND_TARGET) != 0).as("nd_target at cut %d", cut)
                    .isEqualTo(cut >= IP6 + 8 + 8 + 16);
            assertThat(mended.key().get(FlowField.ARP_SHA)).as("nd_sll at cut %d", cut)
                    .isEqualTo(cut >= IP6 + 8 + 8 + 16 + 8 ? 7 : 0);
        }
    }

    @Test
    void anArpMessageCutShortIsRefused() {
        byte[] arp = Frames.arp().build();
        for (int cut = ETH; cut <= ETH + 29 && cut <= arp.length; cut++) {
            Parsed p = parse(arp, cut);
            assertThat(p.key().get(FlowField.NW_DST) != 0).as("arp tpa at cut %d", cut).isEqualTo(cut >= ETH + 28);
        }
    }

    /**
     * Parses the first {@code cut} bytes with two different tails (equal results) and once with
     * the data ending at the end of the buffer (equal again, and no assertion fired).
     */
    private Parsed parse(byte[] frame, int cut) {
        Parsed a = PacketParserPropertiesTest.checkReadsOnlyTheFrame(harness, frame, cut, (byte) 0x5a, (byte) 0xa5);
        Mbuf m = harness.mbuf();
        m.reset();
        assertThat(m.placeData(m.capacity() - cut, cut)).isTrue();
        m.buffer().putBytes(m.dataOffset(), frame, 0, cut);
        Parsed atTheEnd = harness.parseLoaded();
        PacketParserPropertiesTest.assertSameParse(a, atTheEnd);
        return a;
    }

    private static byte[] withIpv4Length(byte[] frame, int totalLength) {
        byte[] f = frame.clone();
        f[ETH + 2] = (byte) (totalLength >>> 8);
        f[ETH + 3] = (byte) totalLength;
        return f;
    }

    private static byte[] withIpv6PayloadLength(byte[] frame, int payloadLength) {
        byte[] f = frame.clone();
        f[ETH + 4] = (byte) (payloadLength >>> 8);
        f[ETH + 5] = (byte) payloadLength;
        return f;
    }
}
