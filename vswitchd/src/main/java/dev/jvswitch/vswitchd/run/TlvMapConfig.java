package dev.jvswitch.vswitchd.run;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMaps;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;

/**
 * The bridges' {@code tlv-map} keys applied to their TLV maps, as {@code ofctl/add-tlv-map} would:
 * all of them at start, and at a reload what changed since the config applied last (a mapping
 * the key no longer names is removed, a new one added; see {@link TlvMaps#configure}). Mappings
 * set at run time stay.
 *
 * <p><b>Thread-safety:</b> used by the thread that starts and reloads the switch, one at a time.
 */
final class TlvMapConfig {
    /** The mappings applied last, by bridge. */
    private Map<String, List<String>> applied = Map.of();

    /** Applies {@code c}'s keys before its flows go in (they may match the fields they map). */
    void apply(SwitchConfig c, TlvMaps maps) throws OfprotoException {
        Map<String, List<String>> next = new HashMap<>();
        for (BridgeSpec b : c.bridges().values()) {
            if (!b.settings().tlvMap().isEmpty()) {
                next.put(b.name(), b.settings().tlvMap());
            }
        }
        Set<String> bridges = new HashSet<>(applied.keySet());
        bridges.addAll(next.keySet());
        for (String b : bridges) {
            List<String> before = applied.getOrDefault(b, List.of());
            List<String> now = next.getOrDefault(b, List.of());
            if (before.equals(now)) {
                continue;
            }
            try {
                maps.configure(b, TlvMap.parseAll(before), TlvMap.parseAll(now));
            } catch (IllegalArgumentException e) {
                throw new OfprotoException("bridges." + b + ".tlv-map: " + e.getMessage());
            }
        }
        applied = next;
    }
}
