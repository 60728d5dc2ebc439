/**
 * The system calls an AF_PACKET port needs, bound with JNR-FFI (the libc binding, the interface
 * queries and the failure messages are shared with AF_XDP in {@code dev.jvswitch.pmd.netdev.sys}),
 * with the Linux constants and the setup helpers that turn failures into one-line
 * {@link dev.jvswitch.pmd.netdev.NetdevException}s naming port, interface, call and errno; and the
 * kernel's ring layouts that both the rx and the tx stage use (ring sizes, the TPACKET_V2 slot).
 */
package dev.jvswitch.afpacket.sys;
