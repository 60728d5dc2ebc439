package dev.jvswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelHeaderParams;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.tunnel.UdpTunnel;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Golden tests of Geneve's build, push and pop: templates as OVS prints them for the same tunnel
 * (OVS's tunnel-push-pop tests: {@code geneve(vni=0x7b)} and, with an option,
 * {@code geneve(crit,vni=0x7b,options({class=0xffff,type=0x80,len=4,0xa}))}), pushed packets
 * byte for byte as testkit's frame encoder builds them, and pops of those frames, options kept
 * raw.
 */
class GeneveTunnelTest {
    static final String OVS_HEADER = "header(size=50,type=5,eth(dst=aa:bb:cc:00:00:01,src=aa:55:aa:55:00:00,"
            + "dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,"
            + "dst=6081,csum=0x0),geneve(vni=0x7b))";
    static final String OVS_HEADER_OPTION = "header(size=58,type=5,eth(dst=aa:bb:cc:00:00:01,src=aa:55:aa:55:00:00,"
            + "dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,"
            + "dst=6081,csum=0x0),geneve(crit,vni=0x7b,options({class=0xffff,type=0x80,len=4,0xa})))";
    static final long DMAC = 0xaabbcc000001L;
    static final long SMAC = 0xaa55aa550000L;
    /** OVN's option: class 0x0102, type 0x80, four bytes (logical ingress and egress ports). */
    static final byte[] OVN_OPTION = FrameBuilder.geneveOption(0x0102, 0x80, new byte[] {0, 1, 0, 2});

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("geneve-test", 64));
    private final PacketParser parser = new PacketParser();
    private final FlowKey key = new FlowKey();

    @AfterEach
    void leaks() {
        assertThat(pool.leakReport()).isNull();
        pool.close();
    }

    static GeneveTunnel tunnel(String remote, Map<String, String> more) throws NetdevException {
        Map<String, String> o = new HashMap<>(more);
        o.put("remote_ip", remote);
        return new GeneveTunnel(GeneveProvider.parse(new NetdevConfig("gnv0", "geneve", o, null)));
    }

    static byte[] template(String header) {
        return DpActions.parse("tnl_push(tnl_port(1)," + header + ",out_port(2))").data(0);
    }

    static TunnelHeaderParams params(byte[] options) {
        return new TunnelHeaderParams(DMAC, SMAC, IpAddress.parse("1.1.2.88"), IpAddress.parse("1.1.2.92"), 0, 64,
                true, false, 123, 6081, 0, options);
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

    @Test
    void thePortTypeTakesVxlansOptionsWithPort6081() throws NetdevException {
        TunnelConfig c = GeneveProvider.parse(new NetdevConfig("gnv0", "geneve", Map.of("remote_ip", "1.1.2.92"), null));
        assertThat(c.dstPort()).isEqualTo(6081);
        assertThat(c.type()).isEqualTo("geneve");
        assertThat(new GeneveProvider().validate(new NetdevConfig("gnv0", "geneve",
                Map.of("remote_ip", "1.1.2.92", "key", "16777216"), null))).singleElement().asString()
                .contains("key");
    }

    @Test
    void templatesAreWhatOvsBuildsForTheSameTunnel() throws NetdevException {
        GeneveTunnel t = tunnel("1.1.2.92", Map.of("key", "123"));
        byte[] out = new byte[t.headerLength(false)];
        int n = t.buildHeader(params(new byte[0]), out);
        assertThat(n).isEqualTo(50);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(template(OVS_HEADER));
        byte[] option = FrameBuilder.geneveOption(0xffff, 0x80, new byte[] {0, 0, 0, 0xa});
        n = t.buildHeader(params(option), out);
        assertThat(n).isEqualTo(58);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(template(OVS_HEADER_OPTION));
        assertThat(DpActions.builder().tnlPush(6081, 5, Arrays.copyOf(out, n), 100).build().toString())
                .isEqualTo("tnl_push(tnl_port(6081)," + OVS_HEADER_OPTION + ",out_port(100))");
    }

    @Test
    void theTemplateTextRoundTripsWithFlagsAndSeveralOptions() {
        String text = "tnl_push(tnl_port(3),header(size=86,type=5,eth(dst=aa:bb:cc:00:00:01,src=aa:55:aa:55:00:00,"
                + "dl_type=0x86dd),ipv6(src=2001:cafe::88,dst=2001:cafe::92,label=0,proto=17,tclass=0x0,hlimit=64),"
                + "udp(src=0,dst=6081,csum=0xffff),geneve(oam,vni=0xffffff,options({class=0x102,type=0,len=0}"
                + "{class=0,type=0x7f,len=8,0x1000000ff}))),out_port(2))";
        assertThat(DpActions.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void badTemplatesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> DpActions.parse("tnl_push(tnl_port(1)," + OVS_HEADER.replace("geneve(vni=0x7b)",
                "geneve(vni=0x7b,options({class=1,type=2,len=5,0x1}))") + ",out_port(2))"))
                .hasMessageContaining("geneve option len 5 is not a multiple of 4");
        assertThatThrownBy(() -> DpActions.parse("tnl_push(tnl_port(1)," + OVS_HEADER.replace("size=50", "size=54")
                + ",out_port(2))")).hasMessageContaining("header size=54 but the header described is 50 bytes");
        byte[] h = template(OVS_HEADER_OPTION);
        h[42 + 3] = 0x00; // protocol 0x6500
        assertThatThrownBy(() -> DpActions.builder().tnlPush(1, 5, h, 2))
                .hasMessageContaining("geneve protocol 0x6500, expected 0x6558");
        byte[] g = template(OVS_HEADER_OPTION);
        g[50 + 3] = 2; // the option claims 8 data bytes of the 4 there are
        assertThatThrownBy(() -> DpActions.builder().tnlPush(1, 5, g, 2))
                .hasMessageContaining("geneve options do not add up");
    }

    @Test
    void pushWritesTheFrameAReferenceEncoderWrites() throws NetdevException {
        GeneveTunnel t = tunnel("1.1.2.92", Map.of("key", "123"));
        byte[] out = new byte[t.headerLength(false)];
        int n = t.buildHeader(params(OVN_OPTION), out);
        byte[] inner = inner();
        Mbuf m = load(inner);
        int srcPort = UdpTunnel.sourcePort(m.rssHash());
        assertThat(t.pushHeader(m, out, n, 0x1234)).isTrue();
        byte[] expected = Frames.udp4().src("aa:55:aa:55:00:00").dst("aa:bb:cc:00:00:01").ip("1.1.2.88", "1.1.2.92")
                .ttl(64).dontFragment().ipId(0x1234).ports(srcPort, 6081).udpChecksum(false)
                .geneve(123, false, OVN_OPTION, inner).build();
        assertThat(m.toByteArray()).isEqualTo(expected);
        pool.put(m);
    }

    @Test
    void popKeepsTheRawOptionsAndTheOamFlag() throws NetdevException {
        GeneveTunnel t = tunnel("1.1.2.92", Map.of());
        byte[] inner = inner();
        byte[] two = concat(OVN_OPTION, FrameBuilder.geneveOption(0xffff, 1, new byte[8]));
        byte[] frame = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ttl(63).ports(40000, 6081).udpChecksum(true)
                .geneve(0xabcdef, true, two, inner).build();
        Mbuf m = load(frame);
        assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
        assertThat(m.toByteArray()).isEqualTo(inner);
        assertThat(m.tunnelId()).isEqualTo(0xabcdef);
        assertThat(m.tunnelTpDst()).isEqualTo(6081);
        assertThat(m.tunnelFlags()).isEqualTo(UdpTunnel.FLAG_KEY | UdpTunnel.FLAG_CSUM | UdpTunnel.FLAG_OAM
                | UdpTunnel.FLAG_UDPIF);
        assertThat(m.tunnelOptions().length()).isEqualTo(two.length);
        byte[] kept = m.tunnelOptions().toBytes();
        assertThat(kept).isEqualTo(two);
        assertThat(m.tunnelOptions().word(0)).isEqualTo(0x0102_8001_0001_0002L);
        pool.put(m);

        // A pop without options forgets the ones an earlier pop of the mbuf kept.
        Mbuf again = load(frame);
        assertThat(t.popHeader(again)).isEqualTo(TunnelOps.POP_OK);
        pool.put(again);
        Mbuf plain = load(Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 6081).udpChecksum(false)
                .geneve(5, false, new byte[0], inner).build());
        assertThat(t.popHeader(plain)).isEqualTo(TunnelOps.POP_OK);
        assertThat(plain.tunnelOptions().length()).isZero();
        assertThat(plain.tunnelFlags()).isEqualTo(UdpTunnel.FLAG_KEY | UdpTunnel.FLAG_UDPIF);
        pool.put(plain);
    }

    @Test
    void theParserPutsThePoppedOptionsInTheKeyAndTheNextPacketFindsThemCleared() throws NetdevException {
        GeneveTunnel t = tunnel("1.1.2.92", Map.of());
        Mbuf m = load(Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 6081).udpChecksum(false)
                .geneve(5, false, OVN_OPTION, inner()).build());
        assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
        parser.parse(m, key);
        assertThat(key.tunnelOptionsLength()).isEqualTo(8);
        assertThat(key.words()[FlowKey.TUN_METADATA_WORD]).isEqualTo(0x0102_8001_0001_0002L);
        assertThat(key.get(dev.jvswitch.flowcache.key.FlowField.TUN_FLAGS) & UdpTunnel.FLAG_UDPIF).isNotZero();
        assertThat(key.toString()).contains("geneve({class=0x102,type=0x80,len=4,0x10002})");
        pool.put(m);
        Mbuf plain = load(inner());
        assertThat(key.tunnelOptionsLength()).isZero();
        assertThat(key.words()[FlowKey.TUN_METADATA_WORD]).isZero();
        pool.put(plain);
    }

    @Test
    void pushPopRoundTripOverIpv6() throws NetdevException {
        GeneveTunnel t = tunnel("2001:cafe::92", Map.of("key", "123"));
        byte[] out = new byte[t.headerLength(true)];
        int n = t.buildHeader(new TunnelHeaderParams(DMAC, SMAC, IpAddress.parse("2001:cafe::88"),
                IpAddress.parse("2001:cafe::92"), 0, 64, false, true, 123, 6081, 0, OVN_OPTION), out);
        assertThat(n).isEqualTo(70 + OVN_OPTION.length);
        byte[] inner = inner();
        Mbuf m = load(inner);
        assertThat(t.pushHeader(m, out, n, 1)).isTrue();
        byte[] wire = m.toByteArray();
        pool.put(m);
        m = load(wire);
        assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
        assertThat(m.toByteArray()).isEqualTo(inner);
        assertThat(m.tunnelId()).isEqualTo(123);
        assertThat(m.tunnelOptions().length()).isEqualTo(8);
        pool.put(m);
    }

    private int pop(GeneveTunnel t, byte[] frame) {
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
    void popRefusesMalformedHeadersAndOptions() throws NetdevException {
        GeneveTunnel t = tunnel("1.1.2.92", Map.of());
        byte[] good = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 6081).udpChecksum(false)
                .geneve(5, false, OVN_OPTION, inner()).build();
        assertThat(pop(t, good)).isEqualTo(TunnelOps.POP_OK);

        byte[] version = good.clone();
        version[42] |= 0x40; // version 1
        assertThat(pop(t, version)).isEqualTo(TunnelOps.POP_BAD_HEADER);
        byte[] protocol = good.clone();
        protocol[44] = 0x08;
        protocol[45] = 0x00; // IPv4 inside: OVS takes Ethernet only
        assertThat(pop(t, protocol)).isEqualTo(TunnelOps.POP_BAD_HEADER);
        byte[] optionRunsOver = good.clone();
        optionRunsOver[53] = 2; // the option claims 8 data bytes; the header's length says 8 in all
        assertThat(pop(t, optionRunsOver)).isEqualTo(TunnelOps.POP_MALFORMED);
        byte[] longerThanPacket = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 6081).udpChecksum(false)
                .payload(new byte[] {0x3f, 0, 0x65, 0x58, 0, 0, 5, 0, 0, 0, 0, 0}).build();
        assertThat(pop(t, longerThanPacket)).isEqualTo(TunnelOps.POP_MALFORMED);
        byte[] shortHeader = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 6081).udpChecksum(false)
                .payload(new byte[] {0, 0, 0x65, 0x58}).build();
        assertThat(pop(t, shortHeader)).isEqualTo(TunnelOps.POP_MALFORMED);
    }

    /**
     * The options are walked in the words they were copied into: a header in the low half of a
     * word (after a 4-byte option, or a 12-byte one), past the two words kept in fields, is
     * found; a length that runs over is malformed and leaves no options behind.
     */
    @Test
    void popWalksOptionsWhateverHalfOfAWordTheyStartIn() throws NetdevException {
        GeneveTunnel t = tunnel("1.1.2.92", Map.of());
        byte[] empty = FrameBuilder.geneveOption(0xffff, 1, new byte[0]);
        byte[] twelve = FrameBuilder.geneveOption(0xffff, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        byte[] options = concat(concat(empty, OVN_OPTION), concat(twelve, OVN_OPTION)); // 4 + 8 + 16 + 8
        byte[] frame = Frames.udp4().ip("1.1.2.92", "1.1.2.88").ports(40000, 6081).udpChecksum(false)
                .geneve(5, false, options, inner()).build();
        Mbuf m = load(frame);
        assertThat(t.popHeader(m)).isEqualTo(TunnelOps.POP_OK);
        assertThat(m.tunnelOptions().toBytes()).isEqualTo(options);
        assertThat(m.toByteArray()).isEqualTo(inner());
        pool.put(m);

        byte[] runsOver = frame.clone();
        runsOver[50 + 12 + 3] = 4; // the 12-byte option claims 16: the walk ends past the options
        Mbuf bad = load(runsOver);
        assertThat(t.popHeader(bad)).isEqualTo(TunnelOps.POP_MALFORMED);
        assertThat(bad.tunnelOptions().length()).isZero();
        pool.put(bad);
        byte[] stopsShort = frame.clone();
        stopsShort[50 + 12 + 3] = 2; // claims 8: the next header is read from its data, and runs over
        assertThat(pop(t, stopsShort)).isEqualTo(TunnelOps.POP_MALFORMED);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
