package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_FRAG;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_TOS;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_TTL;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_FRAG;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_TOS;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_TTL;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.PacketBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * IPv4 header, options skipped.
 *
 * <pre>
 *  0      1      2        4      6              8     9       10       12      16      20
 *  |v|ihl | tos  | totlen | id   |flags|fragoff | ttl | proto | cksum  |  src  |  dst  | options
 * </pre>
 *
 * The sanity check is OVS's {@code ipv4_sanity_check}: at least 20 bytes, 20 &lt;= IHL*4 &lt;=
 * bytes left, IHL*4 &lt;= total length &lt;= bytes left. A header that fails it yields no L3 field
 * at all (the key stops at {@code eth_type}). The version nibble is not checked, as in OVS.
 * Bytes past the total length are Ethernet padding and never parsed.
 */
final class Ipv4Parser {
    static final int MIN_HEADER_BYTES = 20;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int FRAG_OFFSET_MASK = 0x1fff;

    private Ipv4Parser() {
    }

    /**
     * @return {@code (ipEnd << 32) | l4Start}, both absolute buffer offsets, or -1 when the header
     *         fails the sanity check
     */
    static long parse(UnsafeBuffer b, int pos, int end, long[] w) {
        int size = end - pos;
        if (size < MIN_HEADER_BYTES) {
            return -1;
        }
        // The fixed header in four reads: ver/ihl/tos/length, id/fragment, ttl/proto/cksum, addresses.
        long word0 = PacketBytes.u32(b, pos);
        int ihlBytes = (int) (word0 >>> 24 & 0x0f) * 4;
        if (ihlBytes < MIN_HEADER_BYTES || size < ihlBytes) {
            return -1;
        }
        int totalLength = (int) (word0 & 0xffff);
        if (totalLength > size || ihlBytes > totalLength) {
            return -1;
        }
        int fragOff = (int) (PacketBytes.u32(b, pos + 4) & 0xffff);
        long word2 = PacketBytes.u32(b, pos + 8);
        long addresses = PacketBytes.u64(b, pos + 12);
        int frag = 0;
        if ((fragOff & (MORE_FRAGMENTS | FRAG_OFFSET_MASK)) != 0) {
            frag = FlowKey.FRAG_ANY;
            if ((fragOff & FRAG_OFFSET_MASK) != 0) {
                frag |= FlowKey.FRAG_LATER;
            }
        }
        w[W_NW_SRC] |= (addresses >>> 32) << S_NW_SRC;
        w[W_NW_DST] |= (addresses & 0xffff_ffffL) << S_NW_DST;
        w[W_NW_TOS] |= (word0 >>> 16 & 0xff) << S_NW_TOS;
        w[W_NW_TTL] |= (word2 >>> 24) << S_NW_TTL;
        w[W_NW_PROTO] |= (word2 >>> 16 & 0xff) << S_NW_PROTO;
        w[W_NW_FRAG] |= (long) frag << S_NW_FRAG;
        return ((long) (pos + totalLength) << 32) | (pos + ihlBytes);
    }
}
