package dev.jvswitch.conntrack;

import static dev.jvswitch.conntrack.CtState.DNAT;
import static dev.jvswitch.conntrack.CtState.EST;
import static dev.jvswitch.conntrack.CtState.INV;
import static dev.jvswitch.conntrack.CtState.NEW;
import static dev.jvswitch.conntrack.CtState.REL;
import static dev.jvswitch.conntrack.CtState.RPL;
import static dev.jvswitch.conntrack.CtState.SNAT;
import static dev.jvswitch.conntrack.CtState.TRK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/** SNAT, DNAT, un-NAT of replies, related ICMP errors and port allocation, with checksums checked. */
class NatTest {
    private static final long NAT_ADDR = ip("192.0.2.100");

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-nat", 64).withCacheSize(0));
    private final Conntrack ct = new Conntrack();
    private final CtContext ctx = ct.newContext();
    private final CtPacket check = new CtPacket();
    private final long now = 1_000;

    @AfterEach
    void close() {
        pool.close();
    }

    private static long ip(String text) {
        long v = 0;
        for (String part : text.split("\\.")) {
            v = v << 8 | Integer.parseInt(part);
        }
        return v;
    }

    private static NatParams snat(long addr, int minPort, int maxPort) {
        return new NatParams().set(NatParams.SRC, false, true, 0, addr, 0, 0, minPort, maxPort);
    }

    private static NatParams dnat(long addr, int port) {
        return new NatParams().set(NatParams.DST, false, true, 0, addr, 0, 0, port, 0);
    }

    /** Runs {@code b} through ct and returns the packet (caller puts it back); its checksums must verify. */
    private Mbuf run(FrameBuilder b, int flags, NatParams nat) {
        Mbuf m = CtTestPackets.load(pool, b);
        ct.execute(ctx, m, 0, flags, 0, 0, 0, 0, 0, 0, nat, now);
        assertThat(check.extract(m, 0)).as("checksums and lengths still valid").isTrue();
        return m;
    }

    private CtKey keyOf(Mbuf m) {
        check.extract(m, 0);
        return check.key;
    }

    @Test
    void snatRewritesSourceAndRepliesAreUnNatted() {
        Mbuf m = run(Frames.udp4().ip("10.0.0.1", "10.1.0.9").ports(1234, 53), Conntrack.COMMIT,
                snat(NAT_ADDR, 5000, 5009));
        assertThat(m.ctState()).isEqualTo(NEW | TRK | SNAT);
        CtKey k = keyOf(m);
        assertThat(k.srcLo()).isEqualTo(NAT_ADDR);
        int port = k.tpSrc();
        assertThat(port).isBetween(5000, 5009);
        assertThat(k.dstLo()).isEqualTo(ip("10.1.0.9"));
        assertThat(k.tpDst()).isEqualTo(53);
        assertThat(m.ctOrigSrcLo()).isEqualTo(ip("10.0.0.1"));
        pool.put(m);

        Mbuf r = run(Frames.udp4().ip("10.1.0.9", "192.0.2.100").ports(53, port), 0, new NatParams().bare());
        assertThat(r.ctState()).isEqualTo(EST | RPL | TRK | DNAT);
        CtKey rk = keyOf(r);
        assertThat(rk.dstLo()).isEqualTo(ip("10.0.0.1"));
        assertThat(rk.tpDst()).isEqualTo(1234);
        assertThat(rk.srcLo()).isEqualTo(ip("10.1.0.9"));
        pool.put(r);

        Mbuf again = run(Frames.udp4().ip("10.0.0.1", "10.1.0.9").ports(1234, 53), 0, new NatParams().bare());
        assertThat(again.ctState()).isEqualTo(EST | TRK | SNAT);
        assertThat(keyOf(again).tpSrc()).isEqualTo(port);
        pool.put(again);
        assertThat(CtShow.dump(ct, -1, false, false, now)).isEqualTo(
                "udp,orig=(src=10.0.0.1,dst=10.1.0.9,sport=1234,dport=53),reply=(src=10.1.0.9,dst=192.0.2.100,sport=53,dport="
                        + port + ")\n");
    }

    @Test
    void withoutNatArgumentTheConnectionsNatIsNotApplied() {
        pool.put(run(Frames.udp4().ip("10.0.0.1", "10.1.0.9").ports(1234, 53), Conntrack.COMMIT,
                snat(NAT_ADDR, 0, 0)));
        Mbuf m = run(Frames.udp4().ip("10.0.0.1", "10.1.0.9").ports(1234, 53), 0, null);
        assertThat(m.ctState()).isEqualTo(NEW | TRK);
        assertThat(keyOf(m).srcLo()).isEqualTo(ip("10.0.0.1"));
        pool.put(m);
    }

    @Test
    void aSecondPassInTheSameZoneDoesNotTranslateAgainButFindsTheConnection() {
        Mbuf m = run(Frames.udp4().ip("10.0.0.1", "10.1.0.9").ports(1234, 53), Conntrack.COMMIT,
                snat(NAT_ADDR, 7000, 7000));
        ct.execute(ctx, m, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, null, now);
        assertThat(m.ctState()).isEqualTo(NEW | TRK | SNAT);
        assertThat(ct.connectionCount()).isEqualTo(1);
        ct.execute(ctx, m, 0, 0, 0, 0, 0, 0, 0, 0, new NatParams().bare(), now);
        assertThat(keyOf(m).srcLo()).isEqualTo(NAT_ADDR);
        assertThat(keyOf(m).tpSrc()).isEqualTo(7000);
        pool.put(m);
    }

    @Test
    void concurrentConnectionsGetDistinctPortsAndExhaustionRefuses() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Mbuf m = run(Frames.udp4().ip("10.0.0." + (1 + i % 4), "10.1.0.9").ports(40000 + i, 53), Conntrack.COMMIT,
                    snat(NAT_ADDR, 6000, 6019));
            CtKey k = keyOf(m);
            assertThat(k.srcLo()).isEqualTo(NAT_ADDR);
            ports.add(k.tpSrc());
            pool.put(m);
        }
        assertThat(ports).hasSize(20);
        assertThat(ports).allMatch(p -> p >= 6000 && p <= 6019);
        Mbuf m = run(Frames.udp4().ip("10.0.0.9", "10.1.0.9").ports(40000, 53), Conntrack.COMMIT,
                snat(NAT_ADDR, 6000, 6019));
        assertThat(m.ctState()).isEqualTo(NEW | TRK);
        assertThat(ct.connectionCount()).isEqualTo(20);
        assertThat(ctx.natExhausted).isEqualTo(1);
        pool.put(m);
    }

    @Test
    void portsSpreadOverTheRangeByHash() {
        int[] hits = new int[4];
        for (int i = 0; i < 400; i++) {
            Mbuf m = run(Frames.udp4().ip("10.0.1." + (i % 200 + 1), "10.1.0.9").ports(30000 + i, 53),
                    Conntrack.COMMIT, snat(NAT_ADDR, 10000, 49999));
            hits[(keyOf(m).tpSrc() - 10000) / 10000]++;
            pool.put(m);
        }
        assertThat(Arrays.stream(hits).min().getAsInt()).as(Arrays.toString(hits)).isGreaterThan(60);
    }

    /**
     * OVS's all-zero SNAT ({@code nat(src)} with no address, which OVN commits with where the
     * datapath reports {@code ct_zero_snat}): the connection keeps its own address and port, unless
     * its reply tuple is already another connection's; then only the source port changes.
     */
    @Test
    void zeroSnatKeepsTheTupleAndMovesOnlyTheSourcePortOnACollision() {
        NatParams zero = new NatParams().set(NatParams.SRC, false, false, 0, 0, 0, 0, 0, 0);
        Mbuf m = run(Frames.tcp4().ip("10.0.0.1", "10.1.0.9").ports(40000, 80).tcpFlags(0x02).seq(1),
                Conntrack.COMMIT, zero);
        assertThat(keyOf(m).srcLo()).isEqualTo(ip("10.0.0.1"));
        assertThat(keyOf(m).tpSrc()).isEqualTo(40000);
        pool.put(m);
        // 10.0.0.2:40001 hidden behind 10.0.0.1:40001 takes the reply tuple 10.0.0.1:40001 would have.
        Mbuf hidden = run(Frames.tcp4().ip("10.0.0.2", "10.1.0.9").ports(40001, 80).tcpFlags(0x02).seq(1),
                Conntrack.COMMIT, snat(ip("10.0.0.1"), 0, 0));
        assertThat(keyOf(hidden).tpSrc()).isEqualTo(40001);
        pool.put(hidden);
        Mbuf own = run(Frames.tcp4().ip("10.0.0.1", "10.1.0.9").ports(40001, 80).tcpFlags(0x02).seq(1),
                Conntrack.COMMIT, zero);
        assertThat(own.ctState() & NEW).isNotZero();
        assertThat(keyOf(own).srcLo()).isEqualTo(ip("10.0.0.1"));
        assertThat(keyOf(own).tpSrc()).isBetween(1024, 65535).isNotEqualTo(40001);
        pool.put(own);
    }

    @Test
    void snatWithoutPortRangeKeepsTheSourcePortWhenFree() {
        Mbuf m = run(Frames.tcp4().ip("10.0.0.1", "10.1.0.9").ports(33333, 80).tcpFlags(0x02).seq(1),
                Conntrack.COMMIT, snat(NAT_ADDR, 0, 0));
        assertThat(keyOf(m).tpSrc()).isEqualTo(33333);
        assertThat(keyOf(m).srcLo()).isEqualTo(NAT_ADDR);
        pool.put(m);
        Mbuf n = run(Frames.tcp4().ip("10.0.0.2", "10.1.0.9").ports(33333, 80).tcpFlags(0x02).seq(1),
                Conntrack.COMMIT, snat(NAT_ADDR, 0, 0));
        assertThat(keyOf(n).tpSrc()).isBetween(1024, 65535).isNotEqualTo(33333);
        pool.put(n);
    }

    @Test
    void dnatPortForwardingTranslatesTheReplyBack() {
        Mbuf syn = run(Frames.tcp4().ip("10.0.0.1", "192.0.2.1").ports(40000, 80).tcpFlags(0x02).seq(100),
                Conntrack.COMMIT, dnat(ip("10.2.0.5"), 8080));
        assertThat(syn.ctState()).isEqualTo(NEW | TRK | DNAT);
        CtKey k = keyOf(syn);
        assertThat(k.dstLo()).isEqualTo(ip("10.2.0.5"));
        assertThat(k.tpDst()).isEqualTo(8080);
        assertThat(k.srcLo()).isEqualTo(ip("10.0.0.1"));
        assertThat(k.tpSrc()).isEqualTo(40000);
        pool.put(syn);
        Mbuf synAck = run(Frames.tcp4().ip("10.2.0.5", "10.0.0.1").ports(8080, 40000).tcpFlags(0x12).seq(500).ack(101)
                .window(1000), 0, new NatParams().bare());
        assertThat(synAck.ctState()).isEqualTo(EST | RPL | TRK | SNAT);
        CtKey rk = keyOf(synAck);
        assertThat(rk.srcLo()).isEqualTo(ip("192.0.2.1"));
        assertThat(rk.tpSrc()).isEqualTo(80);
        pool.put(synAck);
    }

    @Test
    void icmpErrorForANattedUdpFlowIsRelatedAndUnNatted() {
        Mbuf m = run(Frames.udp4().ip("10.0.0.1", "10.1.0.9").ports(1234, 53), Conntrack.COMMIT,
                snat(NAT_ADDR, 5000, 5000));
        byte[] sent = new byte[m.length()];
        m.buffer().getBytes(m.dataOffset(), sent);
        pool.put(m);
        byte[] quoted = Arrays.copyOfRange(sent, 14, sent.length); // the translated IP packet
        Mbuf err = run(Frames.icmp4().ip("10.1.0.9", "192.0.2.100").icmp(3, 3).payload(quoted), 0,
                new NatParams().bare());
        assertThat(err.ctState()).isEqualTo(REL | RPL | TRK | DNAT);
        CtKey outer = new CtKey();
        check.extract(err, 0);
        assertThat(check.related).isTrue();
        outer.copyFrom(check.key); // reverse of the quoted packet: now the original tuple reversed
        assertThat(outer.srcLo()).isEqualTo(ip("10.1.0.9"));
        assertThat(outer.dstLo()).isEqualTo(ip("10.0.0.1"));
        assertThat(outer.tpDst()).isEqualTo(1234);
        int base = err.dataOffset() + 14;
        assertThat(err.buffer().getInt(base + 16, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff_ffffL)
                .as("outer destination").isEqualTo(ip("10.0.0.1"));
        int inner = base + 20 + 8;
        assertThat(CtChecksum.verifies(err.buffer(), inner, 20, 0)).as("quoted IP header checksum").isTrue();
        pool.put(err);

        Mbuf stray = run(Frames.icmp4().ip("10.1.0.9", "192.0.2.100").icmp(3, 3)
                .payload(Arrays.copyOfRange(Frames.udp4().ip("192.0.2.100", "10.1.0.9").ports(9, 9).build(), 14, 42)),
                0, new NatParams().bare());
        assertThat(stray.ctState()).isEqualTo(INV | TRK);
        pool.put(stray);
    }

    @Test
    void ipv6SnatAndReply() {
        NatParams six = new NatParams().set(NatParams.SRC, true, true, 0xfd00_0000_0000_0000L, 0x64L, 0, 0, 0, 0);
        Mbuf m = run(Frames.tcp6().ip("2001:db8::1", "2001:db8:1::9").ports(2222, 443).tcpFlags(0x02).seq(7),
                Conntrack.COMMIT, six);
        assertThat(m.ctState()).isEqualTo(NEW | TRK | SNAT);
        CtKey k = keyOf(m);
        assertThat(k.srcHi()).isEqualTo(0xfd00_0000_0000_0000L);
        assertThat(k.srcLo()).isEqualTo(0x64L);
        pool.put(m);
        Mbuf r = run(Frames.tcp6().ip("2001:db8:1::9", "fd00::64").ports(443, 2222).tcpFlags(0x12).seq(70).ack(8)
                .window(1000), 0, new NatParams().bare());
        assertThat(r.ctState()).isEqualTo(EST | RPL | TRK | DNAT);
        assertThat(keyOf(r).dstLo()).isEqualTo(1L);
        assertThat(keyOf(r).dstHi()).isEqualTo(0x2001_0db8_0000_0000L);
        pool.put(r);
    }

    @Test
    void icmpEchoIdIsTranslatedWhenItWouldClash() {
        Mbuf a = run(Frames.icmp4().ip("10.0.0.1", "10.1.0.9").icmp(8, 0).icmpRest(0x00070001), Conntrack.COMMIT,
                snat(NAT_ADDR, 0, 0));
        Mbuf b = run(Frames.icmp4().ip("10.0.0.2", "10.1.0.9").icmp(8, 0).icmpRest(0x00070001), Conntrack.COMMIT,
                snat(NAT_ADDR, 0, 0));
        assertThat(keyOf(a).tpSrc()).isEqualTo(7);
        int idB = keyOf(b).tpSrc();
        assertThat(idB).isNotEqualTo(7);
        assertThat(ct.connectionCount()).isEqualTo(2);
        Mbuf reply = run(Frames.icmp4().ip("10.1.0.9", "192.0.2.100").icmp(0, 0).icmpRest(idB << 16 | 1), 0,
                new NatParams().bare());
        assertThat(reply.ctState()).isEqualTo(EST | RPL | TRK | DNAT);
        assertThat(keyOf(reply).dstLo()).isEqualTo(ip("10.0.0.2"));
        assertThat(keyOf(reply).tpSrc()).isEqualTo(7);
        for (Mbuf m : new Mbuf[] {a, b, reply}) {
            pool.put(m);
        }
    }
}
