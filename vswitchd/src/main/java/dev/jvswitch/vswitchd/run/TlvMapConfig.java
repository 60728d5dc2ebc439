package dev.jvswitch.vswitchd.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMaps;
import dev.jvswitch.ofproto.tnl.TlvUse;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;

/**
 * The bridges' {@code tlv-map} keys applied to their TLV maps, as {@code ofctl/add-tlv-map} would:
 * all of them at start, and at a reload what changed since the config applied last (a mapping
 * the key no longer names is removed, a new one added; see {@link TlvMaps#configure}). Mappings
 * set at run time stay. A reload that would pull a mapping from under a flow it keeps is refused
 * first ({@link #check}).
 *
 * <p><b>Thread-safety:</b> used by the thread that starts and reloads the switch, one at a time.
 */
final class TlvMapConfig {
    private static final String KEY = "tlv-map";
    /** The mappings applied last, by bridge. */
    private Map<String, List<String>> applied = Map.of();

    /**
     * The errors a reload from {@code running} to {@code next} meets in its {@code tlv-map} keys,
     * found before anything changes: a key whose change would delete or move a mapping that a
     * flow staying on the bridge uses ({@link TlvUse#change}, the check the OpenFlow channel and
     * {@code ofctl/*} make). A bridge whose flows the reload replaces keeps none of them (its new
     * ones are read through the new map), so only bridges whose flows stay are checked; a key that
     * conflicts with a run-time mapping is left to {@link #apply}, which reports it as before.
     */
    List<ConfigError> check(SwitchConfig running, SwitchConfig next, List<String> flowsReplaced, OfprotoService sp)
            throws OfprotoException {
        List<ConfigError> errors = new ArrayList<>();
        TlvMaps maps = sp.tunnels().tlvMaps();
        for (BridgeSpec b : next.bridges().values()) {
            List<String> before = applied.getOrDefault(b.name(), List.of());
            if (before.equals(b.settings().tlvMap()) || flowsReplaced.contains(b.name())
                    || !running.bridges().containsKey(b.name())) {
                continue;
            }
            TlvMap after;
            try {
                after = maps.configured(b.name(), TlvMap.parseAll(before), TlvMap.parseAll(b.settings().tlvMap()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            TlvUse.Refusal r = TlvUse.change(sp.flowStats(b.name()), maps.get(b.name()), after);
            if (r != null) {
                errors.add(new ConfigError(next.file(), b.tlvMapLine(), "bridges." + b.name() + "." + KEY, r.reason()
                        + " (a flow this reload keeps: change it in the same reload)"));
            }
        }
        return errors;
    }

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
