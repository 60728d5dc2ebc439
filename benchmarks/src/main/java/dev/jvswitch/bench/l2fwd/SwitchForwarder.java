package dev.jvswitch.bench.l2fwd;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.stats.PmdStats;
import dev.jvswitch.pmd.upcall.PortMapUpcallHandler;

/**
 * The {@code switch} mode: the full datapath between the two ports. A {@link Datapath} with one
 * PMD holds port 1 and port 2 as datapath ports 1 and 2; misses go to
 * {@link PortMapUpcallHandler#crossConnect(int, int) crossConnect(1, 2)}, which installs the
 * megaflows {@code in_port(1) → output:2} and {@code in_port(2) → output:1}. Every packet is
 * parsed, looked up in the EMC and dpcls, grouped by flow and executed, as in the daemon.
 *
 * <p>The datapath starts no thread: a step is one {@link PmdAgent#doWork()} iteration, run by the
 * forwarder's stepping thread, and {@link #onStart()} is the PMD's own (it pins the thread when
 * a CPU was given). Counts come from the PMD's counters: {@code RX_PACKETS}, {@code TX_PACKETS},
 * {@code BUSY_NS} (iterations that did work), and as drops {@code TX_DROPPED}, {@code LOST} and
 * every {@link DropReason}.
 *
 * <p><b>Thread-safety:</b> as {@link Forwarder}. The datapath is built and its ports added on
 * the constructing thread before the stepping thread starts (no PMD thread exists, so the
 * datapath runs its reload commands itself); from then on only the stepping thread touches the
 * PMD until {@link #close()}, which runs after that thread ended. The PMD's counters may be read
 * from any thread.
 */
public final class SwitchForwarder extends Forwarder {
    private static final PmdCounter[] DROPS = {PmdCounter.TX_DROPPED, PmdCounter.LOST};

    private final Datapath datapath;
    private final PmdAgent pmd;

    /**
     * A one-PMD datapath over {@code port1} and {@code port2} (taking ownership of both, closed
     * even if this fails), rx mbufs from {@code pool}; the PMD pins itself to {@code cpu} unless
     * it is -1.
     */
    public SwitchForwarder(Netdev port1, Netdev port2, MbufPool pool, int cpu) {
        super(FwdMode.SWITCH, port1, port2);
        Datapath dp = null;
        try {
            dp = new Datapath(DatapathConfig.defaults().withPmdCpus(cpu), pool, PortMapUpcallHandler.crossConnect(1, 2));
            dp.addPort(1, port1);
            dp.addPort(2, port2);
        } catch (RuntimeException e) {
            if (dp != null) {
                dp.close();
            }
            port1.close();
            port2.close();
            throw e;
        }
        this.datapath = dp;
        this.pmd = dp.pmd(0);
    }

    /** The datapath, for its flows and show commands ({@code DpctlFormat}). */
    public Datapath datapath() {
        return datapath;
    }

    @Override
    public void onStart() {
        pmd.onStart();
    }

    @Override
    public int doWork() {
        return pmd.doWork();
    }

    @Override
    public void onClose() {
        pmd.onClose();
    }

    @Override
    public Counts counts() {
        PmdStats s = pmd.stats();
        long dropped = 0;
        for (PmdCounter c : DROPS) {
            dropped += s.get(c);
        }
        for (DropReason r : DropReason.values()) {
            dropped += s.get(r);
        }
        return new Counts(s.get(PmdCounter.RX_PACKETS), s.get(PmdCounter.TX_PACKETS), dropped,
                s.get(PmdCounter.BUSY_NS));
    }

    /** Removes the ports from the PMD, closes them and frees the counters. */
    @Override
    public void close() {
        datapath.close();
    }
}
