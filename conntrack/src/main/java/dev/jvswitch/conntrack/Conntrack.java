package dev.jvswitch.conntrack;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.jvswitch.mempool.Mbuf;

/**
 * The userspace connection tracker (OVS's {@code lib/conntrack.c}): what the datapath's
 * {@code ct} action calls for each packet. It finds the packet's connection in the
 * {@link ConnTable} (lock-free), updates its protocol state (TCP window tracking, UDP/other and
 * ICMP first/reply states), creates it on {@code commit}, and writes the result into the
 * packet's ct metadata: {@code ct_state}, zone, mark, label and the original-direction tuple.
 *
 * <p><b>Semantics kept from OVS.</b> A packet that cannot be parsed, has a bad IPv4 header or L4
 * checksum, or is a fragment is {@code inv}. A packet without a connection is {@code new} when it
 * may open one (a TCP segment with valid flags that is not a SYN-ACK, an ICMP query, anything
 * else) and {@code inv} otherwise; {@code commit} then stores it, unless the table holds
 * {@code ct-maxconns} connections or the zone is at its limit, in which case nothing is stored,
 * the packet stays {@code new} and the refusal is counted. UDP and other protocols stay
 * {@code new} for the first two packets in the original direction and become {@code est} with
 * the third or with the first reply (OVS's other-protocol states); ICMP is {@code est} from the
 * second packet. Replies carry {@code rpl}. {@code mark} and {@code label} are written only on
 * commit. {@code force} deletes a connection found in the reply direction and starts a new one.
 *
 * <p><b>Thread-safety:</b> any number of PMDs call {@link #execute}, each with its own
 * {@link CtContext}. Lookups take no lock; a connection's update holds its monitor; creation and
 * removal hold the table's. Each call is one reader stretch of the table's pool (its context's
 * {@link ConnRegistry.Reader}): a connection removed meanwhile is not built again as another
 * before the call returns. Control methods (flush, limits, dump) may run on any thread; those
 * that read connections without the table's monitor share one control reader.
 */
public final class Conntrack {
    public static final int COMMIT = 1;
    public static final int FORCE = 2;

    private final ConnTable table = new ConnTable();
    private final Ipf ipf = new Ipf();
    private final CtConfig config;
    private final List<CtContext> contexts = new CopyOnWriteArrayList<>();
    /** The control path's reader (dump, flush by match): one stretch at a time, under its monitor. */
    private final ConnRegistry.Reader control = table.newReader();
    /** The next connection's id; written under the table's monitor. */
    private long nextId = 1;
    private final AtomicLong expired = new AtomicLong();

    public Conntrack() {
        this(new CtConfig());
    }

    public Conntrack(CtConfig config) {
        this.config = config;
    }

    public CtConfig config() {
        return config;
    }

    /** The fragment reassembly every ct action runs its batch through first. */
    public Ipf ipf() {
        return ipf;
    }

    /** A handle for one thread (allocates; call once per PMD). */
    public CtContext newContext() {
        CtContext c = new CtContext(table.newReader());
        contexts.add(c);
        return c;
    }

    /**
     * Tracks {@code m} in {@code zone} and writes the outcome into its ct metadata.
     *
     * @param flags {@link #COMMIT} and {@link #FORCE}
     * @param mark  value for {@code ct_mark} under {@code markMask} (applied on commit when the mask is non-zero)
     */
    public void execute(CtContext ctx, Mbuf m, int zone, int flags, int mark, int markMask, long labelHi,
            long labelLo, long labelMaskHi, long labelMaskLo, long nowMs) {
        execute(ctx, m, zone, flags, mark, markMask, labelHi, labelLo, labelMaskHi, labelMaskLo, null, nowMs);
    }

    /**
     * {@link #execute(CtContext, Mbuf, int, int, int, int, long, long, long, long, long)} with a
     * {@code nat} argument ({@code null}: none). With it, a committed new connection is translated
     * as {@code nat} says (its reply key is the translated tuple, so replies find it), and packets
     * of a connection that has NAT are translated (original direction) or un-translated (replies,
     * and the ICMP errors that quote its packets), unless this packet was already translated in
     * this zone (its {@code snat}/{@code dnat} bits), as OVS's {@code handle_nat}.
     */
    public void execute(CtContext ctx, Mbuf m, int zone, int flags, int mark, int markMask, long labelHi,
            long labelLo, long labelMaskHi, long labelMaskLo, NatParams nat, long nowMs) {
        execute(ctx, m, zone, flags, mark, markMask, labelHi, labelLo, labelMaskHi, labelMaskLo, nat, CtAlg.NONE,
                nowMs);
    }

    /**
     * {@link #execute(CtContext, Mbuf, int, int, int, int, long, long, long, long, NatParams, long)}
     * with a helper ({@link CtAlg}): a connection committed with {@link CtAlg#FTP} or
     * {@link CtAlg#TFTP} has its control traffic read for the data connections it announces
     * ({@link CtExpectations}); a new connection one of those expects is {@code new+rel}.
     */
    public void execute(CtContext ctx, Mbuf m, int zone, int flags, int mark, int markMask, long labelHi,
            long labelLo, long labelMaskHi, long labelMaskLo, NatParams nat, int helper, long nowMs) {
        CtPacket p = ctx.packet;
        table.enter(ctx.reader);
        try {
            track(ctx, m, p.extract(m, zone) ? p : null, null, zone, flags, mark, markMask, labelHi, labelLo,
                    labelMaskHi, labelMaskLo, nat, helper, nowMs);
        } finally {
            table.exit(ctx.reader);
        }
    }

    /**
     * {@link #execute(CtContext, Mbuf, int, int, int, int, long, long, long, long, NatParams, int, long)}
     * for the {@code n} packets of one {@code ct} action, as the datapath runs a batch. Every
     * packet's key is read and the first slot of its probe loaded (with the connection there when
     * the slot's tag is the key's) before any packet is tracked (and, for a commit whose first
     * slot is not its connection, the slots its two keys will go into), so the cache misses of a
     * batch overlap instead of following one another (the idea of OVS's {@code cmap_find_batch});
     * then the packets are tracked in order, each exactly as {@code execute} tracks it, a packet
     * whose connection the read-ahead found without a second lookup. Allocates nothing.
     */
    public void executeBatch(CtContext ctx, Mbuf[] pkts, int n, int zone, int flags, int mark, int markMask,
            long labelHi, long labelLo, long labelMaskHi, long labelMaskLo, NatParams nat, int helper, long nowMs) {
        table.enter(ctx.reader);
        try {
            executeBatch(ctx, ctx.batch, ctx.heads, pkts, n, zone, flags, mark, markMask, labelHi, labelLo,
                    labelMaskHi, labelMaskLo, nat, helper, nowMs);
        } finally {
            table.exit(ctx.reader);
        }
    }

    private void executeBatch(CtContext ctx, CtPacket[] ps, Conn[] heads, Mbuf[] pkts, int n, int zone, int flags,
            int mark, int markMask, long labelHi, long labelLo, long labelMaskHi, long labelMaskLo, NatParams nat,
            int helper, long nowMs) {
        boolean commit = (flags & COMMIT) != 0;
        for (int off = 0; off < n; off += ps.length) {
            int len = Math.min(ps.length, n - off);
            // Tight loops, so that the out-of-order core has many of a batch's cache misses in
            // flight at once: the keys (the packets' own bytes, in cache), then the first slot of
            // every probe and the registry entry it names, then the connections found there (each
            // load depends only on its own packet's), then for a commit the slots it will write.
            for (int k = 0; k < len; k++) {
                ps[k].valid = ps[k].extract(pkts[off + k], zone);
            }
            for (int k = 0; k < len; k++) {
                heads[k] = ps[k].valid ? table.head(ps[k].key.hash) : null;
            }
            int touched = 0;
            for (int k = 0; k < len; k++) {
                Conn h = heads[k];
                touched += h == null ? 0 : h.touch();
            }
            if (commit) {
                // Where a new connection's two keys will go.
                for (int k = 0; k < len; k++) {
                    Conn h = heads[k];
                    CtKey key = ps[k].key;
                    if (ps[k].valid && (h == null || !h.matchesOrig(key) && !h.matchesReply(key))) {
                        touched += table.touchSlot(key.hash) + table.touchSlot(
                                CtKey.hash(key.dstHi, key.dstLo, key.srcHi, key.srcLo, CtKey.reverseMeta(key.meta)));
                    }
                }
            }
            ctx.touched += touched;
            for (int k = 0; k < len; k++) {
                Conn h = heads[k];
                heads[k] = null;
                track(ctx, pkts[off + k], ps[k].valid ? ps[k] : null, h, zone, flags, mark, markMask, labelHi,
                        labelLo, labelMaskHi, labelMaskLo, nat, helper, nowMs);
            }
        }
    }

    /**
     * Tracks {@code m}, whose key {@code p} holds ({@code null}: it could not be read, so it is
     * {@code inv}). {@code hint} is the connection the read-ahead found in the first slot of the
     * key's probe (or null): when it is still live and the key's, the lookup is not made again.
     */
    private void track(CtContext ctx, Mbuf m, CtPacket p, Conn hint, int zone, int flags, int mark, int markMask,
            long labelHi, long labelLo, long labelMaskHi, long labelMaskLo, NatParams nat, int helper, long nowMs) {
        ctx.packets++;
        int prev = m.ctState();
        // OVS resets ct_state when the zone changes; within a zone the NAT bits of an earlier pass stay.
        int natDone = prev != 0 && m.ctZone() == zone ? prev & (CtState.SNAT | CtState.DNAT) : 0;
        if (p == null) {
            ctx.invalid++;
            m.ctState(CtState.INV | CtState.TRK);
            m.ctZone(zone);
            m.ctMark(0);
            m.ctLabel(0, 0);
            m.clearCtOrig();
            return;
        }
        boolean commit = (flags & COMMIT) != 0;
        // The hint sits where the probe starts: live and the key's, it is what the lookup would return.
        Conn found = hint != null && (hint.matchesOrig(p.key) || hint.matchesReply(p.key)) && !hint.dead
                && !hint.expired(nowMs) ? hint : table.lookup(p.key, nowMs);
        boolean reply = found != null && found.isReply(p.key);
        Conn c = null;
        int state = 0;
        CtExpectations.Expectation exp = null;
        if (found != null && (flags & FORCE) != 0 && reply) {
            remove(found);
            found = null;
            reply = false;
        }
        if (found == null && natDone != 0 && nat == null && !p.related) {
            found = origTupleLookup(ctx, m, p, zone, nowMs); // a packet translated by an earlier pass
            reply = found != null && found.isReply(ctx.replyKey);
        }
        if (found != null) {
            c = found;
            if (p.related) {
                state = CtState.REL | (reply ? CtState.RPL : 0);
            } else {
                ConnAlg a = c.alg;
                boolean ftpOther = a != null && a.helper == CtAlg.FTP && p.proto == CtPacket.TCP && nat != null
                        && !FtpAlg.interest(p);
                if (ftpOther) {
                    synchronized (c) {
                        FtpAlg.adjustOther(p, a, reply, true);
                    }
                }
                state = updateState(c, p, reply, nowMs);
                if (state == 0) {
                    remove(c); // a SYN reopening a closed TCP connection
                    c = null;
                } else {
                    if (ftpOther) {
                        synchronized (c) {
                            FtpAlg.adjustOther(p, a, reply, false);
                        }
                    }
                    if (a != null && a.related) {
                        state |= CtState.REL;
                    }
                }
            }
            if (c != null) {
                state |= natDone;
                if (nat != null && natDone == 0 && c.natAction != 0) {
                    state |= reply ? NatRewrite.nat(p, NatAction.reverse(c.natAction), c, false)
                            : NatRewrite.nat(p, c.natAction, c, true);
                }
            }
        }
        if (c == null && state == 0) {
            if (p.related || !p.validNew()) {
                state = CtState.INV; // an ICMP error quoting no connection is never related
            } else {
                state = CtState.NEW;
                CtExpectations exps = table.expectations;
                if (!exps.isEmpty()) {
                    exp = exps.lookup(p.key);
                    if (exp != null) {
                        state |= CtState.REL;
                    }
                }
                if (commit) {
                    c = create(ctx, p, nat, exp, CtAlg.forProto(helper, p.proto), nowMs);
                    if (c != null && c.natAction != 0) {
                        state |= NatRewrite.nat(p, c.natAction, c, true);
                    }
                }
            }
        }
        if ((state & CtState.INV) != 0) {
            ctx.invalid++;
        }
        if (commit && c != null && (state & CtState.INV) == 0 && (c.alg == null || !c.alg.related)) {
            if (markMask != 0) {
                c.mark = (c.mark & ~markMask) | (mark & markMask);
            }
            if ((labelMaskHi | labelMaskLo) != 0) {
                c.labelHi = (c.labelHi & ~labelMaskHi) | (labelHi & labelMaskHi);
                c.labelLo = (c.labelLo & ~labelMaskLo) | (labelLo & labelMaskLo);
            }
        }
        if (c != null && c.alg != null && c.alg.helper != CtAlg.NONE && (state & CtState.INV) == 0) {
            state |= algControl(m, p, c, reply, nat != null);
        }
        m.ctState(state | CtState.TRK);
        m.ctZone(zone);
        CtKey k = p.key;
        if (c != null) {
            m.ctMark(c.mark);
            m.ctLabel(c.labelHi, c.labelLo);
            ConnAlg a = c.alg;
            if (a != null && a.related) {
                writeOrig(m, a.parentSrcHi, a.parentSrcLo, a.parentDstHi, a.parentDstLo, a.parentMeta, 0, 0);
            } else {
                writeOrig(m, c.srcHi, c.srcLo, c.dstHi, c.dstLo, c.meta, c.origIcmpType,
                        c.origIcmpCode);
            }
        } else if (exp != null) {
            m.ctMark(exp.parentMark());
            m.ctLabel(exp.parentLabelHi(), exp.parentLabelLo());
            writeOrig(m, exp.parentSrcHi(), exp.parentSrcLo(), exp.parentDstHi(), exp.parentDstLo(), exp.parentMeta(),
                    0, 0);
        } else {
            m.ctMark(0);
            m.ctLabel(0, 0);
            writeOrig(m, k.srcHi, k.srcLo, k.dstHi, k.dstLo, k.meta, p.icmpType, p.icmpCode);
        }
    }

    /**
     * OVS's {@code handle_alg_ctl}: a control connection's packet read by its helper (FTP: an
     * announcement makes an expectation and, under NAT, is rewritten; TFTP: every packet expects
     * the server's answer from another port). Returns {@code inv} for an announcement FTP refuses.
     */
    private int algControl(Mbuf m, CtPacket p, Conn c, boolean reply, boolean nat) {
        ConnAlg a = c.alg;
        synchronized (c) {
            if (a.helper == CtAlg.FTP) {
                if (p.proto == CtPacket.TCP && FtpAlg.interest(p)
                        && FtpAlg.process(m, p, c, a, reply, nat, table.expectations) == FtpAlg.INVALID) {
                    return CtState.INV;
                }
            } else if (a.helper == CtAlg.TFTP && p.proto == CtPacket.UDP) {
                table.expectations.create(c, a, (int) (c.meta >>> 48) & 0xffff, reply);
            }
        }
        return 0;
    }

    /** The ct_state of a packet of connection {@code c}, updating its protocol state; 0 when a SYN reopens it. */
    private int updateState(Conn c, CtPacket p, boolean reply, long nowMs) {
        int res;
        if (c.tcp) {
            synchronized (c) {
                res = TcpTracker.update(c, p, reply, nowMs, config);
            }
        } else {
            res = update(c, reply, nowMs);
        }
        if (res == TcpTracker.VALID) {
            return CtState.EST | (reply ? CtState.RPL : 0);
        } else if (res == VALID_NEW) {
            return CtState.NEW;
        } else if (res == TcpTracker.INVALID) {
            return CtState.INV;
        }
        return 0;
    }

    /**
     * OVS's {@code check_orig_tuple}: a packet NATed by an earlier {@code ct} in this zone no
     * longer carries either of its connection's tuples, so its connection is looked up by the
     * original tuple its metadata carries (the ICMP id is the packet's own).
     */
    private Conn origTupleLookup(CtContext ctx, Mbuf m, CtPacket p, int zone, long nowMs) {
        int proto = m.ctOrigProto();
        if (proto == 0 || proto != p.proto || m.ctOrigIpv6() != p.ipv6) {
            return null;
        }
        int tpSrc = m.ctOrigTpSrc();
        int tpDst = m.ctOrigTpDst();
        if (proto == CtPacket.ICMP || proto == CtPacket.ICMPV6) {
            int answer = proto == CtPacket.ICMP ? IcmpTypes.reverse4(tpSrc) : IcmpTypes.reverse6(tpSrc);
            tpDst = (tpSrc << 8) | (answer & 0xff);
            tpSrc = p.key.tpSrc();
        }
        CtKey k = ctx.replyKey.set(m.ctOrigSrcHi(), m.ctOrigSrcLo(), m.ctOrigDstHi(), m.ctOrigDstLo(),
                CtKey.meta(tpSrc, tpDst, zone, proto, p.ipv6 ? CtKey.FAMILY_IPV6 : CtKey.FAMILY_IPV4));
        return table.lookup(k, nowMs);
    }

    private static void writeOrig(Mbuf m, long srcHi, long srcLo, long dstHi, long dstLo, long meta, int icmpType,
            int icmpCode) {
        int proto = CtKey.proto(meta);
        boolean icmp = proto == CtPacket.ICMP || proto == CtPacket.ICMPV6;
        int tpSrc = icmp ? icmpType : (int) (meta >>> 48) & 0xffff;
        int tpDst = icmp ? icmpCode : (int) (meta >>> 32) & 0xffff;
        m.ctOrig((meta & 0xff) == CtKey.FAMILY_IPV6, proto, srcHi, srcLo, dstHi, dstLo, tpSrc, tpDst);
    }

    /** Result of an other-protocol update that keeps the packet {@code new} (OVS's CT_UPDATE_VALID_NEW). */
    private static final int VALID_NEW = 3;

    /**
     * UDP, ICMP and other protocols. Their state only moves forward (first, then multiple or
     * reply, then both ways), so this runs without the connection's monitor: two PMDs racing on
     * one connection at most both report the step they saw, as a packet a moment earlier or later
     * would have. The expiry is stored only when it moves by a second or more (or its class
     * changes), so established traffic does not write the connection's cache line per packet.
     */
    private int update(Conn c, boolean reply, long nowMs) {
        switch (c.proto) {
            case CtPacket.ICMP:
            case CtPacket.ICMPV6:
                if (reply && c.l4State == Conn.ICMP_FIRST) {
                    c.l4State = Conn.ICMP_REPLY;
                }
                c.refresh(c.l4State == Conn.ICMP_FIRST ? CtTimeouts.ICMP_FIRST : CtTimeouts.ICMP_REPLY, nowMs, config);
                return TcpTracker.VALID;
            default:
                int res = TcpTracker.VALID;
                if (reply && c.l4State != Conn.OTHER_BIDIR) {
                    c.l4State = Conn.OTHER_BIDIR;
                } else if (c.l4State == Conn.OTHER_FIRST) {
                    c.l4State = Conn.OTHER_MULTIPLE;
                    res = VALID_NEW;
                }
                c.refresh(c.l4State == Conn.OTHER_FIRST ? CtTimeouts.OTHER_FIRST
                        : c.l4State == Conn.OTHER_MULTIPLE ? CtTimeouts.OTHER_MULTIPLE : CtTimeouts.OTHER_BIDIR,
                        nowMs, config);
                return res;
        }
    }

    private Conn create(CtContext ctx, CtPacket p, NatParams nat, CtExpectations.Expectation exp, int helper,
            long nowMs) {
        synchronized (table) {
            Conn again = table.lookup(p.key, nowMs);
            if (again != null) {
                return again; // another PMD committed the same connection first
            }
            if (table.count() >= config.maxConns()) {
                ctx.fullDrops++;
                return null;
            }
            int zone = p.key.zone();
            if (!table.zoneHasRoom(zone)) {
                ctx.zoneLimitDrops++;
                return null;
            }
            ctx.replyKey.reverseOf(p.key);
            int natAction = nat == null ? 0 : nat.action();
            if (exp != null && nat != null) {
                natAction = expectedNat(ctx.replyKey, exp);
            } else if (natAction != 0
                    && !NatAlloc.uniqueTuple(table, p.key, ctx.replyKey, nat, natAction, ctx, nowMs)) {
                ctx.natExhausted++;
                return null;
            }
            Conn c = table.claim().init(p.key, ctx.replyKey, nextId++, p.icmpType, p.icmpCode, natAction);
            if (exp != null) {
                c.alg = ConnAlg.related(helper, exp);
                c.mark = exp.parentMark();
                c.labelHi = exp.parentLabelHi();
                c.labelLo = exp.parentLabelLo();
            } else if (helper != CtAlg.NONE) {
                c.alg = ConnAlg.control(helper);
            }
            CtTimeouts first = switch (c.proto) {
                case CtPacket.TCP -> TcpTracker.onNew(c, p);
                case CtPacket.ICMP, CtPacket.ICMPV6 -> CtTimeouts.ICMP_FIRST;
                default -> CtTimeouts.OTHER_FIRST;
            };
            c.initExpiry(first, nowMs, config);
            table.insert(c);
            ctx.created++;
            return c;
        }
    }

    /**
     * An expected connection under NAT takes its translation from the expectation, not from the
     * action's range (OVS's {@code conn_not_found} with {@code alg_exp}): the reply key's
     * destination (a source NAT) or source (a destination NAT) becomes the address the control
     * connection's translation implies. Returns the connection's NAT action.
     */
    private static int expectedNat(CtKey rev, CtExpectations.Expectation exp) {
        if (exp.natReplyDst()) {
            rev.set(rev.srcHi, rev.srcLo, exp.natAddrHi(), exp.natAddrLo(), rev.meta);
            return NatAction.SRC;
        }
        rev.set(exp.natAddrHi(), exp.natAddrLo(), rev.dstHi, rev.dstLo, rev.meta);
        return NatAction.DST;
    }

    private void remove(Conn c) {
        synchronized (table) {
            table.remove(c);
        }
    }

    // ------------------------------------------------------------------ control

    /** Number of connections in the table ({@code dpctl/ct-get-nconns}). */
    public int connectionCount() {
        return table.count();
    }

    public int zoneConnectionCount(int zone) {
        return table.zoneCount(zone);
    }

    /** Removes every connection (zone &lt; 0) or those of one zone; returns how many. */
    public int flush(int zone) {
        return table.flush(zone);
    }

    /**
     * Removes the connection whose original tuple is {@code orig} (or, without NAT, whose reply
     * tuple is); true if there was one.
     */
    public boolean flush(CtKey orig, long nowMs) {
        return table.flush(orig, nowMs);
    }

    /**
     * OVS 3.x's {@code flush-conntrack} ({@code ct_dpif_flush}): an empty {@code match} flushes
     * {@code zone} (everything when negative); a whole original 5-tuple alone flushes that one
     * connection in {@code zone} (zone 0 when negative); any other match flushes every connection
     * of {@code zone} (any zone when negative) it names, by partial tuples, mark and labels.
     * Returns how many connections went.
     */
    public int flush(CtMatch match, int zone, long nowMs) {
        if (match.isEmpty()) {
            return table.flush(zone);
        }
        CtKey key = match.fiveTuple(Math.max(zone, 0));
        if (key != null) {
            return table.flush(key, nowMs) ? 1 : 0;
        }
        int n = 0;
        synchronized (control) {
            table.enter(control);
            try {
                for (Conn c : table.snapshot(zone, nowMs)) {
                    if (match.matches(c) && table.flush(c)) {
                        n++;
                    }
                }
            } finally {
                table.exit(control);
            }
        }
        return n;
    }

    /** Removes expired connections from up to {@code maxBuckets} buckets (the sweeper's step). */
    public int sweep(long nowMs, int maxBuckets) {
        ipf.sweep(nowMs);
        int n = table.sweep(nowMs, maxBuckets);
        expired.addAndGet(n);
        return n;
    }

    int bucketCount() {
        return table.bucketCount();
    }

    /** Sets {@code zone}'s limit ({@code 0} unlimited); {@code zone < 0} sets the default limit. */
    public void setLimit(int zone, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (zone < 0) {
            table.setDefaultLimit(limit);
        } else {
            table.setLimit(checkZone(zone), limit);
        }
    }

    /** Makes {@code zone} use the default limit again. */
    public void deleteLimit(int zone) {
        table.setLimit(checkZone(zone), ConnTable.LIMIT_UNSET);
    }

    public int defaultLimit() {
        return table.defaultLimit();
    }

    /** The limit that applies to {@code zone} (its own, or the default); 0 means unlimited. */
    public int effectiveLimit(int zone) {
        return table.effectiveLimit(checkZone(zone));
    }

    /** Whether {@code zone} has a limit of its own. */
    public boolean hasOwnLimit(int zone) {
        return table.zoneLimit(checkZone(zone)) != ConnTable.LIMIT_UNSET;
    }

    private static int checkZone(int zone) {
        if (zone < 0 || zone >= ConnTable.ZONES) {
            throw new IllegalArgumentException("zone must be in 0..65535: " + zone);
        }
        return zone;
    }

    /** The counters summed over every thread. */
    public CtStats stats() {
        long packets = 0;
        long invalid = 0;
        long created = 0;
        long full = 0;
        long limit = 0;
        for (CtContext c : contexts) {
            packets += c.packets;
            invalid += c.invalid;
            created += c.created;
            full += c.fullDrops;
            limit += c.zoneLimitDrops;
        }
        return new CtStats(packets, invalid, created, full, limit, expired.get());
    }

    /** The ALGs' expectations as tuples (tests and debugging; allocates). */
    List<String> expectationsForTest() {
        return table.expectations.describe();
    }

    /** The live connections of {@code zone} (all when negative) as entries (allocates: control path). */
    public List<CtEntry> dump(int zone, long nowMs) {
        synchronized (control) {
            table.enter(control);
            try {
                List<Conn> conns = table.snapshot(zone, nowMs);
                java.util.ArrayList<CtEntry> out = new java.util.ArrayList<>(conns.size());
                for (Conn c : conns) {
                    out.add(CtEntry.of(c, nowMs));
                }
                return out;
            } finally {
                table.exit(control);
            }
        }
    }
}
