/**
 * What the socket-based port types (AF_PACKET, AF_XDP) share of the system: one libc binding
 * through JNR-FFI ({@link dev.jvswitch.pmd.netdev.sys.LibC}, loaded in
 * {@link dev.jvswitch.pmd.netdev.sys.Syscalls} with {@code errno}), the interface queries
 * ({@link dev.jvswitch.pmd.netdev.sys.Interfaces}), native scratch buffers, and
 * {@link dev.jvswitch.pmd.netdev.sys.Where}, which turns a failed call into a one-line
 * {@link dev.jvswitch.pmd.netdev.NetdevException} naming port, interface, call and errno. It sits
 * below the vport modules because they share a floor and may not import each other; each keeps its
 * own constants and sockets.
 */
package dev.jvswitch.pmd.netdev.sys;
