package dev.jvswitch.flowcache.actions;

import static dev.jvswitch.flowcache.actions.DpActionsBuilder.hex;

/**
 * The tunnel header template of a {@code tnl_push} action: its checks, canonical form, and its
 * text form {@code header(size=50,type=4,eth(...),ipv4(...),udp(...),vxlan(...))}.
 *
 * <pre>
 *  VXLAN over IPv4 (50 bytes)            VXLAN over IPv6 (70 bytes)
 *   0 eth dst(6) src(6) type(2)           0 eth dst(6) src(6) type(2)
 *  14 ipv4: ver/ihl tos len(2) id(2)     14 ipv6: ver/tclass/label(4) plen(2)
 *     frag(2) ttl proto csum(2)              nxt hlim src(16) dst(16)
 *     src(4) dst(4)                      54 udp
 *  34 udp: src dst len csum (2 each)     62 vxlan
 *  42 vxlan: flags(4) vni(3) reserved(1)
 * </pre>
 *
 * <p>The text leaves out the IP and UDP lengths, the IPv4 id and checksum and the VXLAN
 * reserved byte. The canonical template therefore has lengths 0, id 0, reserved 0 and the IPv4
 * checksum computed over the template itself (what OVS's {@code ovs_parse_tnl_push} rebuilds);
 * a tunnel port's push fixes lengths and checksum per packet.
 */
final class TnlHeader {
    static final int ETH_LEN = 14;
    static final int IPV4_LEN = 20;
    static final int IPV6_LEN = 40;
    static final int UDP_LEN = 8;
    static final int VXLAN_LEN = 8;
    static final int ETH_TYPE_IPV4 = 0x0800;
    static final int ETH_TYPE_IPV6 = 0x86dd;

    private TnlHeader() {
    }

    /** Checks {@code header} and returns a canonical copy. */
    static byte[] canonical(int tnlType, byte[] header) {
        if (header.length > DpActions.MAX_TNL_HEADER_BYTES) {
            throw new IllegalArgumentException("tnl_push: header of " + header.length + " bytes is longer than the "
                    + DpActions.MAX_TNL_HEADER_BYTES + " bytes of mbuf headroom");
        }
        if (tnlType != DpActions.TNL_TYPE_VXLAN) {
            throw new IllegalArgumentException("tnl_push: tunnel type " + tnlType + " is not supported ("
                    + DpActions.TNL_TYPE_VXLAN + " = vxlan)");
        }
        if (header.length < ETH_LEN) {
            throw new IllegalArgumentException("tnl_push: header of " + header.length
                    + " bytes is shorter than an Ethernet header");
        }
        byte[] h = header.clone();
        int ethType = u16(h, 12);
        int l4;
        if (ethType == ETH_TYPE_IPV4) {
            expectLength(h, "ipv4", ETH_LEN + IPV4_LEN + UDP_LEN + VXLAN_LEN);
            if ((h[ETH_LEN] & 0xff) != 0x45) {
                throw new IllegalArgumentException("tnl_push: header ipv4 version/ihl " + hex(h[ETH_LEN] & 0xff)
                        + ", expected 0x45");
            }
            if (u16(h, ETH_LEN + 4) != 0) {
                throw new IllegalArgumentException("tnl_push: header ipv4 id " + hex(u16(h, ETH_LEN + 4))
                        + ", expected 0");
            }
            expectUdp(h[ETH_LEN + 9] & 0xff, "ipv4 proto");
            put16(h, ETH_LEN + 2, 0);
            put16(h, ETH_LEN + 10, 0);
            put16(h, ETH_LEN + 10, ipv4HeaderChecksum(h, ETH_LEN));
            l4 = ETH_LEN + IPV4_LEN;
        } else if (ethType == ETH_TYPE_IPV6) {
            expectLength(h, "ipv6", ETH_LEN + IPV6_LEN + UDP_LEN + VXLAN_LEN);
            if ((h[ETH_LEN] & 0xf0) != 0x60) {
                throw new IllegalArgumentException("tnl_push: header ipv6 version " + ((h[ETH_LEN] & 0xff) >>> 4)
                        + ", expected 6");
            }
            expectUdp(h[ETH_LEN + 6] & 0xff, "ipv6 next header");
            put16(h, ETH_LEN + 4, 0);
            l4 = ETH_LEN + IPV6_LEN;
        } else {
            throw new IllegalArgumentException("tnl_push: header eth type " + String.format("0x%04x", ethType)
                    + " is neither IPv4 (0x0800) nor IPv6 (0x86dd)");
        }
        put16(h, l4 + 4, 0);
        int reserved = h[l4 + UDP_LEN + 7] & 0xff;
        if (reserved != 0) {
            throw new IllegalArgumentException("tnl_push: vxlan reserved byte " + hex(reserved) + ", expected 0");
        }
        return h;
    }

    /** Appends {@code header(...)} as OVS's {@code format_odp_tnl_push_header} does. */
    static void format(StringBuilder sb, int tnlType, byte[] h) {
        sb.append("header(size=").append(h.length).append(",type=").append(tnlType).append(",eth(dst=");
        InetText.mac(sb, u48(h, 0));
        sb.append(",src=");
        InetText.mac(sb, u48(h, 6));
        sb.append(",dl_type=").append(String.format("0x%04x", u16(h, 12))).append("),");
        int l4;
        if (u16(h, 12) == ETH_TYPE_IPV4) {
            int ip = ETH_LEN;
            sb.append("ipv4(src=");
            InetText.ipv4(sb, u32(h, ip + 12));
            sb.append(",dst=");
            InetText.ipv4(sb, u32(h, ip + 16));
            sb.append(",proto=").append(h[ip + 9] & 0xff).append(",tos=");
            InetText.altHex(sb, h[ip + 1] & 0xff);
            sb.append(",ttl=").append(h[ip + 8] & 0xff).append(",frag=");
            InetText.hex(sb, u16(h, ip + 6));
            sb.append("),");
            l4 = ip + IPV4_LEN;
        } else {
            int ip = ETH_LEN;
            int flow = u32(h, ip);
            sb.append("ipv6(src=");
            InetText.ipv6(sb, u64(h, ip + 8), u64(h, ip + 16));
            sb.append(",dst=");
            InetText.ipv6(sb, u64(h, ip + 24), u64(h, ip + 32));
            sb.append(",label=").append(flow & 0xfffff).append(",proto=").append(h[ip + 6] & 0xff).append(",tclass=");
            InetText.hex(sb, (flow >>> 20) & 0xff);
            sb.append(",hlimit=").append(h[ip + 7] & 0xff).append("),");
            l4 = ip + IPV6_LEN;
        }
        sb.append("udp(src=").append(u16(h, l4)).append(",dst=").append(u16(h, l4 + 2)).append(",csum=");
        InetText.hex(sb, u16(h, l4 + 6));
        sb.append("),vxlan(flags=");
        InetText.hex(sb, u32(h, l4 + UDP_LEN) & 0xffffffffL);
        sb.append(",vni=");
        InetText.hex(sb, (u32(h, l4 + UDP_LEN + 4) >>> 8) & 0xffffff);
        sb.append("))");
    }

    /**
     * Reads {@code header(...)} (the cursor is just past {@code header(}'s name) and returns
     * the template bytes; the tunnel type must be vxlan and size must match.
     */
    static byte[] parse(TextCursor in, int[] typeOut) {
        in.expect("header(size=");
        int sizePos = in.pos();
        int size = (int) in.unsigned("header size", 0xffff);
        in.expect(",type=");
        int type = (int) in.unsigned("tunnel type", 0xffffffffL);
        typeOut[0] = type;
        in.expect(",eth(dst=");
        long dst = in.mac("eth dst");
        in.expect(",src=");
        long src = in.mac("eth src");
        in.expect(",dl_type=");
        int ethType = (int) in.unsigned("dl_type", 0xffff);
        in.expect("),");
        int l4;
        byte[] h;
        if (ethType == ETH_TYPE_IPV4) {
            h = new byte[ETH_LEN + IPV4_LEN + UDP_LEN + VXLAN_LEN];
            int ip = ETH_LEN;
            in.expect("ipv4(src=");
            put32(h, ip + 12, in.ipv4("ipv4 src"));
            in.expect(",dst=");
            put32(h, ip + 16, in.ipv4("ipv4 dst"));
            in.expect(",proto=");
            h[ip + 9] = (byte) in.unsigned("ipv4 proto", 0xff);
            in.expect(",tos=");
            h[ip + 1] = (byte) in.unsigned("ipv4 tos", 0xff);
            in.expect(",ttl=");
            h[ip + 8] = (byte) in.unsigned("ipv4 ttl", 0xff);
            in.expect(",frag=");
            put16(h, ip + 6, (int) in.unsigned("ipv4 frag", 0xffff));
            in.expect("),");
            h[ip] = 0x45;
            l4 = ip + IPV4_LEN;
        } else if (ethType == ETH_TYPE_IPV6) {
            h = new byte[ETH_LEN + IPV6_LEN + UDP_LEN + VXLAN_LEN];
            int ip = ETH_LEN;
            in.expect("ipv6(src=");
            long[] s6 = in.ipv6("ipv6 src");
            in.expect(",dst=");
            long[] d6 = in.ipv6("ipv6 dst");
            in.expect(",label=");
            int label = (int) in.unsigned("ipv6 label", 0xfffff);
            in.expect(",proto=");
            h[ip + 6] = (byte) in.unsigned("ipv6 proto", 0xff);
            in.expect(",tclass=");
            int tclass = (int) in.unsigned("ipv6 tclass", 0xff);
            in.expect(",hlimit=");
            h[ip + 7] = (byte) in.unsigned("ipv6 hlimit", 0xff);
            in.expect("),");
            put32(h, ip, 6 << 28 | tclass << 20 | label);
            put64(h, ip + 8, s6[0]);
            put64(h, ip + 16, s6[1]);
            put64(h, ip + 24, d6[0]);
            put64(h, ip + 32, d6[1]);
            l4 = ip + IPV6_LEN;
        } else {
            throw in.error("tnl_push: header dl_type " + String.format("0x%04x", ethType)
                    + " is neither 0x0800 nor 0x86dd");
        }
        put48(h, 0, dst);
        put48(h, 6, src);
        put16(h, 12, ethType);
        in.expect("udp(src=");
        put16(h, l4, (int) in.unsigned("udp src", 0xffff));
        in.expect(",dst=");
        put16(h, l4 + 2, (int) in.unsigned("udp dst", 0xffff));
        in.expect(",csum=");
        put16(h, l4 + 6, (int) in.unsigned("udp csum", 0xffff));
        in.expect("),vxlan(flags=");
        put32(h, l4 + UDP_LEN, (int) in.unsigned("vxlan flags", 0xffffffffL));
        in.expect(",vni=");
        put32(h, l4 + UDP_LEN + 4, (int) in.unsigned("vxlan vni", 0xffffff) << 8);
        in.expect("))");
        if (size != h.length) {
            throw in.errorAt(sizePos, "tnl_push: header size=" + size + " but the header described is " + h.length
                    + " bytes");
        }
        return h;
    }

    /** The one's complement checksum of the 20-byte IPv4 header at {@code off}. */
    static int ipv4HeaderChecksum(byte[] h, int off) {
        int sum = 0;
        for (int i = 0; i < IPV4_LEN; i += 2) {
            sum += u16(h, off + i);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    private static void expectLength(byte[] h, String l3, int expected) {
        if (h.length != expected) {
            throw new IllegalArgumentException("tnl_push: vxlan over " + l3 + " header must be " + expected
                    + " bytes, got " + h.length);
        }
    }

    private static void expectUdp(int proto, String what) {
        if (proto != 17) {
            throw new IllegalArgumentException("tnl_push: vxlan header " + what + " " + proto + ", expected 17 (udp)");
        }
    }

    static int u16(byte[] h, int off) {
        return (h[off] & 0xff) << 8 | (h[off + 1] & 0xff);
    }

    static int u32(byte[] h, int off) {
        return u16(h, off) << 16 | u16(h, off + 2);
    }

    static long u48(byte[] h, int off) {
        return (long) u16(h, off) << 32 | (u32(h, off + 2) & 0xffffffffL);
    }

    static long u64(byte[] h, int off) {
        return (long) u32(h, off) << 32 | (u32(h, off + 4) & 0xffffffffL);
    }

    static void put16(byte[] h, int off, int v) {
        h[off] = (byte) (v >>> 8);
        h[off + 1] = (byte) v;
    }

    static void put32(byte[] h, int off, int v) {
        put16(h, off, v >>> 16);
        put16(h, off + 2, v);
    }

    static void put48(byte[] h, int off, long v) {
        put16(h, off, (int) (v >>> 32));
        put32(h, off + 2, (int) v);
    }

    static void put64(byte[] h, int off, long v) {
        put32(h, off, (int) (v >>> 32));
        put32(h, off + 4, (int) v);
    }
}
