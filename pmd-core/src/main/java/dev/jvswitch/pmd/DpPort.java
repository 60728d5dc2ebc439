package dev.jvswitch.pmd;

import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.jvswitch.pmd.mirror.PacketTap;
import dev.jvswitch.pmd.netdev.Netdev;

/**
 * A port as the datapath sees it: its datapath port number and its netdev, plus the locks that
 * serialise PMDs sharing a tx queue.
 *
 * <p>Each PMD sends on tx queue {@code pmdIndex % txqCount}. When there are fewer tx queues than
 * PMDs and the netdev says its queues need locking, senders take a per-queue spin lock (a
 * compare-and-set on an int; the critical section is one {@code send} of up to 32 packets).
 *
 * <p>A port may carry a {@link PacketTap} on each side (a mirror): PMDs copy what they receive
 * from it or send to it there.
 *
 * <p><b>Thread-safety:</b> immutable except the lock words, which PMDs acquire with a CAS
 * (acquire) and release with a release store, and the taps: volatile, set by the control side
 * ({@link Datapath#mirror}), read by PMDs once per batch.
 */
public final class DpPort {
    private final int portNo;
    private final Netdev netdev;
    private final AtomicIntegerArray txqLocks;
    private volatile PacketTap rxTap;
    private volatile PacketTap txTap;

    DpPort(int portNo, Netdev netdev, int pmdCount) {
        this.portNo = portNo;
        this.netdev = netdev;
        boolean shared = netdev.txqsNeedLocking() && netdev.txqCount() < pmdCount;
        this.txqLocks = shared ? new AtomicIntegerArray(netdev.txqCount()) : null;
    }

    public int portNo() {
        return portNo;
    }

    public Netdev netdev() {
        return netdev;
    }

    /** Whether tx queue sends must go through {@link #lockTxq}/{@link #unlockTxq}. */
    boolean txqLocked() {
        return txqLocks != null;
    }

    void lockTxq(int qid) {
        while (!txqLocks.compareAndSet(qid, 0, 1)) {
            Thread.onSpinWait();
        }
    }

    void unlockTxq(int qid) {
        txqLocks.setRelease(qid, 0);
    }

    /** The tap received packets are copied to, or null. */
    public PacketTap rxTap() {
        return rxTap;
    }

    /** The tap sent packets are copied to, or null. */
    public PacketTap txTap() {
        return txTap;
    }

    void taps(PacketTap rx, PacketTap tx) {
        this.rxTap = rx;
        this.txTap = tx;
    }

    @Override
    public String toString() {
        return netdev.name() + "(" + portNo + ")";
    }
}
