package dev.jvswitch.ofproto.tnl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * The MAC addresses of the underlay's next hops, per bridge (OVS's {@code tnl-neigh-cache}),
 * learned from ARP and ND replies (and requests for the switch's own address, and tunnel packets
 * received) that reach a bridge's {@code LOCAL} port, or set by {@code tnl/neigh/set}.
 *
 * <p><b>Ageing and probing.</b> An entry lives {@link #AGING_NS} (OVS's 15 minutes) from when it
 * was last confirmed. A next hop that translation needs and does not find is recorded as a
 * pending resolution: the upcall that missed sends the first request at once (a revalidator's
 * translation only records it, {@link #want}, and {@link #onTick} sends the first request), and
 * {@link #onTick} asks for another every {@link #RETRY_NS}, up to {@link #MAX_RETRIES} times;
 * an entry that tunnel flows used is probed again in its last {@link #REFRESH_BEFORE_NS}, so a
 * next hop that still answers never expires under traffic. Packets to an unresolved next hop are
 * dropped and counted by the datapath.
 *
 * <p><b>Held packets.</b> Unlike OVS, which loses it, the packet whose upcall started a
 * resolution is not lost: the upcall keeps a copy here ({@link #hold}; as the kernel's neighbour
 * table queues packets for an unresolved neighbour), at most {@link #MAX_HELD_PER_HOP} per next hop
 * and {@link #MAX_HELD} in all, and the translation that learns the next hop ({@link #set},
 * {@link #confirm}) gets them back as {@link PacketOut#replay()} packets, which the upcall then
 * translates and sends as it would have. So the first packet to a new tunnel endpoint (an OVN
 * chassis's first ping) arrives a round trip of ARP later, not a retransmission later. A held
 * packet not sent within {@link #HOLD_NS} is dropped (counted), as is every held packet of a
 * flush. Only upcalls hold (never a megaflow hit: the drop megaflow that the miss installs
 * drops the packets after the first until revalidation), so holding costs the fast path nothing.
 * Packets that came out of a tunnel are not held ({@code NativeTunnels.hold}).
 *
 * <p><b>Giving up is not forgetting.</b> The megaflow that dropped for want of a neighbour stays
 * installed while packets keep it alive, and sends no upcall. So when a resolution gives up it
 * runs {@code onChange}, as OVS's partial entry expiring bumps {@code tnl_conf_seq}: the
 * revalidators translate the flows again, and those still needing the next hop record it again,
 * so requests go on (one a second) exactly as long as some flow needs the neighbour. Without
 * that, one lost answer (a request sent before the underlay was up, say) would drop a tunnel's
 * traffic for as long as the traffic lasts.
 *
 * <p><b>Revalidation.</b> A new entry, a changed MAC, an expiry and a flush run
 * {@code onChange} (the switch's {@code revalSeq}): the megaflows that dropped for want of the
 * neighbour, or pushed its old MAC, are translated again. Confirming the same MAC changes nothing.
 *
 * <p><b>Lookups without garbage.</b> Translation looks next hops up (and confirms the remote
 * of every tunnel packet it pops) once per upcall, so those go through an index by the address's
 * two words that allocates nothing: an open-addressed array rebuilt, and published through a
 * volatile field, whenever an entry is added, replaced or removed (rare: a confirmation of the
 * same MAC only extends the entry it finds).
 *
 * <p><b>Thread-safety:</b> concurrent maps; any thread may look up, set and flush (PMDs
 * translating, revalidators, the control thread). An entry's expiry and use mark are volatile.
 * The index is rebuilt under this object's lock after each change of the map, so the last
 * rebuild sees every change made before it.
 */
public final class NeighbourCache {
    public static final long AGING_NS = 15L * 60 * 1_000_000_000L;
    public static final long RETRY_NS = 1_000_000_000L;
    public static final int MAX_RETRIES = 10;
    public static final long REFRESH_BEFORE_NS = 30_000_000_000L;
    /** Packets held for one next hop at most (the kernel's old {@code unres_qlen} default). */
    public static final int MAX_HELD_PER_HOP = 3;
    /** Packets held at most, for all next hops together. */
    public static final int MAX_HELD = 64;
    /** How long a held packet may wait for its next hop. */
    public static final long HOLD_NS = 1_000_000_000L;

    private record Key(String bridge, IpAddress ip) {
    }

    private static final class Entry {
        final long mac;
        volatile long expiresNs;
        volatile boolean used;
        volatile long probedNs;

        Entry(long mac, long expiresNs) {
            this.mac = mac;
            this.expiresNs = expiresNs;
        }
    }

    /** A resolution under way: where requests come from, how many went out, the packets held. */
    private static final class Pending {
        final Probe probe;
        volatile long lastSentNs;
        volatile int sent;
        /** Held packets, oldest first; guarded by this object's lock. */
        List<PacketOut> held = List.of();
        /** When each of {@link #held} was held; guarded by this object's lock. */
        final long[] heldNs = new long[MAX_HELD_PER_HOP];
        /** Set when the resolution ends (learned, flushed, given up): nothing is held any more. */
        boolean closed;

        Pending(Probe probe) {
            this.probe = probe;
        }
    }

    /**
     * A request to send: who asks ({@code srcMac}, {@code src}) for whom ({@code ip}) on which
     * bridge.
     */
    public record Probe(String bridge, IpAddress ip, IpAddress src, long srcMac) {
    }

    /** One line of {@code tnl/neigh/show}. */
    public record Neighbour(String bridge, IpAddress ip, long mac, boolean stale) {
    }

    private final Runnable onChange;
    private final AtomicInteger heldTotal = new AtomicInteger();
    private final LongAdder held = new LongAdder();
    private final LongAdder heldSent = new LongAdder();
    private final LongAdder heldDropped = new LongAdder();
    private final ConcurrentHashMap<Key, Entry> table = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Pending> pending = new ConcurrentHashMap<>();
    /** The entries of {@link #table} by bridge and address words; see the class comment. */
    private volatile Slot[] index = new Slot[1];

    /** One entry of the index. */
    private record Slot(String bridge, long hi, long lo, Entry entry) {
    }

    public NeighbourCache(Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /** The MAC of {@code ip} on {@code bridge} (48 bits), or -1 if unknown or expired. */
    public long lookup(String bridge, IpAddress ip, long nowNs) {
        return lookup(bridge, ip.hi(), ip.lo(), nowNs);
    }

    /** As {@link #lookup(String, IpAddress, long)} for the address {@code hi:lo}; allocates nothing. */
    public long lookup(String bridge, long hi, long lo, long nowNs) {
        Entry e = find(bridge, hi, lo);
        if (e == null || e.expiresNs <= nowNs) {
            return -1;
        }
        if (!e.used) {
            e.used = true;
        }
        return e.mac;
    }

    private Entry find(String bridge, long hi, long lo) {
        Slot[] slots = index;
        int mask = slots.length - 1;
        for (int i = hash(bridge, hi, lo) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            Slot s = slots[i];
            if (s == null) {
                return null;
            }
            if (s.hi == hi && s.lo == lo && s.bridge.equals(bridge)) {
                return s.entry;
            }
        }
        return null;
    }

    private static int hash(String bridge, long hi, long lo) {
        long h = (hi * 0x9e37_79b9_7f4a_7c15L) ^ (lo * 0xc2b2_ae3d_27d4_eb4fL) ^ bridge.hashCode();
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    /** Republishes the index from the map (after every change of the map). */
    private synchronized void rebuildIndex() {
        int capacity = Integer.highestOneBit(Math.max(1, table.size()) * 4 - 1) << 1;
        Slot[] slots = new Slot[capacity];
        int mask = capacity - 1;
        for (Map.Entry<Key, Entry> me : table.entrySet()) {
            Key k = me.getKey();
            int i = hash(k.bridge(), k.ip().hi(), k.ip().lo()) & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = new Slot(k.bridge(), k.ip().hi(), k.ip().lo(), me.getValue());
        }
        index = slots;
    }

    /**
     * Learns that {@code hi:lo} is at {@code mac} on {@code bridge}, as {@link #set}; confirming
     * the MAC an entry already has allocates nothing.
     */
    public List<PacketOut> confirm(String bridge, long hi, long lo, long mac, long nowNs) {
        Entry e = find(bridge, hi, lo);
        // An expired entry may have a resolution pending (lookups missed it): set() ends that.
        if (e != null && e.mac == mac && e.expiresNs > nowNs) {
            e.expiresNs = nowNs + AGING_NS;
            return List.of();
        }
        return set(bridge, new IpAddress(hi, lo), mac, nowNs);
    }

    /**
     * Learns that {@code ip} is at {@code mac} on {@code bridge}: a new or changed entry runs
     * {@code onChange}; the same MAC again only extends its life.
     *
     * @return the packets held for {@code ip} on {@code bridge} (a resolution under way ends
     *         here), to send now: the caller's ({@code ctx.packetOut}), or the empty list
     */
    public List<PacketOut> set(String bridge, IpAddress ip, long mac, long nowNs) {
        Key k = new Key(bridge, ip);
        Pending p = pending.remove(k);
        List<PacketOut> released = p == null ? List.of() : release(p, nowNs);
        Entry e = table.get(k);
        if (e != null && e.mac == mac) {
            e.expiresNs = nowNs + AGING_NS;
            return released;
        }
        Entry fresh = new Entry(mac, nowNs + AGING_NS);
        fresh.used = e != null && e.used;
        table.put(k, fresh);
        rebuildIndex();
        onChange.run();
        return released;
    }

    /** The packets {@code p} held that are still in time; drops (and counts) the others. */
    private List<PacketOut> release(Pending p, long nowNs) {
        synchronized (p) {
            p.closed = true;
            List<PacketOut> out = List.of();
            for (int i = 0; i < p.held.size(); i++) {
                if (nowNs - p.heldNs[i] < HOLD_NS) {
                    out = out.isEmpty() ? new ArrayList<>(p.held.size()) : out;
                    out.add(p.held.get(i));
                }
            }
            heldTotal.addAndGet(-p.held.size());
            heldDropped.add(p.held.size() - out.size());
            heldSent.add(out.size());
            p.held = List.of();
            return out;
        }
    }

    /**
     * Keeps a copy of a packet whose upcall missed next hop {@code probe.ip()}, to be sent when
     * the next hop is learned (see the class comment). Only while a resolution is under way
     * ({@link #requestDue} made it), and within the bounds; false (nothing kept) otherwise.
     *
     * @param frame the packet as it arrived (the caller's copy, kept as is)
     * @param key   its key as the upcall had it (datapath in_port; the caller's copy)
     */
    public boolean hold(Probe probe, byte[] frame, FlowKey key, long nowNs) {
        Pending p = pending.get(new Key(probe.bridge(), probe.ip()));
        if (p == null) {
            heldDropped.increment();
            return false;
        }
        synchronized (p) {
            if (p.closed || p.held.size() == MAX_HELD_PER_HOP) {
                heldDropped.increment();
                return false;
            }
            if (heldTotal.incrementAndGet() > MAX_HELD) {
                heldTotal.decrementAndGet();
                heldDropped.increment();
                return false;
            }
            if (p.held.isEmpty()) {
                p.held = new ArrayList<>(MAX_HELD_PER_HOP);
            }
            p.heldNs[p.held.size()] = nowNs;
            p.held.add(new PacketOut(probe.bridge(), frame, key, true));
            held.increment();
            return true;
        }
    }

    /** Drops (and counts) every packet {@code p} holds. */
    private void dropHeld(Pending p) {
        synchronized (p) {
            p.closed = true;
            heldTotal.addAndGet(-p.held.size());
            heldDropped.add(p.held.size());
            p.held = List.of();
        }
    }

    /** Drops (and counts) the packets {@code p} held longer than {@link #HOLD_NS} (the oldest come first). */
    private void expireHeld(Pending p, long nowNs) {
        synchronized (p) {
            int late = 0;
            while (late < p.held.size() && nowNs - p.heldNs[late] >= HOLD_NS) {
                late++;
            }
            if (late == 0) {
                return;
            }
            int left = p.held.size() - late;
            p.held = left == 0 ? List.of() : new ArrayList<>(p.held.subList(late, p.held.size()));
            System.arraycopy(p.heldNs, late, p.heldNs, 0, left);
            heldTotal.addAndGet(-late);
            heldDropped.add(late);
        }
    }

    /** Packets held, sent when their next hop was learned, and dropped (late, over a bound, flushed). */
    public long[] heldCounts() {
        return new long[] {held.sum(), heldSent.sum(), heldDropped.sum()};
    }

    /** Packets held now. */
    public int heldNow() {
        return heldTotal.get();
    }

    /** Forgets every entry (and every resolution under way, dropping its held packets). */
    public void flush() {
        for (Map.Entry<Key, Pending> me : pending.entrySet()) {
            dropHeld(me.getValue());
            pending.remove(me.getKey(), me.getValue());
        }
        if (!table.isEmpty()) {
            table.clear();
            rebuildIndex();
            onChange.run();
        }
    }

    /**
     * Records that translation needs {@code probe.ip()} and did not find it; true if a request
     * should go out now (the first one, or the last went out {@link #RETRY_NS} ago).
     */
    public boolean requestDue(Probe probe, long nowNs) {
        Key k = new Key(probe.bridge(), probe.ip());
        Pending p = pending.computeIfAbsent(k, x -> new Pending(probe));
        synchronized (p) {
            if (p.sent > 0 && nowNs - p.lastSentNs < RETRY_NS) {
                return false;
            }
            p.sent++;
            p.lastSentNs = nowNs;
            return true;
        }
    }

    /**
     * Records that a translation that sends nothing (a revalidator's) needs {@code probe.ip()} and
     * did not find it: the next {@link #onTick} sends the first request, unless one is pending.
     */
    public void want(Probe probe) {
        pending.computeIfAbsent(new Key(probe.bridge(), probe.ip()), x -> new Pending(probe));
    }

    /**
     * Housekeeping (every few hundred milliseconds): removes expired entries, and returns the
     * requests due: retries of pending resolutions and refreshes of used entries close to
     * expiry. {@code endpoint} gives each bridge's requester address for a family (null: none).
     */
    public List<Probe> onTick(long nowNs, java.util.function.BiFunction<String, IpAddress, Probe> endpoint) {
        List<Probe> due = new ArrayList<>();
        boolean changed = false;
        for (Map.Entry<Key, Entry> me : table.entrySet()) {
            Entry e = me.getValue();
            if (e.expiresNs <= nowNs) {
                changed |= table.remove(me.getKey(), e);
            } else if (e.used && e.expiresNs - nowNs <= REFRESH_BEFORE_NS && nowNs - e.probedNs >= RETRY_NS) {
                Probe p = endpoint.apply(me.getKey().bridge(), me.getKey().ip());
                if (p != null) {
                    e.probedNs = nowNs;
                    due.add(p);
                }
            }
        }
        boolean gaveUp = false;
        for (Map.Entry<Key, Pending> me : pending.entrySet()) {
            Pending p = me.getValue();
            synchronized (p) {
                expireHeld(p, nowNs);
                if (p.sent > MAX_RETRIES) {
                    dropHeld(p);
                    gaveUp |= pending.remove(me.getKey(), p);
                } else if (p.sent == 0 || nowNs - p.lastSentNs >= RETRY_NS) {
                    p.sent++;
                    p.lastSentNs = nowNs;
                    due.add(p.probe);
                }
            }
        }
        if (changed) {
            rebuildIndex();
        }
        if (changed || gaveUp) {
            // See the class comment: the flows still needing a next hop given up on ask again.
            onChange.run();
        }
        return due;
    }

    /** Entries, for {@code tnl/neigh/show}: expired ones not yet removed are stale. */
    public List<Neighbour> entries(long nowNs) {
        List<Neighbour> out = new ArrayList<>();
        for (Map.Entry<Key, Entry> me : table.entrySet()) {
            out.add(new Neighbour(me.getKey().bridge(), me.getKey().ip(), me.getValue().mac,
                    me.getValue().expiresNs <= nowNs));
        }
        out.sort(Comparator.comparing((Neighbour n) -> n.bridge()).thenComparing(n -> n.ip().hi())
                .thenComparing(n -> n.ip().lo(), Long::compareUnsigned));
        return out;
    }

    /** Resolutions under way. */
    public int pendingCount() {
        return pending.size();
    }

    /** OVS's {@code tnl/neigh/show}. */
    public String show(long nowNs) {
        StringBuilder sb = new StringBuilder();
        sb.append("IP                                            MAC                 Bridge\n");
        sb.append("==========================================================================\n");
        for (Neighbour n : entries(nowNs)) {
            String ip = n.ip().toString();
            sb.append(ip).append(" ".repeat(Math.max(1, 46 - ip.length())));
            sb.append(Addresses.mac(n.mac())).append("   ").append(n.bridge());
            if (n.stale()) {
                sb.append(" STALE");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
