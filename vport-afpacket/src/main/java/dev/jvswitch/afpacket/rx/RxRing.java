package dev.jvswitch.afpacket.rx;

import static dev.jvswitch.afpacket.sys.Native.LIBC;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.afpacket.sys.PacketSockets;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.afpacket.sys.Where;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One AF_PACKET socket with a TPACKET_V3 receive ring, and the reader's place in it: the first
 * stage of the AF_PACKET rx path. {@link #readInto} copies up to a batch of frames out of the
 * blocks the kernel has handed over into mbufs, restoring the VLAN tag the kernel took off and
 * completing checksums a local sender left to offload, and gives each block back the moment its
 * last frame is copied.
 *
 * <p>Reading costs no system call: the reader polls the status word of the block it is at. The
 * kernel closes a block when it is full or {@link #RETIRE_TIMEOUT_MS} after its first frame, so
 * light traffic waits at most that long. A system call is made only to collect the kernel's
 * drop count: when a block says frames were lost ({@code TP_STATUS_LOSING}), and once every
 * few thousand empty polls.
 *
 * <p>The ring must be polled all the time: with light traffic each block may hold only the few
 * frames of one retire period, so a reader that stops for {@code block-count} periods finds
 * the ring full and the kernel dropping.
 *
 * <p><b>Thread-safety:</b> made by the control thread, then owned by one PMD at a time (handed
 * over through the rx queue's pending slot or the datapath's start handshake). {@link #close}
 * is called by the owner, or by the control thread once no PMD polls the queue.
 */
public final class RxRing implements AutoCloseable {
    /** The kernel closes a partly filled block after this long. */
    public static final int RETIRE_TIMEOUT_MS = 1;
    /** Make a socket with no fanout group. */
    public static final int FANOUT_NONE = Integer.MIN_VALUE;
    /** Make a socket that creates a new hash fanout group. */
    public static final int FANOUT_NEW = -1;

    private static final ByteOrder NET = ByteOrder.BIG_ENDIAN;
    private static final int ETH_HEADER_BYTES = 14;
    private static final int MAC_ADDRESSES_BYTES = 12;
    private static final int VLAN_HEADER_BYTES = 4;
    private static final int ETH_TYPE_VLAN = 0x8100;
    private static final int ETH_TYPE_QINQ = 0x88a8;
    private static final int TPACKET_STATS_V3_BYTES = 12;
    /**
     * Empty polls between two reads of the kernel's drop count. Drops also show as
     * {@code TP_STATUS_LOSING} on the next block the kernel closes, but when traffic stops
     * right after a burst no block closes; an idle PMD checks now and then instead.
     */
    private static final int IDLE_POLLS_PER_STATS_READ = 4096;

    private final Where where;
    private final int fd;
    private final long address;
    private final int blockSize;
    private final int blockCount;
    private final UnsafeBuffer ring;
    private final int fanoutGroup;
    private final ByteBuffer statsScratch = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final long statsScratchAddress = new UnsafeBuffer(statsScratch).addressOffset();

    // The reader's cursor; owner thread only.
    private int block;
    private int blockOffset;
    private boolean blockOpen;
    private int packetsLeft;
    private int frameOffset;
    private int idlePolls;
    private boolean closed;

    private RxRing(Where where, int fd, long address, RingGeometry geometry, int fanoutGroup) {
        this.where = where;
        this.fd = fd;
        this.address = address;
        this.blockSize = geometry.blockSizeBytes();
        this.blockCount = geometry.blockCount();
        this.ring = new UnsafeBuffer(address, geometry.ringBytes());
        this.fanoutGroup = fanoutGroup;
    }

    /**
     * Opens a socket on {@code ifindex} with a receive ring of {@code geometry}.
     *
     * @param fanout     {@link #FANOUT_NONE}; or {@link #FANOUT_NEW} to create a hash fanout group; or a
     *                   group value another ring's {@link #fanoutGroup()} returned, to join it
     * @param promiscuous put the interface in promiscuous mode while this socket is open
     */
    public static RxRing open(Where where, int ifindex, RingGeometry geometry, int fanout, boolean promiscuous)
            throws NetdevException {
        int fd = PacketSockets.open(where);
        long address = 0L;
        try {
            PacketSockets.setInt(fd, Native.SOL_PACKET, Native.PACKET_VERSION, Native.TPACKET_V3,
                    "PACKET_VERSION, TPACKET_V3", where);
            // Frames this host sends out of the interface (our own tx, the host stack) are not
            // ingress traffic of the port. Kernels before 4.20 lack the option; readInto also
            // skips PACKET_OUTGOING frames for them.
            int err = PacketSockets.trySetInt(fd, Native.SOL_PACKET, Native.PACKET_IGNORE_OUTGOING, 1);
            if (err != 0 && err != Native.ENOPROTOOPT) {
                throw where.fail("setsockopt(PACKET_IGNORE_OUTGOING)", err);
            }
            PacketSockets.setRing(fd, Native.PACKET_RX_RING, true, geometry.blockSizeBytes(), geometry.blockCount(),
                    geometry.frameSizeBytes(), RETIRE_TIMEOUT_MS, where);
            address = PacketSockets.mmap(fd, geometry.ringBytes(), where);
            PacketSockets.bind(fd, ifindex, Native.ETH_P_ALL, where);
            int group = FANOUT_NONE;
            if (fanout == FANOUT_NEW) {
                group = PacketSockets.fanoutCreate(fd, Native.PACKET_FANOUT_FLAG_IGNORE_OUTGOING, where);
            } else if (fanout != FANOUT_NONE) {
                PacketSockets.fanoutJoin(fd, fanout, where);
                group = fanout;
            }
            if (promiscuous) {
                PacketSockets.addPromiscuous(fd, ifindex, where);
            }
            return new RxRing(where, fd, address, geometry, group);
        } catch (NetdevException | RuntimeException e) {
            PacketSockets.unmapQuietly(address, geometry.ringBytes());
            PacketSockets.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * A ring over memory the caller owns and fills, with no socket behind it: for tests that
     * write blocks by hand. {@link #close} leaves the memory alone.
     */
    static RxRing overMemory(long address, RingGeometry geometry) {
        return new RxRing(new Where("test", "memory"), -1, address, geometry, FANOUT_NONE);
    }

    /** The fanout group this socket is in, as {@code getsockopt(PACKET_FANOUT)} gives it, or {@link #FANOUT_NONE}. */
    public int fanoutGroup() {
        return fanoutGroup;
    }

    /** The socket's file descriptor (for tests and diagnostics). */
    public int fd() {
        return fd;
    }

    /**
     * Copies up to {@link PacketBatch#MAX_SIZE} frames into {@code batch} with mbufs from
     * {@code cache}. Frames dropped here (truncated, oversized, no mbuf) are consumed and counted.
     *
     * @param mtu the port's MTU: frames whose payload after the Ethernet header and up to two
     *            VLAN tags is longer are dropped as oversized
     * @return the number of frames added to {@code batch}
     */
    public int readInto(PacketBatch batch, MbufCache cache, int mtu, QueueCounters counters, RxCounters rxCounters) {
        final UnsafeBuffer ring = this.ring;
        final int dataRoom = cache.pool().config().dataRoomBytes();
        int received = 0;
        long bytes = 0;
        int truncated = 0;
        int oversize = 0;
        int noMbuf = 0;
        int outgoing = 0;
        int csumCompleted = 0;
        int csumUnfixed = 0;
        while (received < PacketBatch.MAX_SIZE) {
            if (packetsLeft == 0) {
                if (blockOpen) {
                    releaseBlock();
                }
                if (!openBlock(counters, rxCounters)) {
                    if (received == 0 && ++idlePolls == IDLE_POLLS_PER_STATS_READ) {
                        idlePolls = 0;
                        collectKernelDrops(counters, rxCounters);
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
            if (mac < Tpacket3Flyweight.MIN_MAC_OFFSET || snaplen < 0 || mac > frameRoom || snaplen > frameRoom - mac) {
                packetsLeft = 0;
                rxCounters.add(RxCounters.BAD_BLOCKS, 1);
                continue;
            }
            if (Tpacket3Flyweight.packetType(ring, frame) == Native.PACKET_OUTGOING) {
                outgoing++;
                continue;
            }
            if (snaplen < Tpacket3Flyweight.len(ring, frame)) {
                truncated++;
                continue;
            }
            final int status = Tpacket3Flyweight.status(ring, frame);
            final int data = frame + mac;
            final boolean restoreTag = (status & Tpacket3Flyweight.TP_STATUS_VLAN_VALID) != 0
                    && snaplen >= MAC_ADDRESSES_BYTES;
            final int length = restoreTag ? snaplen + VLAN_HEADER_BYTES : snaplen;
            int limit = mtu + ETH_HEADER_BYTES + (restoreTag ? VLAN_HEADER_BYTES : 0);
            if (snaplen >= ETH_HEADER_BYTES && isVlanType(ring.getShort(data + MAC_ADDRESSES_BYTES, NET) & 0xffff)) {
                limit += VLAN_HEADER_BYTES;
                if (!restoreTag && snaplen >= ETH_HEADER_BYTES + VLAN_HEADER_BYTES
                        && isVlanType(ring.getShort(data + MAC_ADDRESSES_BYTES + VLAN_HEADER_BYTES, NET) & 0xffff)) {
                    limit += VLAN_HEADER_BYTES;
                }
            }
            if (length > limit || length > dataRoom) {
                oversize++;
                continue;
            }
            final Mbuf m = cache.get();
            if (m == null) {
                noMbuf++;
                continue;
            }
            if (restoreTag) {
                copyWithTag(m, data, snaplen, status, frame);
            } else {
                m.copyFrom(ring.addressOffset() + data, snaplen);
            }
            if ((status & Tpacket3Flyweight.TP_STATUS_CSUMNOTREADY) != 0) {
                if (ChecksumCompleter.complete(m)) {
                    csumCompleted++;
                } else {
                    csumUnfixed++;
                }
            }
            batch.add(m);
            received++;
            bytes += length;
        }
        if (packetsLeft == 0 && blockOpen) {
            releaseBlock();
        }
        if (received > 0) {
            counters.add(QueueCounters.PACKETS, received);
            counters.add(QueueCounters.BYTES, bytes);
        }
        int dropped = truncated + oversize + noMbuf;
        if (dropped > 0) {
            counters.add(QueueCounters.DROPPED, dropped);
            counters.add(QueueCounters.TRUNCATED, truncated);
            counters.add(QueueCounters.OVERSIZE, oversize);
            counters.add(QueueCounters.NO_MBUF, noMbuf);
        }
        if ((outgoing | csumCompleted | csumUnfixed) != 0) {
            rxCounters.add(RxCounters.OUTGOING_SKIPPED, outgoing);
            rxCounters.add(RxCounters.CSUM_COMPLETED, csumCompleted);
            rxCounters.add(RxCounters.CSUM_UNFIXED, csumUnfixed);
        }
        return received;
    }

    private static boolean isVlanType(int ethType) {
        return ethType == ETH_TYPE_VLAN || ethType == ETH_TYPE_QINQ;
    }

    /** Copies a frame whose outer tag the kernel removed, putting the tag back after the MACs. */
    private void copyWithTag(Mbuf m, int data, int snaplen, int status, int frame) {
        int tpid = (status & Tpacket3Flyweight.TP_STATUS_VLAN_TPID_VALID) != 0
                ? Tpacket3Flyweight.vlanTpid(ring, frame) : ETH_TYPE_VLAN;
        m.setLength(snaplen + VLAN_HEADER_BYTES);
        UnsafeBuffer out = m.buffer();
        int o = m.dataOffset();
        out.putBytes(o, ring, data, MAC_ADDRESSES_BYTES);
        out.putShort(o + MAC_ADDRESSES_BYTES, (short) tpid, NET);
        out.putShort(o + MAC_ADDRESSES_BYTES + 2, (short) Tpacket3Flyweight.vlanTci(ring, frame), NET);
        out.putBytes(o + MAC_ADDRESSES_BYTES + VLAN_HEADER_BYTES, ring, data + MAC_ADDRESSES_BYTES,
                snaplen - MAC_ADDRESSES_BYTES);
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

    /**
     * Adds the frames the kernel dropped since the last call ({@code PACKET_STATISTICS}, which
     * resets its count when read) to the rx drops. Owner only.
     */
    public void collectKernelDrops(QueueCounters counters, RxCounters rxCounters) {
        if (closed || fd < 0) {
            return;
        }
        statsScratch.putInt(TPACKET_STATS_V3_BYTES, TPACKET_STATS_V3_BYTES);
        int rc = LIBC.getsockopt(fd, Native.SOL_PACKET, Native.PACKET_STATISTICS, statsScratchAddress,
                statsScratchAddress + TPACKET_STATS_V3_BYTES);
        Reference.reachabilityFence(statsScratch);
        if (rc == 0) {
            long drops = statsScratch.getInt(4) & 0xffffffffL; // tp_packets, tp_drops, tp_freeze_q_cnt
            if (drops > 0) {
                counters.add(QueueCounters.DROPPED, drops);
                rxCounters.add(RxCounters.KERNEL_DROPS, drops);
            }
        }
    }

    /** Unmaps the ring and closes the socket. Idempotent; owner only. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (fd >= 0) {
                PacketSockets.unmapQuietly(address, ring.capacity());
                PacketSockets.closeQuietly(fd);
            }
        }
    }

    @Override
    public String toString() {
        return "RxRing[" + where.ifname() + ", fd " + fd + ", " + blockCount + " x " + blockSize + " B]";
    }
}
