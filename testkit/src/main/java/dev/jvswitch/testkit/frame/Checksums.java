package dev.jvswitch.testkit.frame;

import java.util.zip.CRC32C;

/** The Internet checksum (RFC 1071) and SCTP's CRC32c, over byte arrays. */
public final class Checksums {
    private Checksums() {
    }

    /** One's-complement sum of {@code len} bytes as 16-bit big-endian words, not yet folded. */
    public static long sum(byte[] b, int off, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < len) {
            sum += (b[off + i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a {@link #sum} to 16 bits and complements it: the value to store in the header. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The Internet checksum of {@code len} bytes. */
    public static int internet(byte[] b, int off, int len) {
        return fold(sum(b, off, len));
    }

    /** SCTP's checksum (RFC 9260 appendix A): CRC32c of the packet with the checksum field zero. */
    public static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }
}
