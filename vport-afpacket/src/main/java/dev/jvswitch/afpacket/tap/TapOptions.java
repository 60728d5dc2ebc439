package dev.jvswitch.afpacket.tap;

import java.util.Set;

import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.pmd.netdev.sys.Where;

/**
 * A TAP port's options: {@code ifname}, the device's name (default: the port's), and {@code mac},
 * the Ethernet address to give it (default: the one the kernel picks).
 *
 * @param ifname the device name
 * @param mac    48-bit address, or -1 to keep the kernel's
 */
record TapOptions(String ifname, long mac) {
    static final Set<String> KNOWN = Set.of("ifname", "mac");

    static TapOptions parse(NetdevConfig c) throws NetdevException {
        c.checkOptions(KNOWN);
        String ifname = c.option("ifname", c.name());
        Interfaces.checkName(new Where(c.name(), ifname));
        long mac = -1;
        String text = c.options().get("mac");
        if (text != null) {
            mac = parseMac(text.trim());
            if (mac <= 0 || (mac >>> 40 & 1) != 0) {
                throw new NetdevException("port " + c.name() + ": option 'mac' must be a unicast MAC like"
                        + " 02:00:00:00:00:01, got '" + text + "'");
            }
        }
        return new TapOptions(ifname, mac);
    }

    private static long parseMac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            return -1;
        }
        long mac = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                return -1;
            }
            try {
                mac = mac << 8 | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return mac;
    }
}
