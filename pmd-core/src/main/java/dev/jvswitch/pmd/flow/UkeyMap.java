package dev.jvswitch.pmd.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every megaflow installed by any PMD, keyed by (pmd, ufid): what flow dumps, the flow limit and
 * the revalidators iterate. PMDs register flows here on the slow path only (an upcall); nothing on
 * the fast path touches the map.
 *
 * <p><b>Thread-safety:</b> a {@link ConcurrentHashMap}; {@link #size()} is an atomic count kept
 * beside it so the flow-limit check is one volatile read.
 */
public final class UkeyMap {
    private final ConcurrentHashMap<UkeyId, Ukey> map = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    /** Adds {@code ukey}, or returns the one already registered under its id. */
    public Ukey register(Ukey ukey) {
        Ukey prior = map.putIfAbsent(ukey.id(), ukey);
        if (prior == null) {
            size.incrementAndGet();
        }
        return prior;
    }

    /** Removes {@code ukey} if it is still the one registered under its id. */
    public boolean remove(Ukey ukey) {
        boolean removed = map.remove(ukey.id(), ukey);
        if (removed) {
            size.decrementAndGet();
        }
        return removed;
    }

    public Ukey get(UkeyId id) {
        return map.get(id);
    }

    public int size() {
        return size.get();
    }

    /** A point-in-time copy of the ukeys (weakly consistent with concurrent changes). */
    public List<Ukey> snapshot() {
        return new ArrayList<>(map.values());
    }

    /** Ukeys of one PMD. */
    public List<Ukey> snapshot(int pmdId) {
        List<Ukey> out = new ArrayList<>();
        for (Ukey u : map.values()) {
            if (u.pmdId() == pmdId) {
                out.add(u);
            }
        }
        return out;
    }
}
