package dev.jvswitch.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code flush-conntrack} by partial tuples, reply tuples, mark and labels, following the steps
 * of OVS's system test "conntrack - ct flush" ({@code tests/system-traffic.at}) on the tracker:
 * connection A is UDP 10.1.1.1:1 to 10.1.1.2:2 in zone 0 with mark 0xaa, connection B the
 * other way in zone 5 with label 0xaa00000000, each committed again before each step.
 */
class CtFlushMatchTest {
    private static final String A = "udp,orig=(src=10.1.1.1,dst=10.1.1.2,sport=1,dport=2),"
            + "reply=(src=10.1.1.2,dst=10.1.1.1,sport=2,dport=1),mark=170";
    private static final String B = "udp,orig=(src=10.1.1.2,dst=10.1.1.1,sport=2,dport=1),"
            + "reply=(src=10.1.1.1,dst=10.1.1.2,sport=1,dport=2),zone=5,labels=0xaa00000000";

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-flush", 8).withCacheSize(0));
    private final Conntrack ct = new Conntrack();
    private final CtContext ctx = ct.newContext();
    private final long now = 1000;

    @AfterEach
    void close() {
        pool.close();
    }

    private void commit(FrameBuilder b, int zone, int mark, long label) {
        Mbuf m = CtTestPackets.load(pool, b);
        ct.execute(ctx, m, zone, Conntrack.COMMIT, mark, mark == 0 ? 0 : -1, 0, label, 0, label == 0 ? 0 : -1, now);
        pool.put(m);
    }

    private void both() {
        commit(Frames.udp4().ip("10.1.1.1", "10.1.1.2").ports(1, 2), 0, 0xaa, 0);
        commit(Frames.udp4().ip("10.1.1.2", "10.1.1.1").ports(2, 1), 5, 0, 0xaa00000000L);
        assertThat(dump()).containsExactlyInAnyOrder(A, B);
    }

    private List<String> dump() {
        return ct.dump(-1, now).stream().map(e -> e.format(false, false)).toList();
    }

    private int flush(int zone, String orig, String reply) {
        return ct.flush(CtMatch.parse(orig, reply, null, null), zone, now);
    }

    @Test
    void aWholeTupleFlushesItsConnectionByEitherDirectionWithoutNat() {
        commit(Frames.udp4().ip("10.1.1.1", "10.1.1.2").ports(1, 2), 0, 0xaa, 0);
        assertThat(flush(-1, "ct_nw_src=10.1.1.2,ct_nw_dst=10.1.1.1,ct_nw_proto=17,ct_tp_src=2,ct_tp_dst=1", null))
                .isEqualTo(1);
        assertThat(dump()).isEmpty();
        commit(Frames.udp4().ip("10.1.1.2", "10.1.1.1").ports(2, 1), 5, 0, 0xaa00000000L);
        assertThat(flush(-1, "ct_nw_src=10.1.1.2,ct_nw_dst=10.1.1.1,ct_nw_proto=17,ct_tp_src=2,ct_tp_dst=1", null))
                .as("a whole tuple without a zone is zone 0's").isZero();
        assertThat(flush(5, "ct_nw_src=10.1.1.1,ct_nw_dst=10.1.1.2,ct_nw_proto=17,ct_tp_src=1,ct_tp_dst=2", null))
                .isEqualTo(1);
        assertThat(dump()).isEmpty();
        commit(Frames.icmp4().ip("10.1.1.2", "10.1.1.1").icmp(8, 0).icmpRest(0x00270001), 5, 0, 0);
        assertThat(flush(5, "ct_nw_src=10.1.1.2,ct_nw_dst=10.1.1.1,ct_nw_proto=1,icmp_id=39,icmp_type=8,icmp_code=0",
                null)).isEqualTo(1);
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void partialTuplesFlushEveryConnectionTheyName() {
        both();
        assertThat(flush(-1, "ct_nw_proto=17,ct_tp_src=1", null)).isEqualTo(1);
        assertThat(dump()).containsExactly(B);
        assertThat(flush(-1, "ct_nw_proto=17,ct_tp_src=2", null)).isEqualTo(1);
        assertThat(dump()).isEmpty();

        both();
        assertThat(flush(-1, "ct_nw_proto=17,ct_tp_dst=2", null)).isEqualTo(1);
        assertThat(dump()).containsExactly(B);
        assertThat(flush(-1, "ct_nw_proto=17,ct_tp_dst=1", null)).isEqualTo(1);
        assertThat(dump()).isEmpty();

        both();
        assertThat(flush(-1, "ct_nw_src=10.1.1.1", null)).isEqualTo(1);
        assertThat(dump()).containsExactly(B);
        assertThat(flush(-1, "ct_nw_src=10.1.1.2", null)).isEqualTo(1);
        assertThat(dump()).isEmpty();

        both();
        assertThat(flush(-1, "ct_nw_dst=10.1.1.2", null)).isEqualTo(1);
        assertThat(dump()).containsExactly(B);
        assertThat(flush(-1, "ct_nw_dst=10.1.1.1", null)).isEqualTo(1);
        assertThat(dump()).isEmpty();

        both();
        assertThat(flush(-1, "", "ct_nw_src=10.1.1.2")).as("by the reply tuple").isEqualTo(1);
        assertThat(dump()).containsExactly(B);
        assertThat(flush(0, "", "ct_nw_src=10.1.1.1")).as("not in zone 0").isZero();
        assertThat(flush(5, "", "ct_nw_src=10.1.1.1")).isEqualTo(1);
        assertThat(dump()).isEmpty();

        both();
        assertThat(flush(-1, "ct_nw_src=10.1.1.1,ct_nw_dst=10.1.1.2", null)).as("any protocol").isEqualTo(1);
        assertThat(flush(-1, "ct_ipv6_src=fc00::1", null)).as("IPv6 only").isZero();
        assertThat(flush(-1, "ct_nw_proto=6", null)).as("TCP only").isZero();
        assertThat(dump()).containsExactly(B);
    }

    @Test
    void markAndLabelsFlushUnderTheirMasks() {
        both();
        assertThat(ct.flush(CtMatch.parse(null, null, "0xaa", null), -1, now)).isEqualTo(1);
        assertThat(dump()).containsExactly(B);
        assertThat(ct.flush(CtMatch.parse(null, null, null, "0xaa00000000"), -1, now)).isEqualTo(1);
        assertThat(dump()).isEmpty();

        both();
        assertThat(ct.flush(CtMatch.parse(null, null, "2/2", null), -1, now)).isEqualTo(1);
        assertThat(dump()).containsExactly(B);
        assertThat(ct.flush(CtMatch.parse(null, null, null, "0x0200000000/0x0200000000"), -1, now)).isEqualTo(1);
        assertThat(dump()).isEmpty();

        both();
        assertThat(ct.flush(CtMatch.parse(null, null, null, null), 5, now)).as("an empty match is the zone")
                .isEqualTo(1);
        assertThat(dump()).containsExactly(A);
        assertThat(ct.flush(CtMatch.parse(null, null, null, null), -1, now)).isEqualTo(1);
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void icmpFieldsMatchWhenGivenAndNattedRepliesMatchTheirTranslatedTuple() {
        commit(Frames.icmp4().ip("10.1.1.2", "10.1.1.1").icmp(8, 0).icmpRest(0x00270001), 0, 0, 0);
        commit(Frames.icmp4().ip("10.1.1.2", "10.1.1.1").icmp(8, 0).icmpRest(0x00280001), 0, 0, 0);
        assertThat(flush(-1, "ct_nw_proto=1,icmp_id=40", null)).isEqualTo(1);
        assertThat(flush(-1, "ct_nw_proto=1,icmp_type=0", null)).as("requests only").isZero();
        assertThat(flush(-1, "", "ct_nw_proto=1,icmp_type=0")).as("their replies").isEqualTo(1);

        Mbuf m = CtTestPackets.load(pool, Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 53));
        NatParams snat = new NatParams().set(NatParams.SRC, false, true, 0, 0xc0000264L, 0, 0, 7000, 7000);
        ct.execute(ctx, m, 3, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, snat, now);
        pool.put(m);
        assertThat(flush(-1, "", "ct_nw_dst=192.0.2.99")).isZero();
        assertThat(flush(-1, "", "ct_nw_dst=192.0.2.100,ct_nw_proto=17,ct_tp_dst=7000")).isEqualTo(1);
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void badMatchesAreRefusedWithOvsMessages() {
        assertThatThrownBy(() -> CtMatch.parse("ct_nw_src=10.1.1.1,invalid=invalid", "ct_nw_dst=10.1.1.1", null, null))
                .hasMessage("invalid conntrack tuple field: invalid");
        assertThatThrownBy(() -> CtMatch.parse("ct_nw_src=invalid", null, null, null))
                .hasMessage("failed to parse field ct_nw_src");
        assertThatThrownBy(() -> CtMatch.parse("ct_nw_src=10.1.1.1,ct_nw_src=10.1.1.2", null, null, null))
                .hasMessage("ct_nw_src is set multiple times");
        assertThatThrownBy(() -> CtMatch.parse("ct_tp_src=1", null, null, null))
                .hasMessage("port is set without protocol");
        assertThatThrownBy(() -> CtMatch.parse(null, null, "invalid", null)).hasMessage("failed to parse mark");
        assertThatThrownBy(() -> CtMatch.parse(null, null, null, "invalid")).hasMessage("failed to parse labels");
        assertThatThrownBy(() -> CtMatch.parse(null, null, "0x100000000", null)).hasMessage("failed to parse mark");
        assertThat(CtMatch.parse("", "", null, null).isEmpty()).isTrue();
        assertThat(CtMatch.parse("ct_nw_src=10.1.1.1,ct_nw_dst=10.1.1.2,ct_nw_proto=17,ct_tp_src=1,ct_tp_dst=2",
                null, null, null).fiveTuple(0)).isNotNull();
        assertThat(CtMatch.parse("ct_nw_src=10.1.1.1,ct_nw_dst=10.1.1.2,ct_nw_proto=17,ct_tp_src=1,ct_tp_dst=2",
                null, "1", null).fiveTuple(0)).as("with a mark it is a partial match").isNull();
    }
}
