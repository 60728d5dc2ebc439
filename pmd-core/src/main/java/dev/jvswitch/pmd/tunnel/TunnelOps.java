package dev.jvswitch.pmd.tunnel;

import dev.jvswitch.mempool.Mbuf;

/**
 * The datapath half of a tunnel port (OVS's {@code build_header}, {@code push_header} and
 * {@code pop_header} of a tunnel netdev class): the slow path asks it for a header template once
 * per megaflow; the action executor calls push and pop for every packet of {@code tnl_push} and
 * {@code tnl_pop}. Which packets go where (routes, neighbours, which port a received packet
 * belongs to) is the OpenFlow side's business, shared by every tunnel type.
 *
 * <p><b>Thread-safety:</b> called concurrently by every PMD and by the slow path;
 * implementations keep no per-call state outside the mbuf and the caller's array. Push and pop
 * allocate nothing.
 */
public interface TunnelOps {
    /** Pop result: the packet was decapsulated. */
    int POP_OK = 0;
    /** Pop result: outer headers short, truncated, with options, or lengths that disagree. */
    int POP_MALFORMED = 1;
    /** Pop result: a non-zero outer UDP checksum that is wrong. */
    int POP_BAD_CHECKSUM = 2;
    /** Pop result: the tunnel's own header is not valid (e.g. VXLAN flags). */
    int POP_BAD_HEADER = 3;

    /** OVS's vport type number printed in {@code header(type=N,...)}, e.g. 4 for VXLAN. */
    int tnlType();

    /** The port's options. */
    TunnelConfig config();

    /**
     * Bytes of the header template over an IPv4 or IPv6 underlay (50 and 70 for VXLAN), or the
     * most a template of this type can take (Geneve, with options): the room
     * {@link #buildHeader} needs.
     */
    int headerLength(boolean ipv6);

    /**
     * Writes the header template for {@code params} into {@code out} (slow path) in the
     * canonical form {@code tnl_push} keeps: lengths, IPv4 id and UDP source port 0, IPv4
     * checksum over that, UDP checksum 0xffff when the checksum is to be computed, else 0.
     *
     * @return the header's length
     */
    int buildHeader(TunnelHeaderParams params, byte[] out);

    /**
     * Prepends {@code header[0..headerLength)} (a template from {@link #buildHeader}) and fixes
     * the per-packet fields: IP lengths, the IPv4 id ({@code ipId}) and checksum, the UDP length,
     * the UDP source port from the packet's RSS hash (so that the underlay's ECMP sees the inner
     * flows), and the UDP checksum when the template asks for one.
     *
     * @return false, changing nothing, if the headroom is too small
     */
    boolean pushHeader(Mbuf packet, byte[] header, int headerLength, int ipId);

    /**
     * Strips the outer headers of a received tunnel packet (the parser's header offsets point at
     * them) into the mbuf's tunnel metadata: outer addresses, TOS, TTL, UDP ports, the key and
     * flags. The caller then recirculates it with in_port the tunnel port.
     *
     * @return {@link #POP_OK}, or why the packet is not a valid packet of this tunnel (the caller
     *         drops it and counts that reason); on failure the packet is left as it was
     */
    int popHeader(Mbuf packet);
}
