package dev.jvswitch.bench.pcap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.pipeline.TunnelPipeline;
import dev.jvswitch.bench.traffic.FlowSpace;
import dev.jvswitch.pmd.pcap.PcapWriter;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code jvs-bench gen-pcap}: writes a pcap of valid UDP frames cycling over N distinct flows,
 * for {@code jvs-bench pipeline} and for replaying through other switches on the same files.
 *
 * <p>Flows differ in their 5-tuple as {@link FlowSpace} spreads them (UDP source port, then the
 * source address), as {@code pktgen} does on the wire. Destination is 10.1.0.1 (2001:db8:1::1) port
 * 5001. Packet {@code k} of the file is flow {@code k % N}.
 *
 * <p>{@code --size} is the frame size on the wire, with the 4-byte FCS that a pcap does not hold
 * (as testpmd and pktgen count it): {@code --size 64} writes 60-byte records.
 *
 * <p>{@code --vxlan VNI} wraps each frame (of {@code --size}) in VXLAN as a remote VTEP sends it
 * to {@code jvs-bench pipeline --tunnel decap}: outer Ethernet {@value TunnelPipeline#REMOTE_MAC}
 * to {@value TunnelPipeline#ENDPOINT_MAC}, IPv4 {@value TunnelPipeline#REMOTE_IP} to
 * {@value TunnelPipeline#ENDPOINT_IP}, UDP to 4789 from a source port per flow (32768 +
 * {@code i % 28232}, as a VTEP spreads flows) with checksum 0 (OVS's and Linux's IPv4 default),
 * then the VXLAN header: 50 bytes more on the wire.
 */
public final class GenPcapCommand {
    public static final Set<String> OPTIONS = Set.of("flows", "packets", "size", "vlan", "vxlan", "geneve", "out");
    public static final Set<String> FLAGS = Set.of("ipv6");

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
        int vni = args.intValue("vxlan", -1, 0, 0xff_ffff);
        int geneveVni = args.intValue("geneve", -1, 0, 0xff_ffff);
        if (vni >= 0 && geneveVni >= 0) {
            throw new Args.UsageException("gen-pcap: --vxlan and --geneve exclude each other");
        }
        Path out = Path.of(args.required("out"));
        if (geneveVni >= 0) {
            long written = write(out, (int) flows, packets, size, ipv6, vlan, geneveVni, true);
            System.out.printf("gen-pcap: wrote %d Geneve frames (VNI %d, one 4-byte option) of %d bytes around"
                    + " %d-byte inner frames over %d flows to %s%n", written, geneveVni,
                    size - 4 + VXLAN_OVERHEAD + GENEVE_OPTION.length, size - 4, flows, out);
            return 0;
        }
        long written = write(out, (int) flows, packets, size, ipv6, vlan, vni);
        if (vni >= 0) {
            System.out.printf("gen-pcap: wrote %d VXLAN frames (VNI %d) of %d bytes around %d-byte inner frames over"
                    + " %d flows to %s%n", written, vni, size - 4 + VXLAN_OVERHEAD, size - 4, flows, out);
        } else {
            System.out.printf("gen-pcap: wrote %d frames of %d bytes (%d on the wire) over %d flows to %s%n",
                    written, size - 4, size, flows, out);
        }
        return 0;
    }

    /** Writes the file and returns the number of frames written. */
    public static long write(Path out, int flows, long packets, int wireSize, boolean ipv6, int vlan)
            throws IOException {
        return write(out, flows, packets, wireSize, ipv6, vlan, -1);
    }

    /** Writes the file, each frame in VXLAN with {@code vni} unless it is negative. */
    public static long write(Path out, int flows, long packets, int wireSize, boolean ipv6, int vlan, int vni)
            throws IOException {
        return write(out, flows, packets, wireSize, ipv6, vlan, vni, false);
    }

    /** Writes the file, each frame in VXLAN (or Geneve with {@link #GENEVE_OPTION}) unless {@code vni} is negative. */
    public static long write(Path out, int flows, long packets, int wireSize, boolean ipv6, int vlan, int vni,
            boolean geneve) throws IOException {
        byte[][] frames = new byte[(int) Math.min(flows, packets)][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame(i, wireSize - 4, ipv6, vlan);
            if (vni >= 0) {
                frames[i] = geneve ? geneve(i, vni, frames[i]) : vxlan(i, vni, frames[i]);
            }
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
        int srcPort = FlowSpace.srcPort(i);
        int addr = FlowSpace.addressIndex(i);
        FrameBuilder b = ipv6
                ? Frames.udp6().ip("2001:db8::" + Integer.toHexString(addr + 1), "2001:db8:1::1")
                : Frames.udp4().ip(ipv4(FlowSpace.FIRST_SRC_IPV4 + addr), "10.1.0.1");
        b.src("02:00:00:00:00:01").dst("02:00:00:00:00:02").ports(srcPort, 5001);
        if (vlan >= 0) {
            b.vlan(vlan);
        }
        return b.size(frameBytes).build();
    }

    /** Outer Ethernet, IPv4, UDP and VXLAN headers. */
    static final int VXLAN_OVERHEAD = 50;
    private static final int FIRST_TUNNEL_PORT = 32768;
    private static final int TUNNEL_PORTS = 28232;

    /** {@code inner}, flow {@code i}, as a remote VTEP sends it to the benchmark's endpoint. */
    public static byte[] vxlan(int i, int vni, byte[] inner) {
        return Frames.udp4().src(TunnelPipeline.REMOTE_MAC).dst(TunnelPipeline.ENDPOINT_MAC)
                .ip(TunnelPipeline.REMOTE_IP, TunnelPipeline.ENDPOINT_IP).dontFragment().ttl(64)
                .ports(FIRST_TUNNEL_PORT + i % TUNNEL_PORTS, 0).udpChecksum(false).vxlan(vni, inner).build();
    }

    /** The option of every {@code --geneve} frame: OVN's class 0x0102, type 0x80, four bytes. */
    public static final byte[] GENEVE_OPTION = FrameBuilder.geneveOption(0x0102, 0x80, new byte[] {0, 1, 0, 2});

    /** {@code inner}, flow {@code i}, in Geneve with {@link #GENEVE_OPTION}, as a remote endpoint sends it. */
    public static byte[] geneve(int i, int vni, byte[] inner) {
        return Frames.udp4().src(TunnelPipeline.REMOTE_MAC).dst(TunnelPipeline.ENDPOINT_MAC)
                .ip(TunnelPipeline.REMOTE_IP, TunnelPipeline.ENDPOINT_IP).dontFragment().ttl(64)
                .ports(FIRST_TUNNEL_PORT + i % TUNNEL_PORTS, 0).udpChecksum(false)
                .geneve(vni, false, GENEVE_OPTION, inner).build();
    }

    private static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
