package dev.jvswitch.afpacket.rx;

import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.afpacket.sys.Where;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One AF_PACKET receive socket with its mmapped ring, whichever way the ring hands frames over
 * ({@link RxRingMode}): what an rx queue polls.
 *
 * <p><b>Thread-safety:</b> made by the control thread, then owned by one PMD at a time (handed over
 * through the rx queue's pending slot or the datapath's start handshake). {@link #close} is called
 * by the owner, or by the control thread once no PMD polls the queue.
 */
public interface ReceiveRing extends AutoCloseable {
    /** Make a socket with no fanout group. */
    int FANOUT_NONE = Integer.MIN_VALUE;
    /** Make a socket that creates a new hash fanout group. */
    int FANOUT_NEW = -1;

    /**
     * Opens a socket on {@code ifindex} with a receive ring of {@code mode}.
     *
     * @param geometry      block size and count (the ring's memory) in both modes
     * @param dataRoomBytes the largest frame an mbuf holds: a V2 slot is sized to take it
     * @param fanout        {@link #FANOUT_NONE}; or {@link #FANOUT_NEW} to create a hash fanout group; or
     *                      a group value another ring's {@link #fanoutGroup()} returned, to join it
     * @param promiscuous   put the interface in promiscuous mode while this socket is open
     */
    static ReceiveRing open(RxRingMode mode, Where where, int ifindex, RingGeometry geometry, int dataRoomBytes,
            int fanout, boolean promiscuous) throws NetdevException {
        return mode == RxRingMode.V2
                ? Tpacket2RxRing.open(where, ifindex, geometry, dataRoomBytes, fanout, promiscuous)
                : RxRing.open(where, ifindex, geometry, fanout, promiscuous);
    }

    RxRingMode mode();

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
    int readInto(PacketBatch batch, MbufCache cache, int mtu, QueueCounters counters, RxCounters rxCounters);

    /**
     * Adds the frames the kernel dropped since the last call ({@code PACKET_STATISTICS}, which
     * resets its count when read) to the rx drops. Owner only.
     */
    void collectKernelDrops(QueueCounters counters, RxCounters rxCounters);

    /** The fanout group this socket is in, as {@code getsockopt(PACKET_FANOUT)} gives it, or {@link #FANOUT_NONE}. */
    int fanoutGroup();

    /** The socket's file descriptor (for tests and diagnostics). */
    int fd();

    /** Unmaps the ring and closes the socket. Idempotent; owner only. */
    @Override
    void close();
}
