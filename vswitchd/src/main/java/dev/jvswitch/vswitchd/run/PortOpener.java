package dev.jvswitch.vswitchd.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * Opens the netdevs of ports (patch ports have none) all or nothing: if one cannot be opened,
 * those opened are closed again and every failure is reported, each naming its port's config key;
 * and numbers ports in the datapath.
 *
 * <p>Stateless; the caller's thread (the switch's, under its port lock).
 */
final class PortOpener {
    /** Datapath numbers of bridges' own ports count down from here. */
    static final int LOCAL_DP_PORTS = 1023;

    private PortOpener() {
    }

    /**
     * A free datapath number for a port that asks for OpenFlow number {@code preferred}: that
     * number when free, else the lowest free one. A bridge's own port (LOCAL) is numbered down
     * from {@link #LOCAL_DP_PORTS}, so the other ports keep dp == ofport, and the datapath's port
     * table (sized by the highest number) stays small.
     */
    static int freeDpPort(java.util.SortedSet<Integer> used, int preferred) {
        if (preferred > Datapath.MAX_PORT_NO) {
            int n = LOCAL_DP_PORTS;
            while (used.contains(n) && n > 1) {
                n--;
            }
            return used.contains(n) ? freeDpPort(used, 1) : n;
        }
        if (!used.contains(preferred)) {
            return preferred;
        }
        int n = 1;
        while (used.contains(n)) {
            n++;
        }
        return n;
    }

    static Map<PortSpec, Netdev> open(List<PortSpec> specs, SwitchConfig in, MbufPool pool, int pmds)
            throws StartException {
        Map<PortSpec, Netdev> opened = new LinkedHashMap<>();
        List<ConfigError> errors = new ArrayList<>();
        for (PortSpec p : specs) {
            if (p.isPatch()) {
                continue;
            }
            try {
                opened.put(p, Netdevs.open(new NetdevConfig(p.name(), p.type(), p.options(), pool, pmds)));
            } catch (NetdevException | RuntimeException e) {
                errors.add(new ConfigError(in.file(), p.line(), "bridges." + p.bridge() + ".ports." + p.name(),
                        e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            for (Netdev n : opened.values()) {
                n.close();
            }
            throw new StartException(errors);
        }
        return opened;
    }
}
