package dev.jvswitch.bench.pcap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.pmd.pcap.PcapWriter;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code jvs-bench gen-pcap}: writes a pcap of valid UDP frames cycling over N distinct flows,
 * for {@code jvs-bench pipeline} and for replaying through other switches on the same files.
 *
 * <p>Flow {@code i} (0-based) has UDP source port {@code 1024 + i % 60000}; past 60 000 flows
 * the IP source address moves on as well ({@code 10.0.0.1 + i / 60000}, IPv6 {@code 2001:db8::}
 * likewise), so N flows differ in their 5-tuple. Destination is 10.1.0.1 (2001:db8:1::1) port
 * 5001. Packet {@code k} of the file is flow {@code k % N}.
 *
 * <p>{@code --size} is the frame size on the wire, with the 4-byte FCS that a pcap does not hold
 * (as testpmd and pktgen count it): {@code --size 64} writes 60-byte records.
 */
public final class GenPcapCommand {
    static final Set<String> OPTIONS = Set.of("flows", "packets", "size", "vlan", "out");
    static final Set<String> FLAGS = Set.of("ipv6");
    static final int FIRST_SRC_PORT = 1024;
    static final int PORTS_PER_ADDRESS = 60_000;

    private GenPcapCommand() {
    }

    public static int run(String[] argv) throws IOException {
        Args args = Args.parse("gen-pcap", argv, OPTIONS, FLAGS);
        long flows = args.longValue("flows", -1, 1, 16_000_000);
        if (flows < 0) {
            throw new Args.UsageException("gen-pcap: --flows is required");
        }
        long packets = args.longValue("packets", flows, 1, 100_000_000);
        boolean ipv6 = args.flag("ipv6");
        int vlan = args.intValue("vlan", -1, 0, 4095);
        int minSize = (ipv6 ? 62 : 42) + 4 + (vlan >= 0 ? 4 : 0);
        int size = args.intValue("size", Math.max(64, minSize), Math.max(64, minSize), 9018);
        Path out = Path.of(args.required("out"));
        long written = write(out, (int) flows, packets, size, ipv6, vlan);
        System.out.printf("gen-pcap: wrote %d frames of %d bytes (%d on the wire) over %d flows to %s%n",
                written, size - 4, size, flows, out);
        return 0;
    }

    /** Writes the file and returns the number of frames written. */
    public static long write(Path out, int flows, long packets, int wireSize, boolean ipv6, int vlan)
            throws IOException {
        byte[][] frames = new byte[(int) Math.min(flows, packets)][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame(i, wireSize - 4, ipv6, vlan);
        }
        try (PcapWriter writer = PcapWriter.open(out, 65_535)) {
            long ts = 0;
            for (long k = 0; k < packets; k++) {
                byte[] f = frames[(int) (k % frames.length)];
                writer.write(f, 0, f.length, ts);
                ts += 1_000;
            }
            return writer.framesWritten();
        }
    }

    /** The frame of flow {@code i}, {@code frameBytes} long without FCS. */
    public static byte[] frame(int i, int frameBytes, boolean ipv6, int vlan) {
        int srcPort = FIRST_SRC_PORT + i % PORTS_PER_ADDRESS;
        int addr = i / PORTS_PER_ADDRESS;
        FrameBuilder b = ipv6
                ? Frames.udp6().ip("2001:db8::" + Integer.toHexString(addr + 1), "2001:db8:1::1")
                : Frames.udp4().ip(ipv4(0x0a000001 + addr), "10.1.0.1");
        b.src("02:00:00:00:00:01").dst("02:00:00:00:00:02").ports(srcPort, 5001);
        if (vlan >= 0) {
            b.vlan(vlan);
        }
        return b.size(frameBytes).build();
    }

    private static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
