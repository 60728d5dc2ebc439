package dev.jvswitch.pmd.netdev;

import dev.jvswitch.mempool.Mbuf;

/**
 * Header push and pop of a tunnel port, called by the action executor for {@code tnl_push} and
 * {@code tnl_pop} (OVS's {@code push_header}/{@code pop_header} of a tunnel netdev class).
 *
 * <p><b>Thread-safety:</b> called concurrently by every PMD; implementations keep no per-call
 * state outside the mbuf.
 */
public interface TunnelOps {
    /**
     * Prepends the encapsulation in {@code header[0..headerLength)} (a template built on the slow
     * path: outer Ethernet, IP, UDP, tunnel header) to {@code packet} and fixes the lengths,
     * checksums and UDP source port (from the packet's RSS hash) in it.
     *
     * @return false if the packet could not be encapsulated (no headroom); the caller drops it
     */
    boolean pushHeader(Mbuf packet, byte[] header, int headerLength);

    /**
     * Strips the outer headers of a received tunnel packet whose parsed headers the executor
     * has checked, moving the outer addresses, ports, TOS/TTL and tunnel id into the mbuf's
     * tunnel metadata.
     *
     * @return false if the packet is not a valid packet of this tunnel; the caller drops it
     */
    boolean popHeader(Mbuf packet);
}
