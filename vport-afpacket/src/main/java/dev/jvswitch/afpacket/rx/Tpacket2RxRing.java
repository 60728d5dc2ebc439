package dev.jvswitch.afpacket.rx;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.afpacket.sys.Tpacket2Flyweight;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One AF_PACKET socket with a TPACKET_V2 receive ring ({@code rx-ring: v2}, the default), and
 * the reader's place in it: per-frame slots, each with its own status word, so a frame is
 * readable the moment the kernel has written it and a lone frame waits for nothing but the PMD's
 * next poll (a TPACKET_V3 block waits for its retire timer, see {@link Tpacket3RxRing}). This is how
 * DPDK's {@code net_af_packet} reads.
 *
 * <p>{@link #readInto} walks the slots from where it stopped, copies up to a batch of frames into
 * mbufs ({@link RxFrameCopier}: VLAN tags restored, checksums completed) and hands each slot back
 * as soon as it is copied, so the kernel can refill the ring behind the reader. It looks at no
 * more than {@link #MAX_SLOTS_PER_READ} slots per call, so a flood of frames that are all dropped
 * (no mbufs, oversized) cannot keep a PMD in one call. No system call in steady state: the kernel's
 * drop count is read once every few thousand empty polls, and after a slot said frames were lost
 * ({@code TP_STATUS_LOSING}) at the next empty poll or after {@link #LOSING_BATCHES_PER_STATS_READ}
 * batches, whichever comes first. (The kernel marks every frame it stores while its drop count
 * is not zero, so reading the count at each marked slot would cost a system call per frame
 * exactly when the ring overflows, and make the overflow worse.)
 *
 * <p><b>Slot size.</b> The kernel puts an Ethernet frame 66 bytes into its slot; frames longer
 * than the rest are truncated (dropped and counted). Frames longer than an mbuf's data room are
 * dropped anyway, so a slot holds exactly that much (rounded up to 16 bytes), capped at the block
 * size; {@code block-size} × {@code block-count} is the ring's memory, as in V3.
 *
 * <p><b>Thread-safety:</b> as {@link ReceiveRing}: the cursor and the scratch array are the
 * owning PMD's alone.
 */
public final class Tpacket2RxRing extends ReceiveRing {
    /** Slots one {@link #readInto} looks at, at most. */
    static final int MAX_SLOTS_PER_READ = 4 * PacketBatch.MAX_SIZE;
    /** Batches read, after frames were reported lost, before the drop count is read even under load. */
    static final int LOSING_BATCHES_PER_STATS_READ = 1024;

    private final int blockSize;
    private final int slotSize;
    private final int slotsPerBlock;
    private final int blockCount;
    private final int slotCount;
    /** Offsets of the slots found ready in one pass; owner only. */
    private final int[] ready = new int[PacketBatch.MAX_SIZE];
    /** Keeps the touching loads of {@link #readFrames} from being optimised away; never read. */
    @SuppressWarnings("unused")
    private int prefetchSink;

    // The reader's cursor; owner thread only.
    private int block;
    private int slotInBlock;
    private int slotOffset;
    /** Batches read since a slot said frames were lost and the count was not read yet; 0: none lost. */
    private int losingBatches;

    private Tpacket2RxRing(Where where, int fd, long address, RingGeometry geometry, int slotSize, int fanoutGroup) {
        super(where, fd, address, geometry.ringBytes(), fanoutGroup);
        this.blockSize = geometry.blockSizeBytes();
        this.slotSize = slotSize;
        this.slotsPerBlock = blockSize / slotSize;
        this.blockCount = geometry.blockCount();
        this.slotCount = slotsPerBlock * blockCount;
    }

    /** The slot size for frames of up to {@code dataRoomBytes} in blocks of {@code blockSizeBytes}. */
    public static int slotSize(int dataRoomBytes, int blockSizeBytes) {
        int wanted = (dataRoomBytes + Tpacket2Flyweight.SLOT_OVERHEAD + 15) & ~15;
        return Math.min(wanted, blockSizeBytes);
    }

    /** Opens a socket on {@code ifindex} with a V2 receive ring; see {@link ReceiveRing#open}. */
    public static Tpacket2RxRing open(Where where, int ifindex, RingGeometry geometry, int dataRoomBytes, int fanout,
            boolean promiscuous) throws NetdevException {
        int slotSize = slotSize(dataRoomBytes, geometry.blockSizeBytes());
        RxSocket socket = RxSocket.open(where, ifindex, new RxSocket.Ring(Native.TPACKET_V2, geometry.blockSizeBytes(),
                geometry.blockCount(), slotSize, 0), fanout, promiscuous);
        return new Tpacket2RxRing(where, socket.fd(), socket.address(), geometry, slotSize, socket.fanoutGroup());
    }

    /**
     * A ring over memory the caller owns and fills, with no socket behind it: for tests that
     * write slots by hand. {@link #close} leaves the memory alone.
     */
    static Tpacket2RxRing overMemory(long address, RingGeometry geometry, int slotSize) {
        return new Tpacket2RxRing(new Where("test", "memory"), -1, address, geometry, slotSize, FANOUT_NONE);
    }

    @Override
    public RxRingMode mode() {
        return RxRingMode.V2;
    }

    /** Bytes per slot. */
    public int slotSize() {
        return slotSize;
    }

    /** Slots in the ring. */
    public int slotCount() {
        return slotCount;
    }

    @Override
    void readFrames(RxFrameCopier copier, QueueCounters counters, RxCounters rxCounters) {
        final UnsafeBuffer ring = this.ring;
        final int room = slotSize;
        final int[] ready = this.ready;
        int visited = 0;
        while (copier.received < PacketBatch.MAX_SIZE && visited < MAX_SLOTS_PER_READ) {
            // Find the run of slots the kernel has handed over, touching each one's header and
            // first frame line: the loads are independent, so their cache misses (the kernel wrote
            // the slots on another CPU) overlap instead of stalling the copy of every frame.
            int n = 0;
            int touched = 0;
            // Never more slots than the ring has: a slot is released only after the pass.
            int want = Math.min(Math.min(PacketBatch.MAX_SIZE - copier.received, MAX_SLOTS_PER_READ - visited),
                    slotCount);
            while (n < want) {
                final int at = slotOffset;
                final int status = Tpacket2Flyweight.statusAcquire(ring, at);
                if ((status & Tpacket2Flyweight.TP_STATUS_USER) == 0) {
                    break;
                }
                if ((status & Tpacket2Flyweight.TP_STATUS_LOSING) != 0 && losingBatches == 0) {
                    losingBatches = 1;
                }
                touched += ring.getByte(at + Tpacket2Flyweight.ETHERNET_MAC_OFFSET);
                ready[n++] = at;
                advance();
            }
            if (n == 0) {
                break;
            }
            prefetchSink += touched;
            visited += n;
            for (int k = 0; k < n; k++) {
                final int at = ready[k];
                final int mac = Tpacket2Flyweight.mac(ring, at);
                final int snaplen = Tpacket2Flyweight.snaplen(ring, at);
                if (RxFrameCopier.fits(mac, snaplen, Tpacket2Flyweight.MIN_MAC_OFFSET, room)) {
                    copier.onFrame(ring, at + mac, snaplen, Tpacket2Flyweight.len(ring, at),
                            Tpacket2Flyweight.status(ring, at), Tpacket2Flyweight.packetType(ring, at),
                            Tpacket2Flyweight.vlanTci(ring, at), Tpacket2Flyweight.vlanTpid(ring, at));
                } else {
                    rxCounters.add(RxCounters.BAD_BLOCKS, 1);
                }
                Tpacket2Flyweight.releaseToKernel(ring, at);
            }
        }
        if (losingBatches > 0 && (visited == 0 || ++losingBatches > LOSING_BATCHES_PER_STATS_READ)) {
            losingBatches = 0;
            collectKernelDrops(counters, rxCounters);
        } else if (visited == 0) {
            onIdlePoll(counters, rxCounters);
        }
    }

    /** To the next slot: slots do not span blocks, and a block's tail that no slot fits stays unused. */
    private void advance() {
        if (++slotInBlock < slotsPerBlock) {
            slotOffset += slotSize;
            return;
        }
        slotInBlock = 0;
        block = block + 1 == blockCount ? 0 : block + 1;
        slotOffset = block * blockSize;
    }

    @Override
    public String toString() {
        return "Tpacket2RxRing[" + where.ifname() + ", fd " + fd + ", " + slotCount + " x " + slotSize + " B]";
    }
}
