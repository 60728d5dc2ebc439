package dev.jvswitch.afpacket.rx;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.sys.PacketSockets;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One AF_PACKET receive socket with its mmapped ring, whichever way the ring hands frames over
 * ({@link RxRingMode}): what an rx queue polls.
 *
 * <p>This class holds what every ring reader shares: the socket and its mapping, the per-frame
 * work ({@link RxFrameCopier}: copy into an mbuf, VLAN tag restored, checksum completed, drops
 * tallied), the kernel's drop count ({@link KernelDrops}) read every
 * {@link #IDLE_POLLS_PER_STATS_READ} empty polls, and closing. A subclass writes only how frames
 * are found in its ring and given back ({@link #readFrames}): per-frame slots
 * ({@link Tpacket2RxRing}) or blocks ({@link Tpacket3RxRing}).
 *
 * <p><b>Thread-safety:</b> made by the control thread, then owned by one PMD at a time (handed over
 * through the rx queue's pending slot or the datapath's start handshake). {@link #close} is called
 * by the owner, or by the control thread once no PMD polls the queue. Every mutable field is the
 * owner's alone.
 */
public abstract sealed class ReceiveRing implements AutoCloseable permits Tpacket2RxRing, Tpacket3RxRing {
    /** Make a socket with no fanout group. */
    public static final int FANOUT_NONE = Integer.MIN_VALUE;
    /** Make a socket that creates a new hash fanout group. */
    public static final int FANOUT_NEW = -1;

    /**
     * Empty polls between two reads of the kernel's drop count. A ring also says when frames
     * were lost, but only on a frame or block the kernel hands over after the loss; when traffic
     * stops right after a burst nothing more is handed over, so an idle PMD checks now and then.
     */
    static final int IDLE_POLLS_PER_STATS_READ = 4096;

    final Where where;
    final int fd;
    private final long address;
    /** The mapped ring; subclasses read frames out of it. */
    final UnsafeBuffer ring;
    private final int fanoutGroup;
    private final KernelDrops kernelDrops = new KernelDrops();
    private final RxFrameCopier copier = new RxFrameCopier();

    private int idlePolls;
    private boolean closed;

    ReceiveRing(Where where, int fd, long address, int ringBytes, int fanoutGroup) {
        this.where = where;
        this.fd = fd;
        this.address = address;
        this.ring = new UnsafeBuffer(address, ringBytes);
        this.fanoutGroup = fanoutGroup;
    }

    /**
     * Opens a socket on {@code ifindex} with a receive ring of {@code mode}.
     *
     * @param geometry      block size and count (the ring's memory) in both modes
     * @param dataRoomBytes the largest frame an mbuf holds: a V2 slot is sized to take it
     * @param fanout        {@link #FANOUT_NONE}; or {@link #FANOUT_NEW} to create a hash fanout group; or
     *                      a group value another ring's {@link #fanoutGroup()} returned, to join it
     * @param promiscuous   put the interface in promiscuous mode while this socket is open
     */
    public static ReceiveRing open(RxRingMode mode, Where where, int ifindex, RingGeometry geometry,
            int dataRoomBytes, int fanout, boolean promiscuous) throws NetdevException {
        return mode == RxRingMode.V2
                ? Tpacket2RxRing.open(where, ifindex, geometry, dataRoomBytes, fanout, promiscuous)
                : Tpacket3RxRing.open(where, ifindex, geometry, fanout, promiscuous);
    }

    public abstract RxRingMode mode();

    /**
     * Copies up to {@link PacketBatch#MAX_SIZE} frames into {@code batch} with mbufs from
     * {@code cache}, restoring VLAN tags the kernel took off and completing checksums left to
     * offload. Frames dropped here (truncated, oversized, no mbuf) are consumed and counted.
     * Never blocks, makes no system call in steady state, allocates nothing.
     *
     * @param mtu the port's MTU: frames whose payload after the Ethernet header and up to two
     *            VLAN tags is longer are dropped as oversized
     * @return the number of frames added to {@code batch}
     */
    public final int readInto(PacketBatch batch, MbufCache cache, int mtu, QueueCounters counters,
            RxCounters rxCounters) {
        final RxFrameCopier copier = this.copier;
        copier.begin(batch, cache, mtu);
        readFrames(copier, counters, rxCounters);
        int received = copier.received;
        copier.end(counters, rxCounters);
        return received;
    }

    /**
     * Hands up to a batch of the frames the kernel has handed over to {@code copier}
     * ({@link RxFrameCopier#onFrame}), each once it is known to lie within its slot or block
     * ({@link RxFrameCopier#fits}), and gives the ring's memory back to the kernel as it goes.
     * Calls {@link #onIdlePoll} when it found nothing to read.
     */
    abstract void readFrames(RxFrameCopier copier, QueueCounters counters, RxCounters rxCounters);

    /** A poll that found the ring empty: reads the kernel's drop count every so many. */
    final void onIdlePoll(QueueCounters counters, RxCounters rxCounters) {
        if (++idlePolls == IDLE_POLLS_PER_STATS_READ) {
            collectKernelDrops(counters, rxCounters);
        }
    }

    /**
     * Adds the frames the kernel dropped since the last call ({@code PACKET_STATISTICS}, which
     * resets its count when read) to the rx drops. Owner only.
     */
    public final void collectKernelDrops(QueueCounters counters, RxCounters rxCounters) {
        idlePolls = 0;
        if (closed || fd < 0) {
            return;
        }
        kernelDrops.collect(fd, counters, rxCounters);
    }

    /** The fanout group this socket is in, as {@code getsockopt(PACKET_FANOUT)} gives it, or {@link #FANOUT_NONE}. */
    public final int fanoutGroup() {
        return fanoutGroup;
    }

    /** The socket's file descriptor (for tests and diagnostics); -1 for a ring over test memory. */
    public final int fd() {
        return fd;
    }

    /** Unmaps the ring and closes the socket. Idempotent; owner only. A ring over test memory leaves it alone. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            if (fd >= 0) {
                PacketSockets.unmapQuietly(address, ring.capacity());
                PacketSockets.closeQuietly(fd);
            }
        }
    }
}
