package dev.jvswitch.afpacket.tx;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.afpacket.sys.PacketSockets;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.afpacket.sys.Tpacket2Flyweight;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * One send-only AF_PACKET socket with a TPACKET_V2 transmit ring: the last stage of the
 * AF_PACKET tx path. {@link #offer} copies a frame into the next free slot; {@link #kick} asks
 * the kernel, with one non-blocking {@code send}, to send every slot filled since.
 *
 * <p>The socket is bound with protocol 0, so the kernel never queues received frames on it. It
 * sets {@code PACKET_LOSS} so that a frame the kernel rejects is skipped instead of stopping the
 * ring, and by default {@code PACKET_QDISC_BYPASS}, which hands frames straight to the driver as
 * DPDK would (no qdisc, no taps).
 *
 * <p><b>Send buffer.</b> The kernel charges every frame in flight to the socket's send buffer
 * until the device lets go of it; a veth holds it until the peer has consumed it. With the
 * default buffer (~200 KiB) a fast sender finds it full after a few hundred frames and the
 * kernel stops part-way through a kick, leaving the rest of the batch in the ring until the next
 * kick, a delay with no bound when traffic pauses. So the socket asks for a send buffer as large
 * as its ring ({@code SO_SNDBUFFORCE}, else {@code SO_SNDBUF} within {@code wmem_max}), and
 * {@link #kick} checks that the kernel took the last frame and kicks again (a bounded number of
 * times) if not.
 *
 * <p><b>Thread-safety:</b> made by the control thread, then owned by the one PMD that sends on
 * the tx queue (handed over through the queue's pending slot); {@link #close} by the owner, or
 * by the control thread once no PMD uses the queue.
 */
public final class TxRing implements AutoCloseable {
    private final Where where;
    private final int fd;
    private final long address;
    private final UnsafeBuffer ring;
    private final int blockSize;
    private final int frameSize;
    private final int framesPerBlock;
    private final int frameCount;
    private final int maxFrameBytes;

    /** Kicks after the first when the kernel left frames of the batch in the ring. */
    static final int KICK_RETRIES = 2;

    // Next slot to fill, and the offset of the last slot filled since the last kick (-1: none); owner only.
    private int head;
    private int lastFilled = -1;
    private boolean closed;

    private TxRing(Where where, int fd, long address, RingGeometry geometry) {
        this.where = where;
        this.fd = fd;
        this.address = address;
        this.ring = new UnsafeBuffer(address, geometry.ringBytes());
        this.blockSize = geometry.blockSizeBytes();
        this.frameSize = geometry.frameSizeBytes();
        this.framesPerBlock = geometry.framesPerBlock();
        this.frameCount = geometry.frameCount();
        this.maxFrameBytes = frameSize - Tpacket2Flyweight.DATA_OFFSET;
    }

    /** Opens a send-only socket bound to {@code ifindex} with a transmit ring of {@code geometry}. */
    public static TxRing open(Where where, int ifindex, RingGeometry geometry, boolean qdiscBypass)
            throws NetdevException {
        int fd = PacketSockets.open(where);
        long address = 0L;
        try {
            PacketSockets.setInt(fd, Native.SOL_PACKET, Native.PACKET_VERSION, Native.TPACKET_V2,
                    "PACKET_VERSION, TPACKET_V2", where);
            PacketSockets.setInt(fd, Native.SOL_PACKET, Native.PACKET_LOSS, 1, "PACKET_LOSS", where);
            if (qdiscBypass) {
                int err = PacketSockets.trySetInt(fd, Native.SOL_PACKET, Native.PACKET_QDISC_BYPASS, 1);
                if (err != 0 && err != Syscalls.ENOPROTOOPT) {
                    throw where.fail("setsockopt(PACKET_QDISC_BYPASS)", err);
                }
            }
            setSendBuffer(fd, geometry.ringBytes());
            PacketSockets.setRing(fd, Native.PACKET_TX_RING, false, geometry.blockSizeBytes(), geometry.blockCount(),
                    geometry.frameSizeBytes(), 0, where);
            address = PacketSockets.mmap(fd, geometry.ringBytes(), where);
            PacketSockets.bind(fd, ifindex, 0, where);
            return new TxRing(where, fd, address, geometry);
        } catch (NetdevException | RuntimeException e) {
            PacketSockets.unmapQuietly(address, geometry.ringBytes());
            PacketSockets.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Asks for a send buffer of {@code bytes}: forced past {@code wmem_max} where the process may
     * (CAP_NET_ADMIN), else as far as {@code wmem_max} allows. Best effort: a smaller buffer only
     * means more kicks that the kernel cuts short.
     */
    private static void setSendBuffer(int fd, int bytes) {
        if (PacketSockets.trySetInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDBUFFORCE, bytes) != 0) {
            PacketSockets.trySetInt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_SNDBUF, bytes);
        }
    }

    /** The largest frame a slot holds. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The socket's file descriptor (for tests and diagnostics). */
    public int fd() {
        return fd;
    }

    /**
     * Copies {@code m}'s bytes into the next slot and marks it for sending. The caller has checked
     * the length against {@link #maxFrameBytes()}.
     *
     * @return false, copying nothing, if the next slot is still the kernel's (ring full)
     */
    public boolean offer(Mbuf m) {
        int slot = head;
        int offset = (slot / framesPerBlock) * blockSize + (slot % framesPerBlock) * frameSize;
        if (Tpacket2Flyweight.statusAcquire(ring, offset) != Tpacket2Flyweight.TP_STATUS_AVAILABLE) {
            return false;
        }
        int length = m.length();
        ring.putBytes(offset + Tpacket2Flyweight.DATA_OFFSET, m.buffer(), m.dataOffset(), length);
        Tpacket2Flyweight.len(ring, offset, length);
        Tpacket2Flyweight.requestSend(ring, offset);
        head = slot + 1 == frameCount ? 0 : slot + 1;
        lastFilled = offset;
        return true;
    }

    /**
     * Asks the kernel to send every slot marked since the last kick; never blocks. The kernel
     * sends the marked slots in order within the call (and marks each one sending or done), so a
     * last slot still marked for sending afterwards means it stopped part-way, mostly for want of
     * send buffer, which the device frees as the peer consumes; the kick is repeated up to
     * {@link #KICK_RETRIES} times for the rest.
     *
     * @return 0, or the errno of a failed {@code send} ({@code EAGAIN}/{@code ENOBUFS} leave the
     *         frames queued for the next kick)
     */
    public int kick() {
        int err = kickOnce();
        for (int retry = 0; retry < KICK_RETRIES && isRetryable(err) && lastFilled >= 0
                && Tpacket2Flyweight.statusAcquire(ring, lastFilled) == Tpacket2Flyweight.TP_STATUS_SEND_REQUEST;
                retry++) {
            err = kickOnce();
        }
        lastFilled = -1;
        return err;
    }

    private int kickOnce() {
        long rc = LIBC.send(fd, 0L, 0L, Syscalls.MSG_DONTWAIT);
        return rc < 0 ? Syscalls.errno() : 0;
    }

    private static boolean isRetryable(int err) {
        return err == 0 || err == Syscalls.EAGAIN || err == Syscalls.ENOBUFS || err == Syscalls.EINTR;
    }

    /** Unmaps the ring and closes the socket. Idempotent; owner only. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            PacketSockets.unmapQuietly(address, ring.capacity());
            PacketSockets.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "TxRing[" + where.ifname() + ", fd " + fd + ", " + frameCount + " x " + frameSize + " B]";
    }
}
