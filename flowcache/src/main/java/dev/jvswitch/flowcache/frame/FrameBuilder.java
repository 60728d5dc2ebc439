package dev.jvswitch.flowcache.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowKey;

/**
 * Fluent description of one frame; get one from {@link Frames}. Every setter returns
 * {@code this}; {@link #build()} may be called more than once. Values out of a header field's
 * range fail with a message naming the field.
 *
 * <p>Layout produced: Ethernet, VLAN tags in call order (first = outermost), then ARP, or IPv4
 * (with options) or IPv6 (with extension headers in call order), then the L4 header and payload,
 * then optional Ethernet padding. A later fragment (non-zero offset) carries payload only, no L4
 * header. Checksums over a fragment cover the bytes present.
 */
public final class FrameBuilder {
    enum L3 { NONE, ARP, IPV4, IPV6 }

    private static final int ETH_BYTES = 14;
    private static final int TCP_ACK = 0x010;

    private final L3 l3;
    private final int proto;
    /** True when the L4 bytes are the payload alone, whatever {@link #proto} says. */
    private final boolean rawL4;

    private long srcMac = Addresses.parseMac(Frames.DEFAULT_SRC_MAC);
    private long dstMac = Addresses.parseMac(Frames.DEFAULT_DST_MAC);
    private final List<int[]> vlans = new ArrayList<>();
    private int ethType;

    private int ip4Src = Addresses.parseIpv4(Frames.DEFAULT_SRC_IPV4);
    private int ip4Dst = Addresses.parseIpv4(Frames.DEFAULT_DST_IPV4);
    private long[] ip6Src = Addresses.parseIpv6(Frames.DEFAULT_SRC_IPV6);
    private long[] ip6Dst = Addresses.parseIpv6(Frames.DEFAULT_DST_IPV6);
    private int ttl = 64;
    private int tos;
    private int ipId;
    private int flowLabel;
    private boolean dontFragment;
    private int fragOffsetBytes;
    private boolean moreFragments;
    private byte[] ipOptions = new byte[0];
    private final List<byte[]> extHeaders = new ArrayList<>();
    private final List<Integer> extTypes = new ArrayList<>();

    private int srcPort;
    private int dstPort;
    private int tcpFlags = TCP_ACK;
    private long seq;
    private long ackNumber;
    private int window = 65535;
    private byte[] tcpOptions = new byte[0];
    private int icmpType;
    private int icmpCode;
    private int icmpRest;
    private long[] ndTarget;
    private long sll = -1;
    private long tll = -1;

    private int arpOp = 1;
    private long arpSha = -1;
    private long arpTha;

    private byte[] payload = new byte[0];
    private int sizeBytes = -1;
    private int padToBytes;
    private boolean udpChecksum = true;

    FrameBuilder(L3 l3, int proto, boolean rawL4) {
        this.l3 = l3;
        this.proto = proto;
        this.rawL4 = rawL4;
        this.ethType = l3 == L3.IPV4 ? FlowKey.ETH_TYPE_IPV4 : l3 == L3.IPV6 ? FlowKey.ETH_TYPE_IPV6
                : l3 == L3.ARP ? FlowKey.ETH_TYPE_ARP : 0;
    }

    // ---------------------------------------------------------------- L2

    public FrameBuilder src(String mac) {
        return src(Addresses.parseMac(mac));
    }

    public FrameBuilder src(long mac) {
        srcMac = check("src MAC", mac, 0xffff_ffff_ffffL);
        return this;
    }

    public FrameBuilder dst(String mac) {
        return dst(Addresses.parseMac(mac));
    }

    public FrameBuilder dst(long mac) {
        dstMac = check("dst MAC", mac, 0xffff_ffff_ffffL);
        return this;
    }

    /** The type after the VLAN tags (e.g. 0x0806 for RARP, or an 802.3 length). */
    public FrameBuilder ethType(int type) {
        ethType = (int) check("eth_type", type, 0xffff);
        return this;
    }

    /** Adds an 802.1Q tag (priority 0) inside the tags added so far. */
    public FrameBuilder vlan(int vid) {
        return vlanTag(FlowKey.ETH_TYPE_VLAN_8021Q, vid, 0);
    }

    public FrameBuilder vlan(int vid, int pcp) {
        return vlanTag(FlowKey.ETH_TYPE_VLAN_8021Q, vid, pcp);
    }

    /** An 802.1ad service tag around an 802.1Q customer tag. */
    public FrameBuilder qinq(int outerVid, int innerVid) {
        return vlanTag(FlowKey.ETH_TYPE_VLAN_8021AD, outerVid, 0).vlanTag(FlowKey.ETH_TYPE_VLAN_8021Q, innerVid, 0);
    }

    /** Adds a tag with any TPID inside the tags added so far. */
    public FrameBuilder vlanTag(int tpid, int vid, int pcp) {
        check("vlan tpid", tpid, 0xffff);
        check("vlan vid", vid, 0xfff);
        check("vlan pcp", pcp, 7);
        vlans.add(new int[] {tpid, (pcp << 13) | vid});
        return this;
    }

    // ---------------------------------------------------------------- L3

    /** Source and destination address: IPv4 text for IPv4 and ARP frames, IPv6 text for IPv6. */
    public FrameBuilder ip(String src, String dst) {
        switch (l3) {
            case IPV4:
            case ARP:
                ip4Src = Addresses.parseIpv4(src);
                ip4Dst = Addresses.parseIpv4(dst);
                return this;
            case IPV6:
                ip6Src = Addresses.parseIpv6(src);
                ip6Dst = Addresses.parseIpv6(dst);
                return this;
            default:
                throw new IllegalStateException("ip(): a raw Ethernet frame has no IP header");
        }
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public FrameBuilder ttl(int value) {
        ttl = (int) check("ttl", value, 0xff);
        return this;
    }

    /** IPv4 TOS or IPv6 traffic class. */
    public FrameBuilder tos(int value) {
        tos = (int) check("tos", value, 0xff);
        return this;
    }

    /** IPv4 identification, or the identification of an IPv6 fragment header. */
    public FrameBuilder ipId(int id) {
        ipId = id;
        return this;
    }

    public FrameBuilder flowLabel(int label) {
        flowLabel = (int) check("flow label", label, 0xfffff);
        return this;
    }

    public FrameBuilder dontFragment() {
        dontFragment = true;
        return this;
    }

    /** IPv4 options, zero-padded to a multiple of 4 bytes (at most 40). */
    public FrameBuilder ipOptions(byte[] options) {
        int padded = (options.length + 3) & ~3;
        if (padded > 40) {
            throw new IllegalArgumentException("ip options: " + options.length + " bytes, at most 40 fit");
        }
        ipOptions = java.util.Arrays.copyOf(options, padded);
        return this;
    }

    /**
     * Makes the packet a fragment at {@code offsetBytes} (a multiple of 8): in IPv4 through the
     * header's offset and MF bit, in IPv6 by adding a fragment header at this point of the chain
     * (carrying the {@link #ipId} set so far).
     */
    public FrameBuilder fragment(int offsetBytes, boolean more) {
        if (offsetBytes < 0 || offsetBytes % 8 != 0 || offsetBytes > 0x1fff * 8) {
            throw new IllegalArgumentException("fragment offset " + offsetBytes + " is not a multiple of 8 in 0..65528");
        }
        if (l3 == L3.IPV6) {
            ByteBuffer b = ByteBuffer.allocate(8);
            b.put(1, (byte) 0).putShort(2, (short) (offsetBytes | (more ? 1 : 0))).putInt(4, ipId);
            return extHeader(FlowKey.IPPROTO_FRAGMENT, b.array());
        }
        requireL3(L3.IPV4, "fragment");
        fragOffsetBytes = offsetBytes;
        moreFragments = more;
        return this;
    }

    /** Adds an 8-byte IPv6 hop-by-hop options header (a PadN option). */
    public FrameBuilder hopByHop() {
        return extHeader(0, padNOptions(8));
    }

    /** Adds an IPv6 destination options header of {@code lengthBytes} (a multiple of 8). */
    public FrameBuilder destOpts(int lengthBytes) {
        return extHeader(60, padNOptions(lengthBytes));
    }

    public FrameBuilder destOpts() {
        return destOpts(8);
    }

    /** Adds an 8-byte IPv6 routing header (type 0, no segments left). */
    public FrameBuilder routing() {
        return extHeader(43, new byte[8]);
    }

    /**
     * Adds an IPv6 extension header of type {@code type}; {@code bytes} is the whole header, whose
     * first byte (next header) is filled in by {@link #build()}.
     */
    public FrameBuilder extHeader(int type, byte[] bytes) {
        requireL3(L3.IPV6, "extension header");
        if (bytes.length < 8) {
            throw new IllegalArgumentException("extension header " + type + ": at least 8 bytes, got " + bytes.length);
        }
        extTypes.add(type);
        extHeaders.add(bytes.clone());
        return this;
    }

    // ---------------------------------------------------------------- ARP

    public FrameBuilder arpOp(int op) {
        arpOp = (int) check("arp op", op, 0xffff);
        return this;
    }

    /** ARP sender hardware address (default: the Ethernet source). */
    public FrameBuilder arpSha(String mac) {
        arpSha = Addresses.parseMac(mac);
        return this;
    }

    /** ARP target hardware address (default: zero). */
    public FrameBuilder arpTha(String mac) {
        arpTha = Addresses.parseMac(mac);
        return this;
    }

    // ---------------------------------------------------------------- L4

    /** TCP/UDP/SCTP ports. */
    public FrameBuilder ports(int src, int dst) {
        srcPort = (int) check("src port", src, 0xffff);
        dstPort = (int) check("dst port", dst, 0xffff);
        return this;
    }

    /** TCP flags (low 12 bits of the offset/flags word; default ACK). */
    public FrameBuilder tcpFlags(int flags) {
        tcpFlags = (int) check("tcp flags", flags, 0xfff);
        return this;
    }

    public FrameBuilder seq(long sequence) {
        seq = sequence;
        return this;
    }

    public FrameBuilder ack(long number) {
        ackNumber = number;
        return this;
    }

    public FrameBuilder window(int bytes) {
        window = (int) check("tcp window", bytes, 0xffff);
        return this;
    }

    /** TCP options, zero-padded to a multiple of 4 bytes (at most 40). */
    public FrameBuilder tcpOptions(byte[] options) {
        int padded = (options.length + 3) & ~3;
        if (padded > 40) {
            throw new IllegalArgumentException("tcp options: " + options.length + " bytes, at most 40 fit");
        }
        tcpOptions = java.util.Arrays.copyOf(options, padded);
        return this;
    }

    /** ICMP or ICMPv6 type and code. */
    public FrameBuilder icmp(int type, int code) {
        icmpType = (int) check("icmp type", type, 0xff);
        icmpCode = (int) check("icmp code", code, 0xff);
        return this;
    }

    /** The 4 bytes after the ICMP checksum (echo id/sequence, ND flags). */
    public FrameBuilder icmpRest(int value) {
        icmpRest = value;
        return this;
    }

    /** ND target address (default: the IPv6 destination). */
    public FrameBuilder ndTarget(String ipv6) {
        ndTarget = Addresses.parseIpv6(ipv6);
        return this;
    }

    /** Adds an ND source link-layer address option. */
    public FrameBuilder sll(String mac) {
        sll = Addresses.parseMac(mac);
        return this;
    }

    /** Adds an ND target link-layer address option. */
    public FrameBuilder tll(String mac) {
        tll = Addresses.parseMac(mac);
        return this;
    }

    /** Whether to fill in the UDP checksum over IPv4 (default yes; IPv6 always has one). */
    public FrameBuilder udpChecksum(boolean compute) {
        udpChecksum = compute;
        return this;
    }

    /**
     * Makes this UDP packet a VXLAN packet: destination port 4789 and a VXLAN header with
     * {@code vni} in front of {@code innerFrame}.
     */
    public FrameBuilder vxlan(int vni, byte[] innerFrame) {
        if (proto != FlowKey.IPPROTO_UDP || rawL4) {
            throw new IllegalStateException("vxlan(): needs a UDP frame");
        }
        check("vni", vni, 0xff_ffff);
        byte[] p = new byte[8 + innerFrame.length];
        p[0] = 0x08;
        p[4] = (byte) (vni >>> 16);
        p[5] = (byte) (vni >>> 8);
        p[6] = (byte) vni;
        System.arraycopy(innerFrame, 0, p, 8, innerFrame.length);
        payload = p;
        dstPort = Frames.VXLAN_PORT;
        return this;
    }

    // ---------------------------------------------------------------- payload and size

    public FrameBuilder payload(byte[] bytes) {
        payload = bytes.clone();
        return this;
    }

    /** Grows the payload with zeros so that the frame is {@code frameBytes} long (no FCS). */
    public FrameBuilder size(int frameBytes) {
        sizeBytes = frameBytes;
        return this;
    }

    /** Adds zero Ethernet padding after the packet up to {@code frameBytes}; IP lengths exclude it. */
    public FrameBuilder pad(int frameBytes) {
        padToBytes = frameBytes;
        return this;
    }

    // ---------------------------------------------------------------- build

    public byte[] build() {
        int l2Bytes = ETH_BYTES + 4 * vlans.size();
        int extBytes = 0;
        for (byte[] e : extHeaders) {
            extBytes += e.length;
        }
        int l3Bytes = l3 == L3.IPV4 ? 20 + ipOptions.length : l3 == L3.IPV6 ? 40 + extBytes : l3 == L3.ARP ? 28 : 0;
        int l4Bytes = l4HeaderBytes();
        int payloadBytes = payload.length;
        int headers = l2Bytes + l3Bytes + l4Bytes;
        if (sizeBytes >= 0) {
            if (sizeBytes < headers + payload.length) {
                throw new IllegalArgumentException("size " + sizeBytes + " is smaller than the headers and payload ("
                        + (headers + payload.length) + " bytes)");
            }
            payloadBytes = sizeBytes - headers;
        }
        int packetEnd = headers + payloadBytes;
        byte[] f = new byte[Math.max(packetEnd, padToBytes)];
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);

        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        int p = 12;
        for (int[] tag : vlans) {
            b.putShort(p, (short) tag[0]).putShort(p + 2, (short) tag[1]);
            p += 4;
        }
        b.putShort(p, (short) ethType);
        int l3Off = l2Bytes;
        int l4Off = l3Off + l3Bytes;
        System.arraycopy(payload, 0, f, l4Off + l4Bytes, payload.length);

        int l4Length = l4Bytes + payloadBytes;
        switch (l3) {
            case ARP:
                writeArp(b, l3Off);
                break;
            case IPV4:
                writeIpv4(b, l3Off, l3Bytes + l4Length);
                break;
            case IPV6:
                writeIpv6(b, l3Off, extBytes + l4Length);
                break;
            default:
                break;
        }
        if (l4Bytes > 0) {
            new L4Writer(b, f, l4Off, l4Length).write();
        }
        return f;
    }

    private boolean isLaterFragment() {
        if (l3 == L3.IPV4) {
            return fragOffsetBytes != 0;
        }
        for (int i = 0; i < extTypes.size(); i++) {
            if (extTypes.get(i) == FlowKey.IPPROTO_FRAGMENT
                    && (ByteBuffer.wrap(extHeaders.get(i)).getShort(2) & 0xfff8) != 0) {
                return true;
            }
        }
        return false;
    }

    private int l4HeaderBytes() {
        if ((l3 != L3.IPV4 && l3 != L3.IPV6) || rawL4 || isLaterFragment()) {
            return 0;
        }
        switch (proto) {
            case FlowKey.IPPROTO_UDP:
                return 8;
            case FlowKey.IPPROTO_TCP:
                return 20 + tcpOptions.length;
            case FlowKey.IPPROTO_SCTP:
                return 12;
            case FlowKey.IPPROTO_ICMP:
                return 8;
            case FlowKey.IPPROTO_ICMPV6:
                return isNd() ? 8 + 16 + (sll >= 0 ? 8 : 0) + (tll >= 0 ? 8 : 0) : 8;
            default:
                return 0;
        }
    }

    private boolean isNd() {
        return icmpCode == 0 && (icmpType == FlowKey.ND_NEIGHBOR_SOLICIT || icmpType == FlowKey.ND_NEIGHBOR_ADVERT);
    }

    private void writeArp(ByteBuffer b, int o) {
        b.putShort(o, (short) 1).putShort(o + 2, (short) FlowKey.ETH_TYPE_IPV4);
        b.put(o + 4, (byte) 6).put(o + 5, (byte) 4).putShort(o + 6, (short) arpOp);
        putMac(b, o + 8, arpSha >= 0 ? arpSha : srcMac);
        b.putInt(o + 14, ip4Src);
        putMac(b, o + 18, arpTha);
        b.putInt(o + 24, ip4Dst);
    }

    private void writeIpv4(ByteBuffer b, int o, int totalLength) {
        if (totalLength > 0xffff) {
            throw new IllegalArgumentException("IPv4 total length " + totalLength + " exceeds 65535");
        }
        int ihl = (20 + ipOptions.length) / 4;
        b.put(o, (byte) (0x40 | ihl)).put(o + 1, (byte) tos).putShort(o + 2, (short) totalLength);
        b.putShort(o + 4, (short) ipId);
        int flagsFrag = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragOffsetBytes / 8);
        b.putShort(o + 6, (short) flagsFrag).put(o + 8, (byte) ttl).put(o + 9, (byte) proto);
        b.putInt(o + 12, ip4Src).putInt(o + 16, ip4Dst);
        System.arraycopy(ipOptions, 0, b.array(), o + 20, ipOptions.length);
        b.putShort(o + 10, (short) Checksums.internet(b.array(), o, ihl * 4));
    }

    private void writeIpv6(ByteBuffer b, int o, int payloadLength) {
        if (payloadLength > 0xffff) {
            throw new IllegalArgumentException("IPv6 payload length " + payloadLength + " exceeds 65535");
        }
        b.putInt(o, (6 << 28) | (tos << 20) | flowLabel).putShort(o + 4, (short) payloadLength);
        b.put(o + 6, (byte) (extTypes.isEmpty() ? proto : extTypes.get(0))).put(o + 7, (byte) ttl);
        b.putLong(o + 8, ip6Src[0]).putLong(o + 16, ip6Src[1]).putLong(o + 24, ip6Dst[0]).putLong(o + 32, ip6Dst[1]);
        int p = o + 40;
        for (int i = 0; i < extHeaders.size(); i++) {
            byte[] e = extHeaders.get(i);
            System.arraycopy(e, 0, b.array(), p, e.length);
            b.put(p, (byte) (i + 1 < extTypes.size() ? extTypes.get(i + 1) : proto));
            p += e.length;
        }
    }

    /** Writes the L4 header over the (already copied) payload and fills its checksum. */
    private final class L4Writer {
        private final ByteBuffer b;
        private final byte[] f;
        private final int o;
        private final int length;

        L4Writer(ByteBuffer b, byte[] f, int o, int length) {
            this.b = b;
            this.f = f;
            this.o = o;
            this.length = length;
        }

        void write() {
            switch (proto) {
                case FlowKey.IPPROTO_UDP:
                    b.putShort(o, (short) srcPort).putShort(o + 2, (short) dstPort).putShort(o + 4, (short) length);
                    if (udpChecksum || l3 == L3.IPV6) {
                        int c = Checksums.fold(pseudoHeaderSum() + Checksums.sum(f, o, length));
                        b.putShort(o + 6, (short) (c == 0 ? 0xffff : c));
                    }
                    break;
                case FlowKey.IPPROTO_TCP:
                    b.putShort(o, (short) srcPort).putShort(o + 2, (short) dstPort);
                    b.putInt(o + 4, (int) seq).putInt(o + 8, (int) ackNumber);
                    int words = (20 + tcpOptions.length) / 4;
                    b.putShort(o + 12, (short) ((words << 12) | tcpFlags)).putShort(o + 14, (short) window);
                    System.arraycopy(tcpOptions, 0, f, o + 20, tcpOptions.length);
                    b.putShort(o + 16, (short) Checksums.fold(pseudoHeaderSum() + Checksums.sum(f, o, length)));
                    break;
                case FlowKey.IPPROTO_SCTP:
                    b.putShort(o, (short) srcPort).putShort(o + 2, (short) dstPort).putInt(o + 4, 0);
                    b.order(ByteOrder.LITTLE_ENDIAN).putInt(o + 8, Checksums.crc32c(f, o, length));
                    b.order(ByteOrder.BIG_ENDIAN);
                    break;
                case FlowKey.IPPROTO_ICMP:
                    b.put(o, (byte) icmpType).put(o + 1, (byte) icmpCode).putInt(o + 4, icmpRest);
                    b.putShort(o + 2, (short) Checksums.internet(f, o, length));
                    break;
                case FlowKey.IPPROTO_ICMPV6:
                    b.put(o, (byte) icmpType).put(o + 1, (byte) icmpCode).putInt(o + 4, icmpRest);
                    if (isNd()) {
                        long[] target = ndTarget != null ? ndTarget : ip6Dst;
                        b.putLong(o + 8, target[0]).putLong(o + 16, target[1]);
                        int p = o + 24;
                        if (sll >= 0) {
                            b.put(p, (byte) 1).put(p + 1, (byte) 1);
                            putMac(b, p + 2, sll);
                            p += 8;
                        }
                        if (tll >= 0) {
                            b.put(p, (byte) 2).put(p + 1, (byte) 1);
                            putMac(b, p + 2, tll);
                        }
                    }
                    b.putShort(o + 2, (short) Checksums.fold(pseudoHeaderSum() + Checksums.sum(f, o, length)));
                    break;
                default:
                    break;
            }
        }

        private long pseudoHeaderSum() {
            ByteBuffer ph;
            if (l3 == L3.IPV4) {
                ph = ByteBuffer.allocate(12).putInt(ip4Src).putInt(ip4Dst).put((byte) 0).put((byte) proto)
                        .putShort((short) length);
            } else {
                ph = ByteBuffer.allocate(40).putLong(ip6Src[0]).putLong(ip6Src[1]).putLong(ip6Dst[0])
                        .putLong(ip6Dst[1]).putInt(length).putInt(proto);
            }
            return Checksums.sum(ph.array(), 0, ph.capacity());
        }
    }

    // ---------------------------------------------------------------- helpers

    private void requireL3(L3 wanted, String what) {
        if (l3 != wanted) {
            throw new IllegalStateException(what + ": needs an " + wanted + " frame, this one is " + l3);
        }
    }

    /** An options header of {@code lengthBytes} filled with PadN options (RFC 8200 4.2). */
    private static byte[] padNOptions(int lengthBytes) {
        if (lengthBytes < 8 || lengthBytes % 8 != 0 || lengthBytes > 2048) {
            throw new IllegalArgumentException("options header length " + lengthBytes + " is not a multiple of 8 in 8..2048");
        }
        byte[] h = new byte[lengthBytes];
        h[1] = (byte) (lengthBytes / 8 - 1);
        int p = 2;
        while (p < lengthBytes) {
            int left = lengthBytes - p;
            if (left == 1) {
                h[p++] = 0; // Pad1
            } else {
                int n = Math.min(left - 2, 255);
                h[p] = 1;
                h[p + 1] = (byte) n;
                p += 2 + n;
            }
        }
        return h;
    }

    private static void putMac(ByteBuffer b, int at, long mac) {
        b.putShort(at, (short) (mac >>> 32)).putInt(at + 2, (int) mac);
    }

    private static long check(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " out of range 0.." + max);
        }
        return value;
    }
}
