package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.flowcache.parse.KeyWords.S_ARP_SHA;
import static dev.jvswitch.flowcache.parse.KeyWords.S_ARP_THA;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ARP_SHA;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ARP_THA;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_SRC;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.PacketBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * ARP and RARP for Ethernet/IPv4 (the only kind OVS extracts).
 *
 * <pre>
 *  0       2       4   5   6       8            14        18            24        28
 *  | htype | ptype |hln|pln|  op   |    sha     |   spa   |     tha     |   tpa   |
 * </pre>
 *
 * Anything shorter than 28 bytes, or with other hardware/protocol types or lengths, leaves the
 * ARP fields zero. Only opcodes up to 255 are kept (OVS matches the low 8 bits and drops the rest).
 */
final class ArpParser {
    static final int HEADER_BYTES = 28;

    private ArpParser() {
    }

    static void parse(UnsafeBuffer b, int pos, int end, long[] w) {
        if (end - pos < HEADER_BYTES) {
            return;
        }
        if (PacketBytes.u16(b, pos) != 1 || PacketBytes.u16(b, pos + 2) != FlowKey.ETH_TYPE_IPV4
                || PacketBytes.u8(b, pos + 4) != 6 || PacketBytes.u8(b, pos + 5) != 4) {
            return;
        }
        int op = PacketBytes.u16(b, pos + 6);
        w[W_NW_SRC] |= PacketBytes.u32(b, pos + 14) << S_NW_SRC;
        w[W_NW_DST] |= PacketBytes.u32(b, pos + 24) << S_NW_DST;
        if (op <= 0xff) {
            w[W_NW_PROTO] |= (long) op << S_NW_PROTO;
        }
        w[W_ARP_SHA] |= PacketBytes.mac(b, pos + 8) << S_ARP_SHA;
        w[W_ARP_THA] |= PacketBytes.mac(b, pos + 18) << S_ARP_THA;
    }
}
