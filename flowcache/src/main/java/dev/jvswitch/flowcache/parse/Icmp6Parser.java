package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.flowcache.parse.KeyWords.S_ARP_SHA;
import static dev.jvswitch.flowcache.parse.KeyWords.S_ARP_THA;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TP_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TP_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ARP_SHA;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ARP_THA;
import static dev.jvswitch.flowcache.parse.KeyWords.W_ND_TARGET;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TP_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TP_SRC;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.PacketBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * ICMPv6 type and code, and for neighbour solicitations and advertisements the target address
 * and the source/target link-layer address options (OVS's {@code parse_icmpv6}).
 *
 * <pre>
 *  |type|code| cksum | reserved / RSO flags (4) | target (16) | options ...
 *  option: | type | len (units of 8 bytes) | ... ; type 1 = source LLA, 2 = target LLA (6-byte MAC)
 * </pre>
 *
 * The 8-byte ICMPv6 header must fit or nothing is set. ND: a missing target leaves target and
 * link-layer addresses zero; options are read while at least 8 bytes remain and stop at a zero or
 * overlong length; only 8-byte LLA options count; a second option of the same kind (after a
 * non-zero first) makes the packet invalid and clears target and both addresses, as in OVS.
 */
final class Icmp6Parser {
    static final int HEADER_BYTES = 8;
    private static final int ND_TARGET_BYTES = 16;
    private static final int OPT_SOURCE_LLA = 1;
    private static final int OPT_TARGET_LLA = 2;

    private Icmp6Parser() {
    }

    static void parse(UnsafeBuffer b, int pos, int ipEnd, long[] w) {
        if (ipEnd - pos < HEADER_BYTES) {
            return;
        }
        int type = PacketBytes.u8(b, pos);
        int code = PacketBytes.u8(b, pos + 1);
        w[W_TP_SRC] |= (long) type << S_TP_SRC;
        w[W_TP_DST] |= (long) code << S_TP_DST;
        if (code != 0 || (type != FlowKey.ND_NEIGHBOR_SOLICIT && type != FlowKey.ND_NEIGHBOR_ADVERT)) {
            return;
        }
        int p = pos + HEADER_BYTES;
        if (ipEnd - p < ND_TARGET_BYTES) {
            return;
        }
        long targetHigh = PacketBytes.u64(b, p);
        long targetLow = PacketBytes.u64(b, p + 8);
        p += ND_TARGET_BYTES;
        long sll = 0;
        long tll = 0;
        // Each round consumes at least 8 bytes of a bounded payload or leaves the loop.
        while (ipEnd - p >= 8) {
            int optType = PacketBytes.u8(b, p);
            int optBytes = PacketBytes.u8(b, p + 1) * 8;
            if (optBytes == 0 || optBytes > ipEnd - p) {
                break;
            }
            if (optBytes == 8 && optType == OPT_SOURCE_LLA) {
                if (sll != 0) {
                    return;
                }
                sll = PacketBytes.mac(b, p + 2);
            } else if (optBytes == 8 && optType == OPT_TARGET_LLA) {
                if (tll != 0) {
                    return;
                }
                tll = PacketBytes.mac(b, p + 2);
            }
            p += optBytes;
        }
        w[W_ND_TARGET] |= targetHigh;
        w[W_ND_TARGET + 1] |= targetLow;
        w[W_ARP_SHA] |= sll << S_ARP_SHA;
        w[W_ARP_THA] |= tll << S_ARP_THA;
    }
}
