package dev.jvswitch.conntrack;

/**
 * A copy of one connection for {@code dpctl/dump-conntrack} (OVS's {@code ct_dpif_entry}): taken
 * on the control path, so formatting never races with the PMDs that update the connection.
 * {@code helper} is the connection's {@link CtAlg}; {@code parentAddrs} is null unless an ALG's
 * expectation opened it (then the control connection's original tuple is there and in
 * {@code parentMeta}).
 */
public record CtEntry(long id, int zone, int proto, long origMeta, long[] origAddrs, long replyMeta, long[] replyAddrs,
        int origIcmpType, int origIcmpCode, int mark, long labelHi, long labelLo, long timeoutSeconds,
        int tcpStateOrig, int tcpStateReply, int wscaleOrig, int wscaleReply, int tcpFlagsOrig, int tcpFlagsReply,
        long packetsOrig, long bytesOrig, long packetsReply, long bytesReply, int helper, long parentMeta,
        long[] parentAddrs) {

    static CtEntry of(Conn c, long nowMs) {
        synchronized (c) {
            boolean tcp = c.tcp;
            ConnAlg a = c.alg;
            boolean rel = a != null && a.related;
            return new CtEntry(c.id, c.zone, c.proto, c.meta, new long[] {c.srcHi, c.srcLo, c.dstHi, c.dstLo}, c.rMeta,
                    new long[] {c.rSrcHi, c.rSrcLo, c.rDstHi, c.rDstLo}, c.origIcmpType, c.origIcmpCode, c.mark, c.labelHi,
                    c.labelLo, Math.max(0, (c.expirationMs - nowMs) / 1000), tcp ? c.peer(0).state : -1,
                    tcp ? c.peer(1).state : -1, tcp ? TcpTracker.peerWscale(c, 0) : 0,
                    tcp ? TcpTracker.peerWscale(c, 1) : 0, tcp ? TcpTracker.peerFlags(c, 0) : 0,
                    tcp ? TcpTracker.peerFlags(c, 1) : 0, 0, 0, 0, 0,
                    a == null ? CtAlg.NONE : a.helper, rel ? a.parentMeta : 0,
                    rel ? new long[] {a.parentSrcHi, a.parentSrcLo, a.parentDstHi, a.parentDstLo} : null);
        }
    }

    /** The entry in OVS's {@code dump-conntrack} layout; {@code verbose} is {@code -m}, {@code stats} is {@code -s}. */
    public String format(boolean verbose, boolean stats) {
        return CtFormat.entry(this, verbose, stats);
    }
}
