package dev.jvswitch.ovsdb.status;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One report of the switch's state for the database, by names only (no row uuids): the client
 * finds the rows and writes what changed since its last write.
 *
 * @param curCfg      the {@code next_cfg} now in effect (written as {@code cur_cfg}), or -1 to
 *                    leave {@code cur_cfg} alone (a statistics refresh)
 * @param interfaces  interface name to its status
 * @param datapathIds bridge name to its datapath id (16 hex digits)
 * @param bondActive  bond (Port) name to its active member's MAC, {@code 00:00:00:00:00:00} when
 *                    no member is live ({@code Port.bond_active_slave}, as OVS writes it)
 */
public record StatusReport(long curCfg, Map<String, InterfaceStatus> interfaces, Map<String, String> datapathIds,
        Map<String, String> bondActive) {
    public StatusReport {
        interfaces = Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
        datapathIds = Map.copyOf(datapathIds);
        bondActive = Map.copyOf(bondActive);
    }

    /** Without bonds. */
    public StatusReport(long curCfg, Map<String, InterfaceStatus> interfaces, Map<String, String> datapathIds) {
        this(curCfg, interfaces, datapathIds, Map.of());
    }
}
