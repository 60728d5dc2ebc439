package dev.jvswitch.openflow.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * An OpenFlow 1.5 packet-out, read by hand so that its match may carry more than in_port and its
 * actions may be Nicira's (openflowj reads neither): OVN's pinctrl sends the packet back with the
 * metadata of its packet-in (registers, metadata) and actions such as {@code set_field} into
 * registers and {@code resubmit}.
 *
 * <pre>
 *  header (8) | buffer_id (32) | actions_len (16) | pad (16) | ofp_match (padded to 8) | actions | data
 * </pre>
 *
 * <p>Stateless.
 */
public final class PacketOut15Wire {
    private static final long NO_BUFFER = 0xffff_ffffL;

    private PacketOut15Wire() {
    }

    /** A decoded packet-out: the in_port (CONTROLLER when the match has none), the whole match, actions, packet. */
    public record PacketOut(int inPort, Match metadata, List<OfAction> actions, byte[] data) {
    }

    /** Reads the packet-out in {@code b} (the whole message from index 0). */
    public static PacketOut decode(ByteBuf b) {
        int end = b.writerIndex();
        if (end < 24) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "packet-out of " + end + " bytes");
        }
        if (b.getUnsignedInt(8) != NO_BUFFER) {
            throw new OfCodecException(OfError.BAD_REQUEST_BUFFER_UNKNOWN, "this switch buffers no packets");
        }
        int actionsLen = b.getUnsignedShort(12);
        NxMatchWire.Decoded m = NxMatchWire.decode(b, 16);
        int actionsAt = 16 + m.paddedLength();
        if (actionsAt + actionsLen > end) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "packet-out actions overrun the message");
        }
        List<OfAction> actions = NxActionWire.decode(b, actionsAt, actionsAt + actionsLen);
        byte[] data = new byte[end - actionsAt - actionsLen];
        b.getBytes(actionsAt + actionsLen, data);
        Match match = m.match();
        if (match.isWildcard(FlowField.IN_PORT)) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_PORT, "a 1.5 packet-out's match has no in_port");
        }
        int inPort = OfPortNumbers.packetOutInPort((int) match.value(FlowField.IN_PORT), true);
        return new PacketOut(inPort, match, actions, data);
    }
}
