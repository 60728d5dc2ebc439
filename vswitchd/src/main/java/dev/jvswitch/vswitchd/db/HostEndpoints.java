package dev.jvswitch.vswitchd.db;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

import dev.jvswitch.config.EndpointSpec;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * A bridge's tunnel endpoint under a database: the addresses the host holds on the bridge's own
 * device (its TAP, {@code ip addr add 192.0.2.1/24 dev br-phy}) and the device's MAC, as OVS's
 * userspace datapath takes the tunnel source from {@code br-phy}'s address and the kernel's routes.
 * The first IPv4 address and the first global IPv6 address count (link-local ones never source
 * tunnels).
 *
 * <p>Stateless; any thread (the JDK reads the device's addresses afresh on each call).
 */
final class HostEndpoints {
    private HostEndpoints() {
    }

    /** The endpoint device {@code name} gives, or null (no such device, no usable address). */
    static EndpointSpec of(String name) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null) {
                return null;
            }
            IpAddress v4 = null;
            IpAddress v6 = null;
            int plen4 = 0;
            int plen6 = 0;
            for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                if (a.getAddress() instanceof Inet4Address && v4 == null) {
                    v4 = IpAddress.parse(a.getAddress().getHostAddress());
                    plen4 = a.getNetworkPrefixLength();
                } else if (a.getAddress() instanceof Inet6Address i6 && v6 == null && !i6.isLinkLocalAddress()) {
                    String text = i6.getHostAddress();
                    int scope = text.indexOf('%');
                    v6 = IpAddress.parse(scope < 0 ? text : text.substring(0, scope));
                    plen6 = a.getNetworkPrefixLength();
                }
            }
            if (v4 == null && v6 == null) {
                return null;
            }
            byte[] hw = nif.getHardwareAddress();
            long mac = EndpointSpec.GENERATED;
            if (hw != null && hw.length == 6) {
                mac = 0;
                for (byte b : hw) {
                    mac = mac << 8 | (b & 0xff);
                }
            }
            return new EndpointSpec(v4, plen4, v6, plen6, mac, 1);
        } catch (SocketException | IllegalArgumentException e) {
            return null;
        }
    }
}
