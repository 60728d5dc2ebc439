package dev.jvswitch.pmd.exec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;

/**
 * Builds test frames byte by byte, with every length and checksum right, and remembers where
 * each header starts so a test can set the mbuf's offsets without the parser.
 */
final class TestFrame {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMPV6 = 58;
    static final int SCTP = 132;

    /** A built frame: its bytes and header offsets (-1 when absent). */
    record Frame(byte[] bytes, int l2, int l3, int l4) {
        Mbuf load(MbufCache cache) {
            Mbuf m = cache.get();
            if (m == null) {
                throw new IllegalStateException("test pool exhausted");
            }
            m.copyFrom(bytes, 0, bytes.length);
            m.headerOffsets(l2, l3, l4);
            return m;
        }
    }

    private long ethDst = 0x020000000002L;
    private long ethSrc = 0x020000000001L;
    private final List<int[]> vlans = new ArrayList<>();
    private int ipVersion = 4;
    private int ipv4Src = 0x0a000001;
    private int ipv4Dst = 0x0a000002;
    private int tos = 0;
    private int ttl = 64;
    private int fragField = 0x4000;
    private byte[] ipv6Src = addr6(0x20010db8, 1);
    private byte[] ipv6Dst = addr6(0x20010db8, 2);
    private int tclass = 0;
    private int label = 0x12345;
    private final List<byte[]> ipv6Ext = new ArrayList<>();
    private final List<Integer> ipv6ExtTypes = new ArrayList<>();
    private byte[] routingFinalDst;
    private boolean laterFragment;
    private int proto = UDP;
    private int srcPort = 1234;
    private int dstPort = 80;
    private int payloadBytes = 18;
    private boolean udpZeroChecksum;
    private int padTo;

    static TestFrame ipv4(int proto) {
        TestFrame f = new TestFrame();
        f.ipVersion = 4;
        f.proto = proto;
        return f;
    }

    static TestFrame ipv6(int proto) {
        TestFrame f = new TestFrame();
        f.ipVersion = 6;
        f.proto = proto;
        return f;
    }

    TestFrame vlan(int tpid, int tci) {
        vlans.add(new int[] {tpid, tci});
        return this;
    }

    TestFrame ipv4Addrs(int src, int dst) {
        ipv4Src = src;
        ipv4Dst = dst;
        return this;
    }

    TestFrame tosTtl(int tosValue, int ttlValue) {
        tos = tosValue;
        ttl = ttlValue;
        return this;
    }

    TestFrame ports(int src, int dst) {
        srcPort = src;
        dstPort = dst;
        return this;
    }

    TestFrame payload(int bytes) {
        payloadBytes = bytes;
        return this;
    }

    TestFrame udpWithoutChecksum() {
        udpZeroChecksum = true;
        return this;
    }

    /** Pads the Ethernet frame with zeros to {@code bytes} (the 60-byte minimum, say). */
    TestFrame padTo(int bytes) {
        padTo = bytes;
        return this;
    }

    /** An IPv4 fragment with a non-zero offset: no L4 header, l4 offset -1. */
    TestFrame laterFragment() {
        laterFragment = true;
        fragField = 0x00b9;
        return this;
    }

    TestFrame hopByHop() {
        ipv6ExtTypes.add(0);
        ipv6Ext.add(new byte[] {0, 0, 1, 4, 0, 0, 0, 0}); // PadN option
        return this;
    }

    /** A routing header (type 0 layout) with one segment left, whose address is the final destination. */
    TestFrame routingToFinal(byte[] finalDst) {
        ipv6ExtTypes.add(43);
        byte[] rh = new byte[24];
        rh[1] = 2;
        rh[3] = 1;
        System.arraycopy(finalDst, 0, rh, 8, 16);
        ipv6Ext.add(rh);
        routingFinalDst = finalDst;
        return this;
    }

    static byte[] addr6(int prefix, int suffix) {
        return ByteBuffer.allocate(16).putInt(prefix).putInt(0).putInt(0).putInt(suffix).array();
    }

    Frame build() {
        byte[] l4 = laterFragment ? new byte[payloadBytes] : transport();
        ByteBuffer out = ByteBuffer.allocate(4096);
        putMac(out, ethDst);
        putMac(out, ethSrc);
        for (int[] tag : vlans) {
            out.putShort((short) tag[0]).putShort((short) tag[1]);
        }
        out.putShort((short) (ipVersion == 4 ? 0x0800 : 0x86dd));
        int l3 = out.position();
        int l4Offset;
        if (ipVersion == 4) {
            int start = out.position();
            out.put((byte) 0x45).put((byte) tos).putShort((short) (20 + l4.length)).putShort((short) 0x1234)
                    .putShort((short) fragField).put((byte) ttl).put((byte) proto).putShort((short) 0)
                    .putInt(ipv4Src).putInt(ipv4Dst);
            byte[] header = new byte[20];
            out.get(start, header);
            out.putShort(start + 10, (short) PacketChecks.internetChecksum(header, 0, 20, 0));
        } else {
            int extLen = 0;
            for (byte[] e : ipv6Ext) {
                extLen += e.length;
            }
            int first = ipv6ExtTypes.isEmpty() ? proto : ipv6ExtTypes.get(0);
            out.putInt(6 << 28 | tclass << 20 | label).putShort((short) (extLen + l4.length)).put((byte) first)
                    .put((byte) 64).put(ipv6Src).put(ipv6Dst);
            for (int i = 0; i < ipv6Ext.size(); i++) {
                byte[] e = ipv6Ext.get(i).clone();
                e[0] = (byte) (i + 1 < ipv6Ext.size() ? ipv6ExtTypes.get(i + 1) : proto);
                out.put(e);
            }
        }
        l4Offset = out.position();
        out.put(l4);
        while (out.position() < padTo) {
            out.put((byte) 0);
        }
        byte[] bytes = new byte[out.position()];
        out.get(0, bytes);
        return new Frame(bytes, 0, l3, laterFragment ? -1 : l4Offset);
    }

    private byte[] transport() {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 3);
        }
        ByteBuffer b;
        int csumAt;
        switch (proto) {
            case TCP -> {
                b = ByteBuffer.allocate(20 + payload.length);
                b.putShort((short) srcPort).putShort((short) dstPort).putInt(0x01020304).putInt(0x05060708)
                        .putShort((short) 0x5018).putShort((short) 0xffff).putShort((short) 0).putShort((short) 0)
                        .put(payload);
                csumAt = 16;
            }
            case UDP -> {
                b = ByteBuffer.allocate(8 + payload.length);
                b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length))
                        .putShort((short) 0).put(payload);
                csumAt = udpZeroChecksum ? -1 : 6;
            }
            case ICMPV6 -> {
                b = ByteBuffer.allocate(8 + payload.length);
                b.put((byte) 128).put((byte) 0).putShort((short) 0).putShort((short) 7).putShort((short) 1).put(payload);
                csumAt = 2;
            }
            case SCTP -> {
                int chunk = 16 + payload.length;
                int padded = (chunk + 3) & ~3;
                b = ByteBuffer.allocate(12 + padded);
                b.putShort((short) srcPort).putShort((short) dstPort).putInt(0xcafef00d).putInt(0);
                b.put((byte) 0).put((byte) 3).putShort((short) chunk).putInt(1).putShort((short) 0).putShort((short) 0)
                        .putInt(0).put(payload);
                byte[] bytes = b.array();
                CRC32C crc = new CRC32C();
                crc.update(bytes, 0, bytes.length);
                int v = (int) crc.getValue();
                bytes[8] = (byte) v;
                bytes[9] = (byte) (v >>> 8);
                bytes[10] = (byte) (v >>> 16);
                bytes[11] = (byte) (v >>> 24);
                return bytes;
            }
            default -> throw new IllegalArgumentException("proto " + proto);
        }
        byte[] bytes = b.array();
        if (csumAt >= 0) {
            int sum = pseudoHeaderSum(bytes.length);
            bytes[csumAt] = 0;
            bytes[csumAt + 1] = 0;
            int csum = PacketChecks.internetChecksum(bytes, 0, bytes.length, sum);
            if (proto == UDP && csum == 0) {
                csum = 0xffff;
            }
            bytes[csumAt] = (byte) (csum >>> 8);
            bytes[csumAt + 1] = (byte) csum;
        }
        return bytes;
    }

    private int pseudoHeaderSum(int l4Length) {
        byte[] p;
        if (ipVersion == 4) {
            p = ByteBuffer.allocate(12).putInt(ipv4Src).putInt(ipv4Dst).put((byte) 0).put((byte) proto)
                    .putShort((short) l4Length).array();
        } else {
            p = ByteBuffer.allocate(40).put(ipv6Src).put(routingFinalDst != null ? routingFinalDst : ipv6Dst)
                    .putInt(l4Length).putInt(proto).array();
        }
        return PacketChecks.sum16(p, 0, p.length);
    }

    private static void putMac(ByteBuffer out, long mac) {
        out.putShort((short) (mac >>> 32)).putInt((int) mac);
    }
}
