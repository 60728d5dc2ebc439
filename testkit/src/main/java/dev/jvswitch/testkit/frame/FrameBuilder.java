package dev.jvswitch.testkit.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;


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

    private static final int TCP_ACK = 0x010;

    // The description, package-private because FrameEncoder reads it.
    final L3 l3;
    final int proto;
    /** True when the L4 bytes are the payload alone, whatever {@link #proto} says. */
    final boolean rawL4;

    long srcMac = AddressText.parseMac(Frames.DEFAULT_SRC_MAC);
    long dstMac = AddressText.parseMac(Frames.DEFAULT_DST_MAC);
    final List<int[]> vlans = new ArrayList<>();
    int ethType;

    int ip4Src = AddressText.parseIpv4(Frames.DEFAULT_SRC_IPV4);
    int ip4Dst = AddressText.parseIpv4(Frames.DEFAULT_DST_IPV4);
    long[] ip6Src = AddressText.parseIpv6(Frames.DEFAULT_SRC_IPV6);
    long[] ip6Dst = AddressText.parseIpv6(Frames.DEFAULT_DST_IPV6);
    int ttl = 64;
    int tos;
    int ipId;
    int flowLabel;
    boolean dontFragment;
    int fragOffsetBytes;
    boolean moreFragments;
    byte[] ipOptions = new byte[0];
    final List<byte[]> extHeaders = new ArrayList<>();
    final List<Integer> extTypes = new ArrayList<>();

    int srcPort;
    int dstPort;
    int tcpFlags = TCP_ACK;
    long seq;
    long ackNumber;
    int window = 65535;
    byte[] tcpOptions = new byte[0];
    int icmpType;
    int icmpCode;
    int icmpRest;
    long[] ndTarget;
    long sll = -1;
    long tll = -1;

    int arpOp = 1;
    long arpSha = -1;
    long arpTha;

    byte[] payload = new byte[0];
    int sizeBytes = -1;
    int padToBytes;
    boolean udpChecksum = true;

    FrameBuilder(L3 l3, int proto, boolean rawL4) {
        this.l3 = l3;
        this.proto = proto;
        this.rawL4 = rawL4;
        this.ethType = l3 == L3.IPV4 ? Proto.ETH_TYPE_IPV4 : l3 == L3.IPV6 ? Proto.ETH_TYPE_IPV6
                : l3 == L3.ARP ? Proto.ETH_TYPE_ARP : 0;
    }

    // ---------------------------------------------------------------- L2

    public FrameBuilder src(String mac) {
        return src(AddressText.parseMac(mac));
    }

    public FrameBuilder src(long mac) {
        srcMac = check("src MAC", mac, 0xffff_ffff_ffffL);
        return this;
    }

    public FrameBuilder dst(String mac) {
        return dst(AddressText.parseMac(mac));
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
        return vlanTag(Proto.ETH_TYPE_VLAN_8021Q, vid, 0);
    }

    public FrameBuilder vlan(int vid, int pcp) {
        return vlanTag(Proto.ETH_TYPE_VLAN_8021Q, vid, pcp);
    }

    /** An 802.1ad service tag around an 802.1Q customer tag. */
    public FrameBuilder qinq(int outerVid, int innerVid) {
        return vlanTag(Proto.ETH_TYPE_VLAN_8021AD, outerVid, 0).vlanTag(Proto.ETH_TYPE_VLAN_8021Q, innerVid, 0);
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
                ip4Src = AddressText.parseIpv4(src);
                ip4Dst = AddressText.parseIpv4(dst);
                return this;
            case IPV6:
                ip6Src = AddressText.parseIpv6(src);
                ip6Dst = AddressText.parseIpv6(dst);
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
            return extHeader(Proto.IPPROTO_FRAGMENT, b.array());
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
        arpSha = AddressText.parseMac(mac);
        return this;
    }

    /** ARP target hardware address (default: zero). */
    public FrameBuilder arpTha(String mac) {
        arpTha = AddressText.parseMac(mac);
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
        ndTarget = AddressText.parseIpv6(ipv6);
        return this;
    }

    /** Adds an ND source link-layer address option. */
    public FrameBuilder sll(String mac) {
        sll = AddressText.parseMac(mac);
        return this;
    }

    /** Adds an ND target link-layer address option. */
    public FrameBuilder tll(String mac) {
        tll = AddressText.parseMac(mac);
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
        if (proto != Proto.IPPROTO_UDP || rawL4) {
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

    /**
     * Makes this UDP packet a Geneve packet (RFC 8926): destination port 6081, version 0,
     * protocol 0x6558, {@code vni}, the OAM flag if asked, and {@code options} (raw option bytes,
     * a multiple of 4) with the critical flag set when one of their types has the high bit, in
     * front of {@code innerFrame}.
     */
    public FrameBuilder geneve(int vni, boolean oam, byte[] options, byte[] innerFrame) {
        if (proto != Proto.IPPROTO_UDP || rawL4) {
            throw new IllegalStateException("geneve(): needs a UDP frame");
        }
        check("vni", vni, 0xff_ffff);
        if (options.length % 4 != 0 || options.length > 252) {
            throw new IllegalArgumentException("geneve(): options must be a multiple of 4 bytes up to 252");
        }
        boolean critical = false;
        for (int i = 0; i + 4 <= options.length; i += 4 + (options[i + 3] & 0x1f) * 4) {
            critical |= (options[i + 2] & 0x80) != 0;
        }
        byte[] p = new byte[8 + options.length + innerFrame.length];
        p[0] = (byte) (options.length / 4);
        p[1] = (byte) ((oam ? 0x80 : 0) | (critical ? 0x40 : 0));
        p[2] = 0x65;
        p[3] = 0x58;
        p[4] = (byte) (vni >>> 16);
        p[5] = (byte) (vni >>> 8);
        p[6] = (byte) vni;
        System.arraycopy(options, 0, p, 8, options.length);
        System.arraycopy(innerFrame, 0, p, 8 + options.length, innerFrame.length);
        payload = p;
        dstPort = Frames.GENEVE_PORT;
        return this;
    }

    /** One Geneve option: {@code class}, {@code type}, and {@code data} (a multiple of 4 bytes). */
    public static byte[] geneveOption(int optionClass, int type, byte[] data) {
        byte[] o = new byte[4 + data.length];
        o[0] = (byte) (optionClass >>> 8);
        o[1] = (byte) optionClass;
        o[2] = (byte) type;
        o[3] = (byte) (data.length / 4);
        System.arraycopy(data, 0, o, 4, data.length);
        return o;
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

    /** The frame's bytes, lengths and checksums filled in. */
    public byte[] build() {
        return new FrameEncoder(this).encode();
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


    private static long check(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " out of range 0.." + max);
        }
        return value;
    }
}
