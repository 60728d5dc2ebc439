package dev.jvswitch.pmd.netdev.sys;

import static dev.jvswitch.pmd.netdev.sys.Syscalls.LIBC;

import java.io.Closeable;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * Reads an interface's index, flags, MTU, Ethernet address and driver name, and sets its MTU:
 * {@code if_nametoindex} and the {@code SIOCGIF*}, {@code SIOCSIFMTU} and {@code SIOCETHTOOL}
 * ioctls on a datagram socket the port keeps for the purpose.
 *
 * <p><b>Thread-safety:</b> the owner (the port's control side) serialises calls; the ifreq
 * buffer is reused.
 */
public final class Interfaces implements Closeable {
    private static final int IFR_UNION_OFFSET = Syscalls.IFNAMSIZ;
    /** {@code ifr_hwaddr.sa_data}: after the 2-byte {@code sa_family}. */
    private static final int IFR_HWADDR_DATA_OFFSET = IFR_UNION_OFFSET + 2;
    /** {@code struct ethtool_drvinfo}: cmd, then driver[32], version[32], ...; 196 bytes. */
    private static final int DRVINFO_BYTES = 196;
    private static final int ETHTOOL_GDRVINFO = 3;
    private static final int DRIVER_NAME_BYTES = 32;

    /** What the port needs to know of an interface at one moment. */
    public record Info(int ifindex, int flags, int mtu, long mac) {
        /** Administratively up and with carrier: frames can flow. */
        public boolean up() {
            return (flags & Syscalls.IFF_UP) != 0 && (flags & Syscalls.IFF_RUNNING) != 0;
        }
    }

    private final Where where;
    private final byte[] name;
    private final ByteBuffer ifreq = Scratch.direct(Syscalls.IFREQ_BYTES);
    private final long ifreqAddress = Scratch.address(ifreq);
    private int fd;

    /** Opens the ioctl socket; fails on an interface name the kernel could never accept. */
    public Interfaces(Where where) throws NetdevException {
        this.where = where;
        this.name = checkName(where);
        this.fd = LIBC.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw where.fail("socket(AF_INET, SOCK_DGRAM)", Syscalls.errno());
        }
    }

    /** Checks that {@code where.ifname()} can name an interface (no system call); its bytes. */
    public static byte[] checkName(Where where) throws NetdevException {
        String ifname = where.ifname();
        byte[] bytes = ifname.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= Syscalls.IFNAMSIZ) {
            throw new NetdevException("port " + where.port() + ": option 'ifname' must be 1.." + (Syscalls.IFNAMSIZ - 1)
                    + " bytes, got '" + ifname + "'");
        }
        for (byte b : bytes) {
            if (b == '/' || b == ':' || b <= ' ') {
                throw new NetdevException("port " + where.port() + ": option 'ifname' is not a valid interface name: '"
                        + ifname + "'");
            }
        }
        return bytes;
    }

    /** The interface's current index, or 0 if no interface has the name. */
    public int index() {
        return LIBC.if_nametoindex(where.ifname());
    }

    /**
     * Index, flags, MTU and address now, or {@code null} if the interface does not exist (it may
     * vanish between two calls; that is reported as absent, not as an error).
     */
    public Info query() throws NetdevException {
        int ifindex = index();
        if (ifindex == 0) {
            return null;
        }
        if (!ioctl(Syscalls.SIOCGIFFLAGS, "SIOCGIFFLAGS")) {
            return null;
        }
        int flags = ifreq.getShort(IFR_UNION_OFFSET) & 0xffff;
        if (!ioctl(Syscalls.SIOCGIFMTU, "SIOCGIFMTU")) {
            return null;
        }
        int mtu = ifreq.getInt(IFR_UNION_OFFSET);
        if (!ioctl(Syscalls.SIOCGIFHWADDR, "SIOCGIFHWADDR")) {
            return null;
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (ifreq.get(IFR_HWADDR_DATA_OFFSET + i) & 0xffL);
        }
        return new Info(ifindex, flags, mtu, mac);
    }

    /** Fails with a message naming the interface when it does not exist. */
    public Info require() throws NetdevException {
        Info info = query();
        if (info == null) {
            throw where.problem("no such interface (if_nametoindex: " + Syscalls.describe(Syscalls.ENODEV) + ")");
        }
        return info;
    }

    /**
     * Sets the interface's MTU ({@code SIOCSIFMTU}, what {@code ip link set DEV mtu N} does).
     *
     * @throws NetdevException naming the port, the interface and errno's text: EINVAL when the
     *         device does not take that MTU, EPERM without CAP_NET_ADMIN, ENODEV when it is gone
     */
    public void setMtu(int mtu) throws NetdevException {
        prepare();
        ifreq.putInt(IFR_UNION_OFFSET, mtu);
        try {
            if (LIBC.ioctl(fd, Syscalls.SIOCSIFMTU, ifreqAddress) == 0) {
                return;
            }
        } finally {
            Reference.reachabilityFence(ifreq);
        }
        throw where.fail("ioctl(SIOCSIFMTU, " + mtu + ")", Syscalls.errno());
    }

    /** The name of the interface's driver ({@code ethtool -i}), or {@code "unknown"}; for messages. */
    public String driver() {
        ByteBuffer info = Scratch.direct(DRVINFO_BYTES);
        info.putInt(0, ETHTOOL_GDRVINFO);
        try {
            prepare();
            ifreq.putLong(IFR_UNION_OFFSET, Scratch.address(info));
            if (LIBC.ioctl(fd, Syscalls.SIOCETHTOOL, ifreqAddress) != 0) {
                return "unknown";
            }
            byte[] driver = new byte[DRIVER_NAME_BYTES];
            info.get(4, driver);
            int n = 0;
            while (n < driver.length && driver[n] != 0) {
                n++;
            }
            return n == 0 ? "unknown" : new String(driver, 0, n, StandardCharsets.US_ASCII);
        } finally {
            Reference.reachabilityFence(info);
            Reference.reachabilityFence(ifreq);
        }
    }

    private void prepare() {
        for (int i = 0; i < Syscalls.IFREQ_BYTES; i++) {
            ifreq.put(i, (byte) 0);
        }
        for (int i = 0; i < name.length; i++) {
            ifreq.put(i, name[i]);
        }
    }

    private boolean ioctl(long request, String requestName) throws NetdevException {
        prepare();
        try {
            if (LIBC.ioctl(fd, request, ifreqAddress) == 0) {
                return true;
            }
        } finally {
            Reference.reachabilityFence(ifreq);
        }
        int err = Syscalls.errno();
        if (err == Syscalls.ENODEV || err == Syscalls.ENXIO) {
            return false;
        }
        throw where.fail("ioctl(" + requestName + ")", err);
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LIBC.close(fd);
            fd = -1;
        }
    }
}
