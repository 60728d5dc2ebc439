package dev.jvswitch.afxdp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.afxdp.xsk.Umem;
import dev.jvswitch.afxdp.xsk.XskRxCounters;
import dev.jvswitch.afxdp.xsk.XskSocket;
import dev.jvswitch.afxdp.xsk.XskTx;
import dev.jvswitch.afxdp.xsk.XskTxCounters;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.idle.PmdIdleStrategies;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * A datapath port on a Linux interface through AF_XDP: an XDP program redirects each frame the
 * interface receives on queue {@code i} to XDP socket {@code i}, whose UMEM is the mbuf pool's own
 * memory, so a received frame is an mbuf already and a sent mbuf leaves from where it lies. No
 * skb is made on the way in (native mode), no system call per packet on the way in, one kick per
 * batch on the way out.
 *
 * <p><b>Link state.</b> {@link #refresh()} (control thread, every few hundred ms) reads the
 * interface's index, flags and MTU. Down (not {@code IFF_UP} and {@code IFF_RUNNING}): the port
 * reports {@link #linkUp()} false; its queues receive nothing and drop what they are asked to send
 * ({@code link_down}); the sockets stay bound and serve again when the link is back. Gone: the
 * sockets are retired (their frames return to the pool at once, so the other ports keep the
 * pool's memory) and the program, whose link died with the interface, is let go. Back under a new
 * index: a fresh program, map and sockets, and traffic resumes. A failure to open them is
 * counted, kept in {@link AfXdpStats#lastError()} and retried at the next refresh.
 *
 * <p><b>Retiring sockets</b> (interface gone or re-made, port closed), with every queue's guard
 * held: wait (at most {@value #POLL_WAIT_MS} ms) until no sleeping PMD's {@code poll(2)} holds a
 * socket, then (at most {@value #DRAIN_WAIT_MS} ms) for the frames in flight to complete, read the
 * kernel's last statistics, close each socket (the kernel lets go of the UMEM), return its frames
 * to the pool, detach the program.
 *
 * <p><b>Thread-safety:</b> queues are fixed at open; each is used by one PMD at a time inside its
 * {@link QueueGuard}. {@link #onRefresh()} and {@link #onClose()} run under the base class's
 * control lock, which also guards {@code current}; they take the queues' guards to change their
 * sockets (bounded waits: a refresh that cannot get them tries again next time). {@code mode},
 * {@code ifindex}, {@code lastError} and the event counters are written there and read by any
 * thread (volatile).
 * {@code txLinkError} is set by PMDs and cleared by refresh (volatile).
 */
public final class AfXdpNetdev extends AbstractNetdev {
    static final long GUARD_WAIT_MS = 100;
    static final long DRAIN_WAIT_MS = 50;
    /**
     * How long retiring the sockets waits for a sleeping PMD's {@code poll(2)} on one to return
     * (a PMD sleeps at most {@link PmdIdleStrategies#SLEEP_MAX_MS}; see {@link AfXdpRxq}).
     */
    static final long POLL_WAIT_MS = 2L * PmdIdleStrategies.SLEEP_MAX_MS;
    private static final String NO_MODE = "none";

    private final AfXdpOptions options;
    private final Where where;
    private final Interfaces interfaces;
    private final Umem umem;

    // Guarded by the control lock.
    private PortSockets current;

    private volatile String mode = NO_MODE;
    private volatile int ifindex;
    private volatile boolean txLinkError;
    private volatile long reopens;
    private volatile long reopenFailures;
    private volatile long bindRetries;
    private volatile long mtuChanges;
    private volatile String lastError;

    private AfXdpNetdev(String name, AfXdpOptions options, Where where, Interfaces interfaces, Umem umem,
            Interfaces.Info info) {
        super(name, AfXdpProvider.TYPE, options.rxqs(), options.txqs(), info.up());
        this.options = options;
        this.where = where;
        this.interfaces = interfaces;
        this.umem = umem;
        mtu(info.mtu());
        macAddress(info.mac());
        for (int i = 0; i < options.rxqs(); i++) {
            addRxq(new AfXdpRxq(this, i));
        }
        for (int i = 0; i < options.txqs(); i++) {
            addTxq(new AfXdpTxq(this, i));
        }
    }

    /**
     * Opens the port: checks the options and the pool, finds the interface, attaches the program
     * and binds a socket per rx queue.
     *
     * @throws NetdevException one line naming the port, the interface or option, the call, errno's
     *         text and what to do (no permission, no XDP in the driver, no such queue, ...)
     */
    public static AfXdpNetdev open(NetdevConfig config) throws NetdevException {
        AfXdpOptions options = AfXdpOptions.parse(config);
        MbufPool pool = config.pool();
        if (pool == null) {
            throw new NetdevException("port " + config.name() + ": an afxdp port needs a mempool");
        }
        Umem umem = Umem.of(pool);
        Where where = new Where(config.name(), options.ifname());
        Interfaces interfaces = new Interfaces(where);
        AfXdpNetdev port;
        Interfaces.Info info;
        try {
            info = interfaces.require();
            port = new AfXdpNetdev(config.name(), options, where, interfaces, umem, info);
        } catch (NetdevException | RuntimeException e) {
            interfaces.close();
            throw e;
        }
        try {
            PortSockets sockets = PortSockets.open(where, options, umem, info.ifindex(), interfaces.driver(),
                    port.rxCounters());
            port.install(sockets);
            return port;
        } catch (NetdevException | RuntimeException e) {
            port.close();
            throw e;
        }
    }

    private XskRxCounters[] rxCounters() {
        XskRxCounters[] c = new XskRxCounters[rxqCount()];
        for (int i = 0; i < c.length; i++) {
            c[i] = afRxq(i).xsk;
        }
        return c;
    }

    /** The Linux interface the port is bound to. */
    public String ifname() {
        return options.ifname();
    }

    public AfXdpOptions options() {
        return options;
    }

    /** The XDP mode the port got ({@code native-with-zerocopy}, {@code native}, {@code generic}), or {@code none}. */
    public String xdpMode() {
        return mode;
    }

    /**
     * OVS's Interface status: the XDP mode in use and, while the port has no sockets, why (the
     * interface vanished, a reopen failed), so {@code pmd-rxq-show} and {@code dump-ports} say it.
     */
    @Override
    public Map<String, String> status() {
        String error = lastError;
        String m = mode;
        if (!m.equals(NO_MODE) || error == null) {
            return Map.of("xdp-mode", m);
        }
        Map<String, String> status = new LinkedHashMap<>();
        status.put("xdp-mode", m);
        status.put("error", error);
        return status;
    }

    /** The interface index the sockets are bound to, or 0 while there are none. */
    public int ifindex() {
        return ifindex;
    }

    private AfXdpRxq afRxq(int id) {
        return (AfXdpRxq) rxq(id);
    }

    private AfXdpTxq afTxq(int id) {
        return (AfXdpTxq) txq(id);
    }

    /** A tx queue's kick found the device gone or down; the next refresh treats it as a flap. */
    void onTxLinkError() {
        txLinkError = true;
    }

    /** The AF_XDP-specific counters, summed over the queues. */
    public AfXdpStats afXdpStats() {
        long noFrame = 0;
        long ringFull = 0;
        long badDescs = 0;
        long shortfalls = 0;
        long csum = 0;
        long invalid = 0;
        for (int i = 0; i < rxqCount(); i++) {
            XskRxCounters c = afRxq(i).xsk;
            noFrame += c.get(XskRxCounters.KERNEL_NO_FRAME);
            ringFull += c.get(XskRxCounters.KERNEL_RING_FULL);
            badDescs += c.get(XskRxCounters.BAD_DESCS);
            shortfalls += c.get(XskRxCounters.FILL_SHORTFALL);
            csum += c.get(XskRxCounters.CSUM_COMPLETED);
            invalid += c.get(XskRxCounters.KERNEL_INVALID_FILL) + c.get(XskRxCounters.KERNEL_INVALID_TX);
        }
        long badCompletions = 0;
        long copied = 0;
        long kickErrors = 0;
        for (int i = 0; i < txqCount(); i++) {
            XskTxCounters c = afTxq(i).xsk;
            badCompletions += c.get(XskTxCounters.BAD_COMPLETIONS);
            copied += c.get(XskTxCounters.COPIED);
            kickErrors += c.get(XskTxCounters.KICK_ERRORS);
        }
        return new AfXdpStats(mode, noFrame, ringFull, badDescs, shortfalls, csum, invalid, badCompletions, copied,
                kickErrors, bindRetries, reopens, reopenFailures, lastError);
    }

    /** Times {@code refresh} saw the interface's MTU change. */
    public long mtuChanges() {
        return mtuChanges;
    }

    /**
     * Polls the interface (control thread): link state, MTU, address, whether it was deleted or
     * made again; retires and reopens the sockets accordingly, and takes in the completions of
     * idle tx queues so their mbufs go back to the pool. Never throws.
     */
    @Override
    protected void onRefresh() {
        boolean flapped = txLinkError;
        if (flapped) {
            txLinkError = false;
        }
        Interfaces.Info info;
        try {
            info = interfaces.query();
        } catch (NetdevException e) {
            lastError = e.getMessage();
            carrier(false);
            return;
        }
        if (info == null) {
            carrier(false);
            if (current != null) {
                lastError = where.problem("vanished; its sockets are closed until it comes back").getMessage();
                retire();
            }
            return;
        }
        if (current == null || info.ifindex() != current.ifindex()) {
            if ((current != null && !retire()) || !reopen(info.ifindex())) {
                carrier(false);
                return;
            }
        }
        if (info.mtu() != mtu()) {
            mtu(info.mtu());
            mtuChanges++;
        }
        macAddress(info.mac());
        if (flapped) {
            carrier(false);
        }
        carrier(info.up());
        reapIdleCompletions();
    }

    private boolean reopen(int ifindex) {
        PortSockets next;
        try {
            next = PortSockets.open(where, options, umem, ifindex, interfaces.driver(), rxCounters());
        } catch (NetdevException | RuntimeException e) {
            reopenFailures++;
            lastError = e.getMessage();
            return false;
        }
        if (!install(next)) {
            reopenFailures++;
            return false;
        }
        reopens++;
        return true;
    }

    /**
     * Hands {@code next}'s sockets to the queues (taking their guards) and makes it current; if
     * the guards cannot be had, undoes {@code next} instead.
     */
    private boolean install(PortSockets next) {
        if (!enterAll()) {
            lastError = where.problem("a PMD held a queue for " + GUARD_WAIT_MS + " ms; sockets not installed")
                    .getMessage();
            closeSockets(next);
            return false;
        }
        try {
            for (int q = 0; q < rxqCount(); q++) {
                afRxq(q).socket = next.socket(q);
            }
            for (int q = 0; q < txqCount(); q++) {
                afTxq(q).socket = next.socket(q);
            }
        } finally {
            exitAll();
        }
        current = next;
        ifindex = next.ifindex();
        mode = next.mode().label();
        bindRetries += next.bindRetries();
        return true;
    }

    /**
     * Takes the sockets away from the queues, closes them, returns their frames to the pool and
     * detaches the program. False (nothing changed) if a queue's guard could not be had.
     */
    private boolean retire() {
        PortSockets old = current;
        if (old == null) {
            return true;
        }
        if (!enterAll()) {
            lastError = where.problem("a PMD held a queue for " + GUARD_WAIT_MS + " ms; sockets not retired")
                    .getMessage();
            return false;
        }
        long pollDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_WAIT_MS);
        for (int q = 0; q < rxqCount(); q++) {
            if (!afRxq(q).awaitNoPoll(pollDeadline)) {
                exitAll();
                lastError = where.problem("a PMD slept in poll(2) on rx queue " + q + " for " + POLL_WAIT_MS
                        + " ms; sockets not retired").getMessage();
                return false;
            }
        }
        try {
            drainInFlight();
            for (int q = 0; q < rxqCount(); q++) {
                AfXdpRxq rxq = afRxq(q);
                XskSocket s = rxq.socket;
                if (s != null) {
                    s.rx().collectKernelStats(rxq.counters(), rxq.xsk);
                }
                rxq.socket = null;
            }
            for (int q = 0; q < txqCount(); q++) {
                afTxq(q).socket = null;
            }
            closeSockets(old);
        } finally {
            exitAll();
        }
        current = null;
        ifindex = 0;
        mode = NO_MODE;
        return true;
    }

    /**
     * Waits (bounded) until the kernel completed what the tx queues sent, so that no frame goes
     * back to the pool while a device may still read it.
     */
    private void drainInFlight() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_WAIT_MS);
        for (int q = 0; q < txqCount(); q++) {
            AfXdpTxq txq = afTxq(q);
            XskSocket s = txq.socket;
            XskTx tx = s == null ? null : s.tx();
            while (tx != null && tx.inFlight() > 0 && System.nanoTime() - deadline < 0) {
                if (tx.reap(null, txq.xsk) == 0) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static void closeSockets(PortSockets sockets) {
        for (int q = 0; q < sockets.size(); q++) {
            XskSocket s = sockets.socket(q);
            s.close();
            s.reclaim();
        }
        sockets.closeAttachment();
    }

    /** Every queue's guard, or none (bounded wait). */
    private boolean enterAll() {
        long waitNs = TimeUnit.MILLISECONDS.toNanos(GUARD_WAIT_MS);
        int rx = 0;
        while (rx < rxqCount() && afRxq(rx).guard.enterWithin(waitNs)) {
            rx++;
        }
        int tx = 0;
        while (rx == rxqCount() && tx < txqCount() && afTxq(tx).guard.enterWithin(waitNs)) {
            tx++;
        }
        if (rx == rxqCount() && tx == txqCount()) {
            return true;
        }
        for (int i = 0; i < rx; i++) {
            afRxq(i).guard.exit();
        }
        for (int i = 0; i < tx; i++) {
            afTxq(i).guard.exit();
        }
        return false;
    }

    private void exitAll() {
        for (int i = 0; i < rxqCount(); i++) {
            afRxq(i).guard.exit();
        }
        for (int i = 0; i < txqCount(); i++) {
            afTxq(i).guard.exit();
        }
    }

    /** Completions of tx queues nobody sends on now: their mbufs go back to the pool. */
    private void reapIdleCompletions() {
        for (int q = 0; q < txqCount(); q++) {
            AfXdpTxq txq = afTxq(q);
            if (txq.guard.tryEnter()) {
                try {
                    XskSocket s = txq.socket;
                    if (s != null && s.tx() != null) {
                        s.tx().reap(null, txq.xsk);
                    }
                } finally {
                    txq.guard.exit();
                }
            }
        }
    }

    /** Retires the sockets and detaches the program. Runs after every PMD stopped using the port. */
    @Override
    protected void onClose() {
        try {
            retire();
        } finally {
            interfaces.close();
        }
    }

    @Override
    public String toString() {
        return "afxdp port " + name() + " (" + options.ifname() + ", " + rxqCount() + " rxq, " + txqCount()
                + " txq, xdp-mode " + mode + ")";
    }
}
