package dev.jvswitch.conntrack;

import static dev.jvswitch.conntrack.CtState.EST;
import static dev.jvswitch.conntrack.CtState.INV;
import static dev.jvswitch.conntrack.CtState.NEW;
import static dev.jvswitch.conntrack.CtState.RPL;
import static dev.jvswitch.conntrack.CtState.TRK;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

class ConntrackTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-test", 64).withCacheSize(0));
    private final Conntrack ct = new Conntrack();
    private final CtContext ctx = ct.newContext();
    private long now = 1_000;

    @AfterEach
    void close() {
        pool.close();
    }

    private int run(FrameBuilder b, int zone, boolean commit) {
        return run(b, zone, commit ? Conntrack.COMMIT : 0, 0, 0);
    }

    private int run(FrameBuilder b, int zone, int flags, int mark, int markMask) {
        Mbuf m = CtTestPackets.load(pool, b);
        try {
            ct.execute(ctx, m, zone, flags, mark, markMask, 0, 0, 0, 0, now);
            assertThat(m.ctZone()).isEqualTo(zone);
            return m.ctState();
        } finally {
            pool.put(m);
        }
    }

    private static FrameBuilder udp(String src, String dst, int sport, int dport) {
        return Frames.udp4().ip(src, dst).ports(sport, dport);
    }

    @Test
    void udpIsNewUntilAReplyThenEstablishedBothWays() {
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 1000, 53), 0, false)).isEqualTo(NEW | TRK);
        assertThat(ct.connectionCount()).isZero();
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 1000, 53), 0, true)).isEqualTo(NEW | TRK);
        assertThat(ct.connectionCount()).isEqualTo(1);
        assertThat(run(udp("10.0.0.2", "10.0.0.1", 53, 1000), 0, false)).isEqualTo(EST | RPL | TRK);
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 1000, 53), 0, false)).isEqualTo(EST | TRK);
    }

    @Test
    void udpSecondPacketWithoutReplyIsStillNewAsInOvs() {
        run(udp("10.0.0.1", "10.0.0.2", 1000, 53), 0, true);
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 1000, 53), 0, false)).isEqualTo(NEW | TRK);
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 1000, 53), 0, false)).isEqualTo(EST | TRK);
    }

    @Test
    void zonesAreSeparateTables() {
        run(udp("10.0.0.1", "10.0.0.2", 1000, 53), 1, true);
        assertThat(run(udp("10.0.0.2", "10.0.0.1", 53, 1000), 2, false)).isEqualTo(NEW | TRK);
        assertThat(run(udp("10.0.0.2", "10.0.0.1", 53, 1000), 1, false)).isEqualTo(EST | RPL | TRK);
        assertThat(ct.zoneConnectionCount(1)).isEqualTo(1);
        assertThat(ct.flush(2)).isZero();
        assertThat(ct.flush(1)).isEqualTo(1);
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void markIsWrittenOnCommitAndCarriedByLaterPackets() {
        run(udp("10.0.0.1", "10.0.0.2", 1, 2), 0, Conntrack.COMMIT, 0x5, 0xff);
        Mbuf m = CtTestPackets.load(pool, udp("10.0.0.2", "10.0.0.1", 2, 1));
        ct.execute(ctx, m, 0, 0, 0, 0, 0, 0, 0, 0, now);
        assertThat(m.ctMark()).isEqualTo(5);
        assertThat(m.ctOrigSrcLo()).isEqualTo(0x0a000001L);
        assertThat(m.ctOrigTpSrc()).isEqualTo(1);
        assertThat(m.ctOrigProto()).isEqualTo(17);
        pool.put(m);
    }

    @Test
    void badChecksumIsInvalid() {
        byte[] f = udp("10.0.0.1", "10.0.0.2", 1, 2).build();
        f[f.length - 1] ^= 0x55; // payload byte: the UDP checksum no longer matches
        Mbuf m = CtTestPackets.load(pool, f);
        ct.execute(ctx, m, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, now);
        assertThat(m.ctState()).isEqualTo(INV | TRK);
        assertThat(ct.connectionCount()).isZero();
        pool.put(m);
        assertThat(ct.stats().invalid()).isEqualTo(1);
    }

    @Test
    void nonIpAndTruncatedPacketsAreInvalid() {
        assertThat(run(Frames.arp(), 0, true)).isEqualTo(INV | TRK);
        byte[] f = udp("10.0.0.1", "10.0.0.2", 1, 2).build();
        Mbuf m = CtTestPackets.load(pool, java.util.Arrays.copyOf(f, 30));
        ct.execute(ctx, m, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, now);
        assertThat(m.ctState()).isEqualTo(INV | TRK);
        pool.put(m);
    }

    @Test
    void icmpEchoRequestOpensAndReplyIsEstablished() {
        FrameBuilder req = Frames.icmp4().ip("10.0.0.1", "10.0.0.2").icmp(8, 0).icmpRest(0x12340001);
        FrameBuilder rep = Frames.icmp4().ip("10.0.0.2", "10.0.0.1").icmp(0, 0).icmpRest(0x12340001);
        assertThat(run(rep, 0, true)).isEqualTo(INV | TRK);
        assertThat(run(req, 0, true)).isEqualTo(NEW | TRK);
        assertThat(run(rep, 0, false)).isEqualTo(EST | RPL | TRK);
        // A request the other way is not the reply of this one.
        FrameBuilder revReq = Frames.icmp4().ip("10.0.0.2", "10.0.0.1").icmp(8, 0).icmpRest(0x12340001);
        assertThat(run(revReq, 0, false)).isEqualTo(NEW | TRK);
    }

    @Test
    void icmpv6EchoTracked() {
        FrameBuilder req = Frames.icmp6().ip("2001:db8::1", "2001:db8::2").icmp(128, 0).icmpRest(0x00070001);
        FrameBuilder rep = Frames.icmp6().ip("2001:db8::2", "2001:db8::1").icmp(129, 0).icmpRest(0x00070001);
        assertThat(run(req, 0, true)).isEqualTo(NEW | TRK);
        assertThat(run(rep, 0, false)).isEqualTo(EST | RPL | TRK);
    }

    @Test
    void otherProtocolTrackedByAddresses() {
        FrameBuilder gre = Frames.ipv4(47).ip("10.0.0.1", "10.0.0.2").payload(new byte[8]);
        FrameBuilder back = Frames.ipv4(47).ip("10.0.0.2", "10.0.0.1").payload(new byte[8]);
        assertThat(run(gre, 0, true)).isEqualTo(NEW | TRK);
        assertThat(run(back, 0, false)).isEqualTo(EST | RPL | TRK);
    }

    @Test
    void maxConnsRefusesNewButKeepsEstablished() {
        ct.config().maxConns(1);
        run(udp("10.0.0.1", "10.0.0.2", 1, 2), 0, true);
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 3, 4), 0, true)).isEqualTo(NEW | TRK);
        assertThat(ct.connectionCount()).isEqualTo(1);
        assertThat(ct.stats().fullDrops()).isEqualTo(1);
        assertThat(run(udp("10.0.0.2", "10.0.0.1", 2, 1), 0, false)).isEqualTo(EST | RPL | TRK);
    }

    @Test
    void zoneLimitStoresNothingButThePacketGoesOnAsNew() {
        ct.setLimit(7, 1);
        run(udp("10.0.0.1", "10.0.0.2", 1, 2), 7, true);
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 3, 4), 7, true)).isEqualTo(NEW | TRK);
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 3, 4), 8, true)).isEqualTo(NEW | TRK);
        assertThat(ct.zoneConnectionCount(7)).isEqualTo(1);
        assertThat(ct.zoneConnectionCount(8)).isEqualTo(1);
        assertThat(ct.stats().zoneLimitDrops()).isEqualTo(1);
        ct.setLimit(-1, 1);
        assertThat(run(udp("10.0.0.1", "10.0.0.2", 5, 6), 8, true)).isEqualTo(NEW | TRK);
        assertThat(ct.zoneConnectionCount(8)).isEqualTo(1);
        ct.deleteLimit(7);
        assertThat(ct.effectiveLimit(7)).isEqualTo(1);
    }

    @Test
    void sweeperExpiresAfterOvsDefaultTimeouts() {
        run(udp("10.0.0.1", "10.0.0.2", 1, 2), 0, true);
        now += 59_000;
        assertThat(ct.sweep(now, 1 << 20)).isZero();
        now += 1_000;
        assertThat(run(udp("10.0.0.2", "10.0.0.1", 2, 1), 0, false)).isEqualTo(NEW | TRK);
        assertThat(ct.sweep(now, 1 << 20)).isEqualTo(1);
        assertThat(ct.connectionCount()).isZero();
        assertThat(ct.stats().expired()).isEqualTo(1);
    }

    @Test
    void dumpUsesOvsLayout() {
        run(udp("10.1.1.1", "10.1.1.2", 1, 2), 3, Conntrack.COMMIT, 9, -1);
        assertThat(ct.dump(-1, now)).extracting(e -> e.format(false, false)).containsExactly(
                "udp,orig=(src=10.1.1.1,dst=10.1.1.2,sport=1,dport=2),reply=(src=10.1.1.2,dst=10.1.1.1,sport=2,dport=1),zone=3,mark=9");
        assertThat(ct.dump(4, now)).isEmpty();
        run(Frames.icmp6().ip("fc00::1", "fc00::2").icmp(128, 0).icmpRest(0x00070001), 0, true);
        assertThat(ct.dump(0, now)).extracting(e -> e.format(true, false)).containsExactly(
                "icmpv6,orig=(src=fc00::1,dst=fc00::2,id=7,type=128,code=0),reply=(src=fc00::2,dst=fc00::1,id=7,type=129,code=0),id=2,status=0");
    }

    @Test
    void manyConnectionsSurviveResizes() {
        for (int i = 0; i < 20_000; i++) {
            run(udp("10.0.0.1", "10.0.0.2", 1 + (i & 0x3fff), 2 + (i >> 14)), 0, true);
        }
        assertThat(ct.connectionCount()).isEqualTo(20_000);
        for (int i = 0; i < 20_000; i += 97) {
            assertThat(run(udp("10.0.0.2", "10.0.0.1", 2 + (i >> 14), 1 + (i & 0x3fff)), 0, false))
                    .isEqualTo(EST | RPL | TRK);
        }
        assertThat(ct.flush(-1)).isEqualTo(20_000);
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void statsAndLimitsInOvsLayouts() {
        run(udp("10.0.0.1", "10.0.0.2", 1, 2), 1, true);
        run(Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 80).tcpFlags(0x02).seq(1), 1, true);
        run(Frames.icmp4().ip("10.0.0.1", "10.0.0.3").icmp(8, 0), 1, true);
        assertThat(CtShow.stats(ct, false, now)).isEqualTo("Connections Stats:\n    Total: 3\n  UDP: 1\n  TCP: 1\n  ICMP: 1\n");
        assertThat(CtShow.stats(ct, true, now)).contains("  TCP: 1\n    Conn per TCP states:\n\t  [SYN_SENT]=1\n");
        assertThat(CtShow.dump(ct, 1, false, false, now)).contains(
                "icmp,orig=(src=10.0.0.1,dst=10.0.0.3,id=0,type=8,code=0),reply=(src=10.0.0.3,dst=10.0.0.1,id=0,type=0,code=0),zone=1\n",
                "tcp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=1000,dport=80),reply=(src=10.0.0.2,dst=10.0.0.1,sport=80,dport=1000),zone=1,protoinfo=(state=SYN_SENT)\n");
        assertThat(CtShow.dump(ct, 1, true, true, now)).contains(",zone=1,status=0,timeout=30,protoinfo=(state_orig=SYN_SENT,"
                + "state_reply=CLOSED,flags_orig=0,flags_reply=0)");
        ct.setLimit(-1, 10);
        ct.setLimit(1, 5);
        assertThat(CtShow.limits(ct, java.util.List.of())).isEqualTo("default limit=10\nzone=1,limit=5,count=3\n");
        ct.deleteLimit(1);
        assertThat(CtShow.limits(ct, java.util.List.of(1, 2))).isEqualTo(
                "default limit=10\nzone=1,limit=10,count=3\nzone=2,limit=10,count=0\n");
    }
}
