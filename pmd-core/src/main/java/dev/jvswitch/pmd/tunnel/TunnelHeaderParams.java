package dev.jvswitch.pmd.tunnel;

import java.util.Objects;

/**
 * What the slow path decided about one tunnel flow's outer header (OVS's
 * {@code netdev_tnl_build_header_params}): the underlay's MAC addresses from the route and the
 * neighbour cache, the endpoints, and the flow's tunnel metadata as the port's options left it.
 * {@link TunnelOps#buildHeader} turns it into the header template a {@code tnl_push} carries.
 *
 * @param ethDst  next hop's MAC (48 bits in the low bits)
 * @param ethSrc  the underlay bridge's MAC
 * @param src     local endpoint; same family as {@code dst}
 * @param dst     remote endpoint
 * @param tos     outer TOS / traffic class (DSCP and ECN)
 * @param ttl     outer TTL / hop limit
 * @param df      IPv4 Don't Fragment
 * @param csum    outer UDP checksum (always on over IPv6)
 * @param tunId   the tunnel key (VNI)
 * @param dstPort outer UDP destination port
 * @param flags   the flow's {@code tun_flags} ({@link UdpTunnel#FLAG_OAM} is what a header may carry)
 * @param geneveOptions the raw Geneve options to send (a multiple of 4 bytes; empty for none or
 *                for a type without options); not copied, the caller must not change them
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record TunnelHeaderParams(long ethDst, long ethSrc, IpAddress src, IpAddress dst, int tos, int ttl,
        boolean df, boolean csum, long tunId, int dstPort, int flags, byte[] geneveOptions) {
    private static final byte[] NO_OPTIONS = new byte[0];

    /** Parameters without tunnel flags or options. */
    public TunnelHeaderParams(long ethDst, long ethSrc, IpAddress src, IpAddress dst, int tos, int ttl, boolean df,
            boolean csum, long tunId, int dstPort) {
        this(ethDst, ethSrc, src, dst, tos, ttl, df, csum, tunId, dstPort, 0, NO_OPTIONS);
    }

    public TunnelHeaderParams {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(geneveOptions, "geneveOptions");
        if (src.isIpv4() != dst.isIpv4()) {
            throw new IllegalArgumentException("tunnel endpoints " + src + " and " + dst + " differ in address family");
        }
    }

    public boolean ipv6() {
        return !dst.isIpv4();
    }
}
