package dev.jvswitch.conntrack;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;

/**
 * IP fragment reassembly before {@code ct} (OVS's userspace {@code lib/ipf.c}). A ct action first
 * hands its batch to {@link #preprocess}: valid IPv4 and IPv6 fragments leave the batch and are
 * held in a list per datagram; when a list covers its datagram, a reassembled packet joins the
 * batch and goes through conntrack like any packet. {@link #postprocess} then takes it out, gives
 * its ct result (and, with NAT, its rewritten addresses and L4 header) to the original fragments
 * and sends those on in the batch: the fragments are forwarded, never the reassembled packet.
 *
 * <p><b>Bounds, as OVS's.</b> At most {@link #maxFrags()} fragments are held at once (OVS's
 * {@code nfrag_max}, 1000); a fragment other than the last must be at least
 * {@link #minFragSize(boolean)} bytes of IP packet (1200 for IPv4, 1280 for IPv6) or it is
 * counted too small; a fragment overlapping one already held is counted and left to conntrack,
 * which marks it {@code inv}; a list not complete within {@link #LIST_TIMEOUT_MS} is dropped and
 * its fragments counted expired. A fragment ipf does not take (disabled, too small, overlapping,
 * no room) goes on to conntrack, which marks every fragment {@code inv}. Reassembled packets use
 * a private pool of {@link #REASSEMBLY_SLOTS} buffers of the pool's largest slot, so a datagram
 * above {@link #MAX_DATAGRAM} bytes is dropped and counted purged (OVS reassembles up to 64 KiB).
 *
 * <p><b>Deviations.</b> OVS sends the fragments of a complete list through any later batch of the
 * same zone and family; here they go only through the same ct action (its program and index),
 * so they never take another flow's actions. Fragments of an expired list are dropped rather than
 * sent on marked {@code inv}.
 *
 * <p><b>Thread-safety:</b> every PMD calls {@link #preprocess} and {@link #postprocess}; the
 * lists and counters are guarded by this object's monitor, taken only when a batch holds a
 * fragment or a list waits to be sent. A packet that is no fragment costs a header read and no
 * lock. The settings are volatile, set by the control thread.
 */
public final class Ipf {
    /** OVS's {@code IPF_FRAG_LIST_TIMEOUT}. */
    public static final long LIST_TIMEOUT_MS = 15_000;
    public static final int DEFAULT_MAX_FRAGS = 1000;
    public static final int MAX_FRAGS_BOUND = 5000;
    public static final int DEFAULT_MIN_V4 = 1200;
    public static final int DEFAULT_MIN_V6 = 1280;
    public static final int MIN_FRAG_LBOUND = 400;
    static final int REASSEMBLY_SLOTS = 64;
    private static final int HEADROOM = 64;
    /** Largest reassembled frame (L2 included) the private pool holds. */
    public static final int MAX_DATAGRAM = MbufPoolConfig.MAX_SLOT_BYTES - HEADROOM;

    static final int ACCEPTED = 0;
    static final int COMPLETED = 1;
    static final int EXPIRED = 2;
    static final int TOO_SMALL = 3;
    static final int OVERLAP = 4;
    static final int PURGED = 5;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private volatile boolean v4Enabled = true;
    private volatile boolean v6Enabled = true;
    private volatile int minV4 = DEFAULT_MIN_V4;
    private volatile int minV6 = DEFAULT_MIN_V6;
    private volatile int maxFrags = DEFAULT_MAX_FRAGS;

    private final Map<IpfList.Key, IpfList> lists = new HashMap<>();
    private final IpfList[] byReassembled = new IpfList[REASSEMBLY_SLOTS];
    private final long[][] counters = new long[2][6];
    private MbufPool pool;
    private int held;
    /** Lists complete and not yet all sent: postprocess runs while there are any. */
    private volatile int waiting;
    private long nextExpiryMs = Long.MAX_VALUE;

    // Scratch of the fragment being read, and the packet the last one completed (under the monitor).
    private Mbuf reassembled;
    private boolean fV6;
    private int fL3;
    private int fPayload;
    private int fPayloadLen;
    private int fStart;
    private boolean fMore;
    private int fId;
    private int fProto;
    private int fUnfragLen;
    private int fNhPos;

    // ------------------------------------------------------------------ settings

    public boolean enabled(boolean v6) {
        return v6 ? v6Enabled : v4Enabled;
    }

    public void enabled(boolean v6, boolean on) {
        if (v6) {
            v6Enabled = on;
        } else {
            v4Enabled = on;
        }
    }

    public int minFragSize(boolean v6) {
        return v6 ? minV6 : minV4;
    }

    /** OVS's {@code ipf-set-min-frag}: from {@link #MIN_FRAG_LBOUND} up. */
    public void minFragSize(boolean v6, int bytes) {
        if (bytes < MIN_FRAG_LBOUND || bytes > 65535) {
            throw new IllegalArgumentException("min fragment size must be within " + MIN_FRAG_LBOUND + "..65535: "
                    + bytes);
        }
        if (v6) {
            minV6 = bytes;
        } else {
            minV4 = bytes;
        }
    }

    public int maxFrags() {
        return maxFrags;
    }

    /** OVS's {@code ipf-set-max-nfrags}: 0..{@link #MAX_FRAGS_BOUND}. */
    public void maxFrags(int n) {
        if (n < 0 || n > MAX_FRAGS_BOUND) {
            throw new IllegalArgumentException("max fragments must be within 0.." + MAX_FRAGS_BOUND + ": " + n);
        }
        maxFrags = n;
    }

    // ------------------------------------------------------------------ datapath

    /** True when {@code m} is an IPv4 or IPv6 fragment (a cheap look; {@link #preprocess} checks it all). */
    static boolean isFragment(Mbuf m) {
        int l3Rel = m.l3Offset();
        if (l3Rel < 2) {
            return false;
        }
        UnsafeBuffer b = m.buffer();
        int l3 = m.dataOffset() + l3Rel;
        int end = m.dataOffset() + m.length();
        int type = b.getShort(l3 - 2, BE) & 0xffff;
        if (type == 0x0800) {
            return l3 + 20 <= end && (b.getShort(l3 + 6, BE) & 0x3fff) != 0;
        }
        if (type == 0x86dd && l3 + 40 <= end) {
            int nh = b.getByte(l3 + 6) & 0xff;
            int off = l3 + 40;
            for (int hops = 0; hops < 8 && (nh == 0 || nh == 43 || nh == 60); hops++) {
                if (off + 8 > end) {
                    return false;
                }
                nh = b.getByte(off) & 0xff;
                off += ((b.getByte(off + 1) & 0xff) + 1) * 8;
            }
            return nh == 44;
        }
        return false;
    }

    /**
     * Takes the fragments out of {@code batch} into their lists; a list this completes puts its
     * reassembled packet into the batch, to be sent on by this ct action ({@code owner},
     * {@code ownerIndex}). Returns true when {@link #postprocess} has work.
     */
    public boolean preprocess(PacketBatch batch, int zone, Object owner, int ownerIndex, long nowMs) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        int k = 0;
        while (k < n && !isFragment(pkts[k])) {
            k++;
        }
        if (k == n) {
            return waiting > 0;
        }
        synchronized (this) {
            expire(nowMs);
            int out = k;
            for (int i = k; i < n; i++) {
                Mbuf m = pkts[i];
                reassembled = null;
                if (!isFragment(m) || !take(m, zone, owner, ownerIndex, nowMs)) {
                    pkts[out++] = m;
                } else if (reassembled != null) {
                    pkts[out++] = reassembled; // in the place of the fragment that completed it
                }
            }
            batch.truncate(out);
            return true;
        }
    }

    /**
     * Takes the reassembled packets out of {@code batch}, gives their ct result to their
     * fragments, and adds the fragments of lists this ct action completed while the batch has room.
     */
    public void postprocess(PacketBatch batch, Object owner, int ownerIndex) {
        synchronized (this) {
            Mbuf[] pkts = batch.array();
            int n = batch.size();
            int out = 0;
            for (int i = 0; i < n; i++) {
                Mbuf m = pkts[i];
                if (pool != null && m.pool() == pool) {
                    IpfList l = byReassembled[m.index()];
                    byReassembled[m.index()] = null;
                    if (l != null) {
                        IpfRewrite.toFragments(m, l);
                        l.reassembled = null;
                    }
                    pool.put(m);
                } else {
                    pkts[out++] = m;
                }
            }
            batch.truncate(out);
            if (waiting == 0) {
                return;
            }
            Iterator<IpfList> it = lists.values().iterator();
            while (it.hasNext() && !batch.isFull()) {
                IpfList l = it.next();
                if (!l.complete || l.reassembled != null || l.owner != owner || l.ownerIndex != ownerIndex) {
                    continue;
                }
                while (l.sent < l.count && batch.add(l.frags[l.sent])) {
                    l.frags[l.sent++] = null;
                    counters[l.key.v6() ? 1 : 0][COMPLETED]++;
                    held--;
                }
                if (l.sent == l.count) {
                    it.remove();
                    waiting--;
                }
            }
        }
    }

    /** Drops lists whose time is up (and fragments a complete list could not send within it). */
    private void expire(long nowMs) {
        if (nowMs < nextExpiryMs) {
            return;
        }
        long next = Long.MAX_VALUE;
        Iterator<IpfList> it = lists.values().iterator();
        while (it.hasNext()) {
            IpfList l = it.next();
            if (nowMs >= l.expirationMs && l.reassembled == null) {
                drop(l, l.complete ? PURGED : EXPIRED);
                if (l.complete) {
                    waiting--;
                }
                it.remove();
            } else {
                next = Math.min(next, l.expirationMs);
            }
        }
        nextExpiryMs = next;
    }

    /** Frees the fragments {@code l} still holds, counting each under {@code counter}. */
    private void drop(IpfList l, int counter) {
        for (int i = l.sent; i < l.count; i++) {
            Mbuf f = l.frags[i];
            if (f != null) {
                f.pool().put(f);
                l.frags[i] = null;
                counters[l.key.v6() ? 1 : 0][counter]++;
                held--;
            }
        }
        l.sent = l.count;
    }

    /**
     * Adds fragment {@code m} to its list; false leaves it in the batch (for conntrack to mark
     * {@code inv}). A list this completes leaves its reassembled packet in {@link #reassembled}.
     */
    private boolean take(Mbuf m, int zone, Object owner, int ownerIndex, long nowMs) {
        if (!read(m)) {
            return false;
        }
        int v = fV6 ? 1 : 0;
        if (!enabled(fV6)) {
            return false;
        }
        int l3Size = fPayload + fPayloadLen - fL3;
        if (fMore && l3Size < minFragSize(fV6)) {
            counters[v][TOO_SMALL]++;
            return false;
        }
        if (held >= maxFrags) {
            return false;
        }
        UnsafeBuffer b = m.buffer();
        IpfList.Key key = fV6
                ? new IpfList.Key(true, b.getLong(fL3 + 8, BE), b.getLong(fL3 + 16, BE), b.getLong(fL3 + 24, BE),
                        b.getLong(fL3 + 32, BE), fId, fProto, zone, m.recircId())
                : new IpfList.Key(false, 0, b.getInt(fL3 + 12, BE) & 0xffff_ffffL, 0,
                        b.getInt(fL3 + 16, BE) & 0xffff_ffffL, fId, fProto, zone, m.recircId());
        int s = fStart;
        int e = fStart + fPayloadLen - 1;
        if (fPayloadLen == 0 || (fMore && (fPayloadLen & 7) != 0)) {
            counters[v][OVERLAP]++; // cannot be part of a datagram: its successor would overlap it
            return false;
        }
        IpfList l = lists.get(key);
        if (l != null && (l.complete || l.count == IpfList.MAX_FRAGS)) {
            return false;
        }
        if (l != null && (l.overlaps(s, e) || (l.lastSeen && (e >= l.totalPayload || !fMore))
                || (!fMore && e < maxEnd(l)))) {
            counters[v][OVERLAP]++;
            return false;
        }
        if (l == null) {
            // Made only for a fragment it takes, so refused fragments never hold memory.
            l = new IpfList(key, nowMs + LIST_TIMEOUT_MS);
            lists.put(key, l);
            nextExpiryMs = Math.min(nextExpiryMs, l.expirationMs);
        }
        if (!fMore) {
            l.lastSeen = true;
            l.totalPayload = e + 1;
        }
        l.add(m, s, e);
        l.firstSeen |= s == 0;
        held++;
        counters[v][ACCEPTED]++;
        if (l.covered()) {
            complete(l, owner, ownerIndex);
        }
        return true;
    }

    private static int maxEnd(IpfList l) {
        int max = -1;
        for (int i = 0; i < l.count; i++) {
            max = Math.max(max, l.end[i]);
        }
        return max;
    }

    /** Builds {@code l}'s reassembled packet into {@link #reassembled}, or drops the list. */
    private void complete(IpfList l, Object owner, int ownerIndex) {
        l.complete = true;
        l.owner = owner;
        l.ownerIndex = ownerIndex;
        waiting++;
        if (pool == null) {
            pool = MbufPool.create(MbufPoolConfig.of("ipf", REASSEMBLY_SLOTS)
                    .withDataRoom(MAX_DATAGRAM, HEADROOM).withCacheSize(0));
        }
        Mbuf first = l.frags[l.firstIndex()];
        read(first);
        Mbuf r = pool.get();
        if (r == null || !IpfRewrite.reassemble(r, l, first, fL3 - first.dataOffset(), fUnfragLen, fNhPos, fProto)) {
            if (r != null) {
                pool.put(r);
            }
            drop(l, PURGED); // too big for the reassembly buffers, or none free
            return;
        }
        l.reassembled = r;
        byReassembled[r.index()] = l;
        reassembled = r;
    }

    /**
     * Reads fragment {@code m} into the scratch fields; false when it is no well-formed fragment
     * (a bad IPv4 header checksum, lengths beyond the packet).
     */
    private boolean read(Mbuf m) {
        UnsafeBuffer b = m.buffer();
        int l3 = m.dataOffset() + m.l3Offset();
        int end = m.dataOffset() + m.length();
        fL3 = l3;
        if ((b.getShort(l3 - 2, BE) & 0xffff) == 0x0800) {
            int ihl = (b.getByte(l3) & 0x0f) * 4;
            int total = b.getShort(l3 + 2, BE) & 0xffff;
            if ((b.getByte(l3) & 0xf0) != 0x40 || ihl < 20 || total < ihl || l3 + total > end
                    || !CtChecksum.verifies(b, l3, ihl, 0)) {
                return false;
            }
            int frag = b.getShort(l3 + 6, BE) & 0xffff;
            fV6 = false;
            fMore = (frag & 0x2000) != 0;
            fStart = (frag & 0x1fff) * 8;
            fId = b.getShort(l3 + 4, BE) & 0xffff;
            fProto = b.getByte(l3 + 9) & 0xff;
            fPayload = l3 + ihl;
            fPayloadLen = total - ihl;
            fUnfragLen = ihl;
            fNhPos = -1;
            return fStart + fPayloadLen <= 65535;
        }
        int ipEnd = l3 + 40 + (b.getShort(l3 + 4, BE) & 0xffff);
        if (ipEnd > end) {
            return false;
        }
        int nhPos = l3 + 6;
        int nh = b.getByte(nhPos) & 0xff;
        int off = l3 + 40;
        for (int hops = 0; nh != 44; hops++) {
            if (hops == 8 || !(nh == 0 || nh == 43 || nh == 60) || off + 8 > ipEnd) {
                return false;
            }
            nhPos = off;
            nh = b.getByte(off) & 0xff;
            off += ((b.getByte(off + 1) & 0xff) + 1) * 8;
        }
        if (off + 8 > ipEnd) {
            return false;
        }
        int fo = b.getShort(off + 2, BE) & 0xffff;
        fV6 = true;
        fMore = (fo & 1) != 0;
        fStart = fo & 0xfff8;
        fId = b.getInt(off + 4, BE);
        fProto = b.getByte(off) & 0xff;
        fPayload = off + 8;
        fPayloadLen = ipEnd - fPayload;
        fUnfragLen = off - l3;
        fNhPos = nhPos - l3;
        return fStart + fPayloadLen <= 65535;
    }

    // ------------------------------------------------------------------ control

    /** Fragments held now. */
    public synchronized int heldFragments() {
        return held;
    }

    /** Lists held now. */
    public synchronized int listCount() {
        return lists.size();
    }

    /** The counters of {@code v6}'s family: accepted, completed, expired, too small, overlapped, purged. */
    public synchronized long[] counters(boolean v6) {
        return counters[v6 ? 1 : 0].clone();
    }

    /** Drops the lists whose time is up (the sweeper's call, so a quiet switch frees them too). */
    public synchronized void sweep(long nowMs) {
        expire(nowMs);
    }

    /** OVS's {@code dpctl/ipf-get-status} text. */
    public String status() {
        return status(false);
    }

    /** {@link #status()}, with {@code verbose} ({@code -m}) the lists held, in OVS's layout. */
    public String status(boolean verbose) {
        long[] c4 = counters(false);
        long[] c6 = counters(true);
        StringBuilder sb = new StringBuilder();
        sb.append("        Fragmentation Module Status\n");
        sb.append("        ---------------------------\n");
        sb.append("        v4 enabled: ").append(v4Enabled ? 1 : 0).append('\n');
        sb.append("        v6 enabled: ").append(v6Enabled ? 1 : 0).append('\n');
        sb.append("        max num frags (v4/v6): ").append(maxFrags).append('\n');
        sb.append("        num frag: ").append(heldFragments()).append('\n');
        family(sb, "v4", minV4, c4);
        family(sb, "v6", minV6, c6);
        if (verbose) {
            sb.append("\n        Fragment Lists:\n\n");
            synchronized (this) {
                for (IpfList l : lists.values()) {
                    list(sb, l);
                }
            }
        }
        return sb.toString();
    }

    /** One list as OVS's {@code ipf_dump_create} prints it. */
    private static void list(StringBuilder sb, IpfList l) {
        IpfList.Key k = l.key;
        String state = l.complete ? "complete" : l.firstSeen && l.lastSeen ? "first/last frag"
                : l.firstSeen ? "first frag" : l.lastSeen ? "last frag" : "other frag";
        sb.append("(src=").append(CtFormat.addr(k.srcHi(), k.srcLo(), k.v6())).append(",dst=")
                .append(CtFormat.addr(k.dstHi(), k.dstLo(), k.v6())).append(",recirc_id=")
                .append(Integer.toUnsignedString(k.recircId())).append(",ip_id=").append(Integer.toUnsignedString(k.id()))
                .append(",dl_type=0x").append(k.v6() ? "86dd" : "800").append(",zone=").append(k.zone())
                .append(",nw_proto=").append(k.proto()).append(",num_fragments=").append(l.count - l.sent)
                .append(",state=").append(state).append(")\n");
    }

    private static void family(StringBuilder sb, String f, int min, long[] c) {
        sb.append("        min ").append(f).append(" frag size: ").append(min).append('\n');
        sb.append("        ").append(f).append(" frags accepted: ").append(c[ACCEPTED]).append('\n');
        sb.append("        ").append(f).append(" frags completed: ").append(c[COMPLETED]).append('\n');
        sb.append("        ").append(f).append(" frags expired: ").append(c[EXPIRED]).append('\n');
        sb.append("        ").append(f).append(" frags too small: ").append(c[TOO_SMALL]).append('\n');
        sb.append("        ").append(f).append(" frags overlapped: ").append(c[OVERLAP]).append('\n');
        sb.append("        ").append(f).append(" frags purged: ").append(c[PURGED]).append('\n');
    }
}
