package dev.jvswitch.openflow.codec;

import io.netty.buffer.ByteBuf;

import dev.jvswitch.ofproto.action.OfAction;

/**
 * Reads the Nicira actions of controller traffic (OVS's {@code ofp-actions.c}):
 *
 * <pre>
 *  NXAST_CONTROLLER (20):  header (10) | max_len (16) | controller_id (16) | reason (8) | pad (8)
 *  NXAST_CONTROLLER2 (37): header (10) | pad (6) | properties, each type (16) | len (16) | body,
 *                          padded to 8: MAX_LEN 0 (16), CONTROLLER_ID 1 (16), REASON 2 (8),
 *                          USERDATA 3 (bytes), PAUSE 4 (no body), METER_ID 5 (32)
 *  NXAST_SAMPLE (29):      header (10) | probability (16) | collector_set_id | obs_domain_id |
 *                          obs_point_id (32 each)
 *  NXAST_SAMPLE2/3 (38/41): the same | sampling_port (16) | direction (8, SAMPLE3 only) | pad (40)
 * </pre>
 *
 * {@link NxFlowWriter} writes them back the way OVS chooses between them.
 *
 * <p>Stateless.
 */
final class NxPinWire {
    static final int NXAC2PT_MAX_LEN = 0;
    static final int NXAC2PT_CONTROLLER_ID = 1;
    static final int NXAC2PT_REASON = 2;
    static final int NXAC2PT_USERDATA = 3;
    static final int NXAC2PT_PAUSE = 4;
    static final int NXAC2PT_METER_ID = 5;

    private NxPinWire() {
    }

    /** NXAST_CONTROLLER's body at {@code at}. */
    static OfAction controller(ByteBuf b, int at) {
        return new OfAction.Controller(b.getUnsignedShort(at), reason(b.getUnsignedByte(at + 4)),
                b.getUnsignedShort(at + 2), null, false, OfAction.Controller.NO_METER);
    }

    /** NXAST_CONTROLLER2's properties from {@code from} to {@code to}. */
    static OfAction controller2(ByteBuf b, int from, int to) {
        int maxLen = OfAction.Controller.DEFAULT_MAX_LEN;
        int reason = OfAction.Controller.REASON_ACTION;
        int id = 0;
        byte[] userdata = null;
        boolean pause = false;
        long meter = OfAction.Controller.NO_METER;
        int p = from;
        while (p + 4 <= to) {
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 4 || p + len > to) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "controller property of length " + len);
            }
            int body = len - 4;
            switch (type) {
                case NXAC2PT_MAX_LEN -> maxLen = b.getUnsignedShort(need(p, body, 2));
                case NXAC2PT_CONTROLLER_ID -> id = b.getUnsignedShort(need(p, body, 2));
                case NXAC2PT_REASON -> reason = reason(b.getUnsignedByte(need(p, body, 1)));
                case NXAC2PT_USERDATA -> {
                    userdata = new byte[body];
                    b.getBytes(p + 4, userdata);
                }
                case NXAC2PT_PAUSE -> pause = true;
                case NXAC2PT_METER_ID -> meter = b.getUnsignedInt(need(p, body, 4));
                default -> throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, "controller property " + type);
            }
            p += (len + 7) & ~7;
        }
        return new OfAction.Controller(maxLen, reason, id, userdata, pause, meter);
    }

    /** NXAST_SAMPLE's body at {@code at}; with {@code v2} the sampling port follows, then (SAMPLE3) the direction. */
    static OfAction sample(ByteBuf b, int at, boolean v2, int hasDirection) {
        int probability = b.getUnsignedShort(at);
        if (probability == 0) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, "sample with probability 0");
        }
        int port = v2 ? b.getUnsignedShort(at + 14) : OfAction.Sample.NO_PORT;
        int direction = hasDirection != 0 ? b.getUnsignedByte(at + 16) : 0;
        if (direction > 2) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, "sample direction " + direction);
        }
        return new OfAction.Sample(probability, b.getUnsignedInt(at + 2), b.getUnsignedInt(at + 6),
                b.getUnsignedInt(at + 10), port, direction);
    }

    private static int reason(int r) {
        if (r >= OfAction.Controller.REASONS.size()) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, "controller reason " + r);
        }
        return r;
    }

    private static int need(int p, int body, int n) {
        if (body < n) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "controller property of " + body + " bytes");
        }
        return p + 4;
    }
}
