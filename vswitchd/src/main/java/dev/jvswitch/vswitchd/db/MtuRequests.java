package dev.jvswitch.vswitchd.db;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.jvswitch.config.PortSpec;
import dev.jvswitch.ovsdb.mapping.DbConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.pmd.netdev.sys.Where;

/**
 * {@code Interface.mtu_request}: the MTU the database asks of an interface's device, set as
 * ovs-vswitchd's {@code netdev_set_mtu} sets it for system and internal ports ({@code SIOCSIFMTU}
 * on the device, what {@code ip link set DEV mtu N} does). The port keeps running at the device's
 * MTU: its length checks follow the device (AF_PACKET tx slots grow with it), and the
 * {@code mtu} column shows what the device has. A request the device refuses, or one whose frames
 * would not fit in an mbuf (the {@code mempool} section's {@code mbuf-size} bounds every frame
 * the datapath holds), goes to the interface's {@code error} column; the port keeps forwarding
 * at its old MTU. Ports without a device of their own (patch, dummy, tunnels) ignore the
 * request, as OVS's userspace tunnels do.
 *
 * <p>Applied after every change from the database and at every statistics interval, so a device
 * created later, or one whose MTU someone changed, gets the requested MTU again.
 *
 * <p>Stateless; runs on the change thread.
 */
final class MtuRequests {
    /** An Ethernet header and one 802.1Q tag: what a frame holds beyond the MTU. */
    static final int FRAME_OVERHEAD_BYTES = 18;
    /** The least MTU Linux takes for IPv4 ({@code ETH_MIN_MTU}). */
    static final int MIN_MTU = 68;

    private MtuRequests() {
    }

    /**
     * Sets every requested MTU a device does not have yet.
     *
     * @return one line per interface whose request was refused, by name
     */
    static Map<String, String> apply(DbConfig c) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (c.mtuRequests().isEmpty()) {
            return errors;
        }
        int dataRoom = c.config().mempool().mbufSizeBytes();
        for (PortSpec p : c.config().ports()) {
            Integer want = c.mtuRequests().get(p.name());
            String ifname = p.options().get("ifname");
            if (want == null || ifname == null || ifname.contains("/")) {
                continue;
            }
            String problem = problem(want, dataRoom);
            if (problem == null) {
                problem = set(p.name(), ifname, want);
            }
            if (problem != null) {
                errors.put(p.name(), problem);
            }
        }
        return errors;
    }

    /** Why {@code mtu} cannot be had with mbufs of {@code dataRoom} bytes, or null. */
    static String problem(int mtu, int dataRoom) {
        if (mtu < MIN_MTU) {
            return "mtu_request " + mtu + " is below the least MTU, " + MIN_MTU;
        }
        if (mtu + FRAME_OVERHEAD_BYTES > dataRoom) {
            return "mtu_request " + mtu + " needs mbufs of at least " + (mtu + FRAME_OVERHEAD_BYTES)
                    + " bytes (a tagged frame); the mempool's mbuf-size is " + dataRoom
                    + " (raise it in the configuration file)";
        }
        return null;
    }

    /** Sets the device's MTU unless it has it already; null, or why not. A missing device is not reported here. */
    private static String set(String port, String ifname, int mtu) {
        try (Interfaces dev = new Interfaces(new Where(port, ifname))) {
            Interfaces.Info info = dev.query();
            if (info != null && info.mtu() != mtu) {
                dev.setMtu(mtu);
            }
            return null;
        } catch (NetdevException e) {
            return "mtu_request " + mtu + " refused: " + e.getMessage();
        }
    }
}
