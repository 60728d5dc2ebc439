package dev.jvswitch.pmd.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.actions.DpField;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Set-field actions on real frames: the fields change as asked, nothing else does except the
 * checksums, and every checksum verifies from scratch afterwards.
 */
class SetFieldTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("set-test", 64).withCacheSize(0));
    private final MbufCache cache = pool.newCache();
    private final RecordingContext ctx = new RecordingContext(cache);
    private final ActionExecutor executor = new ActionExecutor();
    private final PacketBatch batch = new PacketBatch();

    @AfterEach
    @AfterProperty
    void noLeaks() {
        cache.flush();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    /** Runs {@code program} on one copy of {@code frame} and returns the bytes sent to port 1. */
    private byte[] run(TestFrame.Frame frame, DpActions program) {
        ctx.sent.clear();
        batch.add(frame.load(cache));
        executor.execute(program, batch, ctx);
        assertThat(ctx.outputs(1)).hasSize(1);
        RecordingContext.Sent out = ctx.outputs(1).get(0);
        assertThat(out.l3()).isEqualTo(frame.l3());
        assertThat(out.l4()).isEqualTo(frame.l4());
        return out.bytes();
    }

    private byte[] run(TestFrame.Frame frame, String program) {
        return run(frame, DpActions.parse(program));
    }

    private static int u16(byte[] b, int off) {
        return PacketChecks.u16(b, off);
    }

    private static int u32(byte[] b, int off) {
        return u16(b, off) << 16 | u16(b, off + 2);
    }

    private static void assertChecksumsVerify(byte[] frame) {
        assertThat(PacketChecks.problems(frame)).isEmpty();
    }

    // ---------------------------------------------------------------- ARP

    /** An ARP request 10.9.0.1 (00:..:01:01) asks for 10.9.0.2, broadcast. */
    private static TestFrame.Frame arpRequest() {
        byte[] b = java.util.HexFormat.of().parseHex("ffffffffffff000000000101" + "0806"
                + "0001080006040001" + "000000000101" + "0a090001" + "000000000000" + "0a090002");
        return new TestFrame.Frame(b, 0, 14, -1);
    }

    @Test
    void arpFieldsTurnARequestIntoTheReplyAsOvnsResponderDoes() {
        // What OVN's ARP responder flows commit for "who has 10.9.0.2" (OVS prints the same set).
        byte[] out = run(arpRequest(), "set(eth(src=00:00:00:00:01:02,dst=00:00:00:00:01:01)),"
                + "set(arp(sip=10.9.0.2,tip=10.9.0.1,op=2/0xff,sha=00:00:00:00:01:02,tha=00:00:00:00:01:01)),1");
        assertThat(java.util.HexFormat.of().formatHex(out)).isEqualTo("000000000101000000000102" + "0806"
                + "0001080006040002" + "000000000102" + "0a090002" + "000000000101" + "0a090001");
    }

    @Test
    void arpFieldsLeaveOtherPacketsAlone() {
        TestFrame.Frame f = TestFrame.ipv4(TestFrame.UDP).build();
        byte[] out = run(f, "set(arp(sip=10.9.0.2,op=2)),1");
        assertThat(out).isEqualTo(f.bytes());
    }

    // ---------------------------------------------------------------- IPv4

    @Test
    void ipv4AddressesFixTheHeaderAndTransportChecksums() {
        for (int proto : new int[] {TestFrame.TCP, TestFrame.UDP, TestFrame.SCTP}) {
            TestFrame.Frame f = TestFrame.ipv4(proto).build();
            byte[] out = run(f, "set(ipv4(src=192.168.7.7,dst=172.16.0.0/255.255.0.0)),1");
            assertThat(u32(out, f.l3() + 12)).isEqualTo(0xc0a80707);
            assertThat(u32(out, f.l3() + 16)).isEqualTo(0xac100002);
            assertChecksumsVerify(out);
            assertThat(PacketChecks.problems(f.bytes())).isEmpty();
        }
    }

    @Test
    void ipv4TosAndTtlFixTheHeaderChecksumOnly() {
        TestFrame.Frame f = TestFrame.ipv4(TestFrame.TCP).tosTtl(0x03, 64).build();
        byte[] out = run(f, "set(ipv4(tos=0xb8/0xfc,ttl=63)),1");
        assertThat(out[f.l3() + 1] & 0xff).isEqualTo(0xbb);
        assertThat(out[f.l3() + 8] & 0xff).isEqualTo(63);
        assertChecksumsVerify(out);
        assertThat(Arrays.copyOfRange(out, f.l4(), out.length)).isEqualTo(Arrays.copyOfRange(f.bytes(), f.l4(),
                out.length));
    }

    @Test
    void udpWithoutChecksumOverIpv4KeepsNone() {
        TestFrame.Frame f = TestFrame.ipv4(TestFrame.UDP).udpWithoutChecksum().build();
        byte[] out = run(f, "set(ipv4(dst=10.9.9.9)),set(udp(src=53,dst=5353)),1");
        assertThat(u16(out, f.l4() + 6)).isZero();
        assertThat(u16(out, f.l4())).isEqualTo(53);
        assertChecksumsVerify(out);
    }

    @Test
    void aUdpChecksumThatComesOutZeroIsSentAsAllOnes() {
        for (TestFrame ip : new TestFrame[] {TestFrame.ipv4(TestFrame.UDP), TestFrame.ipv6(TestFrame.UDP)}) {
            TestFrame.Frame f = ip.build();
            int port = portGivingZeroChecksum(f);
            byte[] out = run(f, "set(udp(dst=" + port + ")),1");
            assertThat(u16(out, f.l4() + 6)).isEqualTo(0xffff);
            assertChecksumsVerify(out);
        }
    }

    /** The destination port for which the frame's UDP checksum, computed afresh, is 0. */
    private static int portGivingZeroChecksum(TestFrame.Frame f) {
        for (int port = 0; port < 0x10000; port++) {
            byte[] b = f.bytes().clone();
            b[f.l4() + 2] = (byte) (port >>> 8);
            b[f.l4() + 3] = (byte) port;
            // With 0xffff (one's complement -0) stored, the frame verifies exactly when the true checksum is 0.
            b[f.l4() + 6] = (byte) 0xff;
            b[f.l4() + 7] = (byte) 0xff;
            if (PacketChecks.problems(b).isEmpty()) {
                return port;
            }
        }
        throw new AssertionError("no port gives a zero UDP checksum");
    }

    @Test
    void laterFragmentsKeepTheirPortsAndL4Bytes() {
        TestFrame.Frame f = TestFrame.ipv4(TestFrame.TCP).laterFragment().build();
        assertThat(f.l4()).isEqualTo(-1);
        assertThat(run(f, "set(tcp(src=1,dst=2)),1")).isEqualTo(f.bytes());
        byte[] out = run(f, "set(ipv4(dst=10.1.2.3)),1");
        assertThat(u32(out, f.l3() + 16)).isEqualTo(0x0a010203);
        assertThat(Arrays.copyOfRange(out, f.l3() + 20, out.length)).isEqualTo(Arrays.copyOfRange(f.bytes(),
                f.l3() + 20, out.length));
        assertChecksumsVerify(out);
    }

    /** An ICMP echo request 10.77.0.1 -> 10.77.0.254 with id 7, sequence 1 and 4 bytes of data. */
    private static TestFrame.Frame icmpEcho() {
        byte[] b = java.util.HexFormat.of().parseHex("000000000102000000000101" + "0800"
                + "4500002000004000400100000a4d00010a4d00fe" + "0800000000070001" + "61626364");
        int ip = PacketChecks.internetChecksum(b, 14, 20, 0);
        b[24] = (byte) (ip >>> 8);
        b[25] = (byte) ip;
        int icmp = PacketChecks.internetChecksum(b, 34, 12, 0);
        b[36] = (byte) (icmp >>> 8);
        b[37] = (byte) icmp;
        return new TestFrame.Frame(b, 0, 14, 34);
    }

    @Test
    void icmpTypeAndCodeFixTheIcmpChecksum() {
        // OVN's router answering a ping: the request's type becomes the reply's, in place.
        TestFrame.Frame f = icmpEcho();
        assertThat(PacketChecks.internetChecksum(f.bytes(), 34, 12, 0)).isZero();
        byte[] out = run(f, "set(icmp(type=0)),1");
        assertThat(out[34] & 0xff).isZero();
        assertThat(PacketChecks.internetChecksum(out, 34, 12, 0)).as("icmp checksum").isZero();
        assertThat(out[35]).as("code").isEqualTo(f.bytes()[35]);
        assertThat(Arrays.copyOfRange(out, 38, out.length)).as("the rest")
                .isEqualTo(Arrays.copyOfRange(f.bytes(), 38, out.length));
        out = run(f, "set(icmp(type=3,code=0xd)),1");
        assertThat(u16(out, 34)).isEqualTo(0x030d);
        assertThat(PacketChecks.internetChecksum(out, 34, 12, 0)).isZero();
        // ICMPv6 (its checksum covers a pseudo-header the set does not change).
        TestFrame.Frame f6 = TestFrame.ipv6(TestFrame.ICMPV6).build();
        byte[] out6 = run(f6, "set(icmpv6(type=129,code=0)),1");
        assertThat(u16(out6, f6.l4())).isEqualTo(0x8100);
        assertChecksumsVerify(out6);
        // Neither touches a packet of the other protocol.
        assertThat(run(f, "set(icmpv6(type=129)),1")).isEqualTo(f.bytes());
        assertThat(run(f6, "set(icmp(type=0)),1")).isEqualTo(f6.bytes());
    }

    // ---------------------------------------------------------------- IPv6

    @Test
    void ipv6AddressesFixTransportChecksums() {
        for (int proto : new int[] {TestFrame.TCP, TestFrame.UDP, TestFrame.ICMPV6, TestFrame.SCTP}) {
            for (boolean ext : new boolean[] {false, true}) {
                TestFrame b = TestFrame.ipv6(proto);
                if (ext) {
                    b.hopByHop();
                }
                TestFrame.Frame f = b.build();
                byte[] out = run(f, "set(ipv6(src=fd00::1,dst=2001:db8:0:0:ffff::/ffff:ffff:ffff:ffff:ffff::)),1");
                assertThat(Arrays.copyOfRange(out, f.l3() + 8, f.l3() + 24))
                        .isEqualTo(TestFrame.addr6(0xfd000000, 1));
                assertThat(Arrays.copyOfRange(out, f.l3() + 24, f.l3() + 40))
                        .isEqualTo(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0,
                            0, 0, 0, 2});
                assertChecksumsVerify(out);
            }
        }
    }

    @Test
    void ipv6LabelTrafficClassAndHopLimit() {
        TestFrame.Frame f = TestFrame.ipv6(TestFrame.TCP).build();
        byte[] out = run(f, "set(ipv6(label=0xabcde,tclass=0x40/0xfc,hlimit=1)),1");
        int word0 = u32(out, f.l3());
        assertThat(word0 >>> 28).isEqualTo(6);
        assertThat(word0 & 0xfffff).isEqualTo(0xabcde);
        assertThat((word0 >>> 20) & 0xff).isEqualTo(0x40);
        assertThat(out[f.l3() + 7]).isEqualTo((byte) 1);
        assertChecksumsVerify(out);
    }

    @Test
    void aRoutingHeaderKeepsTheDestinationOutOfTheChecksum() {
        TestFrame.Frame f = TestFrame.ipv6(TestFrame.TCP).routingToFinal(TestFrame.addr6(0x20010db8, 99)).build();
        byte[] out = run(f, "set(ipv6(dst=2001:db8::77)),1");
        assertThat(u16(out, f.l4() + 16)).isEqualTo(u16(f.bytes(), f.l4() + 16));
        assertChecksumsVerify(out);
        byte[] src = run(f, "set(ipv6(src=2001:db8::55)),1");
        assertThat(u16(src, f.l4() + 16)).isNotEqualTo(u16(f.bytes(), f.l4() + 16));
        assertChecksumsVerify(src);
    }

    // ---------------------------------------------------------------- ports, Ethernet, metadata

    @Test
    void portsOfEachProtocol() {
        for (TestFrame ip : new TestFrame[] {TestFrame.ipv4(TestFrame.TCP), TestFrame.ipv6(TestFrame.TCP)}) {
            TestFrame.Frame f = ip.ports(1234, 80).build();
            byte[] out = run(f, "set(tcp(src=4321,dst=8192/0xff00)),1");
            assertThat(u16(out, f.l4())).isEqualTo(4321);
            assertThat(u16(out, f.l4() + 2)).isEqualTo(0x2050);
            assertChecksumsVerify(out);
        }
        for (TestFrame ip : new TestFrame[] {TestFrame.ipv4(TestFrame.UDP), TestFrame.ipv6(TestFrame.UDP)}) {
            TestFrame.Frame f = ip.build();
            byte[] out = run(f, "set(udp(src=68,dst=67)),1");
            assertThat(u16(out, f.l4())).isEqualTo(68);
            assertThat(u16(out, f.l4() + 2)).isEqualTo(67);
            assertChecksumsVerify(out);
        }
        for (TestFrame ip : new TestFrame[] {TestFrame.ipv4(TestFrame.SCTP), TestFrame.ipv6(TestFrame.SCTP)}) {
            TestFrame.Frame f = ip.padTo(200).build(); // Ethernet padding must stay out of the CRC
            byte[] out = run(f, "set(sctp(src=36412,dst=9899)),1");
            assertThat(u16(out, f.l4())).isEqualTo(36412);
            assertThat(u16(out, f.l4() + 2)).isEqualTo(9899);
            assertChecksumsVerify(out);
        }
    }

    @Test
    void aWrongSctpChecksumStaysWrongByTheSameAmount() {
        TestFrame.Frame good = TestFrame.ipv4(TestFrame.SCTP).build();
        byte[] bad = good.bytes().clone();
        bad[good.l4() + 8] ^= 0x5a;
        TestFrame.Frame f = new TestFrame.Frame(bad, good.l2(), good.l3(), good.l4());
        byte[] out = run(f, "set(sctp(dst=1)),1");
        int l4End = out.length;
        int errorBefore = PacketChecks.storedSctp(bad, f.l4()) ^ PacketChecks.correctSctp(bad, f.l4(), l4End);
        int errorAfter = PacketChecks.storedSctp(out, f.l4()) ^ PacketChecks.correctSctp(out, f.l4(), l4End);
        assertThat(errorAfter).isEqualTo(errorBefore).isNotZero();
    }

    @Test
    void fieldsOfHeadersThePacketLacksAreLeftAlone() {
        TestFrame.Frame v6 = TestFrame.ipv6(TestFrame.UDP).build();
        assertThat(run(v6, "set(ipv4(src=1.2.3.4,ttl=1)),set(tcp(src=1)),set(sctp(dst=2)),1")).isEqualTo(v6.bytes());
        TestFrame.Frame v4 = TestFrame.ipv4(TestFrame.TCP).build();
        assertThat(run(v4, "set(ipv6(src=::1,hlimit=1,label=0x1)),set(udp(src=1)),1")).isEqualTo(v4.bytes());
        TestFrame.Frame sctp = TestFrame.ipv4(TestFrame.SCTP).build();
        assertThat(run(sctp, "set(tcp(dst=1)),set(udp(dst=1)),1")).isEqualTo(sctp.bytes());
    }

    @Test
    void truncatedHeadersAreLeftAlone() {
        TestFrame.Frame full = TestFrame.ipv4(TestFrame.TCP).build();
        TestFrame.Frame cut = new TestFrame.Frame(Arrays.copyOf(full.bytes(), full.l4() + 10), 0, full.l3(), full.l4());
        assertThat(run(cut, "set(tcp(src=1)),1")).isEqualTo(cut.bytes());
        byte[] out = run(cut, "set(ipv4(dst=10.0.0.99)),1");
        assertThat(Arrays.copyOfRange(out, cut.l4(), out.length)).isEqualTo(Arrays.copyOfRange(cut.bytes(), cut.l4(),
                out.length));
        TestFrame.Frame runt = new TestFrame.Frame(Arrays.copyOf(full.bytes(), 12), 0, full.l3(), full.l4());
        assertThat(run(runt, "set(ipv4(dst=10.0.0.99)),set(eth(src=00:00:00:00:00:01)),1")).isEqualTo(runt.bytes());
    }

    @Test
    void ethernetAddressesMasked() {
        TestFrame.Frame f = TestFrame.ipv4(TestFrame.UDP).build();
        byte[] out = run(f, "set(eth(src=00:11:22:33:44:55,dst=0a:00:00:00:00:00/0f:00:00:00:00:00)),1");
        assertThat(Arrays.copyOfRange(out, 0, 12)).isEqualTo(new byte[] {0x0a, 0, 0, 0, 0, 2, 0, 0x11, 0x22, 0x33, 0x44,
            0x55});
        assertThat(Arrays.copyOfRange(out, 12, out.length)).isEqualTo(Arrays.copyOfRange(f.bytes(), 12, out.length));
    }

    @Test
    void vlanTaggedFramesUseTheParsersOffsets() {
        TestFrame.Frame f = TestFrame.ipv4(TestFrame.TCP).vlan(0x88a8, 100).vlan(0x8100, 200).build();
        assertThat(f.l3()).isEqualTo(22);
        byte[] out = run(f, "set(ipv4(dst=10.0.0.200)),set(tcp(dst=443)),1");
        assertThat(u32(out, f.l3() + 16)).isEqualTo(0x0a0000c8);
        assertThat(u16(out, f.l4() + 2)).isEqualTo(443);
        assertChecksumsVerify(out);
    }

    @Test
    void metadataFields() {
        TestFrame.Frame f = TestFrame.ipv4(TestFrame.UDP).build();
        Mbuf m = f.load(cache);
        m.skbMark(0xff00);
        m.tunnel(1, 2, 3, 4, 5, 6, 7, 8);
        batch.add(m);
        executor.execute(DpActions.parse("set(skb_mark(0x12/0xff)),set(tunnel(tun_id=0x99,dst=9.9.9.9,ttl=33,"
                + "flags(key))),set(tunnel(tos=0x10)),1"), batch, ctx);
        RecordingContext.Sent out = ctx.outputs(1).get(0);
        assertThat(out.skbMark()).isEqualTo(0xff12);
        assertThat(out.tunnelId()).isEqualTo(0x99);
        assertThat(out.tunnelIpv4Src()).isEqualTo(2);
        assertThat(out.tunnelIpv4Dst()).isEqualTo(0x09090909);
        assertThat(out.tunnelTos()).isEqualTo(0x10);
        assertThat(out.tunnelTtl()).isEqualTo(33);
        assertThat(out.tunnelFlags()).isEqualTo(6);
        assertThat(out.tunnelTpDst()).isEqualTo(8);
        assertThat(ctx.outputs(1).get(0).bytes()).isEqualTo(f.bytes());
    }

    // ---------------------------------------------------------------- property

    private static final int[][] KINDS = {
        {4, TestFrame.TCP}, {4, TestFrame.UDP}, {4, TestFrame.SCTP},
        {6, TestFrame.TCP}, {6, TestFrame.UDP}, {6, TestFrame.SCTP}, {6, TestFrame.ICMPV6},
    };

    /**
     * Any sequence of sets on any frame: the result equals the original with the masked bits
     * written where the packet has the field (checksum bytes aside), and every checksum verifies.
     */
    @Property(tries = 400)
    void randomSetsKeepEveryChecksumValid(@ForAll long seed) {
        Random r = new Random(seed);
        int[] kind = KINDS[r.nextInt(KINDS.length)];
        TestFrame builder = kind[0] == 4 ? TestFrame.ipv4(kind[1]) : TestFrame.ipv6(kind[1]);
        if (r.nextBoolean()) {
            builder.vlan(0x8100, r.nextInt(0x10000));
        }
        if (kind[0] == 6 && r.nextBoolean()) {
            builder.hopByHop();
        }
        if (kind[1] == TestFrame.UDP && kind[0] == 4 && r.nextInt(4) == 0) {
            builder.udpWithoutChecksum();
        }
        builder.ports(r.nextInt(0x10000), r.nextInt(0x10000)).payload(r.nextInt(40)).padTo(r.nextBoolean() ? 60 : 0);
        TestFrame.Frame f = builder.build();

        List<DpField> fields = new ArrayList<>(List.of(DpField.ETH_SRC, DpField.ETH_DST, DpField.IPV4_SRC,
                DpField.IPV4_DST, DpField.IPV4_TOS, DpField.IPV4_TTL, DpField.IPV6_SRC_HI, DpField.IPV6_SRC_LO,
                DpField.IPV6_DST_HI, DpField.IPV6_DST_LO, DpField.IPV6_LABEL, DpField.IPV6_TCLASS, DpField.IPV6_HLIMIT,
                DpField.TCP_SRC, DpField.TCP_DST, DpField.UDP_SRC, DpField.UDP_DST, DpField.SCTP_SRC,
                DpField.SCTP_DST));
        java.util.Collections.shuffle(fields, r);
        DpActionsBuilder program = DpActions.builder();
        byte[] expected = f.bytes().clone();
        int n = 1 + r.nextInt(6);
        for (DpField field : fields.subList(0, n)) {
            long mask = r.nextBoolean() ? field.fullMask() : r.nextLong() & field.fullMask();
            if (mask == 0) {
                mask = field.fullMask();
            }
            long value = r.nextLong() & mask;
            program.setField(field, value, mask);
            writeExpected(expected, f, kind, field, value, mask);
        }
        byte[] out = run(f, program.output(1).build());
        assertChecksumsVerify(out);
        blankChecksums(out, f, kind);
        blankChecksums(expected, f, kind);
        assertThat(out).isEqualTo(expected);
    }

    /** The test's own idea of a set: plain masked writes where the packet has the field. */
    private static void writeExpected(byte[] b, TestFrame.Frame f, int[] kind, DpField field, long value, long mask) {
        int l3 = f.l3();
        int l4 = f.l4();
        switch (field) {
            case ETH_DST -> put(b, 0, 6, value, mask);
            case ETH_SRC -> put(b, 6, 6, value, mask);
            case IPV4_SRC, IPV4_DST, IPV4_TOS, IPV4_TTL -> {
                if (kind[0] == 4) {
                    int at = field == DpField.IPV4_SRC ? 12 : field == DpField.IPV4_DST ? 16
                            : field == DpField.IPV4_TOS ? 1 : 8;
                    put(b, l3 + at, field.widthBits() / 8, value, mask);
                }
            }
            case IPV6_SRC_HI, IPV6_SRC_LO, IPV6_DST_HI, IPV6_DST_LO -> {
                if (kind[0] == 6) {
                    put(b, l3 + 8 + 8 * (field.ordinal() - DpField.IPV6_SRC_HI.ordinal()), 8, value, mask);
                }
            }
            case IPV6_LABEL -> {
                if (kind[0] == 6) {
                    put(b, l3, 4, value, mask);
                }
            }
            case IPV6_TCLASS -> {
                if (kind[0] == 6) {
                    put(b, l3, 4, value << 20, mask << 20);
                }
            }
            case IPV6_HLIMIT -> {
                if (kind[0] == 6) {
                    put(b, l3 + 7, 1, value, mask);
                }
            }
            default -> {
                int proto = field.group() == DpField.Group.TCP ? TestFrame.TCP
                        : field.group() == DpField.Group.UDP ? TestFrame.UDP : TestFrame.SCTP;
                if (proto == kind[1]) {
                    put(b, l4 + (field.printName().equals("src") ? 0 : 2), 2, value, mask);
                }
            }
        }
    }

    private static void put(byte[] b, int at, int bytes, long value, long mask) {
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (bytes - 1 - i);
            int m = (int) (mask >>> shift) & 0xff;
            b[at + i] = (byte) ((b[at + i] & ~m) | ((int) (value >>> shift) & m));
        }
    }

    private static void blankChecksums(byte[] b, TestFrame.Frame f, int[] kind) {
        if (kind[0] == 4) {
            b[f.l3() + 10] = 0;
            b[f.l3() + 11] = 0;
        }
        int at = switch (kind[1]) {
            case TestFrame.TCP -> 16;
            case TestFrame.UDP -> 6;
            case TestFrame.ICMPV6 -> 2;
            default -> 8;
        };
        int len = kind[1] == TestFrame.SCTP ? 4 : 2;
        Arrays.fill(b, f.l4() + at, f.l4() + at + len, (byte) 0);
    }
}
