package dev.jvswitch.vswitchd.capture;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What one mirror captures and its bounds, as {@code mirror/start} reads them:
 * {@code PORT FILE [rx|tx|both] [snaplen=N] [max-bytes=N] [max-pps=N]}.
 *
 * @param port     the port (its name in the config)
 * @param file     the pcap file (created or truncated) or FIFO it writes
 * @param rx       whether what the port receives is copied
 * @param tx       whether what is sent to the port is copied
 * @param snaplen  bytes kept of each frame
 * @param maxBytes the file's size bound: the mirror stops when the next record would pass it
 * @param maxPps   copies a second at most, each side (0: only the ring bounds it)
 */
public record MirrorSpec(String port, Path file, boolean rx, boolean tx, int snaplen, long maxBytes, long maxPps) {
    public static final int DEFAULT_SNAPLEN = 65_535;
    public static final long DEFAULT_MAX_BYTES = 100L << 20;
    public static final long DEFAULT_MAX_PPS = 100_000;
    public static final String USAGE = "PORT FILE [rx|tx|both] [snaplen=N] [max-bytes=N] [max-pps=N]";

    /**
     * Reads {@code args}.
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    public static MirrorSpec parse(List<String> args) {
        if (args.size() < 2) {
            throw new IllegalArgumentException("mirror/start: usage: mirror/start " + USAGE);
        }
        boolean rx = true;
        boolean tx = true;
        int snaplen = DEFAULT_SNAPLEN;
        long maxBytes = DEFAULT_MAX_BYTES;
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
                        case "snaplen" -> snaplen = (int) number(a, value, 14, 65_535);
                        case "max-bytes" -> maxBytes = number(a, value, 4_096, Long.MAX_VALUE);
                        case "max-pps" -> maxPps = number(a, value, 0, 100_000_000);
                        default -> throw new IllegalArgumentException("mirror/start: unknown argument '" + a
                                + "' (usage: mirror/start " + USAGE + ")");
                    }
                }
            }
        }
        Path file = Path.of(args.get(1)).toAbsolutePath().normalize();
        return new MirrorSpec(args.get(0), file, rx, tx, snaplen, maxBytes, maxPps);
    }

    private static long number(String arg, String value, long min, long max) {
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
}
