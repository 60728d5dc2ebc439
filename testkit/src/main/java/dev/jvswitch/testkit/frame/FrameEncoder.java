package dev.jvswitch.testkit.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.jvswitch.testkit.frame.FrameBuilder.L3;

/**
 * Turns a {@link FrameBuilder}'s description into bytes: lays the headers out, fills every length
 * field and checksum. One encoder per {@code build()} call.
 */
final class FrameEncoder {
    private static final int ETH_BYTES = 14;

    private final FrameBuilder d;

    FrameEncoder(FrameBuilder description) {
        this.d = description;
    }

    byte[] encode() {
        int l2Bytes = ETH_BYTES + 4 * d.vlans.size();
        int extBytes = 0;
        for (byte[] e : d.extHeaders) {
            extBytes += e.length;
        }
        int l3Bytes = d.l3 == L3.IPV4 ? 20 + d.ipOptions.length : d.l3 == L3.IPV6 ? 40 + extBytes : d.l3 == L3.ARP ? 28 : 0;
        int l4Bytes = l4HeaderBytes();
        int payloadBytes = d.payload.length;
        int headers = l2Bytes + l3Bytes + l4Bytes;
        if (d.sizeBytes >= 0) {
            if (d.sizeBytes < headers + d.payload.length) {
                throw new IllegalArgumentException("size " + d.sizeBytes + " is smaller than the headers and payload ("
                        + (headers + d.payload.length) + " bytes)");
            }
            payloadBytes = d.sizeBytes - headers;
        }
        int packetEnd = headers + payloadBytes;
        byte[] f = new byte[Math.max(packetEnd, d.padToBytes)];
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);

        putMac(b, 0, d.dstMac);
        putMac(b, 6, d.srcMac);
        int p = 12;
        for (int[] tag : d.vlans) {
            b.putShort(p, (short) tag[0]).putShort(p + 2, (short) tag[1]);
            p += 4;
        }
        b.putShort(p, (short) d.ethType);
        int l3Off = l2Bytes;
        int l4Off = l3Off + l3Bytes;
        System.arraycopy(d.payload, 0, f, l4Off + l4Bytes, d.payload.length);

        int l4Length = l4Bytes + payloadBytes;
        switch (d.l3) {
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
        if (d.l3 == L3.IPV4) {
            return d.fragOffsetBytes != 0;
        }
        for (int i = 0; i < d.extTypes.size(); i++) {
            if (d.extTypes.get(i) == Proto.IPPROTO_FRAGMENT
                    && (ByteBuffer.wrap(d.extHeaders.get(i)).getShort(2) & 0xfff8) != 0) {
                return true;
            }
        }
        return false;
    }

    private int l4HeaderBytes() {
        if ((d.l3 != L3.IPV4 && d.l3 != L3.IPV6) || d.rawL4 || isLaterFragment()) {
            return 0;
        }
        switch (d.proto) {
            case Proto.IPPROTO_UDP:
                return 8;
            case Proto.IPPROTO_TCP:
                return 20 + d.tcpOptions.length;
            case Proto.IPPROTO_SCTP:
                return 12;
            case Proto.IPPROTO_ICMP:
                return 8;
            case Proto.IPPROTO_ICMPV6:
                return isNd() ? 8 + 16 + (d.sll >= 0 ? 8 : 0) + (d.tll >= 0 ? 8 : 0) : 8;
            default:
                return 0;
        }
    }

    private boolean isNd() {
        return d.icmpCode == 0 && (d.icmpType == Proto.ND_NEIGHBOR_SOLICIT || d.icmpType == Proto.ND_NEIGHBOR_ADVERT);
    }

    private void writeArp(ByteBuffer b, int o) {
        b.putShort(o, (short) 1).putShort(o + 2, (short) Proto.ETH_TYPE_IPV4);
        b.put(o + 4, (byte) 6).put(o + 5, (byte) 4).putShort(o + 6, (short) d.arpOp);
        putMac(b, o + 8, d.arpSha >= 0 ? d.arpSha : d.srcMac);
        b.putInt(o + 14, d.ip4Src);
        putMac(b, o + 18, d.arpTha);
        b.putInt(o + 24, d.ip4Dst);
    }

    private void writeIpv4(ByteBuffer b, int o, int totalLength) {
        if (totalLength > 0xffff) {
            throw new IllegalArgumentException("IPv4 total length " + totalLength + " exceeds 65535");
        }
        int ihl = (20 + d.ipOptions.length) / 4;
        b.put(o, (byte) (0x40 | ihl)).put(o + 1, (byte) d.tos).putShort(o + 2, (short) totalLength);
        b.putShort(o + 4, (short) d.ipId);
        int flagsFrag = (d.dontFragment ? 0x4000 : 0) | (d.moreFragments ? 0x2000 : 0) | (d.fragOffsetBytes / 8);
        b.putShort(o + 6, (short) flagsFrag).put(o + 8, (byte) d.ttl).put(o + 9, (byte) d.proto);
        b.putInt(o + 12, d.ip4Src).putInt(o + 16, d.ip4Dst);
        System.arraycopy(d.ipOptions, 0, b.array(), o + 20, d.ipOptions.length);
        b.putShort(o + 10, (short) Checksums.internet(b.array(), o, ihl * 4));
    }

    private void writeIpv6(ByteBuffer b, int o, int payloadLength) {
        if (payloadLength > 0xffff) {
            throw new IllegalArgumentException("IPv6 payload length " + payloadLength + " exceeds 65535");
        }
        b.putInt(o, (6 << 28) | (d.tos << 20) | d.flowLabel).putShort(o + 4, (short) payloadLength);
        b.put(o + 6, (byte) (d.extTypes.isEmpty() ? d.proto : d.extTypes.get(0))).put(o + 7, (byte) d.ttl);
        b.putLong(o + 8, d.ip6Src[0]).putLong(o + 16, d.ip6Src[1]).putLong(o + 24, d.ip6Dst[0]).putLong(o + 32, d.ip6Dst[1]);
        int p = o + 40;
        for (int i = 0; i < d.extHeaders.size(); i++) {
            byte[] e = d.extHeaders.get(i);
            System.arraycopy(e, 0, b.array(), p, e.length);
            b.put(p, (byte) (i + 1 < d.extTypes.size() ? d.extTypes.get(i + 1) : d.proto));
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
            switch (d.proto) {
                case Proto.IPPROTO_UDP:
                    b.putShort(o, (short) d.srcPort).putShort(o + 2, (short) d.dstPort).putShort(o + 4, (short) length);
                    if (d.udpChecksum || d.l3 == L3.IPV6) {
                        int c = Checksums.fold(pseudoHeaderSum() + Checksums.sum(f, o, length));
                        b.putShort(o + 6, (short) (c == 0 ? 0xffff : c));
                    }
                    break;
                case Proto.IPPROTO_TCP:
                    b.putShort(o, (short) d.srcPort).putShort(o + 2, (short) d.dstPort);
                    b.putInt(o + 4, (int) d.seq).putInt(o + 8, (int) d.ackNumber);
                    int words = (20 + d.tcpOptions.length) / 4;
                    b.putShort(o + 12, (short) ((words << 12) | d.tcpFlags)).putShort(o + 14, (short) d.window);
                    System.arraycopy(d.tcpOptions, 0, f, o + 20, d.tcpOptions.length);
                    b.putShort(o + 16, (short) Checksums.fold(pseudoHeaderSum() + Checksums.sum(f, o, length)));
                    break;
                case Proto.IPPROTO_SCTP:
                    b.putShort(o, (short) d.srcPort).putShort(o + 2, (short) d.dstPort).putInt(o + 4, 0);
                    b.order(ByteOrder.LITTLE_ENDIAN).putInt(o + 8, Checksums.crc32c(f, o, length));
                    b.order(ByteOrder.BIG_ENDIAN);
                    break;
                case Proto.IPPROTO_ICMP:
                    b.put(o, (byte) d.icmpType).put(o + 1, (byte) d.icmpCode).putInt(o + 4, d.icmpRest);
                    b.putShort(o + 2, (short) Checksums.internet(f, o, length));
                    break;
                case Proto.IPPROTO_ICMPV6:
                    b.put(o, (byte) d.icmpType).put(o + 1, (byte) d.icmpCode).putInt(o + 4, d.icmpRest);
                    if (isNd()) {
                        long[] target = d.ndTarget != null ? d.ndTarget : d.ip6Dst;
                        b.putLong(o + 8, target[0]).putLong(o + 16, target[1]);
                        int p = o + 24;
                        if (d.sll >= 0) {
                            b.put(p, (byte) 1).put(p + 1, (byte) 1);
                            putMac(b, p + 2, d.sll);
                            p += 8;
                        }
                        if (d.tll >= 0) {
                            b.put(p, (byte) 2).put(p + 1, (byte) 1);
                            putMac(b, p + 2, d.tll);
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
            if (d.l3 == L3.IPV4) {
                ph = ByteBuffer.allocate(12).putInt(d.ip4Src).putInt(d.ip4Dst).put((byte) 0).put((byte) d.proto)
                        .putShort((short) length);
            } else {
                ph = ByteBuffer.allocate(40).putLong(d.ip6Src[0]).putLong(d.ip6Src[1]).putLong(d.ip6Dst[0])
                        .putLong(d.ip6Dst[1]).putInt(length).putInt(d.proto);
            }
            return Checksums.sum(ph.array(), 0, ph.capacity());
        }
    }

    private static void putMac(ByteBuffer b, int at, long mac) {
        b.putShort(at, (short) (mac >>> 32)).putInt(at + 2, (int) mac);
    }
}
