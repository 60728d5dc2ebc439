package dev.jvswitch.openflow.codec;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

import dev.jvswitch.ofproto.xlate.ControllerOutput;

/**
 * A packet-in ({@code OFPT_PACKET_IN}): no buffering (buffer_id NO_BUFFER, the data carries
 * the packet up to max_len), reason NO_MATCH for a table-miss rule and ACTION otherwise, the
 * rule's table and cookie, and a match with the in_port.
 *
 * <p>Stateless.
 */
public final class PacketInCodec {
    private PacketInCodec() {
    }

    public static OFPacketIn encode(ControllerOutput out, byte[] data, int totalLen, OFFactory f) {
        return f.buildPacketIn().setBufferId(OFBufferId.NO_BUFFER).setTotalLen(totalLen)
                .setReason(out.invalidTtl() ? OFPacketInReason.INVALID_TTL
                        : out.tableMiss() ? OFPacketInReason.NO_MATCH : OFPacketInReason.ACTION)
                .setTableId(TableId.of(out.tableId())).setCookie(U64.of(out.cookie()))
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OfPortNumbers.to(out.inPort())).build())
                .setData(data).build();
    }
}
