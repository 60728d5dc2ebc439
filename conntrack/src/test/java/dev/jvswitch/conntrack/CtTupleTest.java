package dev.jvswitch.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/** {@code flush-conntrack}'s ct-orig-tuple: OVS's syntax and messages, and flushing by the original tuple only. */
class CtTupleTest {
    @Test
    void flushesTheConnectionItsOriginalTupleNamesAndNotByItsNattedReply() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-tuple", 8).withCacheSize(0))) {
            Conntrack ct = new Conntrack();
            CtContext ctx = ct.newContext();
            NatParams snat = new NatParams().set(NatParams.SRC, false, true, 0, 0xc0000264L, 0, 0, 7000, 7000);
            commit(ct, ctx, pool, Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 53), 3, snat);
            commit(ct, ctx, pool, Frames.icmp4().ip("10.0.0.1", "10.0.0.2").icmp(8, 0).icmpRest(0x00090001), 0, null);
            commit(ct, ctx, pool, Frames.udp6().ip("fd00::1", "fd00::2").ports(5, 6), 0, null);
            assertThat(ct.connectionCount()).isEqualTo(3);
            assertThat(ct.flush(CtTuple.parse("ct_nw_src=10.0.0.2,ct_nw_dst=192.0.2.100,ct_nw_proto=17,ct_tp_src=53,"
                    + "ct_tp_dst=7000", 3), 1)).isFalse();
            assertThat(ct.flush(CtTuple.parse("ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.2,ct_nw_proto=17,ct_tp_src=1000,"
                    + "ct_tp_dst=53", 0), 1)).as("wrong zone").isFalse();
            assertThat(ct.flush(CtTuple.parse("ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.2,ct_nw_proto=17,ct_tp_src=1000,"
                    + "ct_tp_dst=53", 3), 1)).isTrue();
            assertThat(ct.flush(CtTuple.parse("ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.2,ct_nw_proto=1,icmp_type=8,"
                    + "icmp_code=0,icmp_id=9", 0), 1)).isTrue();
            assertThat(ct.flush(CtTuple.parse("ct_ipv6_src=fd00::1,ct_ipv6_dst=fd00::2,ct_nw_proto=17,ct_tp_src=5,"
                    + "ct_tp_dst=6", 0), 1)).isTrue();
            assertThat(ct.connectionCount()).isZero();
        }
    }

    @Test
    void badTuplesAreRefusedWithOvsMessages() {
        assertThatThrownBy(() -> CtTuple.parse("ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.2,ct_nw_proto=17", 0))
                .hasMessage("at least one of the conntrack 5-tuple fields is missing.");
        assertThatThrownBy(() -> CtTuple.parse("ct_nw_src=10.0.0.300,ct_nw_dst=10.0.0.2", 0))
                .hasMessage("failed to parse field ct_nw_src");
        assertThatThrownBy(() -> CtTuple.parse("ct_nw_src=10.0.0.1,ct_ipv6_dst=::1", 0))
                .hasMessage("the L3 protocol does not match ::1");
        assertThatThrownBy(() -> CtTuple.parse("ct_nw_src=10.0.0.1,bogus=1", 0))
                .hasMessage("invalid conntrack tuple field: bogus");
        assertThatThrownBy(() -> CtTuple.parse("ct_nw_proto=17,icmp_id=1", 0)).hasMessage("invalid L4 fields");
    }

    private static void commit(Conntrack ct, CtContext ctx, MbufPool pool, FrameBuilder b, int zone, NatParams nat) {
        Mbuf m = CtTestPackets.load(pool, b);
        ct.execute(ctx, m, zone, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, nat, 1);
        pool.put(m);
    }
}
