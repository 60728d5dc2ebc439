package dev.jvswitch.testkit.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a whole Ethernet + IPv4 or IPv6 frame into fragments of at most {@code chunk} payload
 * bytes (a multiple of 8), as a host's IP stack would (the IPv6 fragment header right after the
 * fixed header; the frame must have no other extension header): what the fragment reassembly
 * tests feed the tracker and the datapath.
 */
public final class Fragmenter {
    private Fragmenter() {
    }

    public static List<byte[]> split(byte[] frame, int chunk, int id) {
        ByteBuffer f = ByteBuffer.wrap(frame);
        boolean v6 = (f.getShort(12) & 0xffff) == 0x86dd;
        List<byte[]> out = new ArrayList<>();
        if (!v6) {
            int ihl = (frame[14] & 0x0f) * 4;
            int payload = (f.getShort(16) & 0xffff) - ihl;
            for (int off = 0; off < payload; off += chunk) {
                int len = Math.min(chunk, payload - off);
                ByteBuffer p = ByteBuffer.allocate(14 + ihl + len);
                p.put(frame, 0, 14 + ihl).put(frame, 14 + ihl + off, len);
                p.putShort(16, (short) (ihl + len)).putShort(18, (short) id);
                p.putShort(20, (short) ((off / 8) | (off + len < payload ? 0x2000 : 0)));
                checksum(p, 14, ihl);
                out.add(p.array());
            }
            return out;
        }
        int payload = f.getShort(18) & 0xffff;
        int nh = frame[20] & 0xff;
        for (int off = 0; off < payload; off += chunk) {
            int len = Math.min(chunk, payload - off);
            ByteBuffer p = ByteBuffer.allocate(14 + 40 + 8 + len);
            p.put(frame, 0, 54);
            p.put((byte) nh).put((byte) 0).putShort((short) (off | (off + len < payload ? 1 : 0))).putInt(id);
            p.put(frame, 54 + off, len);
            p.putShort(18, (short) (8 + len)).put(20, (byte) 44);
            out.add(p.array());
        }
        return out;
    }

    /** Recomputes the IPv4 header checksum of the {@code ihl}-byte header at {@code l3}. */
    public static void checksum(ByteBuffer p, int l3, int ihl) {
        p.putShort(l3 + 10, (short) 0);
        int sum = 0;
        for (int i = 0; i < ihl; i += 2) {
            sum += p.getShort(l3 + i) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        p.putShort(l3 + 10, (short) ~sum);
    }
}
