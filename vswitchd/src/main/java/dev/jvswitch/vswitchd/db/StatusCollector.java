package dev.jvswitch.vswitchd.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.ovsdb.mapping.DbConfig;
import dev.jvswitch.ovsdb.status.InterfaceStatus;
import dev.jvswitch.ovsdb.status.StatusReport;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.vswitchd.ofproto.BondState;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * The switch's state as OVS writes it to the database: per interface its OpenFlow port, Linux
 * ifindex, MTU, link and admin state, MAC, error (a refused {@code mtu_request} on a running
 * port) and counters; per bridge its datapath id; per
 * bond the MAC of its active member.
 *
 * <p><b>Thread-safety:</b> runs on the change thread (ports change only there, so what it reads
 * is consistent with the config it is given).
 */
final class StatusCollector {
    /** OpenFlow's LOCAL port: a bridge's own interface. */
    static final int OFPP_LOCAL = 65534;

    private StatusCollector() {
    }

    /**
     * @param mtuErrors interfaces whose {@code mtu_request} was refused, with why: they run on, and
     *                  their {@code error} says so
     */
    static StatusReport collect(Switch sw, DbConfig c, long curCfg, Map<String, String> mtuErrors) {
        Map<String, InterfaceStatus> out = new LinkedHashMap<>();
        NetdevStats stats = new NetdevStats();
        for (PortSpec p : c.config().ports()) {
            if (p.isPatch()) {
                out.put(p.name(), new InterfaceStatus(p.ofport(), null, null, "up", "up", null, null, Map.of(),
                        Map.of("driver_name", "jvswitch-patch", "peer", p.patchPeer())));
                continue;
            }
            int no = sw.dpPort(p.name());
            Netdev n = no < 0 ? null : sw.datapath().port(no);
            if (n == null) {
                out.put(p.name(), InterfaceStatus.failed("not in the datapath"));
                continue;
            }
            stats.clear();
            n.readStats(stats);
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("rx_packets", stats.rxPackets);
            counters.put("rx_bytes", stats.rxBytes);
            counters.put("rx_dropped", stats.rxDropped);
            counters.put("rx_errors", stats.rxErrors);
            counters.put("tx_packets", stats.txPackets);
            counters.put("tx_bytes", stats.txBytes);
            counters.put("tx_dropped", stats.txDropped);
            counters.put("tx_errors", stats.txErrors);
            Map<String, String> status = new LinkedHashMap<>(n.status());
            status.put("driver_name", "jvswitch-" + p.type());
            String link = n.linkUp() ? "up" : "down";
            Long mtu = deviceMtu(p);
            if (mtu == null && n.mtu() > 0) {
                mtu = (long) n.mtu();
            }
            out.put(p.name(), new InterfaceStatus(p.ofport(), ifindex(p), mtu, link, adminState(p),
                    n.macAddress() != 0 ? Addresses.mac(n.macAddress()) : null, mtuErrors.get(p.name()), counters,
                    status));
        }
        for (Map.Entry<String, String> e : c.interfaceErrors().entrySet()) {
            out.put(e.getKey(), InterfaceStatus.failed(e.getValue()));
        }
        for (String local : c.bridgePorts().keySet()) {
            out.put(local, new InterfaceStatus(OFPP_LOCAL, null, null, null, null, null, null, Map.of(),
                    Map.of("driver_name", "jvswitch-local")));
        }
        Map<String, String> dpids = new LinkedHashMap<>();
        for (BridgeSpec b : c.config().bridges().values()) {
            long id = b.openflow().datapathId();
            if (id == OpenFlowSettings.DERIVED_DATAPATH_ID) {
                // A bridge a failed reload left out of the running config has no id yet.
                var backend = sw.backend(b.name());
                if (backend == null) {
                    continue;
                }
                id = backend.derivedDatapathId();
            }
            dpids.put(b.name(), String.format("%016x", id));
        }
        return new StatusReport(curCfg, out, dpids, bondActive(sw));
    }

    /** Each bond's active member's MAC, as OVS's {@code port_refresh_bond_status} writes it. */
    private static Map<String, String> bondActive(Switch sw) {
        // No live member: OVS writes the zero MAC.
        Map<String, String> out = new LinkedHashMap<>();
        for (BondState b : sw.ofproto().bonds()) {
            out.put(b.name(), Addresses.mac(b.activeMac()));
        }
        return out;
    }

    private static final long IFF_UP = 1;

    /**
     * The device's MTU as the kernel has it now (the port's own copy is polled, and may lag an
     * {@code mtu_request} set a moment ago), or null for a port without a device.
     */
    private static Long deviceMtu(PortSpec p) {
        String ifname = p.options().get("ifname");
        if (ifname == null || ifname.contains("/")) {
            return null;
        }
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", ifname, "mtu")).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static Long ifindex(PortSpec p) {
        String ifname = p.options().get("ifname");
        if (ifname == null || ifname.contains("/")) {
            return null;
        }
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", ifname, "ifindex")).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * As OVS's {@code admin_state}: the device's {@code IFF_UP} ({@code ip link set DEV up}), so an
     * internal port reads down until the host brings it up; a port without a device is up.
     */
    private static String adminState(PortSpec p) {
        String ifname = p.options().get("ifname");
        if (ifname == null || ifname.contains("/")) {
            return "up";
        }
        try {
            String flags = Files.readString(Path.of("/sys/class/net", ifname, "flags")).trim();
            return (Long.decode(flags) & IFF_UP) != 0 ? "up" : "down";
        } catch (IOException | NumberFormatException e) {
            return "up";
        }
    }
}
