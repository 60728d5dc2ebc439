package dev.jvswitch.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@link Conntrack#executeBatch} tracks a batch exactly as {@link Conntrack#execute} tracks its
 * packets one by one: the same ct_state, mark, original tuple and packet bytes (under NAT too),
 * the same table afterwards, with batches that hold a connection's first packet and its reply,
 * the same packet twice, invalid packets, and more packets than the read-ahead holds.
 */
class CtBatchTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-batch", 256).withCacheSize(0));

    @AfterEach
    void close() {
        pool.close();
    }

    private static FrameBuilder frame(Random r) {
        int a = 1 + r.nextInt(3);
        int b = 1 + r.nextInt(3);
        boolean back = r.nextBoolean();
        String x = "10.0.0." + a;
        String y = "10.1.0." + b;
        int sport = 1000 + r.nextInt(4);
        return switch (r.nextInt(5)) {
            case 0 -> Frames.udp4().ip(back ? y : x, back ? x : y).ports(back ? 53 : sport, back ? sport : 53);
            case 1 -> Frames.icmp4().ip(back ? y : x, back ? x : y).icmp(back ? 0 : 8, 0).icmpRest(7 << 16 | 1);
            case 2 -> Frames.tcp4().ip(x, y).ports(sport, 80).tcpFlags(0x02).seq(100).window(1000);
            case 3 -> Frames.tcp4().ip(y, x).ports(80, sport).tcpFlags(0x12).seq(900).ack(101).window(1000);
            default -> Frames.udp4().ip(x, y).ports(sport, 53).payload(new byte[3]).udpChecksum(false)
                    .ttl(r.nextInt(2) == 0 ? 64 : 1);
        };
    }

    @Test
    void aBatchIsTrackedAsItsPacketsOneByOne() {
        for (boolean natOn : new boolean[] {false, true}) {
            Random r = new Random(natOn ? 7 : 3);
            Conntrack one = new Conntrack();
            Conntrack many = new Conntrack();
            CtContext c1 = one.newContext();
            CtContext cn = many.newContext();
            NatParams nat = natOn
                    ? new NatParams().set(NatParams.SRC, false, true, 0, 0xc0000264L, 0, 0xc0000265L, 2000, 2010)
                    : null;
            for (int round = 0; round < 40; round++) {
                int n = 1 + r.nextInt(45); // past the 32 the read-ahead holds
                int flags = r.nextInt(3) == 0 ? 0 : Conntrack.COMMIT;
                List<Mbuf> a = new ArrayList<>();
                Mbuf[] b = new Mbuf[n];
                for (int i = 0; i < n; i++) {
                    byte[] f = frame(r).build();
                    if (r.nextInt(10) == 0) {
                        f[20] ^= 0x40; // a broken IPv4 checksum: inv
                    }
                    a.add(CtTestPackets.load(pool, f));
                    b[i] = CtTestPackets.load(pool, f);
                }
                for (Mbuf m : a) {
                    one.execute(c1, m, 3, flags, 5, 0xff, 0, 0, 0, 0, nat, CtAlg.NONE, 1000 + round);
                }
                many.executeBatch(cn, b, n, 3, flags, 5, 0xff, 0, 0, 0, 0, nat, CtAlg.NONE, 1000 + round);
                for (int i = 0; i < n; i++) {
                    Mbuf x = a.get(i);
                    Mbuf y = b[i];
                    assertThat(y.ctState()).as("round %d packet %d", round, i).isEqualTo(x.ctState());
                    assertThat(y.ctMark()).isEqualTo(x.ctMark());
                    assertThat(y.ctOrigSrcLo()).isEqualTo(x.ctOrigSrcLo());
                    assertThat(y.ctOrigTpSrc()).isEqualTo(x.ctOrigTpSrc());
                    assertThat(y.toByteArray()).isEqualTo(x.toByteArray());
                    pool.put(x);
                    pool.put(y);
                }
            }
            assertThat(strip(many)).containsExactlyInAnyOrderElementsOf(strip(one));
            assertThat(many.connectionCount()).isPositive();
        }
    }

    private static List<String> strip(Conntrack ct) {
        return ct.dump(-1, 2000).stream().map(e -> e.format(true, false).replaceAll(",id=\\d+", "")).toList();
    }
}
