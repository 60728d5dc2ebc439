package dev.jvswitch.pmd.exec;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.flowcache.actions.DpField;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPoolConfig;

/**
 * The {@code set} action on one packet: writes the masked bits of a field and fixes up every
 * checksum that covers it, incrementally (RFC 1624) for the Internet checksums and by full
 * recomputation for SCTP's CRC32c.
 *
 * <p>The packet's actual headers decide what happens, not the flow it matched: a field of a
 * header the packet does not have (IPv4 on an IPv6 packet, TCP ports on UDP, ports on a later
 * fragment) is left alone, and so is a header cut short by the end of the packet. Header
 * positions come from the parser's offsets ({@link Mbuf#l2Offset()} etc.); every read and write
 * is checked against {@link Mbuf#length()}.
 *
 * <table>
 *   <caption>Checksums each field touches</caption>
 *   <tr><th>field</th><th>IPv4 header</th><th>TCP / UDP</th><th>ICMPv6</th><th>SCTP</th></tr>
 *   <tr><td>ipv4 src, dst</td><td>yes</td><td>yes (pseudo-header)</td><td></td><td></td></tr>
 *   <tr><td>ipv4 tos, ttl</td><td>yes</td><td></td><td></td><td></td></tr>
 *   <tr><td>ipv6 src, dst</td><td></td><td>yes (pseudo-header)</td><td>yes</td><td></td></tr>
 *   <tr><td>ports</td><td></td><td>yes</td><td></td><td>CRC32c recomputed</td></tr>
 * </table>
 *
 * <p>UDP over IPv4 with checksum 0 (none) keeps 0; otherwise a UDP checksum that comes out 0 is
 * sent as 0xffff. A changed IPv6 destination does not enter the L4 checksum when a routing
 * header with segments left is present (the checksum uses the final destination), as in OVS.
 * An SCTP checksum that was wrong stays exactly as wrong (OVS's trick), so a rewrite never
 * launders a corrupt packet.
 *
 * <p><b>Thread-safety:</b> single owner (one per {@link ActionExecutor}); holds scratch state.
 */
final class FieldRewriter {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_ICMPV6 = 58;
    static final int IPPROTO_SCTP = 132;

    private final CRC32C crc = new CRC32C();
    private final byte[] sctpScratch = new byte[MbufPoolConfig.MAX_SLOT_BYTES];
    /** Set by {@link #ipv6L4Proto}: a routing header with segments left precedes L4. */
    private boolean routingHeaderPresent;

    void set(Mbuf m, DpField field, long value, long mask) {
        switch (field) {
            case ETH_SRC -> setEth(m, 6, value, mask);
            case ETH_DST -> setEth(m, 0, value, mask);
            case IPV4_SRC -> setIpv4Addr(m, 12, (int) value, (int) mask);
            case IPV4_DST -> setIpv4Addr(m, 16, (int) value, (int) mask);
            case IPV4_TOS -> setIpv4Byte(m, 1, (int) value, (int) mask);
            case IPV4_TTL -> setIpv4Byte(m, 8, (int) value, (int) mask);
            case IPV6_SRC_HI -> setIpv6Addr(m, 8, false, value, mask);
            case IPV6_SRC_LO -> setIpv6Addr(m, 16, false, value, mask);
            case IPV6_DST_HI -> setIpv6Addr(m, 24, true, value, mask);
            case IPV6_DST_LO -> setIpv6Addr(m, 32, true, value, mask);
            case IPV6_LABEL -> setIpv6Word0(m, 0, (int) value, (int) mask);
            case IPV6_TCLASS -> setIpv6Word0(m, 20, (int) value, (int) mask);
            case IPV6_HLIMIT -> setIpv6Hlimit(m, (int) value, (int) mask);
            case TCP_SRC -> setPort(m, IPPROTO_TCP, 0, (int) value, (int) mask);
            case TCP_DST -> setPort(m, IPPROTO_TCP, 2, (int) value, (int) mask);
            case UDP_SRC -> setPort(m, IPPROTO_UDP, 0, (int) value, (int) mask);
            case UDP_DST -> setPort(m, IPPROTO_UDP, 2, (int) value, (int) mask);
            case SCTP_SRC -> setPort(m, IPPROTO_SCTP, 0, (int) value, (int) mask);
            case SCTP_DST -> setPort(m, IPPROTO_SCTP, 2, (int) value, (int) mask);
            case SKB_MARK -> m.skbMark((int) ((m.skbMark() & ~mask) | value));
            case TUN_ID -> m.tunnel(value, m.tunnelIpv4Src(), m.tunnelIpv4Dst(), m.tunnelTos(), m.tunnelTtl(),
                    m.tunnelFlags(), m.tunnelTpSrc(), m.tunnelTpDst());
            case TUN_IPV4_SRC -> m.tunnel(m.tunnelId(), (int) value, m.tunnelIpv4Dst(), m.tunnelTos(), m.tunnelTtl(),
                    m.tunnelFlags(), m.tunnelTpSrc(), m.tunnelTpDst());
            case TUN_IPV4_DST -> m.tunnel(m.tunnelId(), m.tunnelIpv4Src(), (int) value, m.tunnelTos(), m.tunnelTtl(),
                    m.tunnelFlags(), m.tunnelTpSrc(), m.tunnelTpDst());
            case TUN_TOS -> m.tunnel(m.tunnelId(), m.tunnelIpv4Src(), m.tunnelIpv4Dst(), (int) value, m.tunnelTtl(),
                    m.tunnelFlags(), m.tunnelTpSrc(), m.tunnelTpDst());
            case TUN_TTL -> m.tunnel(m.tunnelId(), m.tunnelIpv4Src(), m.tunnelIpv4Dst(), m.tunnelTos(), (int) value,
                    m.tunnelFlags(), m.tunnelTpSrc(), m.tunnelTpDst());
            case ARP_OP -> setArp(m, 6, 2, value, mask);
            case ARP_SHA -> setArp(m, 8, 6, value, mask);
            case ARP_SIP -> setArp(m, 14, 4, value, mask);
            case ARP_THA -> setArp(m, 18, 6, value, mask);
            case ARP_TIP -> setArp(m, 24, 4, value, mask);
            case ICMP_TYPE -> setIcmp(m, IPPROTO_ICMP, 0, (int) value, (int) mask);
            case ICMP_CODE -> setIcmp(m, IPPROTO_ICMP, 1, (int) value, (int) mask);
            case ICMPV6_TYPE -> setIcmp(m, IPPROTO_ICMPV6, 0, (int) value, (int) mask);
            case ICMPV6_CODE -> setIcmp(m, IPPROTO_ICMPV6, 1, (int) value, (int) mask);
            default -> {
                // Every field is handled above; the builder admits no other.
            }
        }
    }

    // ---------------------------------------------------------------- ARP

    /**
     * {@code bytes} at {@code offset} of an Ethernet/IPv4 ARP header (htype 1, ptype 0x0800,
     * hlen 6, plen 4, 28 bytes in the packet); any other L3 header is left alone. No checksum.
     */
    private static void setArp(Mbuf m, int offset, int bytes, long value, long mask) {
        int l3 = m.l3Offset();
        if (l3 < 0 || l3 + 28 > m.length()) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset() + l3;
        if (buf.getShort(base, BE) != 1 || buf.getShort(base + 2, BE) != 0x0800 || buf.getByte(base + 4) != 6
                || buf.getByte(base + 5) != 4) {
            return;
        }
        int at = base + offset;
        long old = 0;
        for (int i = 0; i < bytes; i++) {
            old = old << 8 | (buf.getByte(at + i) & 0xff);
        }
        long now = (old & ~mask) | (value & mask);
        for (int i = bytes - 1; i >= 0; i--) {
            buf.putByte(at + i, (byte) now);
            now >>>= 8;
        }
    }

    // ---------------------------------------------------------------- Ethernet

    private static void setEth(Mbuf m, int offset, long value, long mask) {
        int l2 = m.l2Offset();
        if (l2 < 0 || l2 + 14 > m.length()) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int at = m.dataOffset() + l2 + offset;
        long old = (buf.getShort(at, BE) & 0xffffL) << 32 | (buf.getInt(at + 2, BE) & 0xffffffffL);
        long now = (old & ~mask) | value;
        buf.putShort(at, (short) (now >>> 32), BE);
        buf.putInt(at + 2, (int) now, BE);
    }

    // ---------------------------------------------------------------- IPv4

    /** The IPv4 header's offset, or -1 if the packet has no complete IPv4 header there. */
    private static int ipv4L3(Mbuf m) {
        int l3 = m.l3Offset();
        if (l3 < 0 || l3 + 20 > m.length()) {
            return -1;
        }
        int verIhl = m.buffer().getByte(m.dataOffset() + l3) & 0xff;
        if ((verIhl >>> 4) != 4 || (verIhl & 0xf) < 5 || l3 + (verIhl & 0xf) * 4 > m.length()) {
            return -1;
        }
        return l3;
    }

    /** The L4 protocol of an IPv4 packet whose L4 header is present, else -1. */
    private static int ipv4L4Proto(Mbuf m, int l3) {
        int l4 = m.l4Offset();
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        if (l4 < 0 || l4 < l3 + 20 || (buf.getShort(base + l3 + 6, BE) & 0x1fff) != 0) {
            return -1;
        }
        return buf.getByte(base + l3 + 9) & 0xff;
    }

    private static void setIpv4Addr(Mbuf m, int offset, int value, int mask) {
        int l3 = ipv4L3(m);
        if (l3 < 0) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        int at = base + l3 + offset;
        int old = buf.getInt(at, BE);
        int now = (old & ~mask) | value;
        if (now == old) {
            return;
        }
        buf.putInt(at, now, BE);
        int csumAt = base + l3 + 10;
        buf.putShort(csumAt, (short) InetChecksum.update32(buf.getShort(csumAt, BE), old, now), BE);
        int proto = ipv4L4Proto(m, l3);
        if (proto >= 0) {
            updatePseudoHeader32(m, proto, old, now);
        }
    }

    /** tos (offset 1) or ttl (offset 8): one byte of a 16-bit word the header checksum covers. */
    private static void setIpv4Byte(Mbuf m, int offset, int value, int mask) {
        int l3 = ipv4L3(m);
        if (l3 < 0) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        int wordAt = base + l3 + (offset & ~1);
        int oldWord = buf.getShort(wordAt, BE) & 0xffff;
        int shift = (offset & 1) == 0 ? 8 : 0;
        int old = (oldWord >>> shift) & 0xff;
        int now = (old & ~mask) | value;
        if (now == old) {
            return;
        }
        int newWord = (oldWord & ~(0xff << shift)) | now << shift;
        buf.putShort(wordAt, (short) newWord, BE);
        int csumAt = base + l3 + 10;
        buf.putShort(csumAt, (short) InetChecksum.update16(buf.getShort(csumAt, BE), oldWord, newWord), BE);
    }

    // ---------------------------------------------------------------- IPv6

    private static int ipv6L3(Mbuf m) {
        int l3 = m.l3Offset();
        if (l3 < 0 || l3 + 40 > m.length()) {
            return -1;
        }
        return (m.buffer().getByte(m.dataOffset() + l3) & 0xf0) == 0x60 ? l3 : -1;
    }

    /**
     * Walks the extension headers between the IPv6 header and the parser's L4 offset and returns
     * the L4 protocol, or -1 when there is no L4 header to update (none found, a later fragment,
     * or a chain that does not end at the L4 offset). Sets {@link #routingHeaderPresent}.
     */
    private int ipv6L4Proto(Mbuf m, int l3) {
        routingHeaderPresent = false;
        int l4 = m.l4Offset();
        int len = m.length();
        if (l4 < l3 + 40 || l4 > len) {
            return -1;
        }
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        int next = buf.getByte(base + l3 + 6) & 0xff;
        int off = l3 + 40;
        while (off < l4) {
            if (off + 8 > len) {
                return -1;
            }
            int hdrNext = buf.getByte(base + off) & 0xff;
            int hdrLen = buf.getByte(base + off + 1) & 0xff;
            switch (next) {
                case 44 -> { // fragment
                    if ((buf.getShort(base + off + 2, BE) & 0xfff8) != 0) {
                        return -1;
                    }
                    off += 8;
                }
                case 51 -> off += (hdrLen + 2) * 4; // authentication header
                case 43 -> { // routing
                    if ((buf.getByte(base + off + 3) & 0xff) != 0) {
                        routingHeaderPresent = true;
                    }
                    off += (hdrLen + 1) * 8;
                }
                case 0, 60 -> off += (hdrLen + 1) * 8; // hop-by-hop, destination options
                default -> {
                    return -1;
                }
            }
            next = hdrNext;
        }
        return off == l4 ? next : -1;
    }

    private void setIpv6Addr(Mbuf m, int offset, boolean dst, long value, long mask) {
        int l3 = ipv6L3(m);
        if (l3 < 0) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int at = m.dataOffset() + l3 + offset;
        long old = buf.getLong(at, BE);
        long now = (old & ~mask) | value;
        if (now == old) {
            return;
        }
        int proto = ipv6L4Proto(m, l3);
        buf.putLong(at, now, BE);
        if (proto >= 0 && !(dst && routingHeaderPresent)) {
            updatePseudoHeader64(m, proto, old, now);
        }
    }

    /** Flow label (shift 0, 20 bits) or traffic class (shift 20, 8 bits) in the first word. */
    private static void setIpv6Word0(Mbuf m, int shift, int value, int mask) {
        int l3 = ipv6L3(m);
        if (l3 < 0) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int at = m.dataOffset() + l3;
        int old = buf.getInt(at, BE);
        buf.putInt(at, (old & ~(mask << shift)) | value << shift, BE);
    }

    private static void setIpv6Hlimit(Mbuf m, int value, int mask) {
        int l3 = ipv6L3(m);
        if (l3 < 0) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int at = m.dataOffset() + l3 + 7;
        buf.putByte(at, (byte) ((buf.getByte(at) & ~mask) | value));
    }

    // ---------------------------------------------------------------- L4

    /** The L4 protocol of an IPv4 or IPv6 packet, or -1 for any other. */
    private int l4Proto(Mbuf m) {
        int l3 = ipv4L3(m);
        if (l3 >= 0) {
            return ipv4L4Proto(m, l3);
        }
        l3 = ipv6L3(m);
        return l3 < 0 ? -1 : ipv6L4Proto(m, l3);
    }

    /** {@code offset} 0 = source port, 2 = destination port. */
    private void setPort(Mbuf m, int wantProto, int offset, int value, int mask) {
        int proto;
        boolean ipv6 = false;
        int l3 = ipv4L3(m);
        if (l3 >= 0) {
            proto = ipv4L4Proto(m, l3);
        } else {
            l3 = ipv6L3(m);
            if (l3 < 0) {
                return;
            }
            ipv6 = true;
            proto = ipv6L4Proto(m, l3);
        }
        if (proto != wantProto) {
            return;
        }
        int l4 = m.l4Offset();
        int len = m.length();
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        int minLen = proto == IPPROTO_TCP ? 20 : proto == IPPROTO_UDP ? 8 : 12;
        if (l4 + minLen > len) {
            return;
        }
        int at = base + l4 + offset;
        int old = buf.getShort(at, BE) & 0xffff;
        int now = (old & ~mask) | value;
        if (now == old) {
            return;
        }
        if (proto == IPPROTO_SCTP) {
            setSctpPort(m, l3, l4, ipv6, offset, now);
            return;
        }
        buf.putShort(at, (short) now, BE);
        if (proto == IPPROTO_TCP) {
            int csumAt = base + l4 + 16;
            buf.putShort(csumAt, (short) InetChecksum.update16(buf.getShort(csumAt, BE), old, now), BE);
        } else {
            int csumAt = base + l4 + 6;
            int csum = buf.getShort(csumAt, BE) & 0xffff;
            if (csum != 0 || ipv6) {
                csum = InetChecksum.update16(csum, old, now);
                buf.putShort(csumAt, (short) (csum == 0 ? 0xffff : csum), BE);
            }
        }
    }

    /**
     * ICMP or ICMPv6 type ({@code offset} 0) or code (1) of a packet of protocol {@code wantProto}:
     * the byte, and the checksum for the 16-bit word holding it (the pseudo-header ICMPv6 adds
     * does not change).
     */
    private void setIcmp(Mbuf m, int wantProto, int offset, int value, int mask) {
        int l4 = m.l4Offset();
        if (l4Proto(m) != wantProto || l4 + 4 > m.length()) {
            return;
        }
        UnsafeBuffer buf = m.buffer();
        int at = m.dataOffset() + l4;
        int old = buf.getShort(at, BE) & 0xffff;
        int shift = offset == 0 ? 8 : 0;
        int now = (old & ~(mask << shift)) | (value & mask) << shift;
        if (now == old) {
            return;
        }
        buf.putShort(at, (short) now, BE);
        buf.putShort(at + 2, (short) InetChecksum.update16(buf.getShort(at + 2, BE), old, now), BE);
    }

    /**
     * Rewrites an SCTP port: CRC32c over the SCTP packet (up to the IP payload's end, not the
     * frame's, which may be padded) before and after, folded into the stored value.
     */
    private void setSctpPort(Mbuf m, int l3, int l4, boolean ipv6, int offset, int port) {
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        int ipEnd = ipv6 ? l3 + 40 + (buf.getShort(base + l3 + 4, BE) & 0xffff)
                : l3 + (buf.getShort(base + l3 + 2, BE) & 0xffff);
        int end = Math.min(ipEnd, m.length());
        int sctpLen = end - l4;
        if (sctpLen < 12) {
            return;
        }
        byte[] s = sctpScratch;
        buf.getBytes(base + l4, s, 0, sctpLen);
        int stored = buf.getInt(base + l4 + 8, LE);
        s[8] = 0;
        s[9] = 0;
        s[10] = 0;
        s[11] = 0;
        int oldCorrect = crc32c(s, sctpLen);
        s[offset] = (byte) (port >>> 8);
        s[offset + 1] = (byte) port;
        int newCorrect = crc32c(s, sctpLen);
        buf.putShort(base + l4 + offset, (short) port, BE);
        buf.putInt(base + l4 + 8, stored ^ oldCorrect ^ newCorrect, LE);
    }

    private int crc32c(byte[] s, int length) {
        crc.reset();
        crc.update(s, 0, length);
        return (int) crc.getValue();
    }

    /** Folds an IPv4 address change into the TCP or UDP checksum, whose pseudo-header has it. */
    private static void updatePseudoHeader32(Mbuf m, int proto, int old, int now) {
        int l4 = m.l4Offset();
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        if (proto == IPPROTO_TCP && l4 + 20 <= m.length()) {
            int csumAt = base + l4 + 16;
            buf.putShort(csumAt, (short) InetChecksum.update32(buf.getShort(csumAt, BE), old, now), BE);
        } else if (proto == IPPROTO_UDP && l4 + 8 <= m.length()) {
            int csumAt = base + l4 + 6;
            int csum = buf.getShort(csumAt, BE) & 0xffff;
            if (csum != 0) { // 0: sent without a checksum
                csum = InetChecksum.update32(csum, old, now);
                buf.putShort(csumAt, (short) (csum == 0 ? 0xffff : csum), BE);
            }
        }
    }

    /** Folds half of an IPv6 address change into the TCP, UDP or ICMPv6 checksum. */
    private static void updatePseudoHeader64(Mbuf m, int proto, long old, long now) {
        int l4 = m.l4Offset();
        UnsafeBuffer buf = m.buffer();
        int base = m.dataOffset();
        int csumAt;
        if (proto == IPPROTO_TCP && l4 + 20 <= m.length()) {
            csumAt = base + l4 + 16;
        } else if (proto == IPPROTO_UDP && l4 + 8 <= m.length()) {
            csumAt = base + l4 + 6;
        } else if (proto == IPPROTO_ICMPV6 && l4 + 4 <= m.length()) {
            csumAt = base + l4 + 2;
        } else {
            return;
        }
        int csum = InetChecksum.update64(buf.getShort(csumAt, BE), old, now);
        if (proto == IPPROTO_UDP && csum == 0) {
            csum = 0xffff;
        }
        buf.putShort(csumAt, (short) csum, BE);
    }
}
