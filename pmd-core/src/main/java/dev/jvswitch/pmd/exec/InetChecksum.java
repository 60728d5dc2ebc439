package dev.jvswitch.pmd.exec;

/**
 * Incremental update of the Internet checksum (RFC 1624, equation 3: {@code HC' = ~(~HC + ~m + m')})
 * for a header field that changed from {@code m} to {@code m'}, without reading the rest of the
 * data the checksum covers. Values are 16-bit checksums in the low bits of an int.
 */
final class InetChecksum {
    private InetChecksum() {
    }

    static int update16(int csum, int old16, int new16) {
        long sum = (~csum & 0xffff) + (~old16 & 0xffff) + (new16 & 0xffff);
        return finish(sum);
    }

    static int update32(int csum, int old32, int new32) {
        long sum = (~csum & 0xffff)
                + (~old32 >>> 16 & 0xffff) + (~old32 & 0xffff)
                + (new32 >>> 16 & 0xffff) + (new32 & 0xffff);
        return finish(sum);
    }

    static int update64(int csum, long old64, long new64) {
        long sum = ~csum & 0xffff;
        for (int shift = 0; shift < 64; shift += 16) {
            sum += (~old64 >>> shift & 0xffff) + (new64 >>> shift & 0xffff);
        }
        return finish(sum);
    }

    private static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) ~sum & 0xffff;
    }
}
