package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.flowcache.parse.KeyWords.S_TCP_FLAGS;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TP_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TP_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TCP_FLAGS;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TP_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TP_SRC;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.PacketBytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * L4: ports of TCP, UDP and SCTP, TCP flags, and ICMP type and code (carried in
 * {@code tp_src}/{@code tp_dst}, as OVS does). ICMPv6 and ND are in {@link Icmp6Parser}.
 *
 * <pre>
 *  TCP   | src | dst | seq (4) | ack (4) |off|flags(12)| ...   (off*4 &gt;= 20 bytes)
 *  UDP   | src | dst | len | cksum |                          (8 bytes)
 *  SCTP  | src | dst | vtag (4) | crc32c (4) |                (12 bytes)
 *  ICMP  |type|code| cksum | rest (4) |                       (8 bytes)
 * </pre>
 *
 * A header that does not fit the bytes the IP header says it carries leaves the L4 fields zero
 * (for TCP also when its data offset is below 5 or runs past them). Later fragments carry no L4
 * header and are not looked at. As OVS's {@code miniflow_extract}, the protocol decides the
 * parse, whichever IP version carried it. IGMP, which OVS also reads, is left out: the key has
 * no field for its group address.
 */
final class TransportParser {
    static final int TCP_MIN_HEADER_BYTES = 20;
    static final int UDP_HEADER_BYTES = 8;
    static final int SCTP_HEADER_BYTES = 12;
    static final int ICMP_HEADER_BYTES = 8;

    private TransportParser() {
    }

    /**
     * Parses the L4 header at {@code pos}, which the IP header says ends at {@code ipEnd}
     * (never past the frame).
     */
    static void parse(UnsafeBuffer b, int pos, int ipEnd, int nwProto, int nwFrag, long[] w) {
        if ((nwFrag & FlowKey.FRAG_LATER) != 0) {
            return;
        }
        int size = ipEnd - pos;
        switch (nwProto) {
            case FlowKey.IPPROTO_TCP:
                if (size >= TCP_MIN_HEADER_BYTES) {
                    int offsetFlags = PacketBytes.u16(b, pos + 12);
                    int headerBytes = (offsetFlags >>> 12) * 4;
                    if (headerBytes >= TCP_MIN_HEADER_BYTES && size >= headerBytes) {
                        w[W_TCP_FLAGS] |= (long) (offsetFlags & 0x0fff) << S_TCP_FLAGS;
                        ports(b, pos, w);
                    }
                }
                break;
            case FlowKey.IPPROTO_UDP:
                if (size >= UDP_HEADER_BYTES) {
                    ports(b, pos, w);
                }
                break;
            case FlowKey.IPPROTO_SCTP:
                if (size >= SCTP_HEADER_BYTES) {
                    ports(b, pos, w);
                }
                break;
            case FlowKey.IPPROTO_ICMP:
                if (size >= ICMP_HEADER_BYTES) {
                    w[W_TP_SRC] |= (long) PacketBytes.u8(b, pos) << S_TP_SRC;
                    w[W_TP_DST] |= (long) PacketBytes.u8(b, pos + 1) << S_TP_DST;
                }
                break;
            case FlowKey.IPPROTO_ICMPV6:
                Icmp6Parser.parse(b, pos, ipEnd, w);
                break;
            default:
                break;
        }
    }

    private static void ports(UnsafeBuffer b, int pos, long[] w) {
        long ports = PacketBytes.u32(b, pos);
        w[W_TP_SRC] |= (ports >>> 16) << S_TP_SRC;
        w[W_TP_DST] |= (ports & 0xffff) << S_TP_DST;
    }
}
