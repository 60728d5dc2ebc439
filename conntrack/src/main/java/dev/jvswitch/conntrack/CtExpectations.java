package dev.jvswitch.conntrack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Expectations of connections an ALG saw announced (OVS's {@code alg_expectations}): an FTP
 * {@code PORT}/{@code PASV}/{@code EPRT}/{@code EPSV} exchange or a TFTP request says that a
 * connection will come from one address to an address and port, from any source port. A new
 * connection whose key matches one (its source port ignored) is {@code rel}, takes the control
 * connection's mark and label, and carries the control connection's tuple as its original
 * tuple; under NAT its reply key is translated as the control connection's is.
 *
 * <p>As in OVS an expectation lives as long as the control connection that made it (removed with
 * it), and several data connections may use it. Bounded: a control connection keeps at most
 * {@link ConnAlg#MAX_EXPECTATIONS} (the oldest goes), so a hostile control stream cannot grow
 * the map beyond that many per tracked connection.
 *
 * <p><b>Thread-safety:</b> lookups from any PMD ({@link ConcurrentHashMap}); creation holds the
 * control connection's monitor, removal of a control connection's expectations the table's.
 * The new-connection path asks {@link #isEmpty} first, so tables without ALGs pay one read.
 */
final class CtExpectations {
    /** An expected connection's key: a {@link CtKey} with the source port zero. */
    record ExpKey(long srcHi, long srcLo, long dstHi, long dstLo, long meta) {
    }

    /**
     * One expectation: the control connection's original tuple, mark and label, and for NAT the
     * address the new connection's reply key gets ({@code natReplyDst}: as its destination,
     * else as its source).
     */
    record Expectation(ExpKey key, Conn parent, long parentSrcHi, long parentSrcLo, long parentDstHi,
            long parentDstLo, long parentMeta, int parentMark, long parentLabelHi, long parentLabelLo,
            boolean natReplyDst, long natAddrHi, long natAddrLo) {
    }

    private static final long NO_SRC_PORT = ~(0xffffL << 48);

    private final ConcurrentHashMap<ExpKey, Expectation> map = new ConcurrentHashMap<>();

    boolean isEmpty() {
        return map.isEmpty();
    }

    int size() {
        return map.size();
    }

    /** The expectation a new connection with key {@code k} fulfils, or null (allocates a key: new connections only). */
    Expectation lookup(CtKey k) {
        Expectation e = map.get(new ExpKey(k.srcHi, k.srcLo, k.dstHi, k.dstLo, k.meta & NO_SRC_PORT));
        return e == null || e.parent().dead ? null : e;
    }

    /**
     * OVS's {@code expectation_create}: a connection to {@code dstPort} expected by control
     * connection {@code c}, seen from a packet of direction {@code reply}. With {@code reply} the
     * expected connection goes the control connection's way (from its original source to its
     * original destination: the passive modes); without, the other way (from the reply key's
     * source to its destination: active mode, TFTP). Caller holds {@code c}'s monitor.
     */
    void create(Conn c, ConnAlg a, int dstPort, boolean reply) {
        if (c.dead) {
            return;
        }
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        boolean natReplyDst;
        long natHi;
        long natLo;
        boolean dnat = (c.natAction & NatAction.DST) != 0;
        if (reply) {
            srcHi = c.srcHi;
            srcLo = c.srcLo;
            dstHi = c.dstHi;
            dstLo = c.dstLo;
            natReplyDst = !dnat;
            natHi = dnat ? c.rSrcHi : c.rDstHi;
            natLo = dnat ? c.rSrcLo : c.rDstLo;
        } else {
            srcHi = c.rSrcHi;
            srcLo = c.rSrcLo;
            dstHi = c.rDstHi;
            dstLo = c.rDstLo;
            natReplyDst = dnat;
            natHi = dnat ? c.dstHi : c.srcHi;
            natLo = dnat ? c.dstLo : c.srcLo;
        }
        long meta = CtKey.meta(0, dstPort, c.zone, CtKey.proto(c.meta), (int) (c.meta & 0xff));
        ExpKey k = new ExpKey(srcHi, srcLo, dstHi, dstLo, meta);
        if (map.containsKey(k)) {
            return;
        }
        map.put(k, new Expectation(k, c, c.srcHi, c.srcLo, c.dstHi, c.dstLo, c.meta, c.mark,
                c.labelHi, c.labelLo, natReplyDst, natHi, natLo));
        if (a.expectations == null) {
            a.expectations = new ArrayDeque<>(4);
        }
        a.expectations.addLast(k);
        if (a.expectations.size() > ConnAlg.MAX_EXPECTATIONS) {
            ExpKey old = a.expectations.removeFirst();
            map.remove(old);
        }
    }

    /** Removes the expectations {@code c} made (OVS's {@code expectation_clean}); {@code c} is dead. */
    void removeOf(Conn c) {
        ConnAlg a = c.alg;
        if (a == null) {
            return;
        }
        synchronized (c) {
            if (a.expectations != null) {
                for (ExpKey k : a.expectations) {
                    map.remove(k);
                }
                a.expectations.clear();
            }
        }
    }

    void clear() {
        map.clear();
    }

    /** The expectations as text for tests and debugging (allocates). */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (ExpKey k : map.keySet()) {
            out.add(CtFormat.tuple(k.srcHi(), k.srcLo(), k.dstHi(), k.dstLo(), k.meta(), true));
        }
        return out;
    }
}
