package dev.jvswitch.pmd.port;

import java.nio.charset.StandardCharsets;

import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;

/** Options every in-memory port type understands: {@code mac} and {@code mtu}. */
public final class PortOptions {
    public static final String MAC = "mac";
    public static final String MTU = "mtu";
    public static final int DEFAULT_MTU = 1500;
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    private PortOptions() {
    }

    /** The {@code mac} option, or {@link #generatedMac} of the port's name. */
    static long mac(NetdevConfig config) throws NetdevException {
        String text = config.options().get(MAC);
        if (text == null) {
            return generatedMac(config.name());
        }
        long mac = parseMac(text);
        if (mac < 0) {
            throw new NetdevException("port " + config.name() + ": option 'mac' must be six hex bytes like "
                    + "02:00:00:00:00:01, got '" + text + "'");
        }
        return mac;
    }

    static int mtu(NetdevConfig config) throws NetdevException {
        return config.intOption(MTU, DEFAULT_MTU, MIN_MTU, MAX_MTU);
    }

    /**
     * A locally administered unicast address derived from {@code portName} (02:xx:xx:xx:xx:xx with
     * 40 bits of an FNV-1a hash of the name), so a port keeps its address across restarts.
     */
    public static long generatedMac(String portName) {
        long h = 0xcbf29ce484222325L;
        for (byte b : portName.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (0x02L << 40) | (h & 0xff_ffff_ffffL);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes); returns -1 if it is not one. */
    public static long parseMac(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            return -1;
        }
        long mac = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                return -1;
            }
            int b = 0;
            for (int i = 0; i < part.length(); i++) {
                int digit = Character.digit(part.charAt(i), 16);
                if (digit < 0) {
                    return -1;
                }
                b = (b << 4) | digit;
            }
            mac = (mac << 8) | b;
        }
        return mac;
    }

    /** Formats a 48-bit address as {@code aa:bb:cc:dd:ee:ff}. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
