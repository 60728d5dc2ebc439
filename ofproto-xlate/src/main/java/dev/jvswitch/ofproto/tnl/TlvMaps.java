package dev.jvswitch.ofproto.tnl;

import java.util.ArrayList;
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

    /**
     * A config's {@code tlv-map} for {@code bridge} (OVS has none: there only OpenFlow sets the
     * map): the mappings of {@code before} (what the running config had) that {@code next} left
     * out are removed if still there, and those of {@code next} not in the map are added, all or
     * nothing. Mappings set at run time ({@code ofctl/add-tlv-map}, {@code NXT_TLV_TABLE_MOD})
     * stay, unless they conflict with the config's: then nothing changes.
     *
     * @throws IllegalArgumentException naming the mapping that conflicts
     */
    public synchronized void configure(String bridge, List<TlvMap.Mapping> before, List<TlvMap.Mapping> next) {
        TlvMap after = configured(bridge, before, next);
        if (after != get(bridge)) {
            put(bridge, after);
        }
    }

    /**
     * What {@link #configure} would make {@code bridge}'s map, changing nothing (the same map
     * when it would not change it).
     *
     * @throws IllegalArgumentException as {@link #configure}
     */
    public synchronized TlvMap configured(String bridge, List<TlvMap.Mapping> before, List<TlvMap.Mapping> next) {
        TlvMap map = get(bridge);
        List<TlvMap.Mapping> gone = new ArrayList<>();
        for (TlvMap.Mapping m : before) {
            if (!next.contains(m) && map.mappings().contains(m)) {
                gone.add(m);
            }
        }
        List<TlvMap.Mapping> added = new ArrayList<>();
        for (TlvMap.Mapping m : next) {
            if (!map.mappings().contains(m)) {
                added.add(m);
            }
        }
        return gone.isEmpty() && added.isEmpty() ? map : map.delete(gone).add(added);
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
