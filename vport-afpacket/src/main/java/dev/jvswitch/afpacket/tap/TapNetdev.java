package dev.jvswitch.afpacket.tap;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractRxq;
import dev.jvswitch.pmd.netdev.AbstractTxq;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Syscalls;
import dev.jvswitch.pmd.netdev.sys.Where;

/**
 * A TAP device the port creates ({@code TUNSETIFF}, not persistent: it goes away when the port
 * closes) and reads and writes one frame per call on a non-blocking descriptor, as OVS's
 * userspace datapath runs its internal ports. The device starts administratively down, as OVS
 * leaves a new bridge's port: the host brings it up ({@code ip link set br0 up}) and gives it
 * addresses. The link is up while the device is up; what is sent while it is down is dropped and
 * counted ({@code LINK_DOWN}).
 *
 * <p>One rx and one tx queue. A frame longer than the MTU allows (+14, +4 with an 802.1Q tag) or
 * than an mbuf holds is dropped ({@code OVERSIZE}); the kernel's checksums are complete (no
 * offloads are negotiated on the device).
 *
 * <p><b>Thread-safety:</b> the descriptor is fixed at open and closed by {@link #onClose} after
 * every PMD stopped polling. The rx queue is polled by one PMD, the tx queue used by one sender
 * at a time (the datapath locks it); each is the single writer of its counters. Carrier, MTU and
 * address are written by {@link #onRefresh} (control lock) and read anywhere (volatile, in the
 * base class).
 */
public final class TapNetdev extends AbstractNetdev {
    private static final int ETH_HEADER_BYTES = 14;
    private static final int VLAN_HEADER_BYTES = 4;
    private static final int IFR_FLAGS_OFFSET = Syscalls.IFNAMSIZ;

    private final int fd;
    private final Where where;
    private final Interfaces interfaces;
    private volatile int ifindex;

    private TapNetdev(String name, int fd, Where where, Interfaces interfaces, Interfaces.Info info) {
        super(name, TapProvider.TYPE, 1, 1, info.up());
        this.fd = fd;
        this.where = where;
        this.interfaces = interfaces;
        this.ifindex = info.ifindex();
        mtu(info.mtu());
        macAddress(info.mac());
        addRxq(new Rxq(this));
        addTxq(new Txq(this));
    }

    /** Creates (or attaches to) the TAP device and opens the port on it. */
    static TapNetdev open(NetdevConfig c) throws NetdevException {
        TapOptions o = TapOptions.parse(c);
        Where where = new Where(c.name(), o.ifname());
        int fd = TapSys.LIBC.open(TapSys.DEVICE, TapSys.O_RDWR | TapSys.O_NONBLOCK | TapSys.O_CLOEXEC);
        if (fd < 0) {
            throw where.fail("open(" + TapSys.DEVICE + ")", Syscalls.errno(), "is the tun module loaded?");
        }
        Interfaces interfaces = null;
        try {
            ByteBuffer ifreq = Scratch.direct(Syscalls.IFREQ_BYTES);
            byte[] name = o.ifname().getBytes(StandardCharsets.UTF_8);
            ifreq.put(0, name);
            ifreq.putShort(IFR_FLAGS_OFFSET, (short) (TapSys.IFF_TAP | TapSys.IFF_NO_PI));
            try {
                if (TapSys.LIBC.ioctl(fd, TapSys.TUNSETIFF, Scratch.address(ifreq)) != 0) {
                    throw where.fail("ioctl(TUNSETIFF)", Syscalls.errno(),
                            "a device of that name that is not a TAP, or one another process holds");
                }
            } finally {
                Reference.reachabilityFence(ifreq);
            }
            interfaces = new Interfaces(where);
            if (o.mac() >= 0) {
                setMac(where, o.mac());
            }
            TapNetdev n = new TapNetdev(c.name(), fd, where, interfaces, interfaces.require());
            return n;
        } catch (NetdevException | RuntimeException e) {
            if (interfaces != null) {
                interfaces.close();
            }
            TapSys.LIBC.close(fd);
            throw e;
        }
    }

    private static void setMac(Where where, long mac) throws NetdevException {
        int s = Syscalls.LIBC.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw where.fail("socket(AF_INET, SOCK_DGRAM)", Syscalls.errno());
        }
        ByteBuffer ifreq = Scratch.direct(Syscalls.IFREQ_BYTES);
        try {
            ifreq.put(0, where.ifname().getBytes(StandardCharsets.UTF_8));
            ifreq.putShort(IFR_FLAGS_OFFSET, (short) TapSys.ARPHRD_ETHER);
            for (int i = 0; i < 6; i++) {
                ifreq.put(IFR_FLAGS_OFFSET + 2 + i, (byte) (mac >>> (8 * (5 - i))));
            }
            if (Syscalls.LIBC.ioctl(s, TapSys.SIOCSIFHWADDR, Scratch.address(ifreq)) != 0) {
                throw where.fail("ioctl(SIOCSIFHWADDR)", Syscalls.errno());
            }
        } finally {
            Reference.reachabilityFence(ifreq);
            Syscalls.LIBC.close(s);
        }
    }

    /** The device's interface index (0 once it is gone). */
    public int ifindex() {
        return ifindex;
    }

    @Override
    protected void onRefresh() {
        Interfaces.Info info;
        try {
            info = interfaces.query();
        } catch (NetdevException e) {
            carrier(false);
            return;
        }
        if (info == null) {
            ifindex = 0;
            carrier(false);
            return;
        }
        ifindex = info.ifindex();
        mtu(info.mtu());
        macAddress(info.mac());
        carrier(info.up());
    }

    @Override
    protected void onClose() {
        interfaces.close();
        TapSys.LIBC.close(fd);
    }

    /** Reads frames until the device has none or the batch is full. */
    private static final class Rxq extends AbstractRxq {
        private final TapNetdev port;

        Rxq(TapNetdev port) {
            super(port, 0);
            this.port = port;
        }

        @Override
        public int recv(PacketBatch batch, MbufCache cache) {
            if (!port.isOpen()) {
                return 0;
            }
            int n = 0;
            long bytes = 0;
            while (!batch.isFull()) {
                Mbuf m = cache.get();
                if (m == null) {
                    counters.add(QueueCounters.DROPPED, 1);
                    counters.add(QueueCounters.NO_MBUF, 1);
                    break;
                }
                long got = TapSys.LIBC.read(port.fd, m.dataAddress(), m.dataRoom());
                if (got <= 0) {
                    cache.put(m);
                    if (got < 0 && Syscalls.errno() != TapSys.EAGAIN && Syscalls.errno() != TapSys.EINTR) {
                        counters.add(QueueCounters.ERRORS, 1);
                    }
                    break;
                }
                if (got > m.dataRoom()) {
                    cache.put(m);
                    counters.add(QueueCounters.DROPPED, 1);
                    counters.add(QueueCounters.TRUNCATED, 1);
                    continue;
                }
                m.setLength((int) got);
                batch.add(m);
                n++;
                bytes += got;
            }
            countReceived(n, bytes);
            return n;
        }

        /** The device's descriptor: readable when a frame the host sent waits. */
        @Override
        public int pollFd() {
            return port.isOpen() ? port.fd : NEVER_READY;
        }
    }

    /** Writes each frame; the kernel takes it or says why not. */
    private static final class Txq extends AbstractTxq {
        private final TapNetdev port;

        Txq(TapNetdev port) {
            super(port, 0);
            this.port = port;
        }

        @Override
        public int send(PacketBatch batch, MbufCache cache) {
            int n = batch.size();
            if (n == 0) {
                return 0;
            }
            if (!port.linkUp()) {
                return dropAll(batch, cache, QueueCounters.LINK_DOWN);
            }
            int maxLength = port.mtu() + ETH_HEADER_BYTES;
            int sent = 0;
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                Mbuf m = batch.get(i);
                int length = m.length();
                int limit = isDot1q(m) ? maxLength + VLAN_HEADER_BYTES : maxLength;
                if (length < ETH_HEADER_BYTES) {
                    counters.add(QueueCounters.DROPPED, 1);
                    counters.add(QueueCounters.ERRORS, 1);
                } else if (length > limit) {
                    counters.add(QueueCounters.DROPPED, 1);
                    counters.add(QueueCounters.OVERSIZE, 1);
                } else if (TapSys.LIBC.write(port.fd, m.dataAddress(), length) == length) {
                    sent++;
                    bytes += length;
                } else {
                    counters.add(QueueCounters.DROPPED, 1);
                    counters.add(QueueCounters.ERRORS, 1);
                }
            }
            cache.putAll(batch);
            countSent(sent, bytes);
            return sent;
        }

        private static boolean isDot1q(Mbuf m) {
            int type = m.buffer().getShort(m.dataOffset() + 12, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff;
            return type == 0x8100 || type == 0x88a8;
        }
    }
}
