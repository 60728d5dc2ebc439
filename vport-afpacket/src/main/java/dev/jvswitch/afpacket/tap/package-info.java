/**
 * TAP ports (type {@code tap}): a Linux TAP device the switch creates and owns, the userspace
 * datapath's {@code internal} port (OVS's {@code netdev-linux} tap class). What the switch sends
 * to the port enters the host's network stack on that device; what the host sends out of the
 * device is received by the port. A bridge's own port ({@code br-int}, {@code br-phy}) is one,
 * so that the host can address the bridge.
 *
 * <p>It lives beside the AF_PACKET port because both reach the kernel's network devices through
 * the same libc binding and interface queries ({@code pmd.netdev.sys}); it has none of the
 * AF_PACKET machinery: one file descriptor, one frame per {@code read} or {@code write}.
 */
package dev.jvswitch.afpacket.tap;
