package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jvswitch.pmd.pcap.PcapImage;

/**
 * The I/O floor of the in-memory pipeline: DPDK's {@code dpdk-testpmd} in {@code io} mode between
 * {@code net_pcap} (the same pcap replayed from memory without end, {@code infinite_rx=1}) and
 * {@code net_null} ({@code no-rx=1}), its forwarding lcore on the PMD's CPU and its main lcore on
 * another. Frames move from one port to the other untouched: no parse, no lookup, so the rate is
 * what replay and discard cost alone, the ceiling any switch on the same ports stays under.
 *
 * <p>Neither driver needs physical memory, so testpmd runs with {@code --no-huge} (no huge pages
 * reserved, nothing mounted), with an mbuf for every frame of the file (net_pcap holds it all)
 * and memory to match, under a file prefix of its own; DPDK's runtime
 * directory is removed afterwards. Figures come from testpmd's own statistics, printed every
 * {@link #STATS_PERIOD_S} s ({@code --stats-period}): port 0's cumulative RX-packets at the last
 * complete print before and after the measured time, over the periods between them (testpmd's
 * timer, so the buffering of its output does not matter), and the process's CPU time (its main
 * lcore sleeps between prints) per packet.
 *
 * <p><b>Thread-safety:</b> one caller at a time.
 */
public final class TestpmdPipeline {
    static final int STATS_PERIOD_S = 1;
    /** One complete statistics print of port 0 (the pcap port): its cumulative RX-packets. */
    private static final Pattern PORT0_RX = Pattern.compile(
            "NIC statistics for port 0\\s+#+\\s+RX-packets:\\s+(\\d+)\\s");
    private static final long START_WAIT_NS = 30_000_000_000L;
    /** Mbufs beyond the file's frames: rx and tx rings, per-lcore caches. */
    private static final int SPARE_MBUFS = 16_384;
    /** Memory per mbuf of testpmd's default 2 176 bytes with --no-huge (81 920 took about 400 MB). */
    private static final double MBUF_BYTES = 4_096;

    /**
     * What one run measured.
     *
     * @param packets        packets port 0 received over {@code seconds}
     * @param seconds        the statistics periods between the two prints
     * @param cpuNsPerPacket testpmd's CPU time per packet
     */
    public record Figures(long packets, double seconds, double cpuNsPerPacket) {
        public double mpps() {
            return packets / seconds / 1e6;
        }
    }

    /** Port 0's RX-packets at the last complete print, and how many prints there were. */
    record Stats(int prints, long rxPackets) {
    }

    private TestpmdPipeline() {
    }

    /** Why it cannot run here, or {@code null}. */
    public static String missing() {
        if (!Shell.isRoot()) {
            return "needs root (DPDK's runtime directory)";
        }
        if (!Shell.onPath(TestpmdDut.TESTPMD)) {
            return TestpmdDut.TESTPMD + " is not installed (Debian: dpdk-dev)";
        }
        for (String driver : new String[] {"net_pcap", "net_null", "mempool_ring"}) {
            if (!OvsDpdkDut.driverInstalled(driver)) {
                return "DPDK's " + driver + " driver is not installed (Debian: librte-" + driver.replace('_', '-')
                        + "23)";
            }
        }
        return null;
    }

    /** Replays {@code pcap} through testpmd io to a null port, its forwarding lcore on {@code pmdCpu}. */
    public static Figures run(Path pcap, int pmdCpu, double warmupS, double seconds)
            throws IOException, InterruptedException {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
        Path run = Files.createTempDirectory("jvs-testpmd-pipeline-");
        Path log = run.resolve("testpmd.log");
        DpdkRuntimeDirs runtimeDirs = DpdkRuntimeDirs.note();
        DaemonProcess testpmd = null;
        try {
            // net_pcap's infinite_rx holds the whole file in mbufs: one per frame, plus the queues'.
            int mbufs = frames(pcap) + SPARE_MBUFS;
            long memMb = (long) Math.ceil(mbufs * MBUF_BYTES / 1048576.0) + 128;
            int fwd = Math.max(0, pmdCpu);
            int main = fwd == 0 ? 1 : 0;
            testpmd = DaemonProcess.start("testpmd", null, List.of(TestpmdDut.TESTPMD, "-l", main + "," + fwd,
                    "--main-lcore", Integer.toString(main), "--no-huge", "-m", Long.toString(memMb), "--no-pci", "--file-prefix",
                    "jvstp" + id, "--vdev", "net_pcap0,rx_pcap=" + pcap.toAbsolutePath() + ",infinite_rx=1",
                    "--vdev", "net_null0,no-rx=1", "--", "--forward-mode=io", "--auto-start", "--nb-cores=1",
                    "--total-num-mbufs=" + mbufs, "--stats-period", Integer.toString(STATS_PERIOD_S)), Map.of(), log);
            awaitFirstPrint(testpmd, log);
            Thread.sleep((long) (warmupS * 1000));
            testpmd.checkAlive();
            Stats s0 = stats(Files.readString(log));
            long cpu0 = testpmd.cpuTimeNs();
            long t0 = System.nanoTime();
            // At least two periods, so that two prints fall in the measured time whatever the phase.
            Thread.sleep((long) (Math.max(seconds, 2 * STATS_PERIOD_S) * 1000) + 100);
            testpmd.checkAlive();
            Stats s1 = stats(Files.readString(log));
            long cpu1 = testpmd.cpuTimeNs();
            long t1 = System.nanoTime();
            return figures(s0, s1, cpu1 - cpu0, (t1 - t0) / 1e9);
        } finally {
            if (testpmd != null) {
                testpmd.stop();
            }
            runtimeDirs.removeNew();
            Shell.tryRun("rm", "-rf", "--one-file-system", run.toString());
        }
    }

    private static int frames(Path pcap) throws IOException {
        try (PcapImage image = PcapImage.load(pcap)) {
            return image.frameCount();
        }
    }

    private static void awaitFirstPrint(DaemonProcess testpmd, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_WAIT_NS;
        while (stats(Files.readString(log)).prints() == 0) {
            testpmd.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IOException("testpmd printed no statistics in 30 s; last log lines:\n" + testpmd.tail(20));
            }
            Thread.sleep(100);
        }
    }

    /** The figures between two readings of the log; {@code wallSeconds} is what the CPU time covers. */
    static Figures figures(Stats before, Stats after, long cpuNs, double wallSeconds) throws IOException {
        int periods = after.prints() - before.prints();
        if (periods <= 0) {
            throw new IOException("testpmd printed no statistics during the measured " + wallSeconds + " s");
        }
        long packets = after.rxPackets() - before.rxPackets();
        double seconds = (double) periods * STATS_PERIOD_S;
        double packetsInWall = packets / seconds * wallSeconds;
        return new Figures(packets, seconds, packets == 0 ? Double.NaN : cpuNs / packetsInWall);
    }

    /** The complete prints in testpmd's output so far. */
    static Stats stats(String log) {
        Matcher m = PORT0_RX.matcher(log);
        int prints = 0;
        long rx = 0;
        while (m.find()) {
            prints++;
            rx = Long.parseLong(m.group(1));
        }
        return new Stats(prints, rx);
    }
}
