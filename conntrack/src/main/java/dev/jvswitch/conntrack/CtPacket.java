package dev.jvswitch.conntrack;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.mempool.Mbuf;

/**
 * Reads a packet's connection key and the L4 fields the trackers need (OVS's
 * {@code conn_key_extract}), checking every length against the packet and the IPv4 header and
 * L4 checksums. Only what the parser already found is trusted: the L3 offset and the packet
 * length; everything else is re-read and bounds-checked here.
 *
 * <p>A packet that {@link #extract} refuses is {@code inv} to conntrack: not IP, truncated, a bad
 * checksum, a fragment (no reassembly yet), or an ICMP type that is neither a query nor an error.
 * An ICMP or ICMPv6 error is read as OVS reads it: its key is the reverse of the quoted packet's
 * (so that it finds the connection the quoted packet belongs to), it is marked {@link #related},
 * and the quoted packet must have been sent to the error's sender.
 *
 * <p><b>Thread-safety:</b> scratch state of one thread (one instance per PMD).
 */
final class CtPacket {
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMPV6 = 58;

    static final int TCP_FIN = 0x01;
    static final int TCP_SYN = 0x02;
    static final int TCP_RST = 0x04;
    static final int TCP_PSH = 0x08;
    static final int TCP_ACK = 0x10;
    static final int TCP_URG = 0x20;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    final CtKey key = new CtKey();
    /** Whether the last {@link #extract} succeeded (the batch path's record of it). */
    boolean valid;
    int proto;
    boolean ipv6;
    /** Absolute offset of the L4 header in the mbuf's buffer. */
    int l4;
    int l4Len;
    int tcpFlags;
    int tcpSeq;
    int tcpAck;
    int tcpWin;
    int tcpHeaderLen;
    int tcpPayloadLen;
    int icmpType;
    int icmpCode;
    UnsafeBuffer buf;
    /** Absolute offset of the L3 header. */
    int l3;
    /** An ICMP error quoting a packet: {@link #key} is that packet's key reversed. */
    boolean related;
    /** For {@link #related}: the quoted packet's L3 and L4 offsets, its protocol, and the end of the ICMP data. */
    int innerL3;
    int innerL4;
    int innerProto;
    int icmpEnd;

    /** Fills {@link #key} for {@code zone}; false when the packet cannot be tracked (it is {@code inv}). */
    boolean extract(Mbuf m, int zone) {
        int l3Rel = m.l3Offset();
        if (l3Rel < 2) {
            return false;
        }
        buf = m.buffer();
        int base = m.dataOffset();
        int end = base + m.length();
        int l3 = base + l3Rel;
        this.l3 = l3;
        related = false;
        int ethType = buf.getShort(l3 - 2, BE) & 0xffff;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        int pseudo;
        if (ethType == 0x0800) {
            if (l3 + 20 > end) {
                return false;
            }
            int vihl = buf.getByte(l3) & 0xff;
            int ihl = (vihl & 0x0f) * 4;
            int total = buf.getShort(l3 + 2, BE) & 0xffff;
            if ((vihl >>> 4) != 4 || ihl < 20 || total < ihl || l3 + total > end) {
                return false;
            }
            if ((buf.getShort(l3 + 6, BE) & 0x3fff) != 0) {
                return false; // a fragment
            }
            if (!CtChecksum.verifies(buf, l3, ihl, 0)) {
                return false;
            }
            ipv6 = false;
            proto = buf.getByte(l3 + 9) & 0xff;
            int src = buf.getInt(l3 + 12, BE);
            int dst = buf.getInt(l3 + 16, BE);
            srcHi = 0;
            dstHi = 0;
            srcLo = src & 0xffff_ffffL;
            dstLo = dst & 0xffff_ffffL;
            l4 = l3 + ihl;
            l4Len = total - ihl;
            pseudo = CtChecksum.pseudo4(src, dst, proto, l4Len);
        } else if (ethType == 0x86dd) {
            if (l3 + 40 > end) {
                return false;
            }
            int payload = buf.getShort(l3 + 4, BE) & 0xffff;
            int ipEnd = l3 + 40 + payload;
            if ((buf.getByte(l3) & 0xf0) != 0x60 || ipEnd > end) {
                return false;
            }
            int nh = buf.getByte(l3 + 6) & 0xff;
            int off = l3 + 40;
            for (int hops = 0; isExtension(nh); hops++) {
                if (nh == 44 || hops == 8 || off + 8 > ipEnd) {
                    return false; // a fragment, or a chain too long or truncated
                }
                int next = buf.getByte(off) & 0xff;
                int len = nh == 51 ? ((buf.getByte(off + 1) & 0xff) + 2) * 4 : ((buf.getByte(off + 1) & 0xff) + 1) * 8;
                off += len;
                nh = next;
            }
            if (off > ipEnd) {
                return false;
            }
            ipv6 = true;
            proto = nh;
            srcHi = buf.getLong(l3 + 8, BE);
            srcLo = buf.getLong(l3 + 16, BE);
            dstHi = buf.getLong(l3 + 24, BE);
            dstLo = buf.getLong(l3 + 32, BE);
            l4 = off;
            l4Len = ipEnd - off;
            pseudo = CtChecksum.pseudo6(srcHi, srcLo, dstHi, dstLo, proto, l4Len);
        } else {
            return false;
        }
        int family = ipv6 ? CtKey.FAMILY_IPV6 : CtKey.FAMILY_IPV4;
        int tpSrc = 0;
        int tpDst = 0;
        switch (proto) {
            case TCP -> {
                if (l4Len < 20) {
                    return false;
                }
                tcpHeaderLen = ((buf.getByte(l4 + 12) & 0xff) >>> 4) * 4;
                if (tcpHeaderLen < 20 || tcpHeaderLen > l4Len || !CtChecksum.verifies(buf, l4, l4Len, pseudo)) {
                    return false;
                }
                tpSrc = buf.getShort(l4, BE) & 0xffff;
                tpDst = buf.getShort(l4 + 2, BE) & 0xffff;
                tcpSeq = buf.getInt(l4 + 4, BE);
                tcpAck = buf.getInt(l4 + 8, BE);
                tcpFlags = buf.getShort(l4 + 12, BE) & 0x0fff;
                tcpWin = buf.getShort(l4 + 14, BE) & 0xffff;
                tcpPayloadLen = l4Len - tcpHeaderLen;
            }
            case UDP -> {
                if (l4Len < 8) {
                    return false;
                }
                int udpLen = buf.getShort(l4 + 4, BE) & 0xffff;
                int csum = buf.getShort(l4 + 6, BE) & 0xffff;
                if (udpLen < 8 || udpLen > l4Len) {
                    return false;
                }
                if (csum != 0 ? !CtChecksum.verifies(buf, l4, udpLen, ipv6 ? CtChecksum.pseudo6(srcHi, srcLo, dstHi,
                        dstLo, proto, udpLen) : CtChecksum.pseudo4((int) srcLo, (int) dstLo, proto, udpLen)) : ipv6) {
                    return false;
                }
                tpSrc = buf.getShort(l4, BE) & 0xffff;
                tpDst = buf.getShort(l4 + 2, BE) & 0xffff;
            }
            case ICMP, ICMPV6 -> {
                if (l4Len < 8 || (ipv6 != (proto == ICMPV6))
                        || !CtChecksum.verifies(buf, l4, l4Len, ipv6 ? pseudo : 0)) {
                    return false;
                }
                icmpType = buf.getByte(l4) & 0xff;
                icmpCode = buf.getByte(l4 + 1) & 0xff;
                if (ipv6 ? icmpType >= 1 && icmpType <= 4 : IcmpTypes.isError4(icmpType)) {
                    return extractRelated(zone, srcHi, srcLo, dstHi, dstLo);
                }
                int answer = ipv6 ? IcmpTypes.reverse6(icmpType) : IcmpTypes.reverse4(icmpType);
                if (answer < 0 || icmpCode != 0) {
                    return false;
                }
                tpSrc = buf.getShort(l4 + 4, BE) & 0xffff;
                tpDst = (icmpType << 8) | answer;
            }
            default -> {
                // Other IP protocols are tracked by addresses alone.
            }
        }
        key.set(srcHi, srcLo, dstHi, dstLo, CtKey.meta(tpSrc, tpDst, zone, proto, family));
        return true;
    }

    /**
     * The key of an ICMP error: the reverse of the quoted packet's key (OVS's
     * {@code extract_l4_icmp} for errors). The quoted IP header must be whole and not a fragment,
     * its source must be the error's destination, and 8 bytes of its L4 header (the ports, or an
     * ICMP query's type and id) must be there; nothing of it is checksummed (it may be cut short).
     */
    private boolean extractRelated(int zone, long oSrcHi, long oSrcLo, long oDstHi, long oDstLo) {
        int in = l4 + 8;
        int end = l4 + l4Len;
        icmpEnd = end;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        int nh;
        int inL4;
        if (!ipv6) {
            if (in + 20 > end) {
                return false;
            }
            int vihl = buf.getByte(in) & 0xff;
            int ihl = (vihl & 0x0f) * 4;
            if ((vihl >>> 4) != 4 || ihl < 20 || in + ihl > end || (buf.getShort(in + 6, BE) & 0x3fff) != 0) {
                return false;
            }
            nh = buf.getByte(in + 9) & 0xff;
            srcHi = 0;
            dstHi = 0;
            srcLo = buf.getInt(in + 12, BE) & 0xffff_ffffL;
            dstLo = buf.getInt(in + 16, BE) & 0xffff_ffffL;
            inL4 = in + ihl;
        } else {
            if (in + 40 > end || (buf.getByte(in) & 0xf0) != 0x60) {
                return false;
            }
            nh = buf.getByte(in + 6) & 0xff;
            srcHi = buf.getLong(in + 8, BE);
            srcLo = buf.getLong(in + 16, BE);
            dstHi = buf.getLong(in + 24, BE);
            dstLo = buf.getLong(in + 32, BE);
            inL4 = in + 40;
            for (int hops = 0; isExtension(nh); hops++) {
                if (nh == 44 || hops == 8 || inL4 + 8 > end) {
                    return false;
                }
                int next = buf.getByte(inL4) & 0xff;
                inL4 += nh == 51 ? ((buf.getByte(inL4 + 1) & 0xff) + 2) * 4 : ((buf.getByte(inL4 + 1) & 0xff) + 1) * 8;
                nh = next;
            }
        }
        if (srcHi != oDstHi || srcLo != oDstLo || inL4 + 8 > end) {
            return false;
        }
        int tpSrc = 0;
        int tpDst = 0;
        switch (nh) {
            case TCP, UDP -> {
                tpSrc = buf.getShort(inL4, BE) & 0xffff;
                tpDst = buf.getShort(inL4 + 2, BE) & 0xffff;
            }
            case ICMP, ICMPV6 -> {
                if (ipv6 != (nh == ICMPV6)) {
                    return false;
                }
                int type = buf.getByte(inL4) & 0xff;
                int answer = ipv6 ? IcmpTypes.reverse6(type) : IcmpTypes.reverse4(type);
                if (answer < 0 || (buf.getByte(inL4 + 1) & 0xff) != 0) {
                    return false; // an error about an error, or an untracked type
                }
                tpSrc = buf.getShort(inL4 + 4, BE) & 0xffff;
                tpDst = (type << 8) | answer;
            }
            default -> {
                // tracked by addresses alone
            }
        }
        related = true;
        innerL3 = in;
        innerL4 = inL4;
        innerProto = nh;
        key.set(srcHi, srcLo, dstHi, dstLo,
                CtKey.meta(tpSrc, tpDst, zone, nh, ipv6 ? CtKey.FAMILY_IPV6 : CtKey.FAMILY_IPV4)).reverse();
        return true;
    }

    private static boolean isExtension(int nh) {
        return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
    }

    /** True when this packet may open a connection (OVS's {@code valid_new}). */
    boolean validNew() {
        return switch (proto) {
            case TCP -> !TcpTracker.invalidFlags(tcpFlags) && (tcpFlags & (TCP_SYN | TCP_ACK)) != (TCP_SYN | TCP_ACK);
            case ICMP -> icmpType == 8 || icmpType == 15 || icmpType == 13;
            case ICMPV6 -> icmpType == 128;
            default -> true;
        };
    }
}
