package dev.jvswitch.afpacket;

import dev.jvswitch.afpacket.rx.ReceiveRing;
import dev.jvswitch.afpacket.rx.RxCounters;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.afpacket.tx.TxRing;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * A datapath port on a Linux interface through AF_PACKET sockets with mmapped rings: one
 * receive socket per rx queue (TPACKET_V2 or V3 by option {@code rx-ring}; in one
 * {@code PACKET_FANOUT_HASH} group when there are several) and one TPACKET_V2 send-only socket
 * per tx queue. Frames move between the rings and
 * mbufs by copy; neither direction makes a system call per packet (rx none at all, tx one
 * {@code sendto} per batch).
 *
 * <p><b>Link state.</b> {@link #refresh()} (control thread, every few hundred ms) reads the
 * interface's index, flags and MTU. Interface gone or down (not {@code IFF_UP} and
 * {@code IFF_RUNNING}): the port reports {@link #linkUp()} false and counts a link-down event;
 * rx queues return nothing and tx queues drop and count {@code link_down}; the switch keeps
 * running. A tx queue whose kick fails with ENETDOWN/ENXIO reports it here, so a flap between
 * two refreshes is seen too. When the interface is back up (under the same or a new index), the
 * port opens fresh sockets for every queue (a new fanout group, no stale frames) and hands each
 * to its PMD through the queue's pending slot, then reports the link up. An MTU change is
 * picked up by the next refresh and counted; the tx and rx length checks read it per batch. When
 * the MTU grows past what the tx slots hold (and {@code frame-size} was not given), the tx
 * queues get new rings with larger slots ({@link AfPacketOptions#txGeometry}); rx is untouched.
 *
 * <p><b>Thread-safety:</b> queues are fixed at open; each queue is used by one PMD at a time (see
 * {@link AfPacketRxq}, {@link AfPacketTxq}). {@link #onRefresh()} and {@link #onClose()} run
 * under the base class's control lock, which also guards {@code socketsStale}. The carrier, MTU
 * and address are written only there and read by any thread (volatile: turning the carrier on
 * releases the rings the same refresh left in the queues' pending slots). {@code ifindex},
 * {@code txGeometry} and the event counters are written there too and read anywhere (volatile). {@code txLinkError} is
 * set by PMDs and cleared by refresh (volatile).
 */
public final class AfPacketNetdev extends AbstractNetdev {
    private final AfPacketOptions options;
    private final Where where;
    private final Interfaces interfaces;

    private volatile boolean txLinkError;
    private volatile long mtuChanges;
    private volatile long reopens;
    private volatile long reopenFailures;
    private volatile String lastError;
    private volatile int ifindex;
    private volatile RingGeometry txGeometry;

    // Guarded by the control lock.
    private boolean socketsStale;

    private AfPacketNetdev(String name, AfPacketOptions options, Where where, Interfaces interfaces,
            Interfaces.Info info, RingGeometry txGeometry, ReceiveRing[] rxRings, TxRing[] txRings) {
        super(name, AfPacketProvider.TYPE, rxRings.length, txRings.length, info.up());
        this.options = options;
        this.txGeometry = txGeometry;
        this.where = where;
        this.interfaces = interfaces;
        this.ifindex = info.ifindex();
        mtu(info.mtu());
        macAddress(info.mac());
        for (int i = 0; i < rxRings.length; i++) {
            addRxq(new AfPacketRxq(this, i, rxRings[i]));
        }
        for (int i = 0; i < txRings.length; i++) {
            addTxq(new AfPacketTxq(this, i, txRings[i]));
        }
    }

    /**
     * Opens the port: checks the options, finds the interface, and opens every queue's socket.
     *
     * @throws NetdevException one line naming the port, the interface or option, the call, and
     *         errno's text (e.g. EPERM without CAP_NET_RAW, or no such interface)
     */
    public static AfPacketNetdev open(NetdevConfig config) throws NetdevException {
        AfPacketOptions options = AfPacketOptions.parse(config);
        Where where = new Where(config.name(), options.ifname());
        Interfaces interfaces = new Interfaces(where);
        try {
            Interfaces.Info info = interfaces.require();
            ReceiveRing[] rx = new ReceiveRing[options.rxqs()];
            TxRing[] tx = new TxRing[options.txqs()];
            RingGeometry txGeometry = options.txGeometry(info.mtu());
            openRings(where, options, info.ifindex(), rx, tx, txGeometry);
            return new AfPacketNetdev(config.name(), options, where, interfaces, info, txGeometry, rx, tx);
        } catch (NetdevException | RuntimeException e) {
            interfaces.close();
            throw e;
        }
    }

    /** Opens one socket per queue on {@code ifindex} (null entries of {@code rx} stay null), or none at all. */
    private static void openRings(Where where, AfPacketOptions options, int ifindex, ReceiveRing[] rx, TxRing[] tx,
            RingGeometry txGeometry) throws NetdevException {
        try {
            int group = ReceiveRing.FANOUT_NONE;
            for (int i = 0; i < rx.length; i++) {
                int fanout = rx.length == 1 ? ReceiveRing.FANOUT_NONE : i == 0 ? ReceiveRing.FANOUT_NEW : group;
                rx[i] = ReceiveRing.open(options.rxRing(), where, ifindex, options.geometry(), options.rxDataRoomBytes(),
                        fanout, options.promiscuous() && i == 0);
                group = rx[i].fanoutGroup();
            }
            for (int i = 0; i < tx.length; i++) {
                tx[i] = TxRing.open(where, ifindex, txGeometry, options.qdiscBypass());
            }
        } catch (NetdevException | RuntimeException e) {
            for (ReceiveRing r : rx) {
                if (r != null) {
                    r.close();
                }
            }
            for (TxRing t : tx) {
                if (t != null) {
                    t.close();
                }
            }
            throw e;
        }
    }

    /** The Linux interface the port is bound to. */
    public String ifname() {
        return options.ifname();
    }

    public AfPacketOptions options() {
        return options;
    }

    /** The shape of the tx rings now (their slots follow the MTU, see {@link AfPacketOptions#txGeometry}). */
    public RingGeometry txGeometry() {
        return txGeometry;
    }

    /** The read the queues make once per batch. */
    boolean linkUpForPmd() {
        return linkUp();
    }

    private AfPacketRxq afRxq(int id) {
        return (AfPacketRxq) rxq(id);
    }

    private AfPacketTxq afTxq(int id) {
        return (AfPacketTxq) txq(id);
    }

    /** A tx queue's kick failed with ENETDOWN/ENXIO/ENODEV; the next refresh treats it as a flap. */
    void onTxLinkError() {
        txLinkError = true;
    }

    /** The interface index the port's sockets are bound to (0 before the first successful bind). */
    public int ifindex() {
        return ifindex;
    }

    /** The AF_PACKET-specific counters, summed over the queues. */
    public AfPacketStats afPacketStats() {
        long kernelDrops = 0;
        long csumCompleted = 0;
        long csumUnfixed = 0;
        long outgoing = 0;
        long badBlocks = 0;
        for (int i = 0; i < rxqCount(); i++) {
            RxCounters c = afRxq(i).rxCounters();
            kernelDrops += c.get(RxCounters.KERNEL_DROPS);
            csumCompleted += c.get(RxCounters.CSUM_COMPLETED);
            csumUnfixed += c.get(RxCounters.CSUM_UNFIXED);
            outgoing += c.get(RxCounters.OUTGOING_SKIPPED);
            badBlocks += c.get(RxCounters.BAD_BLOCKS);
        }
        long txOversize = 0;
        for (int i = 0; i < txqCount(); i++) {
            txOversize += txq(i).counters().get(QueueCounters.OVERSIZE);
        }
        return new AfPacketStats(kernelDrops, csumCompleted, csumUnfixed, outgoing, badBlocks, txOversize, mtuChanges,
                reopens, reopenFailures, lastError);
    }

    /**
     * Polls the interface (control thread, every few hundred ms): link state, MTU, address, and
     * whether it was deleted or re-created; reopens the sockets when it comes back. Never throws:
     * a failure to reopen is counted, kept in {@link AfPacketStats#lastError()}, and retried at
     * the next call.
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
            onLinkDown();
            return;
        }
        if (info == null || !info.up()) {
            onLinkDown();
            return;
        }
        if (info.mtu() != mtu()) {
            mtu(info.mtu());
            mtuChanges++;
        }
        RingGeometry wantTx = options.txGeometry(info.mtu());
        if (wantTx.frameSizeBytes() > txGeometry.frameSizeBytes() && info.ifindex() == ifindex && !socketsStale) {
            reopenTx(wantTx);
        }
        macAddress(info.mac());
        if (flapped) {
            onLinkDown();
        }
        if (info.ifindex() != ifindex || socketsStale) {
            if (!reopen(info.ifindex())) {
                onLinkDown();
                return;
            }
        }
        carrier(true);
    }

    private void onLinkDown() {
        carrier(false);
        socketsStale = true;
    }

    /** New tx rings of {@code geometry} (larger slots for a larger MTU); the old ones stay on failure. */
    private void reopenTx(RingGeometry geometry) {
        TxRing[] tx = new TxRing[txqCount()];
        try {
            openRings(where, options, ifindex, new ReceiveRing[0], tx, geometry);
        } catch (NetdevException | RuntimeException e) {
            reopenFailures++;
            lastError = e.getMessage();
            return;
        }
        for (int i = 0; i < tx.length; i++) {
            afTxq(i).offer(tx[i]);
        }
        txGeometry = geometry;
        reopens++;
    }

    private boolean reopen(int newIfindex) {
        ReceiveRing[] rx = new ReceiveRing[rxqCount()];
        TxRing[] tx = new TxRing[txqCount()];
        RingGeometry geometry = options.txGeometry(mtu());
        try {
            openRings(where, options, newIfindex, rx, tx, geometry);
        } catch (NetdevException | RuntimeException e) {
            reopenFailures++;
            lastError = e.getMessage();
            return false;
        }
        for (int i = 0; i < rx.length; i++) {
            afRxq(i).offer(rx[i]);
        }
        for (int i = 0; i < tx.length; i++) {
            afTxq(i).offer(tx[i]);
        }
        ifindex = newIfindex;
        txGeometry = geometry;
        socketsStale = false;
        reopens++;
        return true;
    }

    /** Closes every socket and unmaps every ring. Runs after every PMD stopped using the port. */
    @Override
    protected void onClose() {
        for (int i = 0; i < rxqCount(); i++) {
            afRxq(i).closeRings();
        }
        for (int i = 0; i < txqCount(); i++) {
            afTxq(i).closeRings();
        }
        interfaces.close();
    }

    @Override
    public String toString() {
        return "afpacket port " + name() + " (" + options.ifname() + ", " + rxqCount() + " rxq, " + txqCount()
                + " txq)";
    }
}
