package dev.jvswitch.config;

/**
 * One mirror of the config's {@code mirrors} section: a port's received and/or sent packets
 * copied to a pcap file or out of a Linux interface, with its bounds. The daemon keeps the
 * running mirrors equal to these (a reload starts, restarts or stops them by name); the
 * {@code mirror/start} command makes others beside them.
 *
 * @param name     the mirror's name (its key in the section)
 * @param port     the port mirrored, by name (of any bridge)
 * @param file     the pcap file (absolute; created or truncated) or FIFO, or null
 * @param iface    the Linux interface the copies go to (a TAP, made if missing, or e.g. a veth
 *                 end), or null; exactly one of {@code file} and {@code iface} is set
 * @param rx       whether what the port receives is copied
 * @param tx       whether what is sent to the port is copied
 * @param snaplen  bytes kept of each frame
 * @param maxBytes the bound of what is written; the mirror stops before passing it
 * @param maxPps   copies a second at most, each side (0: only the mirror's ring bounds it)
 */
public record MirrorSettings(String name, String port, String file, String iface, boolean rx, boolean tx,
        int snaplen, long maxBytes, long maxPps) {
    public static final int DEFAULT_SNAPLEN = 65_535;
    /** A file's default bound. */
    public static final long DEFAULT_MAX_BYTES = 100L << 20;
    /** An interface's default: no size bound, only the rate's. */
    public static final long DEFAULT_MAX_BYTES_IFACE = Long.MAX_VALUE;
    public static final long DEFAULT_MAX_PPS = 100_000;
    /** Mirrors running at once, from the config and commands together. */
    public static final int MAX_MIRRORS = 16;
    public static final IntKey SNAPLEN = new IntKey("snaplen", 14, 65_535);
    public static final IntKey MAX_BYTES = new IntKey("max-bytes", 4_096, Long.MAX_VALUE);
    public static final IntKey MAX_PPS = new IntKey("max-pps", 0, 100_000_000);

    /** {@code rx}, {@code tx} or {@code both}. */
    public String direction() {
        return rx && tx ? "both" : rx ? "rx" : "tx";
    }

    /** Why {@code ifname} cannot name a Linux interface, or null if it can. */
    public static String ifaceProblem(String ifname) {
        byte[] b = ifname.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 15) {
            return "an interface name is 1..15 bytes, got '" + ifname + "'";
        }
        for (byte c : b) {
            if (c == '/' || c == ':' || c <= ' ') {
                return "not a valid interface name: '" + ifname + "'";
            }
        }
        return null;
    }
}
