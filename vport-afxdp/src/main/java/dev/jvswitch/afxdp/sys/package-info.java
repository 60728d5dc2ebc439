/**
 * The system calls an AF_XDP port needs, bound with JNR-FFI (the libc binding, the interface
 * queries and the failure messages are shared with AF_PACKET in {@code dev.jvswitch.pmd.netdev.sys}):
 * XDP sockets, {@code bpf(2)} ({@link dev.jvswitch.afxdp.sys.Bpf}) and the Linux constants, with
 * failures turned into one-line {@link dev.jvswitch.pmd.netdev.NetdevException}s naming port,
 * interface, call and errno.
 */
package dev.jvswitch.afxdp.sys;
