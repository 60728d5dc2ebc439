package dev.jvswitch.bench.afpacket;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.jvswitch.afpacket.AfPacketProvider;
import dev.jvswitch.afpacket.tools.L2Fwd;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * AF_PACKET forwarding benchmark (root only): generator → veth → port 1 → io forwarder → port 2
 * → veth → sink, with frames of a fixed size (64 bytes by default).
 *
 * <pre>
 *  [generator: afpacket tx on jvs..g] ==veth== [jvs..1: port 1] --L2Fwd io--> [jvs..2: port 2] ==veth== [jvs..s: sink]
 * </pre>
 *
 * <p>The generator is a second AF_PACKET port blasting one frame as fast as its thread can; the
 * sink is the kernel, which counts what arrives on the far veth end. All four veth ends stay in
 * the root namespace under unique names and are deleted afterwards. Offered is what the
 * generator's kernel accepted, forwarded what port 2 handed to its veth, received what arrived
 * at the sink; all per second over the measured interval (after one second of warm-up). On a
 * two-core machine generator and forwarder share the cores, so the figures are a floor.
 *
 * <p>{@code AfPacketFwdBench [--seconds S] [--frame-size N] [--gen-cpu N] [--pmd-cpu N]}
 */
public final class AfPacketFwdBench {
    private AfPacketFwdBench() {
    }

    /** What the run measured, in packets per second. */
    public record Figures(double offeredPps, double forwardedPps, double receivedPps, double busyNsPerPacket,
            double cpuNsPerPacket) {
        public String toText() {
            return String.format(Locale.ROOT, "offered %.3f Mpps, forwarded %.3f Mpps, received %.3f Mpps,"
                    + " forwarder busy %.1f ns/packet, forwarder CPU %.1f ns/packet", offeredPps / 1e6,
                    forwardedPps / 1e6, receivedPps / 1e6, busyNsPerPacket, cpuNsPerPacket);
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        double seconds = 5;
        int frameSize = 64;
        int genCpu = -1;
        int pmdCpu = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--frame-size" -> frameSize = Integer.parseInt(args[i + 1]);
                case "--gen-cpu" -> genCpu = Integer.parseInt(args[i + 1]);
                case "--pmd-cpu" -> pmdCpu = Integer.parseInt(args[i + 1]);
                default -> {
                    err.println("afpacket-fwd: unknown argument '" + args[i] + "'");
                    return 2;
                }
            }
        }
        if (frameSize < 60 || frameSize > 1514) {
            err.println("afpacket-fwd: --frame-size must be within 60..1514");
            return 2;
        }
        byte[] id = new byte[3];
        new SecureRandom().nextBytes(id);
        String prefix = "jvs" + HexFormat.of().formatHex(id);
        String gen = prefix + "g";
        String in = prefix + "1";
        String outIf = prefix + "2";
        String sink = prefix + "s";
        MbufPool pool = MbufPool.create(MbufPoolConfig.of("afpacket-bench", 16384));
        try {
            veth(gen, in);
            veth(outIf, sink);
            Figures f = measure(pool, gen, in, outIf, sink, frameSize, (long) (seconds * 1e9), genCpu, pmdCpu);
            out.println(f.toText());
            return 0;
        } catch (NetdevException e) {
            err.println("afpacket-fwd: " + e.getMessage());
            return 1;
        } finally {
            sh("ip", "link", "del", gen);
            sh("ip", "link", "del", outIf);
            pool.close();
        }
    }

    private static Figures measure(MbufPool pool, String gen, String in, String outIf, String sink, int frameSize,
            long measureNs, int genCpu, int pmdCpu) throws Exception {
        Netdev genPort = open(pool, "gen", gen);
        Netdev p1 = open(pool, "p1", in);
        Netdev p2 = open(pool, "p2", outIf);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            Thread generator = new Thread(() -> generate(genPort, pool, frameSize, stop, genCpu), "generator");
            L2Fwd.Result[] result = new L2Fwd.Result[2];
            long[] cpuNs = new long[1];
            Thread forwarder = new Thread(() -> {
                if (pmdCpu >= 0) {
                    dev.jvswitch.afpacket.sys.Affinity.pinCurrentThread(pmdCpu);
                }
                MbufCache cache = pool.newCache();
                try {
                    L2Fwd fwd = new L2Fwd(p1, p2, cache);
                    result[0] = fwd.run(TimeUnit.SECONDS.toNanos(1), () -> false);
                    // CPU time (user + kernel, including the kicks' work in the kernel) is what a
                    // packet costs whatever else competes for the cores.
                    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    result[1] = fwd.run(measureNs, stop::get);
                    cpuNs[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
                } finally {
                    pool.releaseCache(cache);
                }
            }, "forwarder");
            forwarder.start();
            generator.start();
            Thread.sleep(1000);
            long offered0 = txPackets(genPort);
            long forwarded0 = txPackets(p2);
            long received0 = rxPackets(sink);
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(measureNs));
            long offered = txPackets(genPort) - offered0;
            long forwarded = txPackets(p2) - forwarded0;
            long received = rxPackets(sink) - received0;
            double s = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            forwarder.join();
            generator.join();
            return new Figures(offered / s, forwarded / s, received / s, result[1].busyNsPerPacket(),
                    result[1].rxPackets() == 0 ? 0 : (double) cpuNs[0] / result[1].rxPackets());
        } finally {
            stop.set(true);
            for (Netdev p : List.of(genPort, p1, p2)) {
                p.close();
            }
        }
    }

    /** Sends copies of one frame of {@code frameSize} bytes, 32 at a time, until stopped. */
    private static void generate(Netdev port, MbufPool pool, int frameSize, AtomicBoolean stop, int cpu) {
        if (cpu >= 0) {
            dev.jvswitch.afpacket.sys.Affinity.pinCurrentThread(cpu);
        }
        byte[] frame = new byte[frameSize];
        byte[] head = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, (byte) 0x88, (byte) 0xb5};
        System.arraycopy(head, 0, frame, 0, head.length);
        MbufCache cache = pool.newCache();
        PacketBatch batch = new PacketBatch();
        try {
            while (!stop.get()) {
                int n = cache.getBulk(batch.array(), 0, PacketBatch.MAX_SIZE);
                batch.setSize(n);
                for (int i = 0; i < n; i++) {
                    Mbuf m = batch.get(i);
                    m.copyFrom(frame, 0, frame.length);
                }
                port.txq(0).send(batch, cache);
            }
        } finally {
            pool.releaseCache(cache);
        }
    }

    private static Netdev open(MbufPool pool, String name, String ifname) throws NetdevException {
        return Netdevs.open(new NetdevConfig(name, AfPacketProvider.TYPE, Map.of("ifname", ifname), pool));
    }

    private static long txPackets(Netdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s.txPackets;
    }

    private static long rxPackets(String ifname) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", ifname, "statistics", "rx_packets")).trim());
    }

    private static void veth(String a, String b) throws IOException, InterruptedException {
        sh("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        for (String end : List.of(a, b)) {
            sh("sysctl", "-qw", "net.ipv6.conf." + end + ".disable_ipv6=1");
            sh("ethtool", "-K", end, "gro", "off", "gso", "off", "tso", "off");
            sh("ip", "link", "set", end, "up");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(Path.of("/sys/class/net", a, "operstate")).trim().equals("up")
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
    }
}
