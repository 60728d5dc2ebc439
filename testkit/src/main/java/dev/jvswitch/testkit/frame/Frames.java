package dev.jvswitch.testkit.frame;

/**
 * Crafts valid Ethernet frames as byte arrays, for tests, the traffic generator and demos: pick a
 * starting point here, adjust it with the {@link FrameBuilder} methods, then {@code build()}.
 *
 * <pre>
 * byte[] f = Frames.udp4().src("00:00:00:00:00:01").dst("00:00:00:00:00:02")
 *         .ip("10.0.0.1", "10.0.0.2").ports(1, 2).size(64).build();
 * byte[] v = Frames.udp4().ip("192.0.2.1", "192.0.2.2").vxlan(42, f).build();
 * </pre>
 *
 * Lengths and checksums (IPv4 header, TCP, UDP, ICMP, ICMPv6, SCTP CRC32c) are always filled in.
 * Sizes are frame bytes without the 4-byte FCS, as an mbuf holds them: a "64-byte" frame on the
 * wire is {@code size(60)} here. Not for the hot path: building allocates.
 */
public final class Frames {
    /** Default addresses, so that a test only names what it cares about. */
    public static final String DEFAULT_SRC_MAC = "00:00:00:00:00:01";
    public static final String DEFAULT_DST_MAC = "00:00:00:00:00:02";
    public static final String DEFAULT_SRC_IPV4 = "10.0.0.1";
    public static final String DEFAULT_DST_IPV4 = "10.0.0.2";
    public static final String DEFAULT_SRC_IPV6 = "2001:db8::1";
    public static final String DEFAULT_DST_IPV6 = "2001:db8::2";
    public static final int VXLAN_PORT = 4789;
    /** IANA's Geneve port. */
    public static final int GENEVE_PORT = 6081;

    private Frames() {
    }

    /** An Ethernet frame of {@code ethType} whose payload is given with {@code payload()}. */
    public static FrameBuilder ethernet(int ethType) {
        return new FrameBuilder(FrameBuilder.L3.NONE, -1, true).ethType(ethType);
    }

    /** An ARP request from 10.0.0.1 for 10.0.0.2 (change it with {@code arp...} methods). */
    public static FrameBuilder arp() {
        return new FrameBuilder(FrameBuilder.L3.ARP, -1, true).dst("ff:ff:ff:ff:ff:ff");
    }

    /**
     * IPv4 whose protocol field says {@code proto} and whose payload is exactly what
     * {@code payload()} gives: no L4 header is written, whatever the protocol (for malformed or
     * unusual L4 bytes).
     */
    public static FrameBuilder ipv4(int proto) {
        return new FrameBuilder(FrameBuilder.L3.IPV4, proto, true);
    }

    public static FrameBuilder udp4() {
        return l4Over4(Proto.IPPROTO_UDP);
    }

    public static FrameBuilder tcp4() {
        return l4Over4(Proto.IPPROTO_TCP);
    }

    public static FrameBuilder sctp4() {
        return l4Over4(Proto.IPPROTO_SCTP);
    }

    /** ICMP echo request (type 8, code 0). */
    public static FrameBuilder icmp4() {
        return l4Over4(Proto.IPPROTO_ICMP).icmp(8, 0);
    }

    /** IPv6 whose next header says {@code proto}, with a raw payload (see {@link #ipv4(int)}). */
    public static FrameBuilder ipv6(int proto) {
        return new FrameBuilder(FrameBuilder.L3.IPV6, proto, true);
    }

    public static FrameBuilder udp6() {
        return l4Over6(Proto.IPPROTO_UDP);
    }

    public static FrameBuilder tcp6() {
        return l4Over6(Proto.IPPROTO_TCP);
    }

    public static FrameBuilder sctp6() {
        return l4Over6(Proto.IPPROTO_SCTP);
    }

    /** ICMPv6 echo request (type 128, code 0). */
    public static FrameBuilder icmp6() {
        return l4Over6(Proto.IPPROTO_ICMPV6).icmp(128, 0);
    }

    /** ICMPv6 neighbour solicitation (hop limit 255); add {@code ndTarget} and {@code sll}. */
    public static FrameBuilder ndSolicit() {
        return l4Over6(Proto.IPPROTO_ICMPV6).icmp(Proto.ND_NEIGHBOR_SOLICIT, 0).ttl(255);
    }

    /** ICMPv6 neighbour advertisement (hop limit 255, solicited+override); add {@code ndTarget} and {@code tll}. */
    public static FrameBuilder ndAdvert() {
        return l4Over6(Proto.IPPROTO_ICMPV6).icmp(Proto.ND_NEIGHBOR_ADVERT, 0).ttl(255).icmpRest(0x6000_0000);
    }

    private static FrameBuilder l4Over4(int proto) {
        return new FrameBuilder(FrameBuilder.L3.IPV4, proto, false);
    }

    private static FrameBuilder l4Over6(int proto) {
        return new FrameBuilder(FrameBuilder.L3.IPV6, proto, false);
    }

    // ---------------------------------------------------------------- hex helpers

    /** Lower-case hex of {@code bytes}, no separators. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >>> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** Bytes from hex text; whitespace is ignored (so captures can be pasted as they are dumped). */
    public static byte[] fromHex(String text) {
        String s = text.replaceAll("\\s+", "");
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits (" + s.length() + ")");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad hex digit near offset " + (2 * i) + ": '"
                        + s.substring(2 * i, 2 * i + 2) + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
