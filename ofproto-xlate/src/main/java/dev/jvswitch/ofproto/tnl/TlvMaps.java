package dev.jvswitch.ofproto.tnl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every bridge's {@link TlvMap}, as translation reads them: one immutable map of bridge name to
 * TLV map behind a volatile field, replaced whole by each edit.
 *
 * <p><b>Thread-safety:</b> edits are synchronized and published with a volatile store, then run
 * {@code onChange} (the switch's {@code revalSeq}: megaflows translated with the old map are
 * revalidated); translating threads read with one volatile load and never wait.
 */
public final class TlvMaps {
    private final Runnable onChange;
    private volatile Map<String, TlvMap> maps = Map.of();

    public TlvMaps(Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /** Bridge {@code bridge}'s map (empty if none was set). */
    public TlvMap get(String bridge) {
        TlvMap m = maps.get(bridge);
        return m == null ? TlvMap.EMPTY : m;
    }

    /** Adds {@code mappings} to {@code bridge}'s map, all or nothing (see {@link TlvMap#add}). */
    public synchronized void add(String bridge, List<TlvMap.Mapping> mappings) {
        put(bridge, get(bridge).add(mappings));
    }

    /** Removes {@code mappings} from {@code bridge}'s map, or clears it when {@code mappings} is null. */
    public synchronized void delete(String bridge, List<TlvMap.Mapping> mappings) {
        put(bridge, mappings == null ? TlvMap.EMPTY : get(bridge).delete(mappings));
    }

    /** Removes the mappings of {@code indices} from {@code bridge}'s map, ignoring unmapped ones (see {@link TlvMap#deleteIndices}). */
    public synchronized void deleteIndices(String bridge, List<Integer> indices) {
        put(bridge, get(bridge).deleteIndices(indices));
    }

    private void put(String bridge, TlvMap map) {
        Map<String, TlvMap> next = new HashMap<>(maps);
        if (map.size() == 0) {
            next.remove(bridge);
        } else {
            next.put(bridge, map);
        }
        maps = Map.copyOf(next);
        onChange.run();
    }
}
