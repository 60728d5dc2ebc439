package dev.jvswitch.vswitchd.capture;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.config.IntKey;
import dev.jvswitch.config.MirrorSettings;

/**
 * What one mirror captures, where the copies go and its bounds, as {@code mirror/start} reads
 * them ({@code PORT FILE|iface=IFNAME [rx|tx|both] [snaplen=N] [max-bytes=N] [max-pps=N]}) or the
 * config's {@code mirrors} section gives them.
 *
 * @param name     the config's name of the mirror, or null for one a command started
 * @param port     the port (its name in the config)
 * @param file     the pcap file (created or truncated) or FIFO it writes, or null
 * @param iface    the Linux interface the copies are sent out of (a TAP device, made if missing,
 *                 or any other, e.g. a veth end), or null; exactly one of file and iface is set
 * @param rx       whether what the port receives is copied
 * @param tx       whether what is sent to the port is copied
 * @param snaplen  bytes kept of each frame
 * @param maxBytes the bound of what is written (a file's size; frame bytes sent out of an
 *                 interface): the mirror stops when the next copy would pass it
 * @param maxPps   copies a second at most, each side (0: only the ring bounds it)
 */
public record MirrorSpec(String name, String port, Path file, String iface, boolean rx, boolean tx, int snaplen,
        long maxBytes, long maxPps) {
    public static final int DEFAULT_SNAPLEN = MirrorSettings.DEFAULT_SNAPLEN;
    public static final long DEFAULT_MAX_BYTES = MirrorSettings.DEFAULT_MAX_BYTES;
    public static final long DEFAULT_MAX_BYTES_IFACE = MirrorSettings.DEFAULT_MAX_BYTES_IFACE;
    public static final long DEFAULT_MAX_PPS = MirrorSettings.DEFAULT_MAX_PPS;
    public static final int MAX_SNAPLEN = (int) MirrorSettings.SNAPLEN.max();
    /** The target word that names an interface instead of a file. */
    public static final String IFACE_PREFIX = "iface=";
    public static final String USAGE = "PORT FILE|iface=IFNAME [rx|tx|both] [snaplen=N] [max-bytes=N] [max-pps=N]";

    public MirrorSpec {
        if ((file == null) == (iface == null)) {
            throw new IllegalArgumentException("a mirror writes a file or an interface, exactly one");
        }
    }

    /**
     * Reads {@code args}.
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    public static MirrorSpec parse(List<String> args) {
        if (args.size() < 2) {
            throw new IllegalArgumentException("mirror/start: usage: mirror/start " + USAGE);
        }
        String target = args.get(1);
        String iface = null;
        Path file = null;
        if (target.startsWith(IFACE_PREFIX)) {
            iface = target.substring(IFACE_PREFIX.length());
            String problem = MirrorSettings.ifaceProblem(iface);
            if (problem != null) {
                throw new IllegalArgumentException("mirror/start: '" + target + "': " + problem);
            }
        } else {
            file = Path.of(target).toAbsolutePath().normalize();
        }
        boolean rx = true;
        boolean tx = true;
        int snaplen = DEFAULT_SNAPLEN;
        long maxBytes = iface != null ? DEFAULT_MAX_BYTES_IFACE : DEFAULT_MAX_BYTES;
        long maxPps = DEFAULT_MAX_PPS;
        for (String a : args.subList(2, args.size())) {
            String w = a.toLowerCase(Locale.ROOT);
            switch (w) {
                case "rx" -> tx = false;
                case "tx" -> rx = false;
                case "both" -> {
                    rx = true;
                    tx = true;
                }
                default -> {
                    int eq = w.indexOf('=');
                    String key = eq < 0 ? w : w.substring(0, eq);
                    String value = eq < 0 ? "" : w.substring(eq + 1);
                    switch (key) {
                        case "snaplen" -> snaplen = (int) number(a, value, MirrorSettings.SNAPLEN);
                        case "max-bytes" -> maxBytes = number(a, value, MirrorSettings.MAX_BYTES);
                        case "max-pps" -> maxPps = number(a, value, MirrorSettings.MAX_PPS);
                        default -> throw new IllegalArgumentException("mirror/start: unknown argument '" + a
                                + "' (usage: mirror/start " + USAGE + ")");
                    }
                }
            }
        }
        return new MirrorSpec(null, args.get(0), file, iface, rx, tx, snaplen, maxBytes, maxPps);
    }

    /** The mirror a config's {@code mirrors} section describes. */
    public static MirrorSpec of(MirrorSettings m) {
        return new MirrorSpec(m.name(), m.port(), m.file() == null ? null : Path.of(m.file()), m.iface(), m.rx(), m.tx(),
                m.snaplen(), m.maxBytes(), m.maxPps());
    }

    private static long number(String arg, String value, IntKey key) {
        long min = key.min();
        long max = key.max();
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mirror/start: '" + arg + "': expected a number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("mirror/start: '" + arg + "': must be within " + min + ".." + max);
        }
        return v;
    }

    /** {@code rx}, {@code tx} or {@code both}. */
    public String direction() {
        return rx && tx ? "both" : rx ? "rx" : "tx";
    }

    /** Where the copies go, for messages: the file, or {@code interface NAME}. */
    public String target() {
        return file != null ? file.toString() : "interface " + iface;
    }
}
