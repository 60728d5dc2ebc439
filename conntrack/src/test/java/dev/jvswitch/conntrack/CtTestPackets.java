package dev.jvswitch.conntrack;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.testkit.frame.FrameBuilder;

/** Puts test frames into mbufs with the offsets the datapath's parser would set (no VLAN tags). */
final class CtTestPackets {
    private CtTestPackets() {
    }

    static Mbuf load(MbufPool pool, byte[] frame) {
        Mbuf m = pool.get();
        m.copyFrom(frame, 0, frame.length);
        m.headerOffsets(0, 14, -1);
        return m;
    }

    static Mbuf load(MbufPool pool, FrameBuilder b) {
        return load(pool, b.build());
    }
}
