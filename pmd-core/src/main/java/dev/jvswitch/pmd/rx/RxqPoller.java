package dev.jvswitch.pmd.rx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevRxq;

/**
 * An rx queue as one PMD polls it: the queue, the datapath port number its packets come in on,
 * and the time the PMD spent processing what it received (the measure {@code pmd-rxq-assign=cycles}
 * balances on, and what {@code dpif-netdev/pmd-rxq-show} prints).
 *
 * <p><b>Thread-safety:</b> the polling PMD writes the counters with opaque stores; the control
 * thread reads them with opaque loads.
 */
public final class RxqPoller {
    private static final VarHandle BUSY_NS;
    private static final VarHandle PACKETS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BUSY_NS = l.findVarHandle(RxqPoller.class, "busyNs", long.class);
            PACKETS = l.findVarHandle(RxqPoller.class, "packets", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int portNo;
    private final NetdevRxq rxq;
    @SuppressWarnings("unused")
    private long busyNs;
    @SuppressWarnings("unused")
    private long packets;

    public RxqPoller(int portNo, NetdevRxq rxq) {
        this.portNo = portNo;
        this.rxq = rxq;
    }

    /** The port the queue belongs to. */
    public Netdev netdev() {
        return rxq.netdev();
    }

    public NetdevRxq rxq() {
        return rxq;
    }

    /** The datapath port number its packets come in on. */
    public int portNo() {
        return portNo;
    }

    /** PMD thread: adds a processed batch's time and size. */
    public void onBatch(long ns, int count) {
        BUSY_NS.setOpaque(this, (long) BUSY_NS.getOpaque(this) + ns);
        PACKETS.setOpaque(this, (long) PACKETS.getOpaque(this) + count);
    }

    public long busyNs() {
        return (long) BUSY_NS.getOpaque(this);
    }

    public long packets() {
        return (long) PACKETS.getOpaque(this);
    }

    @Override
    public String toString() {
        return rxq.netdev().name() + " queue " + rxq.id();
    }
}
