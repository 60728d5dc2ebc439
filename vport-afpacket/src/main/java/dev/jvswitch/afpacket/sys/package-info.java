/**
 * The system calls an AF_PACKET port needs, bound with JNR-FFI ({@link dev.jvswitch.afpacket.sys.LibC}),
 * with the Linux constants and the setup helpers that turn failures into one-line
 * {@link dev.jvswitch.pmd.netdev.NetdevException}s naming port, interface, call and errno.
 */
package dev.jvswitch.afpacket.sys;
