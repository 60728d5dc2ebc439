package dev.jvswitch.pmd.netdev.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls the socket-based port types (AF_PACKET, AF_XDP) need, bound through JNR-FFI, and
 * nothing more; one binding for both, as they share a floor and may not import each other.
 *
 * <p>Pointers are passed as {@code long} native addresses of memory the caller owns (a direct
 * buffer or an mmapped ring), so a call marshals nothing and allocates nothing: the transmit kick
 * ({@link #send}) and the statistics read ({@link #getsockopt}) run on PMD threads. Every call
 * saves {@code errno}, read back with {@link Syscalls#errno()} on the same thread.
 *
 * <p>JNR-FFI 2.2 passes garbage when a function has six arguments that are all numbers, so
 * {@link #mmap} takes its hint address as a {@link Pointer} (always {@code null}), the kicks use
 * {@code send} and {@code recv} rather than the six-argument {@code sendto} and {@code recvfrom},
 * and {@code bpf(2)} goes through the four-argument {@link #syscall}.
 *
 * <p><b>Thread-safety:</b> the functions are thread-safe as libc documents them; the binding is
 * stateless.
 */
@SaveError
public interface LibC {
    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int optname, long optval, int optlen);

    /** {@code optlen} is the address of a {@code socklen_t} holding the buffer size. */
    int getsockopt(int fd, int level, int optname, long optval, long optlen);

    int bind(int fd, long addr, int addrlen);

    /** {@code addr} is always {@code null} (see above for why it is a Pointer). */
    long mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);

    int munmap(long addr, @size_t long length);

    @ssize_t
    long send(int fd, long buf, @size_t long len, int flags);

    @ssize_t
    long recv(int fd, long buf, @size_t long len, int flags);

    int close(int fd);

    /** {@code fds} is the address of {@code nfds} {@code struct pollfd}s (8 bytes each). */
    int poll(long fds, long nfds, int timeoutMs);

    /** {@code eventfd(initval, flags)}: a counter another thread can wake a poller with. */
    int eventfd(int initval, int flags);

    @ssize_t
    long read(int fd, long buf, @size_t long count);

    @ssize_t
    long write(int fd, long buf, @size_t long count);

    /** Returns 0 when no interface has that name. */
    int if_nametoindex(String ifname);

    /** {@code ioctl(fd, request, argp)} with one pointer argument (SIOCGIF*, SIOCETHTOOL). */
    int ioctl(int fd, long request, long argp);

    /** {@code syscall(number, cmd, attr, size)}: how {@code bpf(2)} is called (libc has no wrapper). */
    long syscall(long number, int cmd, long attr, int size);

    String strerror(int errnum);
}
