/**
 * The system calls an AF_XDP port needs, bound with JNR-FFI ({@link dev.jvswitch.afxdp.sys.LibC}):
 * XDP sockets, {@code bpf(2)} ({@link dev.jvswitch.afxdp.sys.Bpf}), the interface queries, and the
 * Linux constants, with failures turned into one-line
 * {@link dev.jvswitch.pmd.netdev.NetdevException}s naming port, interface, call and errno.
 */
package dev.jvswitch.afxdp.sys;
