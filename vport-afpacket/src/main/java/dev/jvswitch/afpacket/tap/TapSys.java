package dev.jvswitch.afpacket.tap;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls a TAP port makes beyond the shared socket binding ({@code open}, {@code read},
 * {@code write} on the TUN/TAP character device), and the constants of {@code <linux/if_tun.h>}
 * and {@code <fcntl.h>} it uses (the same on x86-64 and arm64).
 *
 * <p>Buffers are passed as native addresses (an mbuf's data), so a call allocates nothing: the
 * reads and writes run on PMD threads. Every call saves {@code errno}, read back with
 * {@code Syscalls.errno()} on the same thread.
 *
 * <p><b>Thread-safety:</b> stateless; the calls are as thread-safe as libc documents them.
 */
@SaveError
public interface TapSys {
    /** The binding; loading it fails off Linux. */
    TapSys LIBC = LibraryLoader.create(TapSys.class).load("c");

    String DEVICE = "/dev/net/tun";
    int O_RDWR = 2;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;
    long TUNSETIFF = 0x400454caL;
    short IFF_TAP = 0x0002;
    short IFF_NO_PI = 0x1000;
    long SIOCSIFHWADDR = 0x8924;
    int ARPHRD_ETHER = 1;
    int EAGAIN = 11;
    int EINTR = 4;
    int EIO = 5;

    int open(String path, int flags);

    @ssize_t
    long read(int fd, long buf, @size_t long count);

    @ssize_t
    long write(int fd, long buf, @size_t long count);

    int ioctl(int fd, long request, long argp);

    int close(int fd);
}
