package dev.jvswitch.pmd.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every megaflow installed by any PMD, keyed by (pmd, ufid): what flow dumps, the flow limit and
 * the revalidators iterate. PMDs register flows here on the slow path only (an upcall); nothing on
 * the fast path touches the map.
 *
 * <p><b>Thread-safety:</b> a {@link ConcurrentHashMap}; {@link #size()} is an atomic count kept
 * beside it so the flow-limit check is one volatile read. {@link #dynamicLimit()} is a volatile
 * int written by the revalidator leader and read by PMDs on every upcall that would install.
 */
public final class UkeyMap {
    private final ConcurrentHashMap<UkeyId, Ukey> map = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Collection<Ukey> values = Collections.unmodifiableCollection(map.values());
    private volatile int dynamicLimit = Integer.MAX_VALUE;

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

    /**
     * A live, read-only view of the ukeys, for dumps that must not copy hundreds of thousands of
     * references. Iteration is weakly consistent: it sees every ukey registered before the
     * iterator was made and not removed since, at most once, and may or may not see later changes.
     */
    public Collection<Ukey> values() {
        return values;
    }

    /**
     * The flow limit the revalidators currently allow (OVS's dynamic {@code flow_limit}), at most
     * the configured {@code flow-limit}; {@link Integer#MAX_VALUE} when no revalidator runs. An
     * upcall does not install a flow while {@link #size()} is at or over it.
     */
    public int dynamicLimit() {
        return dynamicLimit;
    }

    /** Sets the dynamic flow limit (revalidator leader; volatile store). */
    public void dynamicLimit(int limit) {
        dynamicLimit = limit;
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
