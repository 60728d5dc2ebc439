package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bridge's MAC learning table: Ethernet address to the datapath port it was last seen on.
 * Bounded ({@code mac-table-size}: when full, the entry seen longest ago makes room) and aged
 * ({@code mac-aging-time}) by the control thread.
 *
 * <p><b>Thread-safety:</b> PMD threads learn during upcalls while the control thread ages,
 * refreshes, flushes and reads. The map is a {@link ConcurrentHashMap}; an entry's port and
 * last-seen time are volatile, written by whichever thread saw the address last (a race between
 * two PMDs learning one address on two ports leaves one of them, as a MAC move would). Counters
 * are atomic.
 */
final class MacTable {
    /** One learned address. */
    static final class Entry {
        final long mac;
        volatile int dpPort;
        volatile long seenMs;

        Entry(long mac, int dpPort, long seenMs) {
            this.mac = mac;
            this.dpPort = dpPort;
            this.seenMs = seenMs;
        }
    }

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    private volatile int capacity;
    final AtomicLong learned = new AtomicLong();
    final AtomicLong moved = new AtomicLong();
    final AtomicLong evicted = new AtomicLong();
    final AtomicLong aged = new AtomicLong();

    MacTable(int capacity) {
        this.capacity = capacity;
    }

    void capacity(int entriesMax) {
        capacity = entriesMax;
    }

    /**
     * Records that {@code mac} was seen on {@code dpPort}.
     *
     * @return true if that changed where the address goes (new or moved), so flows depending on
     *         it must be revalidated
     */
    boolean learn(long mac, int dpPort, long nowMs) {
        Entry e = entries.get(mac);
        if (e != null) {
            e.seenMs = nowMs;
            if (e.dpPort != dpPort) {
                e.dpPort = dpPort;
                moved.incrementAndGet();
                return true;
            }
            return false;
        }
        if (entries.size() >= capacity) {
            evictOldest();
        }
        if (entries.putIfAbsent(mac, new Entry(mac, dpPort, nowMs)) == null) {
            learned.incrementAndGet();
        }
        return true;
    }

    /** The port {@code mac} was learned on, or -1. */
    int lookup(long mac) {
        Entry e = entries.get(mac);
        return e == null ? -1 : e.dpPort;
    }

    /** Keeps an entry alive because a megaflow built from it is in use (control thread). */
    void refresh(long mac, int dpPort, long seenMs) {
        Entry e = entries.get(mac);
        if (e != null && e.dpPort == dpPort && e.seenMs < seenMs) {
            e.seenMs = seenMs;
        }
    }

    /** Removes entries not seen for {@code agingMs}; returns how many. */
    int age(long nowMs, long agingMs) {
        int removed = 0;
        for (Map.Entry<Long, Entry> me : entries.entrySet()) {
            if (nowMs - me.getValue().seenMs > agingMs && entries.remove(me.getKey(), me.getValue())) {
                removed++;
            }
        }
        aged.addAndGet(removed);
        return removed;
    }

    /** Removes the entries on {@code dpPort} (the port left the bridge); returns how many. */
    int forgetPort(int dpPort) {
        int removed = 0;
        for (Map.Entry<Long, Entry> me : entries.entrySet()) {
            if (me.getValue().dpPort == dpPort && entries.remove(me.getKey(), me.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    /** Empties the table; returns how many entries it had. */
    int flush() {
        int n = entries.size();
        entries.clear();
        return n;
    }

    int size() {
        return entries.size();
    }

    /** A point-in-time copy of the entries. */
    List<Entry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    private void evictOldest() {
        Entry oldest = null;
        for (Entry e : entries.values()) {
            if (oldest == null || e.seenMs < oldest.seenMs) {
                oldest = e;
            }
        }
        if (oldest != null && entries.remove(oldest.mac, oldest)) {
            evicted.incrementAndGet();
        }
    }
}
