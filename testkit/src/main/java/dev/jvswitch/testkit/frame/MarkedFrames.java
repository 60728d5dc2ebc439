package dev.jvswitch.testkit.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Frames for tests on real interfaces: marked with {@code JVSTEST} and a sequence number so that
 * a test (and the namespace peer, {@code pkt.py}, which looks for the same marker) ignores the
 * host's own chatter. EtherType 0x88b5 is IEEE's local experimental type: no stack answers it.
 */
public final class MarkedFrames {
    public static final byte[] MARKER = "JVSTEST".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] DST = {0x02, 0, 0, 0, 0, 0x01};
    public static final byte[] SRC = {0x02, 0, 0, 0, 0, 0x02};
    /** IEEE local experimental ethertype: nothing in the kernel answers it. */
    public static final int ETH_TYPE_TEST = 0x88b5;

    private MarkedFrames() {
    }

    /** An untagged frame of exactly {@code size} bytes (at least 25) carrying {@code seq}. */
    public static byte[] frame(int size, int seq) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(DST).put(SRC).putShort((short) ETH_TYPE_TEST).put(MARKER).putInt(seq);
        for (int i = b.position(); i < size; i++) {
            b.put((byte) (seq * 7 + i));
        }
        return b.array();
    }

    /** {@code inner} with a VLAN tag ({@code tpid}, {@code tci}) inserted after the MACs. */
    public static byte[] tagged(int tpid, int tci, byte[] inner) {
        ByteBuffer b = ByteBuffer.allocate(inner.length + 4);
        b.put(inner, 0, 12).putShort((short) tpid).putShort((short) tci).put(inner, 12, inner.length - 12);
        return b.array();
    }

    /**
     * An IPv4/UDP frame (10.66.0.1 to 10.66.0.2, UDP checksum 0) of {@code size} bytes whose
     * source port varies with {@code seq}, so a hash spreads a run of them over queues.
     */
    public static byte[] udp4(int size, int seq) {
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

    public static int ipChecksum(byte[] data, int offset, int length) {
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
    public static int markerAt(byte[] f) {
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

    public static boolean marked(byte[] f) {
        return markerAt(f) >= 0;
    }

    /** The sequence number after the marker; the frame must be marked. */
    public static int seq(byte[] f) {
        int at = markerAt(f);
        if (at < 0) {
            throw new IllegalArgumentException("frame has no marker");
        }
        return ByteBuffer.wrap(f, at + MARKER.length, 4).getInt();
    }

    public static String hex(byte[] f) {
        return HexFormat.of().formatHex(f);
    }

    public static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s.trim());
    }
}
