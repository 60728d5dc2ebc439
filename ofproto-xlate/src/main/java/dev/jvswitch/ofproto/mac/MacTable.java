package dev.jvswitch.ofproto.mac;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MAC learning table of one bridge (OVS's {@code mac_learning}): which port each (VLAN, MAC)
 * was last seen on. NORMAL learns source addresses into it and looks destinations up in it.
 *
 * <p><b>Rules.</b> At most {@link #maxEntries()} entries; learning one more evicts the entry
 * learned (or refreshed) longest ago. An entry not refreshed for the aging time is gone: lookups
 * ignore it and {@link #expire} removes it. A multicast source is never learned (NORMAL checks).
 *
 * <p><b>Revalidation.</b> {@link #seq()} grows whenever an answer {@link #lookup} could give
 * changes: an address learned for the first time, moved to another port, aged out, evicted or
 * removed. A refresh on the same port changes nothing. Megaflows record the lookups they made
 * ({@link MacDependency}); a revalidator that sees {@code seq} move looks them up again.
 *
 * <p><b>Thread-safety:</b> every PMD learns and looks up during its upcalls, and a housekeeping
 * thread expires entries, so every method runs under this object's monitor. The sections are a
 * few hash-map operations (expiry walks only the expired head of the LRU order), short enough
 * that the slow path never waits long; the fast path never touches the table. {@link #seq()} is
 * an {@link AtomicLong} written under the monitor (after the change it announces) and read
 * without it by revalidators.
 */
public final class MacTable {
    /** What {@link #learn} did. */
    public enum Learned {
        /** The address was not in the table (or had aged out). */
        NEW,
        /** The address was on another port. */
        MOVED,
        /** Already on this port; its age starts again. */
        REFRESHED
    }

    /** A snapshot of one entry, for {@code fdb/show}. */
    public record Entry(int vlan, long mac, int ofPort, long ageNs) {
    }

    private static final class Slot {
        int ofPort;
        long lastSeenNs;
    }

    private final LinkedHashMap<Long, Slot> entries = new LinkedHashMap<>(64, 0.75f, false);
    private final AtomicLong seq = new AtomicLong();
    private final Runnable onChange;
    private int maxEntries;
    private long agingNs;

    /**
     * @param maxEntries  {@code mac-table-size}, at least 1
     * @param agingSec    {@code mac-aging-time}, at least 1
     */
    public MacTable(int maxEntries, int agingSec) {
        this(maxEntries, agingSec, null);
    }

    /**
     * @param onChange run after every change {@link #seq()} announces, on the changing thread
     *                 (often a PMD in an upcall) and inside this table's monitor, so it must not
     *                 block: {@code Ofproto} grows its version there and wakes the revalidators,
     *                 as OVS revalidates at once when its MAC learning table changes; may be null
     */
    public MacTable(int maxEntries, int agingSec, Runnable onChange) {
        this.onChange = onChange;
        configure(maxEntries, agingSec);
    }

    private void changed() {
        seq.incrementAndGet();
        if (onChange != null) {
            onChange.run();
        }
    }

    /** Applies new limits; entries over the new size are evicted oldest first. */
    public synchronized void configure(int newMaxEntries, int agingSec) {
        if (newMaxEntries < 1) {
            throw new IllegalArgumentException("mac-table-size " + newMaxEntries + " < 1");
        }
        if (agingSec < 1) {
            throw new IllegalArgumentException("mac-aging-time " + agingSec + " < 1");
        }
        this.maxEntries = newMaxEntries;
        this.agingNs = agingSec * 1_000_000_000L;
        evictOverflow();
    }

    public synchronized int maxEntries() {
        return maxEntries;
    }

    public synchronized long agingNs() {
        return agingNs;
    }

    /** Changes whenever some lookup's answer may have changed. */
    public long seq() {
        return seq.get();
    }

    /** Records that {@code mac} in {@code vlan} was seen on {@code ofPort} at {@code nowNs}. */
    public synchronized Learned learn(long mac, int vlan, int ofPort, long nowNs) {
        Long key = key(mac, vlan);
        Slot s = entries.remove(key);
        Learned result;
        if (s == null || nowNs - s.lastSeenNs >= agingNs) {
            s = new Slot();
            result = Learned.NEW;
        } else {
            result = s.ofPort == ofPort ? Learned.REFRESHED : Learned.MOVED;
        }
        s.ofPort = ofPort;
        s.lastSeenNs = nowNs;
        entries.put(key, s); // re-inserted: now the most recently learned
        evictOverflow();
        if (result != Learned.REFRESHED) {
            changed();
        }
        return result;
    }

    /** The port {@code mac} in {@code vlan} was learned on, or {@link MacDependency#UNKNOWN}. */
    public synchronized int lookup(long mac, int vlan, long nowNs) {
        Long key = key(mac, vlan);
        Slot s = entries.get(key);
        if (s == null) {
            return MacDependency.UNKNOWN;
        }
        if (nowNs - s.lastSeenNs >= agingNs) {
            entries.remove(key);
            changed();
            return MacDependency.UNKNOWN;
        }
        return s.ofPort;
    }

    /** Removes every entry older than the aging time; returns how many. */
    public synchronized int expire(long nowNs) {
        int removed = 0;
        Iterator<Slot> it = entries.values().iterator();
        while (it.hasNext()) {
            Slot s = it.next();
            if (nowNs - s.lastSeenNs < agingNs) {
                break; // LRU order: everything after this was seen later
            }
            it.remove();
            removed++;
        }
        if (removed > 0) {
            changed();
        }
        return removed;
    }

    /** Forgets every address learned on {@code ofPort} (the port left the bridge). */
    public synchronized int removePort(int ofPort) {
        int before = entries.size();
        entries.values().removeIf(s -> s.ofPort == ofPort);
        int removed = before - entries.size();
        if (removed > 0) {
            changed();
        }
        return removed;
    }

    /** Forgets everything ({@code fdb/flush}). */
    public synchronized void flush() {
        if (!entries.isEmpty()) {
            entries.clear();
            changed();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    /** The entries, least recently learned first. */
    public synchronized List<Entry> entries(long nowNs) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Map.Entry<Long, Slot> e : entries.entrySet()) {
            long k = e.getKey();
            out.add(new Entry((int) (k >>> 48), k & 0xffff_ffff_ffffL, e.getValue().ofPort,
                    nowNs - e.getValue().lastSeenNs));
        }
        return out;
    }

    private void evictOverflow() {
        Iterator<Slot> it = entries.values().iterator();
        boolean evicted = false;
        while (entries.size() > maxEntries && it.hasNext()) {
            it.next();
            it.remove();
            evicted = true;
        }
        if (evicted) {
            changed();
        }
    }

    private static Long key(long mac, int vlan) {
        return ((long) vlan << 48) | (mac & 0xffff_ffff_ffffL);
    }
}
