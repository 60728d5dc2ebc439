package dev.jvswitch.pmd.netdev.sys;

import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The one loaded libc binding of the socket-based port types, {@code errno}, and the Linux
 * constants of {@code <sys/socket.h>}, {@code <sys/mman.h>}, {@code <net/if.h>},
 * {@code <sys/ioctl.h>} and {@code <errno.h>} that {@link Interfaces} and every port type share.
 * Each port type keeps only its own family's constants in its own {@code Native}. Values are those
 * of Linux on x86-64 and arm64, which agree for all of them.
 */
public final class Syscalls {
    /** The libc binding; loading it fails with an {@link UnsatisfiedLinkError} off Linux. */
    public static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    // <sys/socket.h>
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    /** As SO_SNDBUF, past {@code net.core.wmem_max}; needs CAP_NET_ADMIN. */
    public static final int SO_SNDBUFFORCE = 32;
    public static final int MSG_DONTWAIT = 0x40;

    // <sys/mman.h>
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final long MAP_FAILED = -1L;

    // <sys/ioctl.h> / <linux/sockios.h>
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCSIFMTU = 0x8922;
    public static final long SIOCGIFHWADDR = 0x8927;
    public static final long SIOCETHTOOL = 0x8946;
    public static final int IFNAMSIZ = 16;
    /** {@code struct ifreq}: a 16-byte name and a 24-byte union. */
    public static final int IFREQ_BYTES = 40;
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;

    // <poll.h>, <sys/eventfd.h>
    public static final short POLLIN = 0x1;
    public static final int POLLFD_BYTES = 8;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    // <errno.h> values the ports and interface queries react to
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int ENETDOWN = 100;
    public static final int ENOBUFS = 105;

    private Syscalls() {
    }

    /** The {@code errno} saved by the last call of the calling thread. */
    public static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** errno's text and symbolic name, e.g. {@code "Operation not permitted (EPERM)"}. */
    public static String describe(int errno) {
        String text = LIBC.strerror(errno);
        Errno e = Errno.valueOf(errno);
        // Linux's name for 95; jnr-constants knows it by its alias ENOTSUP.
        String name = errno == EOPNOTSUPP ? "EOPNOTSUPP"
                : e == null || e.name().startsWith("__") ? "errno " + errno : e.name();
        return (text == null || text.isEmpty() ? "error" : text) + " (" + name + ")";
    }

    /** True for the errors that mean the device went away or down under a socket. */
    public static boolean isLinkError(int errno) {
        return errno == ENXIO || errno == ENETDOWN || errno == ENODEV;
    }
}
