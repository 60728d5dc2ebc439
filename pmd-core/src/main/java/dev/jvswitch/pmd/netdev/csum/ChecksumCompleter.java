package dev.jvswitch.pmd.netdev.csum;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.mempool.Mbuf;

/**
 * Completes the TCP or UDP checksum of a frame that a sender on this host left for checksum
 * offload (its checksum field holds only the folded pseudo-header sum), for every port type that
 * receives such frames from a veth.
 *
 * <p><b>Why here.</b> A frame received from a veth whose peer has tx checksum offload on (the
 * default) arrives with the checksum unfinished. The kernel would finish it on the way out of a
 * real NIC, but the switch sends the frame on through a socket whose frames the kernel treats as
 * complete, so without this step the receiver drops the frame as corrupt. Completing the checksum
 * in software lets users keep offload on their veths. Neither AF_PACKET nor AF_XDP says where the
 * checksum starts, so the headers are parsed: Ethernet, up to two VLAN tags, IPv4 or IPv6 (with
 * hop-by-hop and destination options headers), then TCP or UDP. Anything else (SCTP's CRC32c,
 * IPv6 routing headers) is passed on as it is and counted by the caller. The code lives in
 * pmd-core because the AF_PACKET and AF_XDP modules share a floor and may not import each other.
 *
 * <p><b>Two entry points.</b> An AF_PACKET ring flags such a frame ({@code TP_STATUS_CSUMNOTREADY}),
 * so {@link #complete} finishes a frame the caller already knows to be partial. AF_XDP carries no
 * per-frame checksum status, so {@link #completeIfPartial} recognises the partial form itself: it
 * sums the pseudo-header (a dozen loads) and writes the full checksum only when the checksum field
 * equals that sum. A finished checksum equals the pseudo-header sum only by chance (one frame in
 * 65 536), and then computing it again gives the same value, so a correct frame is never changed;
 * only a corrupt frame whose checksum happens to equal its pseudo-header sum would be "repaired",
 * a risk far below the checksum's own.
 *
 * <p>Every read is checked against the packet's length, whatever its bytes claim.
 */
public final class ChecksumCompleter {
    private static final ByteOrder NET = ByteOrder.BIG_ENDIAN;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_DEST_OPTS = 60;

    private ChecksumCompleter() {
    }

    /**
     * Writes the full TCP/UDP checksum into {@code m}, which the caller knows to be partial.
     *
     * @return false, changing nothing, if the frame is not TCP or UDP over IPv4 or IPv6 in one
     *         piece within the packet's bytes
     */
    public static boolean complete(Mbuf m) {
        return complete(m, false);
    }

    /**
     * Completes {@code m}'s TCP/UDP checksum if it is in the partial form.
     *
     * @return true if the checksum was completed; false, changing nothing, for any other frame
     */
    public static boolean completeIfPartial(Mbuf m) {
        return complete(m, true);
    }

    private static boolean complete(Mbuf m, boolean onlyIfPartial) {
        UnsafeBuffer b = m.buffer();
        int base = m.dataOffset();
        int len = m.length();
        int off = 12;
        if (len < off + 2) {
            return false;
        }
        int type = b.getShort(base + off, NET) & 0xffff;
        off += 2;
        for (int tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8); tags++) {
            if (off + 4 > len) {
                return false;
            }
            type = b.getShort(base + off + 2, NET) & 0xffff;
            off += 4;
        }
        if (type == 0x0800) {
            return ipv4(b, base, len, off, onlyIfPartial);
        }
        if (type == 0x86dd) {
            return ipv6(b, base, len, off, onlyIfPartial);
        }
        return false;
    }

    private static boolean ipv4(UnsafeBuffer b, int base, int len, int l3, boolean onlyIfPartial) {
        if (l3 + 20 > len) {
            return false;
        }
        int versionIhl = b.getByte(base + l3) & 0xff;
        int ihl = (versionIhl & 0xf) * 4;
        int total = b.getShort(base + l3 + 2, NET) & 0xffff;
        int fragment = b.getShort(base + l3 + 6, NET) & 0x3fff;
        if ((versionIhl >> 4) != 4 || ihl < 20 || total < ihl || l3 + total > len || fragment != 0) {
            return false;
        }
        int proto = b.getByte(base + l3 + 9) & 0xff;
        int l4Length = total - ihl;
        long sum = sum(b, base + l3 + 12, 8) + proto + l4Length;
        return finish(b, base + l3 + ihl, l4Length, proto, sum, onlyIfPartial);
    }

    private static boolean ipv6(UnsafeBuffer b, int base, int len, int l3, boolean onlyIfPartial) {
        if (l3 + 40 > len || ((b.getByte(base + l3) & 0xff) >> 4) != 6) {
            return false;
        }
        int end = l3 + 40 + (b.getShort(base + l3 + 4, NET) & 0xffff);
        if (end > len) {
            return false;
        }
        int next = b.getByte(base + l3 + 6) & 0xff;
        int l4 = l3 + 40;
        for (int i = 0; i < 4 && (next == IPV6_HOP_BY_HOP || next == IPV6_DEST_OPTS); i++) {
            if (l4 + 8 > end) {
                return false;
            }
            int following = b.getByte(base + l4) & 0xff;
            l4 += ((b.getByte(base + l4 + 1) & 0xff) + 1) * 8;
            next = following;
        }
        if (l4 > end) {
            return false;
        }
        int l4Length = end - l4;
        long sum = sum(b, base + l3 + 8, 32) + next + l4Length;
        return finish(b, base + l4, l4Length, next, sum, onlyIfPartial);
    }

    private static boolean finish(UnsafeBuffer b, int l4, int l4Length, int proto, long pseudoSum,
            boolean onlyIfPartial) {
        int field;
        if (proto == PROTO_TCP && l4Length >= 20) {
            field = l4 + 16;
        } else if (proto == PROTO_UDP && l4Length >= 8) {
            field = l4 + 6;
        } else {
            return false;
        }
        if (onlyIfPartial && (b.getShort(field, NET) & 0xffff) != fold(pseudoSum)) {
            return false;
        }
        b.putShort(field, (short) 0, NET);
        int checksum = ~fold(pseudoSum + sum(b, l4, l4Length)) & 0xffff;
        if (proto == PROTO_UDP && checksum == 0) {
            checksum = 0xffff; // 0 means "no checksum" in UDP
        }
        b.putShort(field, (short) checksum, NET);
        return true;
    }

    /** The ones'-complement sum of {@code length} bytes at {@code index}, not yet folded. */
    static long sum(UnsafeBuffer b, int index, int length) {
        long sum = 0;
        int i = index;
        int end = index + length;
        for (; i + 4 <= end; i += 4) {
            sum += b.getInt(i, NET) & 0xffffffffL;
        }
        if (i + 2 <= end) {
            sum += b.getShort(i, NET) & 0xffff;
            i += 2;
        }
        if (i < end) {
            sum += (b.getByte(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits with end-around carries. */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
