package dev.jvswitch.afpacket.rx;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One AF_PACKET socket with a TPACKET_V3 receive ring ({@code rx-ring: v3}), and the reader's
 * place in it. {@link #readInto} copies up to a batch of frames out of the blocks the kernel has
 * handed over into mbufs ({@link RxFrameCopier}: VLAN tags restored, checksums completed), and
 * gives each block back the moment its last frame is copied.
 *
 * <p>Reading costs no system call: the reader polls the status word of the block it is at. The
 * kernel closes a block when it is full or {@link #RETIRE_TIMEOUT_MS} after it opened (kernels
 * that run that timer on jiffies round it up to a tick, 4 ms at {@code HZ=250}), so a lone frame
 * waits for the timer, which is why the default ring is {@link Tpacket2RxRing}. A system call is
 * made only to collect the kernel's drop count: when a block says frames were lost
 * ({@code TP_STATUS_LOSING}), and once every few thousand empty polls.
 *
 * <p>The ring must be polled all the time: with light traffic each block may hold only the few
 * frames of one retire period, so a reader that stops for {@code block-count} periods finds
 * the ring full and the kernel dropping.
 *
 * <p><b>Thread-safety:</b> as {@link ReceiveRing}: the cursor is the owning PMD's alone.
 */
public final class Tpacket3RxRing extends ReceiveRing {
    /** The kernel closes a partly filled block after this long (rounded up to its tick). */
    public static final int RETIRE_TIMEOUT_MS = 1;

    private final int blockSize;
    private final int blockCount;

    // The reader's cursor; owner thread only.
    private int block;
    private int blockOffset;
    private boolean blockOpen;
    private int packetsLeft;
    private int frameOffset;

    private Tpacket3RxRing(Where where, int fd, long address, RingGeometry geometry, int fanoutGroup) {
        super(where, fd, address, geometry.ringBytes(), fanoutGroup);
        this.blockSize = geometry.blockSizeBytes();
        this.blockCount = geometry.blockCount();
    }

    /** Opens a socket on {@code ifindex} with a V3 receive ring; see {@link ReceiveRing#open}. */
    public static Tpacket3RxRing open(Where where, int ifindex, RingGeometry geometry, int fanout, boolean promiscuous)
            throws NetdevException {
        RxSocket socket = RxSocket.open(where, ifindex, new RxSocket.Ring(Native.TPACKET_V3, geometry.blockSizeBytes(),
                geometry.blockCount(), geometry.frameSizeBytes(), RETIRE_TIMEOUT_MS), fanout, promiscuous);
        return new Tpacket3RxRing(where, socket.fd(), socket.address(), geometry, socket.fanoutGroup());
    }

    /**
     * A ring over memory the caller owns and fills, with no socket behind it: for tests that
     * write blocks by hand. {@link #close} leaves the memory alone.
     */
    static Tpacket3RxRing overMemory(long address, RingGeometry geometry) {
        return new Tpacket3RxRing(new Where("test", "memory"), -1, address, geometry, FANOUT_NONE);
    }

    @Override
    public RxRingMode mode() {
        return RxRingMode.V3;
    }

    @Override
    void readFrames(RxFrameCopier copier, QueueCounters counters, RxCounters rxCounters) {
        final UnsafeBuffer ring = this.ring;
        while (copier.received < PacketBatch.MAX_SIZE) {
            if (packetsLeft == 0) {
                if (blockOpen) {
                    releaseBlock();
                }
                if (!openBlock(counters, rxCounters)) {
                    if (copier.received == 0) {
                        onIdlePoll(counters, rxCounters);
                    }
                    break;
                }
                continue;
            }
            final int frame = frameOffset;
            final int frameRoom = blockOffset + blockSize - frame;
            final int next = Tpacket3Flyweight.nextOffset(ring, frame);
            final int mac = Tpacket3Flyweight.mac(ring, frame);
            final int snaplen = Tpacket3Flyweight.snaplen(ring, frame);
            if (--packetsLeft > 0) {
                if (next < Tpacket3Flyweight.HEADER_LENGTH || next >= frameRoom) {
                    packetsLeft = 0;
                    rxCounters.add(RxCounters.BAD_BLOCKS, 1);
                }
                frameOffset = frame + next;
            }
            if (!RxFrameCopier.fits(mac, snaplen, Tpacket3Flyweight.MIN_MAC_OFFSET, frameRoom)) {
                packetsLeft = 0;
                rxCounters.add(RxCounters.BAD_BLOCKS, 1);
                continue;
            }
            copier.onFrame(ring, frame + mac, snaplen, Tpacket3Flyweight.len(ring, frame),
                    Tpacket3Flyweight.status(ring, frame), Tpacket3Flyweight.packetType(ring, frame),
                    Tpacket3Flyweight.vlanTci(ring, frame), Tpacket3Flyweight.vlanTpid(ring, frame));
        }
        if (packetsLeft == 0 && blockOpen) {
            releaseBlock();
        }
    }

    /** Moves to the current block if the kernel has handed it over. */
    private boolean openBlock(QueueCounters counters, RxCounters rxCounters) {
        int offset = block * blockSize;
        int status = TpacketBlockFlyweight.blockStatusAcquire(ring, offset);
        if ((status & TpacketBlockFlyweight.TP_STATUS_USER) == 0) {
            return false;
        }
        if ((status & TpacketBlockFlyweight.TP_STATUS_LOSING) != 0) {
            collectKernelDrops(counters, rxCounters);
        }
        blockOffset = offset;
        blockOpen = true;
        int first = TpacketBlockFlyweight.offsetToFirstPacket(ring, offset);
        int count = TpacketBlockFlyweight.numPackets(ring, offset);
        if (first < TpacketBlockFlyweight.HEADER_LENGTH || first >= blockSize || count < 0) {
            rxCounters.add(RxCounters.BAD_BLOCKS, 1);
            count = 0;
        }
        packetsLeft = count;
        frameOffset = offset + first;
        return true;
    }

    private void releaseBlock() {
        TpacketBlockFlyweight.releaseToKernel(ring, blockOffset);
        blockOpen = false;
        block = block + 1 == blockCount ? 0 : block + 1;
    }

    @Override
    public String toString() {
        return "Tpacket3RxRing[" + where.ifname() + ", fd " + fd + ", " + blockCount + " x " + blockSize + " B]";
    }
}
