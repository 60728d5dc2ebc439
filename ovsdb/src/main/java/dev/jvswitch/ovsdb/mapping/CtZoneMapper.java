package dev.jvswitch.ovsdb.mapping;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConntrackSettings;
import dev.jvswitch.conntrack.CtTimeouts;
import dev.jvswitch.ovsdb.data.Datum;
import dev.jvswitch.ovsdb.data.Replica;

/**
 * The netdev {@code Datapath} row's conntrack zones onto the {@link ConntrackSettings} the YAML
 * {@code conntrack:} section gives (as ovs-vswitchd's {@code ct_zone_reconfigure}):
 * {@code ct_zones} (what {@code ovs-vsctl add-zone-tp netdev zone=N udp_first=30} writes) maps a
 * zone to a {@code CT_Zone} row, whose {@code timeout_policy} names a {@code CT_Timeout_Policy}
 * row of {@code timeouts}; {@code CT_Zone.limit} and {@code Datapath.ct_zone_default_limit}, where
 * the schema has them (OVS 3.3 and later), are the zone limits.
 *
 * <p>A zone the database names replaces the file's settings of that zone; the file's other zones
 * and its global settings stay. A timeout key the userspace datapath has no class for
 * ({@code tcp_syn_sent2}, {@code tcp_unack}, ...) is ignored, as ovs-vswitchd's netdev datapath
 * ignores it; a value out of range is reported and that key left out.
 *
 * <p>Stateless.
 */
final class CtZoneMapper {
    private CtZoneMapper() {
    }

    /** {@code base} with the zones of the netdev datapath in {@code db}. */
    static ConntrackSettings conntrack(Replica db, ObjectNode root, ConntrackSettings base, MapContext ctx,
            List<ConfigError> w) {
        String dpUuid = root == null ? null : Datum.uuidMap(root.get("datapaths")).get("netdev");
        ObjectNode dp = dpUuid == null ? null : db.row(Columns.DATAPATH, dpUuid);
        if (dp == null) {
            return base;
        }
        int defaultLimit = base.defaultLimit();
        Long dl = Datum.optInteger(dp.get("ct_zone_default_limit"));
        if (dl != null) {
            defaultLimit = limit("Datapath netdev ct_zone_default_limit", dl, defaultLimit, ctx, w);
        }
        Map<Integer, Integer> limits = new TreeMap<>(base.zoneLimits());
        Map<Integer, Map<CtTimeouts, Integer>> policies = new TreeMap<>(base.zonePolicies());
        for (Map.Entry<String, String> z : Datum.uuidMap(dp.get("ct_zones")).entrySet()) {
            int zone;
            try {
                zone = Integer.parseInt(z.getKey());
            } catch (NumberFormatException e) {
                continue; // the schema's key is an integer 0..65535
            }
            ObjectNode row = db.row(Columns.CT_ZONE, z.getValue());
            if (row == null) {
                continue;
            }
            String where = "CT_Zone " + zone;
            limits.remove(zone);
            Long lim = Datum.optInteger(row.get("limit"));
            if (lim != null) {
                int v = limit(where + " limit", lim, -1, ctx, w);
                if (v >= 0) {
                    limits.put(zone, v);
                }
            }
            policies.remove(zone);
            List<String> tp = Datum.uuids(row.get("timeout_policy"));
            ObjectNode policy = tp.isEmpty() ? null : db.row(Columns.CT_TIMEOUT_POLICY, tp.get(0));
            if (policy != null) {
                Map<CtTimeouts, Integer> p = timeouts(where, policy, ctx, w);
                if (!p.isEmpty()) {
                    policies.put(zone, p);
                }
            }
        }
        return new ConntrackSettings(base.maxConns(), base.tcpSeqChk(), defaultLimit, limits, base.defaultPolicy(),
                policies, base.ipf());
    }

    private static Map<CtTimeouts, Integer> timeouts(String where, ObjectNode policy, MapContext ctx,
            List<ConfigError> w) {
        Map<CtTimeouts, Integer> out = new EnumMap<>(CtTimeouts.class);
        for (Map.Entry<String, String> t : Datum.stringMap(policy.get("timeouts")).entrySet()) {
            CtTimeouts c = CtTimeouts.byKey(t.getKey());
            if (c == null) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(t.getValue());
            } catch (NumberFormatException e) {
                continue; // the schema's value is an integer
            }
            if (v < 1 || v > CtTimeouts.MAX_SECONDS) {
                w.add(new ConfigError(ctx.source(), 1, where + " timeout_policy " + t.getKey(), v
                        + " is out of range (1.." + CtTimeouts.MAX_SECONDS + " seconds); the default applies"));
                continue;
            }
            out.put(c, (int) v);
        }
        return out;
    }

    private static int limit(String where, long v, int fallback, MapContext ctx, List<ConfigError> w) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            w.add(new ConfigError(ctx.source(), 1, where, v + " is out of range (0.." + Integer.MAX_VALUE
                    + ", 0 unlimited); ignored"));
            return fallback;
        }
        return (int) v;
    }
}
