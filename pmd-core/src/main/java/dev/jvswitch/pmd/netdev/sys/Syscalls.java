package dev.jvswitch.pmd.netdev.sys;

import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The one loaded libc binding of the socket-based port types, {@code errno}, and the Linux
 * constants of {@code <sys/socket.h>}, {@code <net/if.h>} and {@code <sys/ioctl.h>} that
 * {@link Interfaces} uses. Each port type keeps its own constants in its own {@code Native}, which
 * hands out this binding. Values are those of Linux on x86-64 and arm64, which agree for all of
 * them.
 */
public final class Syscalls {
    /** The libc binding; loading it fails with an {@link UnsatisfiedLinkError} off Linux. */
    public static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    // <sys/socket.h>
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;

    // <sys/ioctl.h> / <linux/sockios.h>
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCGIFHWADDR = 0x8927;
    public static final long SIOCETHTOOL = 0x8946;
    public static final int IFNAMSIZ = 16;
    /** {@code struct ifreq}: a 16-byte name and a 24-byte union. */
    public static final int IFREQ_BYTES = 40;
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;

    // <errno.h> values interface queries react to
    public static final int ENXIO = 6;
    public static final int ENODEV = 19;
    public static final int EOPNOTSUPP = 95;

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
}
