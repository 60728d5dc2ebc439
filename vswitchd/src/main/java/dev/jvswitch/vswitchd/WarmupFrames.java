package dev.jvswitch.vswitchd;

/**
 * The frames {@link DatapathWarmup} sends and answers, built and read as plain bytes: a VIF's ARP
 * request, ICMP echo and TCP SYN, the remote endpoint's ARP reply, and the remote chassis's answer
 * to a Geneve frame the datapath pushed (outer and inner addresses swapped, the echo answered, the
 * SYN acknowledged, OVN's option naming the ports the other way, every checksum recomputed).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class WarmupFrames {
    private static final int ETH = 14;
    private static final int ARP = 0x0806;
    private static final int IPV4 = 0x0800;
    private static final int PROTO_ICMP = 1;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int GENEVE_PORT = 6081;
    private static final int UDP = 8;
    /** Outer Ethernet, IPv4, UDP, the Geneve header and OVN's one option's header: where its 4 bytes start. */
    private static final int OVN_OPTION_DATA = ETH + 20 + UDP + 8 + 4;
    private static final long BROADCAST = 0xffff_ffff_ffffL;

    private WarmupFrames() {
    }

    /** {@code srcIp} (at {@code srcMac}) asks who has {@code targetIp}. */
    static byte[] arpRequest(long srcMac, int srcIp, int targetIp) {
        byte[] f = new byte[ETH + 28];
        eth(f, BROADCAST, srcMac, ARP);
        arp(f, 1, srcMac, srcIp, 0, targetIp);
        return f;
    }

    /** An ICMP echo request with 32 bytes of data. */
    static byte[] icmpEcho(long srcMac, long dstMac, int srcIp, int dstIp, int seq) {
        byte[] f = ipv4(srcMac, dstMac, srcIp, dstIp, PROTO_ICMP, 8 + 32);
        int l4 = ETH + 20;
        f[l4] = 8;
        put16(f, l4 + 4, 0x4a56);
        put16(f, l4 + 6, seq);
        l4Checksum(f, ETH);
        return f;
    }

    /** A TCP SYN from {@code sport} to {@code dport}. */
    static byte[] tcpSyn(long srcMac, long dstMac, int srcIp, int dstIp, int sport, int dport) {
        byte[] f = ipv4(srcMac, dstMac, srcIp, dstIp, PROTO_TCP, 20);
        int l4 = ETH + 20;
        put16(f, l4, sport);
        put16(f, l4 + 2, dport);
        put32(f, l4 + 4, 0x1000_0000 + sport);
        f[l4 + 12] = 0x50;
        f[l4 + 13] = 0x02;
        put16(f, l4 + 14, 0xffff);
        l4Checksum(f, ETH);
        return f;
    }

    /** Whether {@code f} is an ARP request for {@code target} (not an announcement of the asker's own). */
    static boolean isArpRequest(byte[] f, int target) {
        return f.length >= ETH + 28 && get16(f, 12) == ARP && get16(f, ETH + 6) == 1 && get32(f, ETH + 24) == target;
    }

    static boolean isGeneve(byte[] f) {
        return f.length > OVN_OPTION_DATA + 4 + ETH + 20 && get16(f, 12) == IPV4 && f[ETH + 9] == PROTO_UDP
                && get16(f, ETH + 22) == GENEVE_PORT;
    }

    /** {@code ip} at {@code mac} answers the ARP request {@code request}. */
    static byte[] arpReply(long mac, int ip, byte[] request) {
        long askerMac = get48(request, ETH + 8);
        int askerIp = get32(request, ETH + 14);
        byte[] f = new byte[ETH + 28];
        eth(f, askerMac, mac, ARP);
        arp(f, 2, mac, ip, askerMac, askerIp);
        return f;
    }

    /**
     * The remote chassis's answer to the Geneve frame {@code pushed}, or null if its inner frame
     * is neither an ICMP echo nor a TCP SYN.
     */
    static byte[] remoteReply(byte[] pushed, int innerAt) {
        byte[] f = pushed.clone();
        int inner = innerAt;
        if (inner + ETH + 20 > f.length || get16(f, inner + 12) != IPV4) {
            return null;
        }
        int ip = inner + ETH;
        int l4 = ip + (f[ip] & 0x0f) * 4;
        int proto = f[ip + 9];
        if (proto == PROTO_ICMP && f[l4] == 8) {
            f[l4] = 0;
        } else if (proto == PROTO_TCP && f[l4 + 13] == 0x02) {
            swap(f, l4, l4 + 2, 2);
            put32(f, l4 + 8, get32(f, l4 + 4) + 1);
            put32(f, l4 + 4, 0x2000_0000);
            f[l4 + 13] = 0x12;
        } else {
            return null;
        }
        swap(f, inner, inner + 6, 6);
        swap(f, ip + 12, ip + 16, 4);
        l4Checksum(f, inner + ETH);
        // OVN's option: ingress port (bits 16..30) and egress port (0..15), now the other way round.
        int opt = get32(f, OVN_OPTION_DATA);
        put32(f, OVN_OPTION_DATA, (opt & 0xffff) << 16 | opt >>> 16 & 0x7fff);
        swap(f, 0, 6, 6);
        // Outer addresses the other way; the UDP ports stay (a source port of the flow's, to 6081).
        swap(f, ETH + 12, ETH + 16, 4);
        ipChecksum(f, ETH);
        l4Checksum(f, ETH);
        return f;
    }

    private static byte[] ipv4(long srcMac, long dstMac, int srcIp, int dstIp, int proto, int l4Bytes) {
        byte[] f = new byte[ETH + 20 + l4Bytes];
        eth(f, dstMac, srcMac, IPV4);
        int ip = ETH;
        f[ip] = 0x45;
        put16(f, ip + 2, 20 + l4Bytes);
        put16(f, ip + 6, 0x4000);
        f[ip + 8] = 64;
        f[ip + 9] = (byte) proto;
        put32(f, ip + 12, srcIp);
        put32(f, ip + 16, dstIp);
        ipChecksum(f, ip);
        return f;
    }

    private static void eth(byte[] f, long dst, long src, int type) {
        put48(f, 0, dst);
        put48(f, 6, src);
        put16(f, 12, type);
    }

    private static void arp(byte[] f, int op, long sha, int spa, long tha, int tpa) {
        int a = ETH;
        put16(f, a, 1);
        put16(f, a + 2, IPV4);
        f[a + 4] = 6;
        f[a + 5] = 4;
        put16(f, a + 6, op);
        put48(f, a + 8, sha);
        put32(f, a + 14, spa);
        put48(f, a + 18, tha);
        put32(f, a + 24, tpa);
    }

    private static void ipChecksum(byte[] f, int ip) {
        int len = (f[ip] & 0x0f) * 4;
        put16(f, ip + 10, 0);
        put16(f, ip + 10, fold(sum(f, ip, len, 0)));
    }

    /** The L4 checksum of the IPv4 packet at {@code ip} (ICMP over its bytes; TCP and UDP with the pseudo-header). */
    private static void l4Checksum(byte[] f, int ip) {
        int l4 = ip + (f[ip] & 0x0f) * 4;
        int len = get16(f, ip + 2) - (l4 - ip);
        int proto = f[ip + 9];
        int at = proto == PROTO_ICMP ? l4 + 2 : proto == PROTO_TCP ? l4 + 16 : l4 + 6;
        put16(f, at, 0);
        long s = proto == PROTO_ICMP ? 0 : sum(f, ip + 12, 8, proto + len);
        int c = fold(sum(f, l4, len, s));
        put16(f, at, proto == PROTO_UDP && c == 0 ? 0xffff : c);
    }

    private static long sum(byte[] f, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            s += get16(f, off + i);
        }
        if ((len & 1) != 0) {
            s += (f[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    private static int fold(long s) {
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) ~s & 0xffff;
    }

    private static void swap(byte[] f, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            byte t = f[a + i];
            f[a + i] = f[b + i];
            f[b + i] = t;
        }
    }

    private static int get16(byte[] f, int at) {
        return (f[at] & 0xff) << 8 | f[at + 1] & 0xff;
    }

    private static int get32(byte[] f, int at) {
        return get16(f, at) << 16 | get16(f, at + 2);
    }

    private static long get48(byte[] f, int at) {
        return (long) get16(f, at) << 32 | get32(f, at + 2) & 0xffff_ffffL;
    }

    private static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static void put32(byte[] f, int at, int v) {
        put16(f, at, v >>> 16);
        put16(f, at + 2, v);
    }

    private static void put48(byte[] f, int at, long v) {
        put16(f, at, (int) (v >>> 32));
        put32(f, at + 2, (int) v);
    }
}
