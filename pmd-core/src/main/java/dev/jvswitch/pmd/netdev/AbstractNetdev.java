package dev.jvswitch.pmd.netdev;

/**
 * What every port type shares, so that a new type writes only what differs (how its queues
 * receive and send, what it opens and closes, how it learns its link state): name and type, the
 * queues and their counters, MTU and Ethernet address, link state with its down events, and the
 * open → closed life with {@link #refresh()} and {@link #close()} serialised.
 *
 * <p><b>How to extend.</b> The constructor fixes the queue counts; the subclass constructor then
 * makes every queue, each an {@link AbstractRxq} or {@link AbstractTxq}, and adds it with
 * {@link #addRxq}/{@link #addTxq} (so {@link #rxq}, {@link #txq}, the counts and
 * {@link #readStats} need no code in the subclass). It sets {@link #mtu(int)},
 * {@link #macAddress(long)} and, for a port whose link is not simply up while open,
 * {@link #carrier(boolean)}. It implements
 * {@link #onClose()} (release what it opened) and, if its state can change under it,
 * {@link #onRefresh()}.
 *
 * <p><b>Link state.</b> {@link #linkUp()} is "open and carrier". The carrier starts up (or down,
 * for a port made by the five-argument constructor); a port turns it off and on with
 * {@link #carrier(boolean)}, which counts every up → down transition as a link-down event.
 *
 * <p><b>Thread-safety:</b> name, type and the queue arrays are fixed once the subclass
 * constructor returns (the port reaches other threads only through the datapath's handshakes,
 * which publish it). {@code open}, {@code carrier}, {@code mtu}, {@code macAddress} and
 * {@code linkDownEvents} are volatile: written by the control thread (under the control lock in
 * {@link #onClose()} and {@link #onRefresh()}, or under a lock of the subclass's own that it
 * documents), read by PMDs and any reader. {@link #close()} and {@link #refresh()} hold the
 * control lock, so a refresh never runs during or after a close. Queue counters follow
 * {@link QueueCounters}.
 */
public abstract class AbstractNetdev implements Netdev {
    private final String name;
    private final String type;
    private final AbstractRxq[] rxqs;
    private final AbstractTxq[] txqs;
    private final Object control = new Object();
    private volatile boolean open = true;
    private volatile boolean carrier;
    private volatile int mtu = 1500;
    private volatile long macAddress;
    private volatile long linkDownEvents;

    /**
     * A port whose carrier starts up (its link is up while it is open).
     *
     * @param rxqs number of rx queues the subclass constructor will create (at least 1)
     * @param txqs number of tx queues the subclass constructor will create (at least 1)
     */
    protected AbstractNetdev(String name, String type, int rxqs, int txqs) {
        this(name, type, rxqs, txqs, true);
    }

    /** As {@link #AbstractNetdev(String, String, int, int)}, with the carrier starting {@code carrierUp}. */
    protected AbstractNetdev(String name, String type, int rxqs, int txqs, boolean carrierUp) {
        if (rxqs < 1 || txqs < 1) {
            throw new IllegalArgumentException("port " + name + ": needs at least one rx and one tx queue, got "
                    + rxqs + " and " + txqs);
        }
        this.name = name;
        this.type = type;
        this.rxqs = new AbstractRxq[rxqs];
        this.txqs = new AbstractTxq[txqs];
        this.carrier = carrierUp;
    }

    /** Adds rx queue {@code q} (made for this port) under its id; for the subclass constructor. */
    protected final <Q extends AbstractRxq> Q addRxq(Q q) {
        rxqs[checkSlot(rxqs, q.netdev(), q.id(), "rxq")] = q;
        return q;
    }

    /** Adds tx queue {@code q} (made for this port) under its id; for the subclass constructor. */
    protected final <Q extends AbstractTxq> Q addTxq(Q q) {
        txqs[checkSlot(txqs, q.netdev(), q.id(), "txq")] = q;
        return q;
    }

    private int checkSlot(Object[] queues, AbstractNetdev owner, int id, String what) {
        if (owner != this) {
            throw new IllegalArgumentException("port " + name + ": " + what + " " + id + " belongs to another port");
        }
        if (id < 0 || id >= queues.length) {
            throw new IllegalArgumentException("port " + name + ": " + what + " " + id + " of " + queues.length);
        }
        if (queues[id] != null) {
            throw new IllegalArgumentException("port " + name + ": " + what + " " + id + " made twice");
        }
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final int rxqCount() {
        return rxqs.length;
    }

    @Override
    public final int txqCount() {
        return txqs.length;
    }

    @Override
    public final AbstractRxq rxq(int id) {
        return rxqs[id];
    }

    @Override
    public final AbstractTxq txq(int id) {
        return txqs[id];
    }

    @Override
    public final int mtu() {
        return mtu;
    }

    /** Sets the MTU; in the constructor, or by the thread that tracks the device. */
    protected final void mtu(int bytes) {
        mtu = bytes;
    }

    @Override
    public final long macAddress() {
        return macAddress;
    }

    /** Sets the Ethernet address; in the constructor, or by the thread that tracks the device. */
    protected final void macAddress(long mac) {
        macAddress = mac;
    }

    /** Open and carrier: one or two volatile reads, cheap enough for a PMD once per batch. */
    @Override
    public final boolean linkUp() {
        return open && carrier;
    }

    /** Open, not yet closed. */
    public final boolean isOpen() {
        return open;
    }

    /**
     * Turns the carrier on or off, counting a link-down event when it goes from on to off. The
     * write is a release: whatever the caller stored before turning the carrier on (e.g. fresh
     * rings for the queues) is visible to a PMD that sees the link up. Callers serialise calls.
     */
    protected final void carrier(boolean up) {
        if (carrier && !up) {
            linkDownEvents = linkDownEvents + 1;
        }
        carrier = up;
    }

    /** Times the link was seen going down. */
    public final long linkDownEvents() {
        return linkDownEvents;
    }

    /** Sums every queue's counters and the link-down events; a subclass may add its own. */
    @Override
    public void readStats(NetdevStats into) {
        for (AbstractRxq q : rxqs) {
            q.counters().addRxTo(into);
        }
        for (AbstractTxq q : txqs) {
            q.counters().addTxTo(into);
        }
        into.linkDownEvents += linkDownEvents;
    }

    /** Runs {@link #onRefresh()} under the control lock unless the port is closed. */
    @Override
    public final void refresh() {
        synchronized (control) {
            if (open) {
                onRefresh();
            }
        }
    }

    /** Marks the port closed and runs {@link #onClose()} once, under the control lock. Idempotent. */
    @Override
    public final void close() {
        synchronized (control) {
            if (!open) {
                return;
            }
            open = false;
            onClose();
        }
    }

    /**
     * Polls the device for changes (control thread, every few hundred milliseconds, never after
     * close). The default does nothing: for ports whose state cannot change under them.
     */
    protected void onRefresh() {
    }

    /**
     * Releases what the port opened (control thread, once, after every PMD stopped using the
     * port; {@link #isOpen()} already reads false, so queues see the link down).
     */
    protected abstract void onClose();
}
