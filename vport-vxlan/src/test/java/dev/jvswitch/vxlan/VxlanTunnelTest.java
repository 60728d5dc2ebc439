package dev.jvswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.tunnel.UdpTunnel;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Golden tests of VXLAN's build, push and pop: templates byte for byte as OVS 3.1 prints them
 * for the same tunnel (captured from {@code ofproto/trace} of a private OVS), pushed packets byte
 * for byte as testkit's independent frame encoder builds them, and pops of those frames.
 */
class VxlanTunnelTest {
    /** OVS 3.1's template for key=123, 1.1.2.88 -> 1.1.2.92, neighbour aa:bb:cc:00:00:01. */
    static final String OVS_HEADER_V4 = "header(size=50,type=4,eth(dst=aa:bb:cc:00:00:01,src=aa:55:aa:55:00:00,"
            + "dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,"
            + "dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x7b))";
    static final String OVS_HEADER_V6 = "header(size=70,type=4,eth(dst=aa:bb:cc:00:00:01,src=aa:55:aa:55:00:00,"
            + "dl_type=0x86dd),ipv6(src=2001:cafe::88,dst=2001:cafe::92,label=0,proto=17,tclass=0x0,hlimit=64),"
            + "udp(src=0,dst=4789,csum=0xffff),vxlan(flags=0x8000000,vni=0x7b))";
    static final long DMAC = 0xaabbcc000001L;
    static final long SMAC = 0xaa55aa550000L;

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("vxlan-test", 64));
    private final PacketParser parser = new PacketParser();
    private final FlowKey key = new FlowKey();

    @AfterEach
    void leaks() {
        assertThat(pool.leakReport()).isNull();
        pool.close();
    }

    static VxlanTunnel tunnel(String remote, Map<String, String> more) {
        java.util.Map<String, String> o = new java.util.HashMap<>(more);
        o.put("remote_ip", remote);
        return new VxlanTunnel(TunnelConfig.parse("vx0", "vxlan", o, 4789, 0xffffff));
    }

    static byte[] template(String header) {
        return DpActions.parse("tnl_push(tnl_port(1)," + header + ",out_port(2))").data(0);
    }

    static TunnelHeaderParams params(String src, String dst, boolean csum) {
        return new TunnelHeaderParams(DMAC, SMAC, IpAddress.parse(src), IpAddress.parse(dst), 0, 64, true, csum,
                123, 4789);
    }

    @Test
    void templatesAreWhatOvsBuildsForTheSameTunnel() {
        VxlanTunnel t = tunnel("1.1.2.92", Map.of("key", "123"));
        byte[] out = new byte[128];
        int n = t.buildHeader(params("1.1.2.88", "1.1.2.92", false), out);
        assertThat(n).isEqualTo(50).isEqualTo(t.headerLength(false));
        assertThat(Arrays.copyOf(out, n)).isEqualTo(template(OVS_HEADER_V4));
        n = t.buildHeader(params("2001:cafe::88", "2001:cafe::92", true), out);
        assertThat(n).isEqualTo(70).isEqualTo(t.headerLength(true));
        assertThat(Arrays.copyOf(out, n)).isEqualTo(template(OVS_HEADER_V6));
        // The printed form of what was built is OVS's text.
        assertThat(DpActions.builder().tnlPush(4789, 4, Arrays.copyOf(out, n), 1).build().toString())
                .isEqualTo("tnl_push(tnl_port(4789)," + OVS_HEADER_V6 + ",out_port(1))");
    }

    private Mbuf load(byte[] frame) {
        Mbuf m = pool.get();
        m.copyFrom(frame, 0, frame.length);
        parser.parse(m, key);
        return m;
    }

    private static byte[] inner() {
        return Frames.udp4().src("00:00:00:00:00:01").dst("00:00:00:00:00:02").ip("10.0.0.1", "10.0.0.2")
                .ports(1000, 2000).payload("inner payload".getBytes()).build();
    }

    private static FrameBuilder outer4(int srcPort, int ipId) {
        return Frames.udp4().src("aa:55:aa:55:00:00").dst("aa:bb:cc:00:00:01").ip("1.1.2.88", "1.1.2.92").ttl(64)
                .dontFragment().ipId(ipId).ports(srcPort, 4789);
    }

    @Test
    void pushWritesTheFrameAReferenceEncoderWrites() {
        VxlanTunnel t = tunnel("1.1.2.92", Map.of("key", "123"));
        byte[] header = template(OVS_HEADER_V4);
        byte[] inner = inner();
        Mbuf m = load(inner);
        int srcPort = UdpTunnel.sourcePort(m.rssHash());
        assertThat(srcPort).isBetween(32768, 60999);
        assertThat(t.pushHeader(m, header, header.length, 0x1234)).isTrue();
        byte[] expected = outer4(srcPort, 0x1234).udpChecksum(false).vxlan(123, inner).build();
        assertThat(m.toByteArray()).isEqualTo(expected);
        assertThat(m.l3Offset()).isEqualTo(14);
        assertThat(m.l4Offset()).isEqualTo(34);
        pool.put(m);
    }

    @Test
    void pushComputesTheUdpChecksumWhenTheTemplateAsks() {
        VxlanTunnel t = tunnel("1.1.2.92", Map.of("key", "123", "csum", "true"));
        byte[] out = new byte[128];
        int n = t.buildHeader(params("1.1.2.88", "1.1.2.92", true), out);
        byte[] inner = inner();
        Mbuf m = load(inner);
        int srcPort = UdpTunnel.sourcePort(m.rssHash());
        assertThat(t.pushHeader(m, out, n, 7)).isTrue();
        assertThat(m.toByteArray()).isEqualTo(outer4(srcPort, 7).udpChecksum(true).vxlan(123, inner).build());
        pool.put(m);

        VxlanTunnel t6 = tunnel("2001:cafe::92", Map.of("key", "123"));
        byte[] h6 = template(OVS_HEADER_V6);
        m = load(inner);
        assertThat(t6.pushHeader(m, h6, h6.length, 7)).isTrue();
        byte[] expected6 = Frames.udp6().src("aa:55:aa:55:00:00").dst("aa:bb:cc:00:00:01")
                .ip("2001:cafe::88", "2001:cafe::92").ttl(64).ports(srcPort, 4789).vxlan(123, inner).build();
        assertThat(m.toByteArray()).isEqualTo(expected6);
        pool.put(m);
    }

    @Test
    void theSourcePortFollowsTheInnerFlow() {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int i = 0; i < 64; i++) {
            byte[] f = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000 + i, 2000).build();
            Mbuf a = load(f);
            int first = UdpTunnel.sourcePort(a.rssHash());
            pool.put(a);
            Mbuf b = load(f);
            assertThat(UdpTunnel.sourcePort(b.rssHash())).isEqualTo(first);
            pool.put(b);
            ports.add(first);
        }
        assertThat(ports.size()).isGreaterThan(48);
    }

    @Test
    void popStripsOuterHeadersIntoTunnelMetadata() {
        VxlanTunnel t = tunnel("1.1.2.92", Map.of());
        byte[] inner = inner();
        for (boolean csum : new boolean[] {false, true}) {
            byte[] frame = Frames.udp4().src("aa:bb:cc:00:00:01").dst("aa:55:aa:55:00:00").ip("1.1.2.92", "1.1.2.88")
                    .ttl(63).tos(0x2a).ports(40000, 4789).udpChecksum(csum).vxlan(0xabcdef, inner).pad(0).build();
            Mbuf m = load(frame);
            assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
            assertThat(m.toByteArray()).isEqualTo(inner);
            assertThat(m.tunnelId()).isEqualTo(0xabcdef);
            assertThat(m.tunnelIpv4Src()).isEqualTo(IpAddress.parse("1.1.2.92").ipv4());
            assertThat(m.tunnelIpv4Dst()).isEqualTo(IpAddress.parse("1.1.2.88").ipv4());
            assertThat(m.tunnelTos()).isEqualTo(0x2a);
            assertThat(m.tunnelTtl()).isEqualTo(63);
            assertThat(m.tunnelTpSrc()).isEqualTo(40000);
            assertThat(m.tunnelTpDst()).isEqualTo(4789);
            assertThat(m.tunnelFlags()).isEqualTo(UdpTunnel.FLAG_KEY | (csum ? UdpTunnel.FLAG_CSUM : 0));
            assertThat(m.l3Offset()).isEqualTo(-1);
            pool.put(m);
        }
        byte[] frame6 = Frames.udp6().ip("2001:cafe::92", "2001:cafe::88").ttl(9).tos(0xb8).flowLabel(0xabcde)
                .ports(40000, 4789).vxlan(7, inner)
                .build();
        Mbuf m = load(frame6);
        assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
        assertThat(m.toByteArray()).isEqualTo(inner);
        IpAddress src = IpAddress.parse("2001:cafe::92");
        assertThat(m.tunnelIpv6SrcHi()).isEqualTo(src.hi());
        assertThat(m.tunnelIpv6SrcLo()).isEqualTo(src.lo());
        assertThat(m.tunnelIpv4Src()).isZero();
        assertThat(m.tunnelTtl()).isEqualTo(9);
        assertThat(m.tunnelTos()).isEqualTo(0xb8);
        assertThat(m.tunnelFlags()).isEqualTo(UdpTunnel.FLAG_KEY | UdpTunnel.FLAG_CSUM);
        assertThat(m.hasTunnel()).isTrue();
        pool.put(m);
    }

    @Test
    void popCutsEthernetPaddingOff() {
        VxlanTunnel t = tunnel("1.1.2.92", Map.of());
        byte[] tiny = Frames.ethernet(0x88b5).payload(new byte[2]).build();
        byte[] frame = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(1, 4789).vxlan(1, tiny).build();
        byte[] padded = Arrays.copyOf(frame, frame.length + 10);
        Mbuf m = load(padded);
        assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
        assertThat(m.toByteArray()).isEqualTo(tiny);
        pool.put(m);
    }

    @Test
    void popPushRoundTrip() {
        VxlanTunnel t = tunnel("1.1.2.92", Map.of("key", "123"));
        byte[] header = template(OVS_HEADER_V4);
        byte[] inner = inner();
        Mbuf m = load(inner);
        assertThat(t.pushHeader(m, header, header.length, 1)).isTrue();
        byte[] wire = m.toByteArray();
        pool.put(m);
        m = load(wire);
        assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
        assertThat(m.toByteArray()).isEqualTo(inner);
        assertThat(m.tunnelId()).isEqualTo(123);
        pool.put(m);
    }

    /**
     * A frame cut at any length is refused, and the pop reads nothing past the packet (it reads
     * without a bounds check per access, on its own length checks): each cut is placed at the very
     * end of the mbuf's buffer, where a read past it fails the reads' assertion. Cuts inside the
     * VXLAN header are also tried with the IP and UDP lengths (and IP checksum) mended to them.
     */
    @Test
    void aCutFrameIsRefusedAtEveryLengthAndNothingPastItIsRead() {
        VxlanTunnel t4 = tunnel("1.1.2.92", Map.of());
        VxlanTunnel t6 = tunnel("2001:cafe::92", Map.of());
        byte[] v4 = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 4789).udpChecksum(false)
                .vxlan(5, inner()).build();
        byte[] v6 = Frames.udp6().ip("2001:cafe::92", "2001:cafe::88").ports(40000, 4789).udpChecksum(true)
                .vxlan(5, inner()).build();
        assertThat(popAtTheEnd(t4, v4, v4.length)).isEqualTo(TunnelOps.POP_OK);
        assertThat(popAtTheEnd(t6, v6, v6.length)).isEqualTo(TunnelOps.POP_OK);
        for (int cut = 0; cut < v4.length; cut++) {
            assertThat(popAtTheEnd(t4, v4, cut)).as("IPv4 cut at %d", cut).isNotEqualTo(TunnelOps.POP_OK);
        }
        for (int cut = 0; cut < v6.length; cut++) {
            assertThat(popAtTheEnd(t6, v6, cut)).as("IPv6 cut at %d", cut).isNotEqualTo(TunnelOps.POP_OK);
        }
        int udp = 14 + 20;
        for (int cut = udp + 8; cut < udp + 16; cut++) {
            byte[] f = v4.clone();
            putShort(f, 14 + 2, cut - 14);
            putShort(f, 14 + 10, 0);
            putShort(f, 14 + 10, ~ipv4HeaderSum(f) & 0xffff);
            putShort(f, udp + 4, cut - udp);
            assertThat(popAtTheEnd(t4, f, cut)).as("VXLAN header cut at %d", cut).isEqualTo(TunnelOps.POP_MALFORMED);
        }
    }

    private int popAtTheEnd(VxlanTunnel t, byte[] frame, int length) {
        Mbuf m = pool.get();
        assertThat(m.placeData(m.capacity() - length, length)).isTrue();
        m.buffer().putBytes(m.dataOffset(), frame, 0, length);
        parser.parse(m, key);
        int r = t.popHeader(m);
        pool.put(m);
        return r;
    }

    private static void putShort(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static int ipv4HeaderSum(byte[] f) {
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (f[i] & 0xff) << 8 | f[i + 1] & 0xff;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }

    private int pop(VxlanTunnel t, byte[] frame) {
        Mbuf m = load(frame);
        byte[] before = m.toByteArray();
        int r = t.popHeader(m);
        if (r != TunnelOps.POP_OK) {
            assertThat(m.toByteArray()).as("a refused packet is left as it was").isEqualTo(before);
        }
        pool.put(m);
        return r;
    }

    @Test
    void popRefusesMalformedOuterHeaders() {
        VxlanTunnel t = tunnel("1.1.2.92", Map.of());
        byte[] good = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 4789).udpChecksum(true)
                .vxlan(5, inner()).build();
        assertThat(pop(t, good)).isEqualTo(TunnelOps.POP_OK);

        byte[] badFlags = good.clone();
        badFlags[42] = 0x0c; // the I bit and a reserved one
        assertThat(pop(t, badFlags)).isEqualTo(TunnelOps.POP_BAD_CHECKSUM); // the checksum covers it
        byte[] noCsum = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 4789).udpChecksum(false)
                .vxlan(5, inner()).build();
        byte[] flags = noCsum.clone();
        flags[42] = 0x0c;
        assertThat(pop(t, flags)).isEqualTo(TunnelOps.POP_BAD_HEADER);
        byte[] reserved = noCsum.clone();
        reserved[49] = 1; // the byte after the VNI
        assertThat(pop(t, reserved)).isEqualTo(TunnelOps.POP_BAD_HEADER);

        byte[] wrongCsum = good.clone();
        wrongCsum[40] ^= 0x01;
        assertThat(pop(t, wrongCsum)).isEqualTo(TunnelOps.POP_BAD_CHECKSUM);

        byte[] udpLength = noCsum.clone();
        udpLength[39] += 2;
        assertThat(pop(t, udpLength)).isEqualTo(TunnelOps.POP_MALFORMED);

        byte[] truncated = Arrays.copyOf(noCsum, noCsum.length - 4);
        assertThat(pop(t, truncated)).isEqualTo(TunnelOps.POP_MALFORMED);

        byte[] ipCsum = noCsum.clone();
        ipCsum[24] ^= 0x40;
        assertThat(pop(t, ipCsum)).isEqualTo(TunnelOps.POP_MALFORMED);

        byte[] shortVxlan = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 4789).udpChecksum(false)
                .payload(new byte[] {8, 0, 0, 0}).build();
        assertThat(pop(t, shortVxlan)).isEqualTo(TunnelOps.POP_MALFORMED);

        byte[] options = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ipOptions(new byte[] {1, 1, 1, 1})
                .ports(40000, 4789).udpChecksum(false).vxlan(5, inner()).build();
        assertThat(pop(t, options)).isEqualTo(TunnelOps.POP_MALFORMED);

        byte[] fragment = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 4789).udpChecksum(false)
                .vxlan(5, inner()).fragment(0, true).build();
        assertThat(pop(t, fragment)).isEqualTo(TunnelOps.POP_MALFORMED);

        byte[] notIp = Frames.arp().build();
        assertThat(pop(t, notIp)).isEqualTo(TunnelOps.POP_MALFORMED);
    }
}
