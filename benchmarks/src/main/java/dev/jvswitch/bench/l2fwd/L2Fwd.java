package dev.jvswitch.bench.l2fwd;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * {@code jvs-bench l2fwd}: a forwarder between two AF_PACKET (or, with {@code --port-type afxdp},
 * AF_XDP) ports, like {@code dpdk-testpmd}.
 * {@code --mode io} ({@link IoForwarder}) sends port 1's frames out of port 2 and back with no
 * classification; {@code --mode switch} ({@link SwitchForwarder}) runs them through the full PMD
 * pipeline with in_port 1→2 and 2→1 rules. One thread, made here and pinned with
 * {@code --pmd-cpu}, steps the forwarder and refreshes the ports' link state; it runs until
 * {@code --seconds} pass or SIGINT/SIGTERM, then this prints the rx/tx/drop counts and busy ns
 * per packet as one line of text or, with {@code --json}, one JSON object ({@link FwdResult}).
 *
 * <p>Exit status: 0 after a run, 1 when a port cannot be opened, the thread cannot be pinned or
 * mbufs went missing, 2 on a usage error (one line naming the option).
 *
 * <p><b>Thread-safety:</b> the calling thread parses, opens, waits and prints; the forwarding
 * thread owns the forwarder while it runs; a shutdown hook only sets the stop flag and waits
 * (5 s at most) until the counts are printed and the ports closed.
 */
public final class L2Fwd {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    private static final int POOL_MBUFS = 16384;
    private static final long HOOK_WAIT_S = 5;

    private L2Fwd() {
    }

    /** {@code l2fwd} with the process's stdout and stderr; returns the exit status. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** {@code l2fwd ARGS}: parses, forwards, prints to {@code out}; errors go to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (L2FwdOptions.wantsHelp(args)) {
            usage(out);
            return 0;
        }
        L2FwdOptions options;
        try {
            options = L2FwdOptions.parse(args);
        } catch (L2FwdOptions.UsageException e) {
            err.println("l2fwd: " + e.getMessage());
            err.println("run 'jvs-bench l2fwd --help' for usage");
            return EXIT_USAGE;
        }
        return forward(options, out, err);
    }

    private static int forward(L2FwdOptions options, PrintStream out, PrintStream err) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(HOOK_WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "l2fwd-stop");
        MbufPool pool = MbufPool.create(
                Netdevs.poolFor(MbufPoolConfig.of("l2fwd", POOL_MBUFS), List.of(options.portType())));
        int status = 0;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            try (Forwarder fwd = Forwarder.open(options.mode(), options.portType(), options.portOptions(),
                    options.port1(), options.port2(), pool, options.pmdCpu())) {
                FwdResult r = fwd.runAllOnNewThread("l2fwd-pmd", stop::get, options.durationNs()).get(0);
                out.println(options.json() ? r.toJson() : r.toText());
                out.flush();
            }
        } catch (NetdevException | IllegalArgumentException e) {
            err.println("l2fwd: " + e.getMessage());
            status = EXIT_FAILURE;
        } finally {
            String leaks = pool.leakReport();
            if (leaks != null) {
                err.println("l2fwd: " + leaks);
                status = EXIT_FAILURE;
            }
            pool.close();
            finished.countDown();
            removeHook(hook);
        }
        return status;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down because of a signal: the hook is running and has been released.
        }
    }

    static void usage(PrintStream s) {
        s.println(L2FwdOptions.USAGE);
        s.println("  forwards port 1 <-> port 2 until S seconds pass (default 0: until SIGINT/SIGTERM),");
        s.println("  then prints rx/tx/drop counts and the PMD's busy ns per packet (--json: one JSON object)");
        s.println("  --mode io       no classification: each batch goes straight out of the other port (default)");
        s.println("  --mode switch   full pipeline (parse, EMC, dpcls, upcall) with in_port 1->2 and 2->1 rules");
        s.println("  --pmd-cpu N     pin the forwarding thread to CPU N");
        s.println("  --port-type T   afpacket (default) or afxdp (AF_XDP: XDP program + sockets over the mempool)");
        s.println("  --xdp-mode M    afxdp's xdp-mode: best-effort (default), native, generic, native-with-zerocopy");
    }

    /** Runs {@link #run(String[])} and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }
}
