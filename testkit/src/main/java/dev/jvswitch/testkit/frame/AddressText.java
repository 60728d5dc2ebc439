package dev.jvswitch.testkit.frame;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The address literals a test writes ({@code "00:00:5e:00:53:01"}, {@code "10.0.0.1"},
 * {@code "2001:db8::1"}) as the numbers the frame builder stores: a MAC in the low 48 bits of a
 * long, IPv4 in an int, IPv6 as {high, low}. IPv6 text goes through the JDK's literal parser;
 * nothing here ever resolves a name (text that is not a literal fails before the JDK sees it).
 * A bad literal fails with a message that quotes it.
 */
final class AddressText {
    private AddressText() {
    }

    /** {@code xx:xx:xx:xx:xx:xx}, hex digits of either case. */
    static long parseMac(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw bad("MAC", text);
        }
        long mac = 0;
        for (String p : parts) {
            mac = (mac << 8) | parseField(p, 16, 2, 0xff, "MAC", text);
        }
        return mac;
    }

    /** A dotted quad. */
    static int parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw bad("IPv4", text);
        }
        int ip = 0;
        for (String p : parts) {
            ip = (ip << 8) | parseField(p, 10, 3, 255, "IPv4", text);
        }
        return ip;
    }

    /** RFC 4291 text ({@code ::} and a trailing dotted quad allowed); returns {high, low}. */
    static long[] parseIpv6(String text) {
        if (text.indexOf(':') < 0 || !text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            throw bad("IPv6", text);
        }
        byte[] raw;
        try {
            raw = InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw bad("IPv6", text);
        }
        ByteBuffer b = ByteBuffer.allocate(16);
        if (raw.length == 4) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; a frame wants the mapped form.
            b.putLong(0).putShort((short) 0).putShort((short) 0xffff).put(raw);
        } else {
            b.put(raw);
        }
        return new long[] {b.getLong(0), b.getLong(8)};
    }

    private static int parseField(String part, int radix, int maxDigits, int max, String kind, String whole) {
        if (part.isEmpty() || part.length() > maxDigits) {
            throw bad(kind, whole);
        }
        int v = 0;
        for (int i = 0; i < part.length(); i++) {
            int d = Character.digit(part.charAt(i), radix);
            if (d < 0) {
                throw bad(kind, whole);
            }
            v = v * radix + d;
        }
        if (v > max) {
            throw bad(kind, whole);
        }
        return v;
    }

    private static IllegalArgumentException bad(String kind, String text) {
        return new IllegalArgumentException("bad " + kind + " address '" + text + "'");
    }
}
