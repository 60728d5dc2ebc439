package dev.jvswitch.bench.traffic;

/**
 * Ethernet + IPv4 + UDP frames for traffic generators, built once before a run: valid IPv4
 * header checksum, UDP checksum 0 (none), payload zero.
 */
public final class UdpFrames {
    private static final int ETH = 14;
    private static final int IP = 20;

    private UdpFrames() {
    }

    /**
     * One frame of {@code sizeBytes} (no FCS, at least 42).
     *
     * @param srcIp and {@code dstIp}: IPv4 addresses as 32-bit numbers
     */
    public static byte[] frame(int sizeBytes, long dstMac, long srcMac, int srcIp, int dstIp, int srcPort, int dstPort) {
        if (sizeBytes < ETH + IP + 8) {
            throw new IllegalArgumentException("a UDP frame needs at least 42 bytes, asked for " + sizeBytes);
        }
        byte[] f = new byte[sizeBytes];
        putMac(f, 0, dstMac);
        putMac(f, 6, srcMac);
        f[12] = 0x08;
        f[13] = 0x00;
        int ipLength = sizeBytes - ETH;
        f[14] = 0x45;
        putShort(f, 16, ipLength);
        f[22] = 64;
        f[23] = 17;
        putInt(f, 26, srcIp);
        putInt(f, 30, dstIp);
        int sum = 0;
        for (int i = ETH; i < ETH + IP; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        putShort(f, 24, ~sum & 0xffff);
        putShort(f, 34, srcPort);
        putShort(f, 36, dstPort);
        putShort(f, 38, ipLength - IP);
        return f;
    }

    /** {@code a.b.c.d} as a 32-bit number. */
    public static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int v = 0;
        for (String s : p) {
            v = (v << 8) | (Integer.parseInt(s) & 0xff);
        }
        return v;
    }

    private static void putMac(byte[] f, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            f[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    private static void putShort(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static void putInt(byte[] f, int at, int v) {
        putShort(f, at, v >>> 16);
        putShort(f, at + 2, v & 0xffff);
    }
}
