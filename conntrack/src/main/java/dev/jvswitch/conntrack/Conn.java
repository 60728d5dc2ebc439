package dev.jvswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One tracked connection: both directions' keys, inline (the original direction's and the reply
 * direction's, which NAT may have translated), its protocol state, mark, label, expiry and
 * counters. Made once when a {@code ct(commit)} creates it and never reused, so a lock-free
 * reader holding a stale reference sees a consistent, if dead, connection. It is the only
 * object a UDP, ICMP or other-protocol connection costs: the table's slots hold references to
 * it under both keys' hashes (OVS's two {@code conn_key_node}s), so a packet of either direction
 * reaches it with one probe and no separate node.
 *
 * <p><b>Thread-safety:</b> the keys, zone, protocol and id are final. The protocol state
 * ({@link #l4State}, the TCP peers), mark and label are written under this object's monitor by
 * whichever PMD's packet updates the connection (OVS's per-connection lock); PMDs read mark and
 * label without the lock (volatile, so a reader sees a whole value of each; mark and label are
 * independent, as in OVS). {@link #expirationMs} is volatile: written by updaters (under the
 * monitor for TCP; for other protocols without it, see {@code Conntrack}), read by lookups and the
 * sweeper without it; {@link #l4State} of UDP/ICMP/other is written without the monitor too, its
 * values only moving forward. Packet counters are not kept (OVS's userspace tracker keeps none
 * either, and they would cost 32 bytes a connection), so {@code dump-conntrack -s} shows
 * timeouts only. {@link #dead} is set once, under the table's write lock, when the connection
 * leaves the table; readers that find it set treat the connection as absent.
 */
final class Conn {
    /** {@code l4State} for UDP and other protocols (OVS's {@code other_state}). */
    static final int OTHER_FIRST = 0;
    static final int OTHER_MULTIPLE = 1;
    static final int OTHER_BIDIR = 2;
    /** {@code l4State} for ICMP (OVS's {@code icmp_state}). */
    static final int ICMP_FIRST = 0;
    static final int ICMP_REPLY = 1;
    /** Smallest move of the expiry worth a store (see {@link #refresh}). */
    static final long REFRESH_MS = 1000;
    private static final VarHandle EXPIRATION;
    private static final VarHandle TIMEOUT_CLASS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            EXPIRATION = l.findVarHandle(Conn.class, "expirationMs", long.class);
            TIMEOUT_CLASS = l.findVarHandle(Conn.class, "timeoutClass", CtTimeouts.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The original direction's key (see {@link CtKey} for the layout) and its hash. */
    final long srcHi;
    final long srcLo;
    final long dstHi;
    final long dstLo;
    final long meta;
    final int hash;
    /** The reply direction's key and its hash. */
    final long rSrcHi;
    final long rSrcLo;
    final long rDstHi;
    final long rDstLo;
    final long rMeta;
    final int rHash;
    final int zone;
    final int proto;
    final long id;
    /** Original direction's ICMP type and code (ct_tp_src/dst for ICMP); 0 otherwise. */
    final int origIcmpType;
    final int origIcmpCode;
    /** The NAT the connection was committed with ({@link NatAction} bits; 0 for none). */
    final int natAction;

    /** The TCP peers (null for other protocols): peer 0 sent the first packet, 1 replies. */
    final TcpPeer peer0;
    final TcpPeer peer1;
    /** The ALG's state: null unless committed with a helper or opened by an expectation. */
    ConnAlg alg;

    /** Its place in the table's {@link ConnRegistry}; set under the table's monitor before it is published. */
    int index;
    int l4State;
    volatile int mark;
    volatile long labelHi;
    volatile long labelLo;
    volatile long expirationMs;
    volatile CtTimeouts timeoutClass;
    volatile boolean dead;

    Conn(CtKey orig, CtKey reply, long id, int origIcmpType, int origIcmpCode) {
        this(orig, reply, id, origIcmpType, origIcmpCode, 0);
    }

    Conn(CtKey orig, CtKey reply, long id, int origIcmpType, int origIcmpCode, int natAction) {
        this.srcHi = orig.srcHi;
        this.srcLo = orig.srcLo;
        this.dstHi = orig.dstHi;
        this.dstLo = orig.dstLo;
        this.meta = orig.meta;
        this.hash = orig.hash;
        this.rSrcHi = reply.srcHi;
        this.rSrcLo = reply.srcLo;
        this.rDstHi = reply.dstHi;
        this.rDstLo = reply.dstLo;
        this.rMeta = reply.meta;
        this.rHash = reply.hash;
        this.natAction = natAction;
        this.zone = orig.zone();
        this.proto = orig.proto();
        this.id = id;
        this.origIcmpType = origIcmpType;
        this.origIcmpCode = origIcmpCode;
        boolean tcp = proto == CtPacket.TCP;
        this.peer0 = tcp ? new TcpPeer() : null;
        this.peer1 = tcp ? new TcpPeer() : null;
    }

    /**
     * Reads a field in each 64-byte line this object may span (its 184 bytes: the header, the
     * original key, the reply key, the hashes and state, the references at its end), so that a
     * batch's read-ahead brings a connection into the cache with independent loads, before the
     * lookup compares keys field by field. Returns a value to be summed, so the loads stay.
     */
    int touch() {
        return hash + (int) rDstHi + rHash + (alg == null ? 0 : 1);
    }

    /** Whether {@code k} is this connection's original-direction key. */
    boolean matchesOrig(CtKey k) {
        return hash == k.hash && meta == k.meta && srcLo == k.srcLo && dstLo == k.dstLo && srcHi == k.srcHi
                && dstHi == k.dstHi;
    }

    /** Whether {@code k} is this connection's reply-direction key. */
    boolean matchesReply(CtKey k) {
        return rHash == k.hash && rMeta == k.meta && rSrcLo == k.srcLo && rDstLo == k.dstLo && rSrcHi == k.srcHi
                && rDstHi == k.dstHi;
    }

    /**
     * Whether a packet with key {@code k}, which found this connection, goes the reply way. A key
     * that is both (a connection to itself) is the original direction, as OVS looks at the
     * forward key first.
     */
    boolean isReply(CtKey k) {
        return !matchesOrig(k);
    }

    /** TCP peer {@code i}: 0 sent the first packet, 1 replies. */
    TcpPeer peer(int i) {
        return i == 0 ? peer0 : peer1;
    }

    boolean ipv6() {
        return (meta & 0xff) == CtKey.FAMILY_IPV6;
    }

    /** Sets the expiry to {@code nowMs} plus the class's timeout in its zone's policy; caller holds the monitor. */
    void expireIn(CtTimeouts tm, long nowMs, CtConfig config) {
        timeoutClass = tm;
        expirationMs = nowMs + config.timeoutMs(zone, tm);
    }

    /**
     * {@link #expireIn} for a connection not yet in the table: plain stores, which the table's
     * release store of the connection publishes, instead of two volatile stores and their fences.
     */
    void initExpiry(CtTimeouts tm, long nowMs, CtConfig config) {
        TIMEOUT_CLASS.set(this, tm);
        EXPIRATION.set(this, nowMs + config.timeoutMs(zone, tm));
    }

    /**
     * {@link #expireIn} unless the expiry would move by less than {@link #REFRESH_MS} in the same
     * class: OVS's timeouts are in seconds, and a store per packet would make every PMD that
     * tracks this connection write its cache line.
     */
    void refresh(CtTimeouts tm, long nowMs, CtConfig config) {
        long exp = nowMs + config.timeoutMs(zone, tm);
        if (tm != timeoutClass || exp - expirationMs >= REFRESH_MS) {
            timeoutClass = tm;
            expirationMs = exp;
        }
    }

    boolean expired(long nowMs) {
        return nowMs >= expirationMs;
    }

    /** One TCP endpoint as OVS's {@code tcp_peer} (pf's sequence tracking). */
    static final class TcpPeer {
        int seqLo;
        int seqHi;
        int maxWin;
        int wscale;
        int state;
    }
}
