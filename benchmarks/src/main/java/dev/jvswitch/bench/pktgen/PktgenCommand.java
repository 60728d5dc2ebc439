package dev.jvswitch.bench.pktgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.cli.Machine;
import dev.jvswitch.bench.traffic.FlowReceiver;
import dev.jvswitch.bench.traffic.FrameTemplate;
import dev.jvswitch.bench.traffic.FrameTemplate.FrameSpec;
import dev.jvswitch.bench.traffic.PacedUdpLoad;
import dev.jvswitch.bench.traffic.StampedFlows;
import dev.jvswitch.bench.traffic.TrafficResult;
import dev.jvswitch.bench.traffic.TrafficRun;
import dev.jvswitch.bench.traffic.UdpFrames;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * {@code jvs-bench pktgen}: sends stamped UDP frames over N flows out of an interface through the
 * AF_PACKET transmit ring ({@link PacedUdpLoad}), paced or flat out, and with {@code --rx} reads
 * them on another ({@link FlowReceiver}): received, lost, reordered, duplicated per flow, one-way
 * latency. Before a paced run it blasts for {@code --calibrate} seconds to measure its own
 * ceiling (the rate it can send on this machine and interface), which it reports beside the
 * rate asked for; a flat-out run is its own ceiling.
 *
 * <p>Runs longer than two seconds print a progress line each second (on stderr with
 * {@code --json}, which prints one JSON object on stdout at the end). {@code --ns} and
 * {@code --rx-ns} name the namespaces of the interfaces (default: the root namespace).
 *
 * <p><b>Thread-safety:</b> the main thread orchestrates; the generator and receiver threads own
 * their rings.
 */
public final class PktgenCommand {
    public static final Set<String> OPTIONS = Set.of("port", "ns", "rx", "rx-ns", "rate", "flows", "size", "vlan", "vxlan",
            "seconds", "count", "burst", "gen-cpu", "rx-cpu", "histogram", "calibrate", "src-mac", "dst-mac", "dst-ip");
    public static final Set<String> FLAGS = Set.of("ipv6", "json");
    static final long DEFAULT_SRC_MAC = 0x02_00_00_00_00_01L;
    static final long DEFAULT_DST_MAC = 0x02_00_00_00_00_02L;
    /** How far behind its schedule a paced generator may fall before it skips: 20 ms. */
    static final long MAX_BACKLOG_NS = 20_000_000L;
    private static final int POOL_MBUFS = 4096;

    private PktgenCommand() {
    }

    /** The run's settings, checked before anything is opened. */
    record Settings(String port, String ns, String rx, String rxNs, double pps, int flows, FrameSpec spec,
            double seconds, long count, int burst, int genCpu, int rxCpu, Path histogram, double calibrate,
            boolean json) {
    }

    public static int run(String[] argv) throws Exception {
        return run(argv, System.out, System.err);
    }

    /** As {@link #run(String[])}, printing to {@code out} and {@code err}; usage mistakes throw. */
    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Settings s = parse(argv);
        PrintStream progress = s.json ? err : out;
        FrameTemplate template = new FrameTemplate(s.spec);
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("pktgen", POOL_MBUFS));
                PacedUdpLoad gen = PacedUdpLoad.open("pktgen " + s.port, s.ns, s.port, pool,
                        new StampedFlows(template, s.flows, TrafficRun.nextTag()), s.genCpu);
                FlowReceiver rx = s.rx == null ? null : FlowReceiver.open("pktgen rx " + s.rx, s.rxNs, s.rx, pool,
                        s.rxCpu)) {
            double ceiling = Double.NaN;
            if (s.pps > 0 && s.calibrate > 0) {
                ceiling = calibrate(gen, s.calibrate);
            }
            if (!s.json) {
                out.printf(Locale.ROOT, "pktgen: %s, %d B on the wire, %d flow%s, out of %s%s%s at %s,"
                        + " bursts of %d; %d CPUs, load average %.2f%n", s.spec.describe(), s.spec.wireBytes(), s.flows,
                        s.flows == 1 ? "" : "s", s.port, s.ns == null ? "" : " (netns " + s.ns + ")",
                        s.rx == null ? "" : ", received on " + s.rx, s.pps > 0 ? String.format(Locale.ROOT,
                        "%.0f pps", s.pps) : "max", s.burst, Machine.cpus(), Machine.loadAvg1());
            }
            boolean longRun = s.seconds > 2;
            TrafficResult r = TrafficRun.run(gen, rx, new TrafficRun.Plan(template, s.flows, s.pps, s.burst,
                    s.seconds, s.count, MAX_BACKLOG_NS), longRun ? p -> progress.println(p.line()) : null);
            if (s.pps <= 0) {
                ceiling = r.offeredPps();
            }
            if (s.histogram != null && r.received() != null) {
                writeHistogram(s.histogram, r.received().latencyNs());
            }
            print(s, r, ceiling, out);
            return 0;
        } catch (NetdevException | IOException | IllegalStateException e) {
            err.println("pktgen: " + e.getMessage());
            return 1;
        }
    }

    /** The generator's ceiling: what it sends flat out for {@code seconds}, frames per second. */
    static double calibrate(PacedUdpLoad gen, double seconds) throws InterruptedException {
        gen.blast();
        Thread.sleep((long) (seconds * 1000));
        gen.stop();
        long ns = gen.runNs();
        return ns > 0 ? gen.txPackets() / (ns / 1e9) : Double.NaN;
    }

    private static void print(Settings s, TrafficResult r, double ceiling, PrintStream out) {
        if (s.json) {
            Json j = new Json().put("command", "pktgen")
                    .put("port", s.port)
                    .put("rx", s.rx)
                    .put("frame", s.spec.describe())
                    .put("sizeBytes", s.spec.wireBytes())
                    .put("flows", s.flows)
                    .put("burst", s.burst)
                    .put("generatorCeilingMpps", ceiling / 1e6);
            out.println(j.merge(r.toJson()).put("loadAvg1", Machine.loadAvg1()));
            return;
        }
        out.println(r.toText());
        out.printf(Locale.ROOT, "  generator ceiling %.4f Mpps%s; load average %.2f%n", ceiling / 1e6,
                s.pps > 0 && s.pps > ceiling * 0.99 ? " (the rate asked for is at or above it: not paced)" : "",
                Machine.loadAvg1());
        if (s.histogram != null) {
            out.println("  latency histogram log (ns): " + s.histogram);
        }
    }

    /** Writes {@code h} as an HdrHistogram log (one interval, values in ns). */
    static void writeHistogram(Path file, Histogram h) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "UTF-8")) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputComment("jvs-bench pktgen one-way latency, ns");
            w.outputLogFormatVersion();
            w.outputStartTime(System.currentTimeMillis());
            w.outputLegend();
            h.setStartTimeStamp(System.currentTimeMillis());
            h.setEndTimeStamp(System.currentTimeMillis());
            w.outputIntervalHistogram(h);
        }
    }

    static Settings parse(String[] argv) {
        Args a = Args.parse("pktgen", argv, OPTIONS, FLAGS);
        String rate = a.required("rate");
        double pps;
        if (rate.equals("max")) {
            pps = 0;
        } else {
            pps = a.doubleValue("rate", 0, 1, 100e6);
        }
        boolean ipv6 = a.flag("ipv6");
        int vlan = a.intValue("vlan", -1, 0, 4095);
        int vni = a.intValue("vxlan", -1, 0, 0xff_ffff);
        int min = FrameTemplate.minWireBytes(ipv6, vlan >= 0, vni >= 0);
        int size = a.intValue("size", min, 64, 1518);
        FrameSpec spec;
        try {
            spec = new FrameSpec(size, ipv6, vlan, vni, mac(a, "src-mac", DEFAULT_SRC_MAC),
                    mac(a, "dst-mac", DEFAULT_DST_MAC), dstIp(a));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("pktgen: --size: " + e.getMessage());
        }
        double seconds = a.doubleValue("seconds", 10, 0, 86_400);
        long count = a.longValue("count", -1, 1, Long.MAX_VALUE);
        if (seconds == 0 && count < 0) {
            throw new Args.UsageException("pktgen: --seconds 0 needs --count");
        }
        String histogram = a.string("histogram", null);
        if (histogram != null && a.string("rx", null) == null) {
            throw new Args.UsageException("pktgen: --histogram needs --rx (latency is measured by the receiver)");
        }
        int cpus = Machine.cpus();
        return new Settings(a.required("port"), a.string("ns", null), a.string("rx", null), a.string("rx-ns", null),
                pps, a.intValue("flows", 1, 1, 1_000_000), spec, seconds, count, a.intValue("burst", 32, 1, 1024),
                a.intValue("gen-cpu", -1, -1, cpus - 1), a.intValue("rx-cpu", -1, -1, cpus - 1),
                histogram == null ? null : Path.of(histogram), a.doubleValue("calibrate", 0.5, 0, 60), a.flag("json"));
    }

    private static String dstIp(Args a) {
        String v = a.string("dst-ip", "10.1.0.1");
        try {
            UdpFrames.ipv4(v);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("pktgen: --dst-ip must be an IPv4 address, got '" + v + "'");
        }
        return v;
    }

    private static long mac(Args a, String option, long defaultValue) {
        String v = a.string(option, null);
        if (v == null) {
            return defaultValue;
        }
        String[] p = v.split(":");
        if (p.length != 6) {
            throw new Args.UsageException("pktgen: --" + option + " must be a MAC address like 02:00:00:00:00:01, got '"
                    + v + "'");
        }
        long mac = 0;
        try {
            for (String octet : p) {
                mac = (mac << 8) | Integer.parseInt(octet, 16);
            }
        } catch (NumberFormatException e) {
            throw new Args.UsageException("pktgen: --" + option + " must be a MAC address, got '" + v + "'");
        }
        return mac;
    }
}
