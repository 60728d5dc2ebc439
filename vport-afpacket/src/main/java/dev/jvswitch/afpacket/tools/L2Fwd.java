package dev.jvswitch.afpacket.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import dev.jvswitch.afpacket.AfPacketProvider;
import dev.jvswitch.afpacket.sys.Affinity;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * The {@code io} mode of {@code jvs-bench l2fwd}: forwards every frame from port 1 to port 2 and
 * back with no classification, like {@code dpdk-testpmd --forward-mode=io}. It measures what
 * AF_PACKET I/O costs on its own, the baseline for the full pipeline.
 *
 * <p>One thread does everything: each pass polls every rx queue of both ports, sends each batch
 * out of the other port's tx queue 0, and every {@value #REFRESH_INTERVAL_MS} ms refreshes the
 * ports' link state. Between passes that moved nothing it backs off (spin, yield, park up to
 * 1 ms) so that it does not starve a small machine. Busy time is the time spent in passes that
 * moved at least one packet.
 *
 * <p><b>Thread-safety:</b> one thread runs {@link #run(long, BooleanSupplier)}; the stop flag it
 * is given may be set by any thread.
 */
public final class L2Fwd {
    public static final long REFRESH_INTERVAL_MS = 250;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_FAILURE = 1;

    /**
     * What a run did.
     *
     * @param rxPackets       packets received on both ports
     * @param txPackets       packets handed to the other port's device
     * @param dropped         received but not sent (tx ring full, link down, oversize)
     * @param busyNs          time spent in passes that moved packets
     * @param elapsedNs       wall time of the run
     */
    public record Result(long rxPackets, long txPackets, long dropped, long busyNs, long elapsedNs) {
        /** Busy time divided by packets received; 0 when nothing was received. */
        public double busyNsPerPacket() {
            return rxPackets == 0 ? 0.0 : (double) busyNs / rxPackets;
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"rxPackets\":%d,\"txPackets\":%d,\"dropped\":%d,\"busyNsPerPacket\":%.1f}",
                    rxPackets, txPackets, dropped, busyNsPerPacket());
        }

        public String toText() {
            return String.format(Locale.ROOT, "rx %d packets, tx %d packets, dropped %d, busy %.1f ns/packet"
                    + " (%.1f s, %.3f Mpps forwarded)", rxPackets, txPackets, dropped, busyNsPerPacket(),
                    elapsedNs / 1e9, elapsedNs == 0 ? 0.0 : txPackets * 1e3 / elapsedNs);
        }
    }

    private final Netdev port1;
    private final Netdev port2;
    private final MbufCache cache;
    private final IdleStrategy idle;
    private final PacketBatch batch = new PacketBatch();
    private long rx;
    private long tx;

    /** Forwards between {@code port1} and {@code port2} with mbufs from {@code cache} (owned by the running thread). */
    public L2Fwd(Netdev port1, Netdev port2, MbufCache cache, IdleStrategy idle) {
        this.port1 = port1;
        this.port2 = port2;
        this.cache = cache;
        this.idle = idle;
    }

    /** With the default idle strategy: spin 100, yield 10, then park from 1 µs up to 1 ms. */
    public L2Fwd(Netdev port1, Netdev port2, MbufCache cache) {
        this(port1, port2, cache, new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(1)));
    }

    /** One pass over both ports; returns the packets received. */
    public int doWork() {
        return forward(port1, port2) + forward(port2, port1);
    }

    private int forward(Netdev from, Netdev to) {
        int moved = 0;
        int rxqs = from.rxqCount();
        for (int q = 0; q < rxqs; q++) {
            int n = from.rxq(q).recv(batch, cache);
            if (n > 0) {
                moved += n;
                tx += to.txq(0).send(batch, cache);
            }
        }
        rx += moved;
        return moved;
    }

    /** Forwards until {@code durationNs} has passed (0: no limit) or {@code stop} says so. */
    public Result run(long durationNs, BooleanSupplier stop) {
        long start = System.nanoTime();
        long end = durationNs > 0 ? start + durationNs : Long.MAX_VALUE;
        long nextRefresh = start + TimeUnit.MILLISECONDS.toNanos(REFRESH_INTERVAL_MS);
        long rx0 = rx;
        long tx0 = tx;
        long busyNs = 0;
        long now = start;
        while (now < end && !stop.getAsBoolean()) {
            int work = doWork();
            long after = System.nanoTime();
            if (work > 0) {
                busyNs += after - now;
            }
            if (after >= nextRefresh) {
                port1.refresh();
                port2.refresh();
                nextRefresh = after + TimeUnit.MILLISECONDS.toNanos(REFRESH_INTERVAL_MS);
            }
            idle.idle(work);
            now = System.nanoTime();
        }
        long received = rx - rx0;
        long sent = tx - tx0;
        return new Result(received, sent, received - sent, busyNs, System.nanoTime() - start);
    }

    // ---------------------------------------------------------------- command line

    /** {@code l2fwd} with the process's stdout and stderr; returns the exit status. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /**
     * {@code l2fwd --port IFNAME --port IFNAME [--mode io] [--seconds S] [--pmd-cpu N] [--json]}:
     * forwards until S seconds pass or SIGINT/SIGTERM, then prints the counts.
     *
     * @return 0 on success, 1 if a port cannot be opened, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> ifnames = new ArrayList<>();
        String mode = "io";
        double seconds = 0;
        int cpu = -1;
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> ifnames.add(value(args, ++i, "--port"));
                    case "--mode" -> mode = value(args, ++i, "--mode");
                    case "--seconds" -> seconds = number(value(args, ++i, "--seconds"), "--seconds");
                    case "--pmd-cpu" -> cpu = (int) number(value(args, ++i, "--pmd-cpu"), "--pmd-cpu");
                    case "--json" -> json = true;
                    case "-h", "--help" -> {
                        usage(out);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (ifnames.size() != 2) {
                throw new IllegalArgumentException("give exactly two --port IFNAME, got " + ifnames.size());
            }
            if (!mode.equals("io")) {
                throw new IllegalArgumentException(mode.equals("switch")
                        ? "--mode switch needs the PMD pipeline, which this build does not have yet; use --mode io"
                        : "--mode must be io or switch, got '" + mode + "'");
            }
            if (seconds < 0 || Double.isNaN(seconds)) {
                throw new IllegalArgumentException("--seconds must not be negative, got " + seconds);
            }
        } catch (IllegalArgumentException e) {
            err.println("l2fwd: " + e.getMessage());
            usage(err);
            return EXIT_USAGE;
        }

        MbufPool pool = MbufPool.create(MbufPoolConfig.of("l2fwd", 16384));
        List<Netdev> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                ports.add(Netdevs.open(new NetdevConfig("p" + (i + 1), AfPacketProvider.TYPE,
                        Map.of("ifname", ifnames.get(i)), pool)));
            }
            if (cpu >= 0) {
                Affinity.pinCurrentThread(cpu);
            }
            MbufCache cache = pool.newCache();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch printed = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.set(true);
                try {
                    printed.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "l2fwd-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                Result r = new L2Fwd(ports.get(0), ports.get(1), cache).run((long) (seconds * 1e9), stop::get);
                out.println(json ? r.toJson() : r.toText());
                out.flush();
            } finally {
                printed.countDown();
                removeHook(hook);
                pool.releaseCache(cache);
            }
            return 0;
        } catch (NetdevException | IllegalArgumentException e) {
            err.println("l2fwd: " + e.getMessage());
            return EXIT_FAILURE;
        } finally {
            for (Netdev p : ports) {
                p.close();
            }
            pool.close();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down because of a signal: the hook is running and waits for us.
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static double number(String s, String option) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + s + "'");
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: l2fwd --port IFNAME --port IFNAME [--mode io|switch] [--seconds S] [--pmd-cpu N] [--json]");
        s.println("  forwards port 1 <-> port 2 until S seconds pass (default: until SIGINT/SIGTERM),");
        s.println("  then prints rx/tx/drop counts and busy ns per packet (--json: one JSON object)");
    }

    /** Runs {@link #run(String[])} and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }
}
