package dev.jvswitch.pmd.netdev;

/**
 * Ethernet frames for port tests, recognisable among whatever else an interface sees.
 *
 * <pre>
 *  0      6      12        14      18        22
 *  +------+------+---------+-------+---------+---------------------------+
 *  | dst  | src  | 0x88b5  | JVSC  | seq (BE)| pattern: (seq * 31 + i)   |
 *  +------+------+---------+-------+---------+---------------------------+
 * </pre>
 *
 * EtherType 0x88b5 is IEEE's "local experimental" type, so no protocol stack reacts to these
 * frames and a port test can tell them from the host's own chatter (IPv6 neighbour discovery and
 * the like) on a real interface.
 */
public final class TestFrames {
    public static final int ETHER_TYPE = 0x88b5;
    public static final int MIN_BYTES = 22;
    public static final long DST_MAC = 0x02_00_00_00_00_02L;
    public static final long SRC_MAC = 0x02_00_00_00_00_01L;
    private static final byte[] MAGIC = {'J', 'V', 'S', 'C'};

    private TestFrames() {
    }

    /** A test frame of {@code sizeBytes} (at least {@value #MIN_BYTES}) carrying {@code seq}. */
    public static byte[] frame(int sizeBytes, int seq) {
        if (sizeBytes < MIN_BYTES) {
            throw new IllegalArgumentException("test frames need at least " + MIN_BYTES + " bytes, got " + sizeBytes);
        }
        byte[] f = new byte[sizeBytes];
        putMac(f, 0, DST_MAC);
        putMac(f, 6, SRC_MAC);
        f[12] = (byte) (ETHER_TYPE >>> 8);
        f[13] = (byte) ETHER_TYPE;
        System.arraycopy(MAGIC, 0, f, 14, 4);
        f[18] = (byte) (seq >>> 24);
        f[19] = (byte) (seq >>> 16);
        f[20] = (byte) (seq >>> 8);
        f[21] = (byte) seq;
        for (int i = MIN_BYTES; i < sizeBytes; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        return f;
    }

    /** True if {@code f} has the test EtherType and magic. */
    public static boolean isTestFrame(byte[] f) {
        return f.length >= MIN_BYTES && (f[12] & 0xff) == ETHER_TYPE >>> 8 && (f[13] & 0xff) == (ETHER_TYPE & 0xff)
                && f[14] == MAGIC[0] && f[15] == MAGIC[1] && f[16] == MAGIC[2] && f[17] == MAGIC[3];
    }

    /** The sequence number of a test frame. */
    public static int sequence(byte[] f) {
        return (f[18] & 0xff) << 24 | (f[19] & 0xff) << 16 | (f[20] & 0xff) << 8 | (f[21] & 0xff);
    }

    private static void putMac(byte[] f, int offset, long mac) {
        for (int i = 0; i < 6; i++) {
            f[offset + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }
}
