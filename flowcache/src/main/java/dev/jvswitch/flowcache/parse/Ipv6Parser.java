package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.flowcache.parse.KeyWords.S_IPV6_LABEL;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_FRAG;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_TOS;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_TTL;
import static dev.jvswitch.flowcache.parse.KeyWords.W_IPV6_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_IPV6_LABEL;
import static dev.jvswitch.flowcache.parse.KeyWords.W_IPV6_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_FRAG;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_TOS;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_TTL;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.PacketBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * IPv6 header and the extension headers OVS walks: hop-by-hop (0), routing (43), fragment (44),
 * destination options (60) and AH (51).
 *
 * <pre>
 *  0                4        6      7      8             24            40
 *  |v|tclass|label  | paylen | next | hlim | src (16)    | dst (16)    | ext headers ... | L4
 *  extension:  | next | len | ...  ((len+1)*8 bytes; AH: (len+2)*4)
 *  fragment:   | next | res | offset(13)|res(2)|M | id (4) |            (8 bytes)
 * </pre>
 *
 * As OVS's {@code ipv6_sanity_check} and {@code parse_ipv6_ext_hdrs}: the fixed header and the
 * whole payload length must fit, else no L3 field is set. An extension header that does not fit
 * the payload stops parsing with only the addresses set (nw_proto, tclass, hlim, frag and label
 * stay zero and there is no L4). A fragment header with a non-zero offset/flags word marks a
 * fragment; a non-zero offset makes it a later fragment, whose nw_proto is reported as 44 and
 * whose L4 is not parsed.
 */
final class Ipv6Parser {
    static final int HEADER_BYTES = 40;
    private static final int HOPOPTS = 0;
    private static final int ROUTING = 43;
    private static final int FRAGMENT = 44;
    private static final int AH = 51;
    private static final int DSTOPTS = 60;
    private static final int FRAG_OFFSET_MASK = 0xfff8;

    private Ipv6Parser() {
    }

    /**
     * @return {@code (ipEnd << 32) | l4Start}, both absolute buffer offsets, or -1 when the header
     *         or an extension header does not fit
     */
    static long parse(UnsafeBuffer b, int pos, int end, long[] w) {
        int size = end - pos;
        if (size < HEADER_BYTES) {
            return -1;
        }
        int payloadLength = PacketBytes.u16(b, pos + 4);
        if (payloadLength + HEADER_BYTES > size) {
            return -1;
        }
        w[W_IPV6_SRC] |= PacketBytes.u64(b, pos + 8);
        w[W_IPV6_SRC + 1] |= PacketBytes.u64(b, pos + 16);
        w[W_IPV6_DST] |= PacketBytes.u64(b, pos + 24);
        w[W_IPV6_DST + 1] |= PacketBytes.u64(b, pos + 32);

        int ipEnd = pos + HEADER_BYTES + payloadLength;
        int next = PacketBytes.u8(b, pos + 6);
        int frag = 0;
        int p = pos + HEADER_BYTES;
        // Each round consumes at least 8 bytes of a bounded payload or leaves the loop.
        while (next == HOPOPTS || next == ROUTING || next == DSTOPTS || next == AH || next == FRAGMENT) {
            if (ipEnd - p < 8) {
                return -1;
            }
            int headerNext = PacketBytes.u8(b, p);
            if (next == FRAGMENT) {
                p += 8;
                next = headerNext;
                int offsetFlags = PacketBytes.u16(b, p - 6);
                if (offsetFlags != 0) {
                    frag = FlowKey.FRAG_ANY;
                    if ((offsetFlags & FRAG_OFFSET_MASK) != 0) {
                        frag |= FlowKey.FRAG_LATER;
                        next = FlowKey.IPPROTO_FRAGMENT;
                        break;
                    }
                }
            } else {
                int len = next == AH ? (PacketBytes.u8(b, p + 1) + 2) * 4 : (PacketBytes.u8(b, p + 1) + 1) * 8;
                if (ipEnd - p < len) {
                    return -1;
                }
                p += len;
                next = headerNext;
            }
        }

        int versionClassLabel = (int) PacketBytes.u32(b, pos);
        w[W_NW_PROTO] |= (long) next << S_NW_PROTO;
        w[W_NW_TOS] |= (long) ((versionClassLabel >>> 20) & 0xff) << S_NW_TOS;
        w[W_NW_TTL] |= (long) PacketBytes.u8(b, pos + 7) << S_NW_TTL;
        w[W_NW_FRAG] |= (long) frag << S_NW_FRAG;
        w[W_IPV6_LABEL] |= (long) (versionClassLabel & 0xfffff) << S_IPV6_LABEL;
        return ((long) ipEnd << 32) | p;
    }
}
