package dev.jvswitch.ovsdb.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.config.BondSpec;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.ovsdb.data.Datum;

/**
 * A Port row with several interfaces onto a {@link BondSpec} (OVS's {@code port_configure_bond}):
 * the mode, the primary member, the rebalance interval, and what jvswitch cannot run.
 *
 * <p>Stateless.
 */
final class BondMapper {
    private BondMapper() {
    }

    /**
     * Why port {@code name}, a bond, cannot run (then each of its interfaces says so), or null:
     * balance-tcp needs LACP, which jvswitch does not speak.
     */
    static String problem(String name, ObjectNode p) {
        String mode = Datum.optString(p.get("bond_mode"));
        if ("balance-tcp".equals(mode)) {
            return "port " + name + ": bond_mode balance-tcp needs LACP, which jvswitch does not have (use "
                    + String.join(" or ", BondSpec.MODES) + ")";
        }
        return null;
    }

    /**
     * Port {@code name}'s bond: its {@code bond_mode} (active-backup when empty, as OVS; an unknown
     * mode is reported and runs as active-backup), {@code other_config:bond-primary} and
     * {@code other_config:bond-rebalance-interval}; {@code lacp}
     * is reported and ignored.
     */
    static BondSpec bond(String name, ObjectNode p, List<ObjectNode> ifaces, MapContext ctx,
            List<ConfigError> w) {
        String mode = Datum.optString(p.get("bond_mode"));
        if (mode == null || mode.isEmpty()) {
            mode = BondSpec.ACTIVE_BACKUP;
        } else if (!BondSpec.MODES.contains(mode)) {
            w.add(new ConfigError(ctx.source(), 1, "Port " + name + " bond_mode", "'" + mode
                    + "' is not a bond mode (" + String.join(", ", BondSpec.MODES) + "); running active-backup"));
            mode = BondSpec.ACTIVE_BACKUP;
        }
        String lacp = Datum.optString(p.get("lacp"));
        if (lacp != null && !lacp.equals("off")) {
            w.add(new ConfigError(ctx.source(), 1, "Port " + name + " lacp", "LACP is not supported; the bond runs "
                    + mode + " without it"));
        }
        List<String> members = new ArrayList<>();
        for (ObjectNode i : ifaces) {
            members.add(Datum.string(i.get("name")));
        }
        Collections.sort(members);
        Map<String, String> oc = Datum.stringMap(p.get("other_config"));
        String primary = oc.get("bond-primary");
        if (primary != null && !members.contains(primary)) {
            w.add(new ConfigError(ctx.source(), 1, "Port " + name + " other_config:bond-primary", primary
                    + " is not one of the bond's interfaces " + members + "; ignored"));
            primary = null;
        }
        return new BondSpec(name, mode, primary, members, rebalanceInterval(name, oc, ctx, w));
    }

    /**
     * {@code other_config:bond-rebalance-interval} in ms (OVS's default when absent; 0 turns
     * rebalancing off; a value that is not a count of milliseconds is reported and the default used).
     */
    private static long rebalanceInterval(String name, Map<String, String> oc, MapContext ctx, List<ConfigError> w) {
        String v = oc.get("bond-rebalance-interval");
        if (v == null) {
            return BondSpec.DEFAULT_REBALANCE_INTERVAL_MS;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms >= 0 && ms <= Integer.MAX_VALUE) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        w.add(new ConfigError(ctx.source(), 1, "Port " + name + " other_config:bond-rebalance-interval", "expected"
                + " milliseconds (0 to turn rebalancing off), got '" + v + "'; using "
                + BondSpec.DEFAULT_REBALANCE_INTERVAL_MS));
        return BondSpec.DEFAULT_REBALANCE_INTERVAL_MS;
    }
}
