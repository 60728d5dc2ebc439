package dev.jvswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One tracked connection: both directions' keys, inline (the original direction's and the reply
 * direction's, which NAT may have translated), its protocol state, mark, label and expiry. The
 * objects are pooled ({@link ConnRegistry}): one is built by {@link #init} when a
 * {@code ct(commit)} creates a connection in it, and built again for another connection only
 * once no lock-free reader can still hold it, so a reader holding a stale reference sees a
 * consistent, if dead, connection. It is the only object a connection uses: the table's slots
 * name its index under both keys' hashes (OVS's two {@code conn_key_node}s), so a packet of
 * either direction reaches it with one probe and no separate node. A TCP connection's two
 * {@link TcpPeer}s are made with the object's first TCP connection and kept with it.
 *
 * <p><b>Thread-safety:</b> the keys, zone, protocol, id and NAT action are written by
 * {@link #init} under the table's monitor, before the release store of a slot publishes the
 * connection, and not again while any reader can reach it; {@link #index} is final. The
 * protocol state ({@link #l4State}, the TCP peers), mark and label are written under this
 * object's monitor by whichever PMD's packet updates the connection (OVS's per-connection lock);
 * PMDs read mark and label without the lock (volatile, so a reader sees a whole value of each;
 * mark and label are independent, as in OVS). {@link #expirationMs} is volatile: written by
 * updaters (under the monitor for TCP; for other protocols without it, see {@code Conntrack}),
 * read by lookups and the sweeper without it; {@link #l4State} of UDP/ICMP/other is written
 * without the monitor too, its values only moving forward. Packet counters are not kept (OVS's
 * userspace tracker keeps none either, and they would cost 32 bytes a connection), so
 * {@code dump-conntrack -s} shows timeouts only. {@link #dead} is set, under the table's write
 * lock, when the connection leaves the table (and cleared by the next {@link #init}); readers
 * that find it set treat the connection as absent. {@link #retiredEpoch} belongs to the
 * registry (under the table's monitor).
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
    private static final VarHandle MARK;
    private static final VarHandle LABEL_HI;
    private static final VarHandle LABEL_LO;
    private static final VarHandle DEAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            EXPIRATION = l.findVarHandle(Conn.class, "expirationMs", long.class);
            TIMEOUT_CLASS = l.findVarHandle(Conn.class, "timeoutClass", CtTimeouts.class);
            MARK = l.findVarHandle(Conn.class, "mark", int.class);
            LABEL_HI = l.findVarHandle(Conn.class, "labelHi", long.class);
            LABEL_LO = l.findVarHandle(Conn.class, "labelLo", long.class);
            DEAD = l.findVarHandle(Conn.class, "dead", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The original direction's key (see {@link CtKey} for the layout) and its hash. */
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    long meta;
    int hash;
    /** The reply direction's key and its hash. */
    long rSrcHi;
    long rSrcLo;
    long rDstHi;
    long rDstLo;
    long rMeta;
    int rHash;
    int zone;
    int proto;
    long id;
    /** Original direction's ICMP type and code (ct_tp_src/dst for ICMP); 0 otherwise. */
    int origIcmpType;
    int origIcmpCode;
    /** The NAT the connection was committed with ({@link NatAction} bits; 0 for none). */
    int natAction;

    /** The TCP peers (null until the object's first TCP connection): peer 0 sent the first packet, 1 replies. */
    TcpPeer peer0;
    TcpPeer peer1;
    /** Whether this is a TCP connection (its peers are in use). */
    boolean tcp;
    /** The ALG's state: null unless committed with a helper or opened by an expectation. */
    ConnAlg alg;

    /** Its place in the table's {@link ConnRegistry}, for the object's life. */
    final int index;
    /** The registry's epoch when the connection was retired (under the table's monitor). */
    long retiredEpoch;
    int l4State;
    volatile int mark;
    volatile long labelHi;
    volatile long labelLo;
    volatile long expirationMs;
    volatile CtTimeouts timeoutClass;
    volatile boolean dead;

    Conn(int index) {
        this.index = index;
    }

    /**
     * Builds a new connection in this object (a new one, or a retired one the registry handed out
     * again); caller holds the table's monitor, and the table's slot store publishes it. Mark,
     * label, state and ALG start empty; the caller sets the expiry.
     */
    Conn init(CtKey orig, CtKey reply, long id, int origIcmpType, int origIcmpCode, int natAction) {
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
        this.tcp = proto == CtPacket.TCP;
        if (tcp) {
            if (peer0 == null) {
                peer0 = new TcpPeer();
                peer1 = new TcpPeer();
            } else {
                peer0.clear();
                peer1.clear();
            }
        }
        this.alg = null;
        this.l4State = 0;
        // Plain stores: nothing can read them before the slot's release store publishes the connection.
        MARK.set(this, 0);
        LABEL_HI.set(this, 0L);
        LABEL_LO.set(this, 0L);
        DEAD.set(this, false);
        return this;
    }

    /**
     * Reads a field in each 64-byte line this object may span (its 192 bytes: the header, the
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

    /** Whether this is a TCP connection (it has peers in use). */
    boolean isTcp() {
        return tcp;
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

        void clear() {
            seqLo = 0;
            seqHi = 0;
            maxWin = 0;
            wscale = 0;
            state = 0;
        }
    }
}
