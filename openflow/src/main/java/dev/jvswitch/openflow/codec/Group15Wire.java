package dev.jvswitch.openflow.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.group.SelectionMethod;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * OpenFlow 1.5's group mod and group description, written by hand: openflowj 3.2.1 cannot read
 * the group mod ovs-ofctl sends (OFPBRC_BAD_LEN) and its 1.5 buckets keep weight and watches in
 * properties its getters refuse. Actions inside buckets are read and written by the library
 * (the action wire format is the same as in a packet-out, which it reads right).
 *
 * <pre>
 *  group mod:   header (8) | command (16) | type (8) | pad (8) | group_id (32)
 *               bucket_array_len (16) | pad (16) | command_bucket_id (32) | buckets | properties
 *  group desc:  length (16) | type (8) | pad (8) | group_id (32) | bucket_array_len (16) | pad (48)
 *               buckets | properties
 *  bucket:      len (16) | action_array_len (16) | bucket_id (32) | actions | properties
 *  bucket prop: type (16: 0 weight, 1 watch_port, 2 watch_group) | length (16, 8) | value | pad
 *  group prop:  0xffff | length | experimenter 0x154d (NTR) | exp_type 1 (selection method)
 *               | pad (32) | method [16] | method param (64) | OXM fields | pad to 8
 * </pre>
 *
 * <p>Stateless.
 */
public final class Group15Wire {
    private static final int HEADER = 8;
    private static final int MOD_FIXED = 24;
    private static final int DESC_FIXED = 16;
    private static final int BUCKET_FIXED = 8;
    private static final int PROP_WEIGHT = 0;
    private static final int PROP_WATCH_PORT = 1;
    private static final int PROP_WATCH_GROUP = 2;
    private static final int PROP_EXPERIMENTER = 0xffff;
    private static final long NTR_VENDOR_ID = 0x0000154dL;
    /** The vendor id OVS 2.4 used by mistake, still accepted. */
    private static final long NTR_COMPAT_VENDOR_ID = 0x00001540L;
    private static final int NTRT_SELECTION_METHOD = 1;
    private static final int OFPMP_GROUP_DESC = 7;

    private Group15Wire() {
    }

    /**
     * Decodes a whole OpenFlow 1.5 {@code OFPT_GROUP_MOD} message.
     *
     * @throws OfCodecException with the OpenFlow error to answer
     */
    public static GroupMod decodeMod(ByteBuf m) {
        int end = m.readableBytes();
        if (end < MOD_FIXED) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "group mod of " + end + " bytes");
        }
        int command = m.getUnsignedShort(HEADER);
        int type = m.getUnsignedByte(HEADER + 2);
        long id = m.getUnsignedInt(HEADER + 4);
        int bucketBytes = m.getUnsignedShort(HEADER + 8);
        if (command == 2) {
            return GroupMod.delete(id);
        }
        if (command == 3 || command == 4) {
            throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_COMMAND, (command == 3 ? "insert_bucket"
                    : "remove_bucket") + " is not supported");
        }
        if (command > 1) {
            throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_COMMAND, "group command " + command);
        }
        GroupType groupType = groupType(type);
        if (MOD_FIXED + bucketBytes > end) {
            throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_BUCKET, "bucket array of " + bucketBytes
                    + " bytes in a group mod of " + end);
        }
        try {
            List<Bucket> buckets = buckets(m, MOD_FIXED, MOD_FIXED + bucketBytes, groupType);
            SelectionMethod method = SelectionMethod.DEFAULT;
            long basis = 0;
            for (int at = MOD_FIXED + bucketBytes; at + 4 <= end; ) {
                int ptype = m.getUnsignedShort(at);
                int plen = m.getUnsignedShort(at + 2);
                if (plen < 4 || at + plen > end) {
                    throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_BUCKET, "group property length " + plen);
                }
                if (ptype == PROP_EXPERIMENTER && plen >= 40 && (m.getUnsignedInt(at + 4) == NTR_VENDOR_ID || m.getUnsignedInt(at + 4) == NTR_COMPAT_VENDOR_ID)
                        && m.getUnsignedInt(at + 8) == NTRT_SELECTION_METHOD) {
                    byte[] name = new byte[16];
                    m.getBytes(at + 16, name);
                    String s = new String(name, StandardCharsets.US_ASCII).replace("\0", "");
                    basis = m.getLong(at + 32);
                    if (plen > 40) {
                        throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_TYPE,
                                "selection_method fields(...) are not supported over OpenFlow yet");
                    }
                    method = switch (s) {
                        case "dp_hash" -> SelectionMethod.DP_HASH;
                        case "" -> SelectionMethod.DEFAULT;
                        default -> throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_TYPE,
                                "selection_method " + s + " is not supported");
                    };
                }
                at += (plen + 7) & ~7;
            }
            Group g = new Group(id, groupType, method, List.of(), method == SelectionMethod.DEFAULT ? 0 : basis,
                    buckets);
            return command == 0 ? GroupMod.add(g) : GroupMod.modify(g);
        } catch (IllegalArgumentException e) {
            throw refused(e);
        }
    }

    /** A group mod's type (1.3-1.5 number them alike), or OFPGMFC_BAD_TYPE. */
    static GroupType groupType(int type) {
        return switch (type) {
            case 0 -> GroupType.ALL;
            case 1 -> GroupType.SELECT;
            case 2 -> GroupType.INDIRECT;
            case 3 -> GroupType.FAST_FAILOVER;
            default -> throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_TYPE, "group type " + type);
        };
    }

    /** The group mod error for the model's refusal of a group a hand decoder read. */
    static OfCodecException refused(IllegalArgumentException e) {
        return new OfCodecException(e.getMessage() != null && e.getMessage().contains("watch")
                ? OfError.GROUP_MOD_FAILED_BAD_WATCH : OfError.GROUP_MOD_FAILED_INVALID_GROUP, e.getMessage());
    }

    private static List<Bucket> buckets(ByteBuf m, int from, int to, GroupType type) {
        List<Bucket> out = new ArrayList<>();
        for (int at = from; at < to; ) {
            if (at + BUCKET_FIXED > to) {
                throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_BUCKET, "truncated bucket");
            }
            int len = m.getUnsignedShort(at);
            int actionBytes = m.getUnsignedShort(at + 2);
            long bucketId = m.getUnsignedInt(at + 4);
            if (len < BUCKET_FIXED + actionBytes || at + len > to || len % 8 != 0) {
                throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_BUCKET, "bucket length " + len);
            }
            int weight = Bucket.DEFAULT_WEIGHT;
            int watchPort = OfPorts.NONE;
            long watchGroup = Bucket.WATCH_NONE;
            for (int p = at + BUCKET_FIXED + actionBytes; p + 4 <= at + len; ) {
                int ptype = m.getUnsignedShort(p);
                int plen = m.getUnsignedShort(p + 2);
                if (plen < 4 || p + plen > at + len) {
                    throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_BUCKET, "bucket property length " + plen);
                }
                switch (ptype) {
                    case PROP_WEIGHT -> weight = m.getUnsignedShort(p + 4);
                    case PROP_WATCH_PORT -> {
                        long port = m.getUnsignedInt(p + 4);
                        watchPort = port == 0xffffffffL ? OfPorts.NONE : OfPortNumbers.from(
                                org.projectfloodlight.openflow.types.OFPort.of((int) port));
                    }
                    case PROP_WATCH_GROUP -> watchGroup = m.getUnsignedInt(p + 4);
                    default -> {
                        // an experimenter property: nothing we act on
                    }
                }
                p += (plen + 7) & ~7;
            }
            int actionsAt = at + BUCKET_FIXED;
            // Nicira actions (OVN's buckets: set_field on registers, resubmit, ...) by hand.
            List<dev.jvswitch.ofproto.action.OfAction> decoded = NxFlowModWire.actionsNeedNx(m, actionsAt,
                    actionsAt + actionBytes) ? NxActionWire.decode(m, actionsAt, actionsAt + actionBytes)
                    : ActionCodec.decode(actions(m, actionsAt, actionBytes), false);
            out.add(new Bucket((int) Math.min(bucketId, Integer.MAX_VALUE), type == GroupType.SELECT ? weight
                    : Bucket.DEFAULT_WEIGHT, watchPort, watchGroup, decoded));
            at += len;
        }
        return out;
    }

    /** The library reads 1.5 action lists right inside a packet-out: it reads them there. */
    private static List<OFAction> actions(ByteBuf m, int at, int length) {
        if (length == 0) {
            return List.of();
        }
        int total = HEADER + 8 + 8 + length;
        ByteBuf po = Unpooled.buffer(total);
        try {
            po.writeByte(6).writeByte(13).writeShort(total).writeInt(0);
            po.writeInt(-1).writeShort(length).writeZero(2);
            po.writeShort(1).writeShort(4).writeZero(4); // an empty OXM match
            po.writeBytes(m, at, length);
            OFMessage msg = OFFactories.getGenericReader().readFrom(po);
            if (!(msg instanceof OFPacketOut p)) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "bucket actions");
            }
            return p.getActions();
        } catch (org.projectfloodlight.openflow.exceptions.OFParseError | RuntimeException e) {
            if (e instanceof OfCodecException oce) {
                throw oce;
            }
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "bucket actions: " + e.getMessage());
        } finally {
            po.release();
        }
    }

    /** The OpenFlow 1.5 group description reply for {@code groups}, in as many messages as needed. */
    public static List<ByteBuf> descReply(long xid, List<Group> groups) {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_15);
        List<ByteBuf> bodies = new ArrayList<>(groups.size());
        for (Group g : groups) {
            ByteBuf b = Unpooled.buffer(128);
            b.writeShort(0).writeByte(g.type().ordinal()).writeByte(0).writeInt((int) g.groupId())
                    .writeShort(0).writeZero(6);
            for (Bucket k : g.buckets()) {
                int start = b.writerIndex();
                b.writeShort(0).writeShort(0).writeInt(k.bucketId());
                boolean nx = NxFlowWriter.bucketNeeded(k.actions());
                if (nx) {
                    try {
                        NxFlowWriter.actions(b, k.actions());
                    } catch (IllegalArgumentException unwritable) {
                        b.writerIndex(start + BUCKET_FIXED);
                        nx = false;
                    }
                }
                if (!nx) {
                    for (OFAction a : ActionCodec.encode(k.actions(), Match.ANY, f)) {
                        a.writeTo(b);
                    }
                }
                b.setShort(start + 2, b.writerIndex() - start - BUCKET_FIXED);
                if (g.type() == GroupType.SELECT) {
                    b.writeShort(PROP_WEIGHT).writeShort(8).writeShort(k.weight()).writeZero(2);
                }
                if (k.watchesPort()) {
                    b.writeShort(PROP_WATCH_PORT).writeShort(8).writeInt(OfPortNumbers.to(k.watchPort())
                            .getPortNumber());
                }
                if (k.watchesGroup()) {
                    b.writeShort(PROP_WATCH_GROUP).writeShort(8).writeInt((int) k.watchGroup());
                }
                b.setShort(start, b.writerIndex() - start);
            }
            b.setShort(8, b.writerIndex() - DESC_FIXED);
            if (g.selectionMethod() == SelectionMethod.DP_HASH) {
                b.writeShort(PROP_EXPERIMENTER).writeShort(40).writeInt((int) NTR_VENDOR_ID)
                        .writeInt(NTRT_SELECTION_METHOD).writeZero(4);
                byte[] name = "dp_hash".getBytes(StandardCharsets.US_ASCII);
                b.writeBytes(name).writeZero(16 - name.length).writeLong(g.selectionBasis());
            }
            b.setShort(0, b.readableBytes());
            bodies.add(b);
        }
        return MultipartWire.chunk(6, xid, OFPMP_GROUP_DESC, bodies);
    }
}
