package dev.jvswitch.openflow.codec;

import io.netty.buffer.ByteBuf;

/**
 * Nicira's {@code NXAST_FIN_TIMEOUT} (OVS's {@code fin_timeout}) on the wire. openflowj 3.2.1 has
 * no reader or writer for it (its Nicira action reader refuses subtype 19), so it travels through
 * openflowj as a stand-in of the same 16 bytes that openflowj does read: {@code NXAST_SET_QUEUE}
 * with {@code queue_id = idle_timeout << 16 | hard_timeout}. Before openflowj reads a flow mod,
 * {@link #toStandIns} turns every genuine {@code set_queue} of its instructions into
 * {@code pop_queue} (both stay refused: queues are not built) and every {@code fin_timeout} into
 * the stand-in; {@link ActionCodec} reads the stand-in in flow-mod instructions as
 * {@code fin_timeout} and writes {@code fin_timeout} as the stand-in, and {@link #fromStandIns}
 * turns the stand-ins of written instructions back into {@code fin_timeout} (a rule never holds a
 * genuine {@code set_queue}).
 *
 * <pre>
 *  fin_timeout: type 0xffff (16) | len 16 (16) | vendor 0x2320 (32) | subtype 19 (16)
 *               | fin_idle_timeout (16) | fin_hard_timeout (16) | pad (16)
 *  set_queue:   type 0xffff (16) | len 16 (16) | vendor 0x2320 (32) | subtype 4 (16)
 *               | pad (16) | queue_id (32)
 *  pop_queue:   type 0xffff (16) | len 16 (16) | vendor 0x2320 (32) | subtype 5 (16) | pad (48)
 *  flow mod (1.3-1.5): ... | ofp_match at 48 (padded to 8) | instructions
 *  instruction: type (16: 3 write_actions, 4 apply_actions) | len (16) | pad (32) | actions
 * </pre>
 *
 * <p>Every length is checked against its container before it is followed; a malformed list is
 * left as it is, for openflowj to refuse. Stateless.
 */
public final class NxFinTimeoutWire {
    /** Offset of the match in an OpenFlow 1.3-1.5 flow mod. */
    private static final int FLOW_MOD_MATCH = OxmScan.FLOW_MOD_MATCH;
    private static final int OFPIT_WRITE_ACTIONS = 3;
    private static final int OFPIT_APPLY_ACTIONS = 4;
    private static final int INSTRUCTION_HEADER = 8;
    private static final int OFPAT_EXPERIMENTER = 0xffff;
    private static final long NX_VENDOR_ID = 0x2320L;
    private static final int NX_ACTION_BYTES = 16;
    private static final int SUBTYPE_OFFSET = 8;
    static final int NXAST_SET_QUEUE = 4;
    static final int NXAST_POP_QUEUE = 5;
    static final int NXAST_FIN_TIMEOUT = 19;
    /** Flow stats reply (1.3/1.4): header (8), multipart type, flags, pad (8); entry: match at 48. */
    private static final int STATS_REPLY_BODY = 16;
    private static final int STATS_ENTRY_MATCH = 48;
    private static final int OFPT_MULTIPART_REPLY = 19;
    private static final int OFPMP_FLOW = 1;

    private NxFinTimeoutWire() {
    }

    /** The stand-in's queue id for a {@code fin_timeout} (seconds, 16 bits each). */
    static long queueId(int idleTimeout, int hardTimeout) {
        return (long) idleTimeout << 16 | hardTimeout;
    }

    /** Before openflowj reads the flow mod at {@code at} in {@code b}: see the class comment. */
    public static void toStandIns(ByteBuf b, int at) {
        int end = Math.min(b.writerIndex(), at + b.getUnsignedShort(at + 2));
        forEachNxAction(b, instructionsOf(b, at, FLOW_MOD_MATCH), end, true);
    }

    /** After openflowj wrote the instructions in {@code [from, to)}: stand-ins back to {@code fin_timeout}. */
    public static void fromStandIns(ByteBuf b, int from, int to) {
        forEachNxAction(b, from, to, false);
    }

    /**
     * After openflowj wrote an OpenFlow 1.3/1.4 message from {@code at}: if it is a flow stats
     * reply, its entries' stand-ins back to {@code fin_timeout}.
     */
    public static void fromStandInsInReply(ByteBuf b, int at) {
        int end = b.writerIndex();
        if (end - at < STATS_REPLY_BODY || b.getUnsignedByte(at + 1) != OFPT_MULTIPART_REPLY
                || b.getUnsignedShort(at + 8) != OFPMP_FLOW) {
            return;
        }
        end = Math.min(end, at + b.getUnsignedShort(at + 2));
        for (int e = at + STATS_REPLY_BODY; e + 4 <= end; ) {
            int len = b.getUnsignedShort(e);
            if (len < STATS_ENTRY_MATCH + 4 || e + len > end) {
                return;
            }
            forEachNxAction(b, instructionsOf(b, e, STATS_ENTRY_MATCH), e + len, false);
            NxTunSetField.fromStandIns(b, instructionsOf(b, e, STATS_ENTRY_MATCH), e + len, b.getUnsignedByte(at));
            e += len;
        }
    }

    /** Where the instructions start after the ofp_match at {@code at + matchOffset}. */
    private static int instructionsOf(ByteBuf b, int at, int matchOffset) {
        int match = at + matchOffset;
        if (match + 4 > b.writerIndex()) {
            return Integer.MAX_VALUE;
        }
        return match + ((b.getUnsignedShort(match + 2) + 7) & ~7);
    }

    private static void forEachNxAction(ByteBuf b, int from, int to, boolean decoding) {
        for (int i = from; i + INSTRUCTION_HEADER <= to; ) {
            int type = b.getUnsignedShort(i);
            int len = b.getUnsignedShort(i + 2);
            if (len < INSTRUCTION_HEADER || i + len > to) {
                return;
            }
            if (type == OFPIT_WRITE_ACTIONS || type == OFPIT_APPLY_ACTIONS) {
                actions(b, i + INSTRUCTION_HEADER, i + len, decoding);
            }
            i += len;
        }
    }

    private static void actions(ByteBuf b, int from, int to, boolean decoding) {
        for (int a = from; a + 4 <= to; ) {
            int len = b.getUnsignedShort(a + 2);
            if (len < 4 || a + len > to) {
                return;
            }
            if (len == NX_ACTION_BYTES && b.getUnsignedShort(a) == OFPAT_EXPERIMENTER
                    && b.getUnsignedInt(a + 4) == NX_VENDOR_ID) {
                int subtype = b.getUnsignedShort(a + SUBTYPE_OFFSET);
                if (decoding) {
                    decode(b, a, subtype);
                } else if (subtype == NXAST_SET_QUEUE) {
                    long queue = b.getUnsignedInt(a + 12);
                    b.setShort(a + SUBTYPE_OFFSET, NXAST_FIN_TIMEOUT);
                    b.setShort(a + 10, (int) (queue >>> 16));
                    b.setShort(a + 12, (int) queue & 0xffff);
                    b.setShort(a + 14, 0);
                }
            }
            a += len;
        }
    }

    private static void decode(ByteBuf b, int a, int subtype) {
        if (subtype == NXAST_SET_QUEUE) {
            b.setShort(a + SUBTYPE_OFFSET, NXAST_POP_QUEUE);
        } else if (subtype == NXAST_FIN_TIMEOUT) {
            int idle = b.getUnsignedShort(a + 10);
            int hard = b.getUnsignedShort(a + 12);
            b.setShort(a + SUBTYPE_OFFSET, NXAST_SET_QUEUE);
            b.setShort(a + 10, 0);
            b.setInt(a + 12, (int) queueId(idle, hard));
        }
    }
}
