package dev.jvswitch.afpacket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test frames: marked with {@code JVSTEST} and a sequence number so stray traffic is ignored. */
final class Frames {
    static final byte[] MARKER = "JVSTEST".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DST = {0x02, 0, 0, 0, 0, 0x01};
    static final byte[] SRC = {0x02, 0, 0, 0, 0, 0x02};
    /** IEEE local experimental ethertype: nothing in the kernel answers it. */
    static final int ETH_TYPE_TEST = 0x88b5;

    private Frames() {
    }

    /** An untagged frame of exactly {@code size} bytes (at least 25) carrying {@code seq}. */
    static byte[] frame(int size, int seq) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(DST).put(SRC).putShort((short) ETH_TYPE_TEST).put(MARKER).putInt(seq);
        for (int i = b.position(); i < size; i++) {
            b.put((byte) (seq * 7 + i));
        }
        return b.array();
    }

    /** {@code inner} with a VLAN tag ({@code tpid}, {@code tci}) inserted after the MACs. */
    static byte[] tagged(int tpid, int tci, byte[] inner) {
        ByteBuffer b = ByteBuffer.allocate(inner.length + 4);
        b.put(inner, 0, 12).putShort((short) tpid).putShort((short) tci).put(inner, 12, inner.length - 12);
        return b.array();
    }

    /**
     * An IPv4/UDP frame (10.66.0.1 to 10.66.0.2, UDP checksum 0) of {@code size} bytes whose
     * source port varies with {@code seq}, so a hash spreads a run of them over queues.
     */
    static byte[] udp4(int size, int seq) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(DST).put(SRC).putShort((short) 0x0800);
        int ipLength = size - 14;
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) seq).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 66, 0, 1}).put(new byte[] {10, 66, 0, 2});
        b.putShort(14 + 10, (short) ipChecksum(b.array(), 14, 20));
        b.putShort((short) (10000 + seq)).putShort((short) 9).putShort((short) (ipLength - 20)).putShort((short) 0);
        b.put(MARKER).putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) seq);
        }
        return b.array();
    }

    static int ipChecksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (i + 1 < length ? data[offset + i + 1] & 0xff : 0);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** Index of the marker in {@code f}, or -1. */
    static int markerAt(byte[] f) {
        outer:
        for (int i = 0; i + MARKER.length + 4 <= f.length; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (f[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean marked(byte[] f) {
        return markerAt(f) >= 0;
    }

    /** The sequence number after the marker; the frame must be marked. */
    static int seq(byte[] f) {
        int at = markerAt(f);
        if (at < 0) {
            throw new IllegalArgumentException("frame has no marker");
        }
        return ByteBuffer.wrap(f, at + MARKER.length, 4).getInt();
    }

    static String hex(byte[] f) {
        return HexFormat.of().formatHex(f);
    }

    static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s.trim());
    }
}
