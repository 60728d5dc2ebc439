package dev.jvswitch.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.stats.PmdStats;
import dev.jvswitch.pmd.upcall.PortMapUpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * {@code jvs-bench pipeline}: the in-process forwarding benchmark — a pcap port (port 1) replaying
 * a file from memory into one PMD, which classifies and forwards to a null port (port 2). The PMD
 * runs on this tool's own thread, stepped in a tight loop, so that the heap bytes it allocates can
 * be read exactly ({@code heapBytesPerPacket}).
 */
public final class PipelineCommand {
    static final Set<String> OPTIONS = Set.of("pcap", "seconds", "warmup", "emc-insert-inv-prob", "pmd-cpu",
            "flows", "groups", "flow-limit", "max-idle", "revalidators");
    static final Set<String> FLAGS = Set.of("smc", "json");

    private PipelineCommand() {
    }

    public static int run(String[] argv) throws Exception {
        Args args = Args.parse("pipeline", argv, OPTIONS, FLAGS);
        Path pcap = Path.of(args.required("pcap"));
        if (!Files.isReadable(pcap)) {
            throw new Args.UsageException("pipeline: --pcap " + pcap + ": no such readable file");
        }
        double seconds = args.doubleValue("seconds", 10, 0.1, 86_400);
        double warmup = args.doubleValue("warmup", 2, 0, 3_600);
        int invProb = args.intValue("emc-insert-inv-prob", DatapathConfig.DEFAULT_EMC_INSERT_INV_PROB, 0, 1 << 30);
        int cpu = args.intValue("pmd-cpu", -1, -1, 1023);
        int flowLimit = args.intValue("flow-limit", DatapathConfig.DEFAULT_FLOW_LIMIT, 1, Integer.MAX_VALUE);
        if (!args.all("flows").isEmpty() || !args.all("groups").isEmpty()) {
            throw new Args.UsageException("pipeline: --flows/--groups need the OpenFlow slow path, not built yet");
        }
        DatapathConfig config = DatapathConfig.defaults()
                .withPmdCpus(cpu)
                .withIdle(DatapathConfig.Idle.BUSY)
                .withEmcInsertInvProb(invProb)
                .withSmc(args.flag("smc"))
                .withFlowLimit(flowLimit);
        UpcallHandler handler = PortMapUpcallHandler.crossConnect(1, 2);
        Result r = measure(pcap, config, handler, warmup, seconds);
        System.out.println(args.flag("json") ? r.toJson() : r.toText(pcap));
        return 0;
    }

    /** Runs the pipeline and returns what it measured. */
    static Result measure(Path pcap, DatapathConfig config, UpcallHandler handler, double warmupS, double seconds)
            throws NetdevException {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("pipeline", 8192))) {
            Datapath dp = new Datapath(config, pool, handler);
            try {
                dp.addPort(1, Netdevs.open(new NetdevConfig("pcap0", "pcap", Map.of("file", pcap.toString()), pool)));
                dp.addPort(2, Netdevs.open(new NetdevConfig("null0", "null", Map.of(), pool)));
                Result[] out = new Result[1];
                RuntimeException[] failure = new RuntimeException[1];
                Thread t = new Thread(() -> {
                    try {
                        out[0] = stepPmd(dp.pmd(0), config.pmdCpus()[0], warmupS, seconds);
                    } catch (RuntimeException e) {
                        failure[0] = e;
                    }
                }, "pmd-0");
                t.start();
                t.join();
                if (failure[0] != null) {
                    throw failure[0];
                }
                return out[0];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            } finally {
                dp.close();
                String leaks = pool.leakReport();
                if (leaks != null) {
                    System.err.println("pipeline: " + leaks);
                }
            }
        }
    }

    private static Result stepPmd(PmdAgent pmd, int cpu, double warmupS, double seconds) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        pmd.onStart();
        runFor(pmd, (long) (warmupS * 1e9));
        PmdStats stats = pmd.stats();
        long[] before = new long[PmdCounter.count()];
        long[] after = new long[PmdCounter.count()];
        stats.snapshot(before);
        long heapBefore = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        runFor(pmd, (long) (seconds * 1e9));
        long t1 = System.nanoTime();
        long heapAfter = threads.getCurrentThreadAllocatedBytes();
        stats.snapshot(after);
        pmd.onClose();
        return new Result(before, after, t1 - t0, heapAfter - heapBefore, cpu);
    }

    private static void runFor(PmdAgent pmd, long ns) {
        long deadline = System.nanoTime() + ns;
        while (true) {
            for (int i = 0; i < 256; i++) {
                pmd.doWork();
            }
            if (System.nanoTime() >= deadline) {
                return;
            }
        }
    }

    /** The measured part of a run: counter deltas, elapsed time and heap bytes allocated. */
    record Result(long[] before, long[] after, long elapsedNs, long heapBytes, int cpu) {
        long delta(PmdCounter c) {
            return after[c.id()] - before[c.id()];
        }

        long packets() {
            return delta(PmdCounter.RX_PACKETS);
        }

        double mpps() {
            return packets() / (elapsedNs / 1e9) / 1e6;
        }

        double nsPerPacket() {
            return packets() == 0 ? Double.NaN : (double) elapsedNs / packets();
        }

        double heapBytesPerPacket() {
            return packets() == 0 ? Double.NaN : (double) heapBytes / packets();
        }

        double share(PmdCounter c) {
            long total = packets() + delta(PmdCounter.RECIRCULATIONS);
            return total == 0 ? 0 : 100.0 * delta(c) / total;
        }

        String toJson() {
            return new Json()
                    .put("mpps", mpps())
                    .put("nsPerPacket", nsPerPacket())
                    .put("packets", packets())
                    .put("seconds", elapsedNs / 1e9)
                    .put("emcHits", delta(PmdCounter.EMC_HITS))
                    .put("smcHits", delta(PmdCounter.SMC_HITS))
                    .put("megaflowHits", delta(PmdCounter.MEGAFLOW_HITS))
                    .put("upcalls", delta(PmdCounter.UPCALL_OK))
                    .put("failedUpcalls", delta(PmdCounter.UPCALL_FAILED))
                    .put("recirculations", delta(PmdCounter.RECIRCULATIONS))
                    .put("txPackets", delta(PmdCounter.TX_PACKETS))
                    .put("heapBytesPerPacket", heapBytesPerPacket())
                    .put("heapBytes", heapBytes)
                    .toString();
        }

        String toText(Path pcap) {
            return String.format(Locale.ROOT,
                    "pipeline: %s -> 1 PMD%s -> null%n"
                            + "  packets:            %d in %.2f s%n"
                            + "  throughput:         %.3f Mpps (%.1f ns/packet)%n"
                            + "  emc hits:           %d (%.1f%%)%n"
                            + "  smc hits:           %d (%.1f%%)%n"
                            + "  megaflow hits:      %d (%.1f%%)%n"
                            + "  upcalls:            %d ok, %d failed%n"
                            + "  tx packets:         %d%n"
                            + "  heap bytes/packet:  %.4f (%d bytes)",
                    pcap, cpu >= 0 ? " on cpu " + cpu : "",
                    packets(), elapsedNs / 1e9, mpps(), nsPerPacket(),
                    delta(PmdCounter.EMC_HITS), share(PmdCounter.EMC_HITS),
                    delta(PmdCounter.SMC_HITS), share(PmdCounter.SMC_HITS),
                    delta(PmdCounter.MEGAFLOW_HITS), share(PmdCounter.MEGAFLOW_HITS),
                    delta(PmdCounter.UPCALL_OK), delta(PmdCounter.UPCALL_FAILED),
                    delta(PmdCounter.TX_PACKETS), heapBytesPerPacket(), heapBytes);
        }
    }
}
