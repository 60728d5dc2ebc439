package dev.jvswitch.vswitchd.capture;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

import dev.jvswitch.afpacket.sys.PacketSockets;
import dev.jvswitch.afpacket.tap.TapSys;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Syscalls;
import dev.jvswitch.pmd.netdev.sys.Where;

/**
 * A mirror's copies on a Linux interface, as {@code ovs-tcpdump}'s mirror port: {@code tcpdump -i
 * IFNAME} (or any packet tool) sees them there.
 *
 * <ul>
 *   <li>A TAP device (the name of none, or of a TAP no one holds): attached with
 *       {@code TUNSETIFF} (made if missing, and then gone again when the mirror stops), set up,
 *       and each copy written to it arrives on it as received.
 *   <li>Any other interface (a veth end, a dummy): each copy leaves by it through a send-only
 *       AF_PACKET socket; on a veth the peer receives it.
 * </ul>
 *
 * <p>Writes never wait ({@code O_NONBLOCK}, {@code MSG_DONTWAIT}): a copy the device has no room
 * for, or refuses (down, larger than its MTU), is dropped and counted; a device that went away
 * ends the mirror.
 *
 * <p><b>Thread-safety:</b> the mirror's writer thread alone uses it.
 */
final class DeviceOutput implements MirrorOutput {
    private static final int IFR_FLAGS_OFFSET = Syscalls.IFNAMSIZ;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final int EMSGSIZE = 90;

    private final int fd;
    private final boolean tap;
    private final String ifname;
    /** Copies of frames whose bytes are on the heap (the taps' rings are off-heap: none, in practice). */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(MirrorSpec.MAX_SNAPLEN);
    private final long scratchAddress = Scratch.address(scratch);

    private DeviceOutput(int fd, boolean tap, String ifname) {
        this.fd = fd;
        this.tap = tap;
        this.ifname = ifname;
    }

    static DeviceOutput open(MirrorSpec spec) throws IOException {
        Where where = new Where("mirror " + (spec.name() != null ? spec.name() : spec.port()), spec.iface());
        try {
            boolean exists = Syscalls.LIBC.if_nametoindex(spec.iface()) != 0;
            int tapFd = openTap(spec.iface(), exists, where);
            if (tapFd >= 0) {
                try {
                    setUp(spec.iface(), where);
                } catch (NetdevException e) {
                    TapSys.LIBC.close(tapFd);
                    throw e;
                }
                return new DeviceOutput(tapFd, true, spec.iface());
            }
            int ifindex = Syscalls.LIBC.if_nametoindex(spec.iface());
            if (ifindex == 0) {
                throw where.problem("no such interface");
            }
            int fd = PacketSockets.open(where);
            try {
                PacketSockets.bind(fd, ifindex, 0, where);
            } catch (NetdevException e) {
                Syscalls.LIBC.close(fd);
                throw e;
            }
            return new DeviceOutput(fd, false, spec.iface());
        } catch (NetdevException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The TAP's descriptor, or -1 when {@code ifname} is an interface of another kind. */
    private static int openTap(String ifname, boolean exists, Where where) throws NetdevException {
        int fd = TapSys.LIBC.open(TapSys.DEVICE, TapSys.O_RDWR | TapSys.O_NONBLOCK | TapSys.O_CLOEXEC);
        if (fd < 0) {
            if (exists) {
                return -1;
            }
            throw where.fail("open(" + TapSys.DEVICE + ")", Syscalls.errno(), "is the tun module loaded?");
        }
        ByteBuffer ifreq = ifreq(ifname);
        ifreq.putShort(IFR_FLAGS_OFFSET, (short) (TapSys.IFF_TAP | TapSys.IFF_NO_PI));
        try {
            if (TapSys.LIBC.ioctl(fd, TapSys.TUNSETIFF, Scratch.address(ifreq)) == 0) {
                return fd;
            }
            int err = Syscalls.errno();
            TapSys.LIBC.close(fd);
            // EINVAL: the interface exists and is not a TAP; send through it instead.
            if (exists && err == Syscalls.EINVAL) {
                return -1;
            }
            throw where.fail("ioctl(TUNSETIFF)", err, "a TAP another process holds?");
        } finally {
            Reference.reachabilityFence(ifreq);
        }
    }

    /** {@code ip link set IFNAME up}: a TAP refuses writes while down. */
    private static void setUp(String ifname, Where where) throws NetdevException {
        int s = Syscalls.LIBC.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw where.fail("socket(AF_INET, SOCK_DGRAM)", Syscalls.errno());
        }
        ByteBuffer ifreq = ifreq(ifname);
        try {
            if (Syscalls.LIBC.ioctl(s, Syscalls.SIOCGIFFLAGS, Scratch.address(ifreq)) != 0) {
                throw where.fail("ioctl(SIOCGIFFLAGS)", Syscalls.errno());
            }
            short flags = ifreq.getShort(IFR_FLAGS_OFFSET);
            ifreq.putShort(IFR_FLAGS_OFFSET, (short) (flags | Syscalls.IFF_UP));
            if (Syscalls.LIBC.ioctl(s, SIOCSIFFLAGS, Scratch.address(ifreq)) != 0) {
                throw where.fail("ioctl(SIOCSIFFLAGS, up)", Syscalls.errno());
            }
        } finally {
            Reference.reachabilityFence(ifreq);
            Syscalls.LIBC.close(s);
        }
    }

    private static ByteBuffer ifreq(String ifname) {
        ByteBuffer ifreq = Scratch.direct(Syscalls.IFREQ_BYTES);
        ifreq.put(0, ifname.getBytes(StandardCharsets.UTF_8));
        return ifreq;
    }

    @Override
    public long headerBytes() {
        return 0;
    }

    @Override
    public long cost(int captured) {
        return captured;
    }

    @Override
    public boolean write(DirectBuffer buffer, int offset, int captured, int length, long epochNs) throws IOException {
        long address;
        if (buffer.byteArray() == null) {
            address = buffer.addressOffset() + offset;
        } else {
            buffer.getBytes(offset, scratch, 0, captured);
            address = scratchAddress;
        }
        long n;
        try {
            n = tap ? TapSys.LIBC.write(fd, address, captured)
                    : Syscalls.LIBC.send(fd, address, captured, Syscalls.MSG_DONTWAIT);
        } finally {
            Reference.reachabilityFence(buffer);
            Reference.reachabilityFence(scratch);
        }
        if (n >= 0) {
            return true;
        }
        int err = Syscalls.errno();
        // No room now (EAGAIN, ENOBUFS), down (ENETDOWN; EIO from a TAP), over the MTU (EMSGSIZE):
        // this copy is dropped and counted. Anything else (the device went away) ends the mirror.
        if (err == Syscalls.EAGAIN || err == Syscalls.ENOBUFS || err == Syscalls.ENETDOWN || err == TapSys.EIO
                || err == EMSGSIZE || err == Syscalls.EINTR) {
            return false;
        }
        throw new IOException("interface " + ifname + ": " + (tap ? "write" : "send") + " failed: "
                + Syscalls.describe(err));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Syscalls.LIBC.close(fd);
    }
}
