package dev.jvswitch.conntrack;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.mempool.Mbuf;

/**
 * The byte work of fragment reassembly: building the reassembled packet from a complete list
 * (OVS's {@code ipf_reassemble_v4_frags}/{@code _v6_frags}), and giving its ct result back to the
 * fragments (OVS's {@code ipf_post_execute_reass_pkts}): the ct metadata to each, and when NAT
 * rewrote the reassembled packet, its addresses to each fragment and its L4 header to the first.
 * The L4 checksum of the first fragment's header is the reassembled datagram's, which NAT updated
 * for the whole payload, so copying it keeps the datagram's checksum right.
 *
 * <p><b>Thread-safety:</b> stateless; called under the {@link Ipf}'s monitor.
 */
final class IpfRewrite {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private IpfRewrite() {
    }

    /**
     * Fills {@code r} with the datagram of {@code l}: {@code first}'s L2 and unfragmentable L3
     * header ({@code unfragLen} bytes from {@code l3Rel}), then every fragment's payload at its
     * offset; the IPv4 length, fragment field and checksum (or the IPv6 payload length, with the
     * fragment header left out: the header byte at {@code nhPosRel} names {@code proto}) are
     * made whole. False when the datagram does not fit {@code r}.
     */
    static boolean reassemble(Mbuf r, IpfList l, Mbuf first, int l3Rel, int unfragLen, int nhPosRel, int proto) {
        int hdr = l3Rel + unfragLen;
        int total = hdr + l.totalPayload;
        if (!r.copyOf(first)) {
            return false;
        }
        if (total > r.length() ? !r.append(total - r.length()) : !r.trimBack(r.length() - total)) {
            return false;
        }
        UnsafeBuffer rb = r.buffer();
        int base = r.dataOffset();
        for (int i = 0; i < l.count; i++) {
            Mbuf f = l.frags[i];
            int len = l.end[i] - l.start[i] + 1;
            rb.putBytes(base + hdr + l.start[i], f.buffer(), ipEnd(f) - len, len);
        }
        int l3 = base + l3Rel;
        if (!l.key.v6()) {
            rb.putShort(l3 + 2, (short) (unfragLen + l.totalPayload), BE);
            rb.putShort(l3 + 6, (short) (rb.getShort(l3 + 6, BE) & 0x4000), BE); // keep DF only
            ipv4Checksum(rb, l3, unfragLen);
        } else {
            rb.putShort(l3 + 4, (short) (unfragLen - 40 + l.totalPayload), BE);
            rb.putByte(base + l3Rel + nhPosRel, (byte) proto);
        }
        r.headerOffsets(first.l2Offset(), l3Rel, hdr);
        return true;
    }

    /** Where fragment {@code f}'s IP datagram ends (its payload is the bytes just before). */
    private static int ipEnd(Mbuf f) {
        UnsafeBuffer b = f.buffer();
        int l3 = f.dataOffset() + f.l3Offset();
        if ((b.getShort(l3 - 2, BE) & 0xffff) == 0x0800) {
            return l3 + (b.getShort(l3 + 2, BE) & 0xffff);
        }
        return l3 + 40 + (b.getShort(l3 + 4, BE) & 0xffff);
    }

    /** Gives reassembled packet {@code r}'s ct result to the fragments {@code l} holds. */
    static void toFragments(Mbuf r, IpfList l) {
        boolean nat = (r.ctState() & (CtState.SNAT | CtState.DNAT)) != 0;
        for (int i = l.sent; i < l.count; i++) {
            Mbuf f = l.frags[i];
            if (f == null) {
                continue;
            }
            f.ctState(r.ctState());
            f.ctZone(r.ctZone());
            f.ctMark(r.ctMark());
            f.ctLabel(r.ctLabelHi(), r.ctLabelLo());
            f.ctOrig(r.ctOrigIpv6(), r.ctOrigProto(), r.ctOrigSrcHi(), r.ctOrigSrcLo(), r.ctOrigDstHi(),
                    r.ctOrigDstLo(), r.ctOrigTpSrc(), r.ctOrigTpDst());
            if (nat) {
                natFragment(r, f, l.start[i] == 0, l.key.v6(), l.key.proto());
            }
        }
    }

    private static void natFragment(Mbuf r, Mbuf f, boolean first, boolean v6, int proto) {
        UnsafeBuffer rb = r.buffer();
        UnsafeBuffer fb = f.buffer();
        int rl3 = r.dataOffset() + r.l3Offset();
        int fl3 = f.dataOffset() + f.l3Offset();
        if (v6) {
            fb.putBytes(fl3 + 8, rb, rl3 + 8, 32);
        } else {
            fb.putBytes(fl3 + 12, rb, rl3 + 12, 8);
            ipv4Checksum(fb, fl3, (fb.getByte(fl3) & 0x0f) * 4);
        }
        if (!first) {
            return;
        }
        int rl4 = r.dataOffset() + r.l4Offset();
        int payloadLen = v6 ? fragPayloadLen6(f) : (fb.getShort(fl3 + 2, BE) & 0xffff) - (fb.getByte(fl3) & 0x0f) * 4;
        int fl4 = ipEnd(f) - payloadLen;
        int l4Len = switch (proto) {
            case CtPacket.TCP -> ((rb.getByte(rl4 + 12) & 0xff) >>> 4) * 4;
            case CtPacket.UDP, CtPacket.ICMP, CtPacket.ICMPV6 -> 8;
            default -> 0;
        };
        fb.putBytes(fl4, rb, rl4, Math.min(l4Len, payloadLen));
    }

    /** Payload bytes after an IPv6 fragment's fragment header (the header is found again). */
    private static int fragPayloadLen6(Mbuf f) {
        UnsafeBuffer b = f.buffer();
        int l3 = f.dataOffset() + f.l3Offset();
        int ipEnd = ipEnd(f);
        int nh = b.getByte(l3 + 6) & 0xff;
        int off = l3 + 40;
        for (int hops = 0; nh != 44 && hops < 8 && off + 8 <= ipEnd; hops++) {
            nh = b.getByte(off) & 0xff;
            off += ((b.getByte(off + 1) & 0xff) + 1) * 8;
        }
        return ipEnd - (off + 8);
    }

    private static void ipv4Checksum(UnsafeBuffer b, int l3, int ihl) {
        b.putShort(l3 + 10, (short) 0, BE);
        int sum = 0;
        for (int i = 0; i < ihl; i += 2) {
            sum += b.getShort(l3 + i, BE) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        b.putShort(l3 + 10, (short) ~sum, BE);
    }
}
