package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * OpenFlow 1.3 and 1.4 group mods and group descriptions whose bucket actions openflowj cannot
 * read or write, by hand: Nicira actions ({@link NxActionWire}, {@link NxFlowWriter}) and
 * set-fields into {@code tun_metadataN}, which a longer option's (up to 124 bytes, through the
 * bridge's TLV map) does not fit openflowj's stand-in. {@link #needsNx} says which group mods
 * come here; every other one keeps the openflowj path ({@link GroupCodec}), whose answers are
 * unchanged. As there, a bucket's id is its position.
 *
 * <pre>
 *  group mod:   header (8) | command (16) | type (8) | pad (8) | group_id (32) | buckets
 *  group desc:  length (16) | type (8) | pad (8) | group_id (32) | buckets
 *  bucket:      len (16) | weight (16) | watch_port (32) | watch_group (32) | pad (32) | actions
 * </pre>
 *
 * <p>Stateless.
 */
public final class Group13Wire {
    private static final int HEADER = 8;
    private static final int MOD_FIXED = 16;
    private static final int DESC_FIXED = 8;
    private static final int BUCKET_FIXED = 16;
    private static final int OFPMP_GROUP_DESC = 7;
    private static final long ANY = 0xffff_ffffL;

    private Group13Wire() {
    }

    /**
     * True if a bucket of the group mod in {@code b} (from index 0) has an action only the Nicira
     * codec reads, or a set-field into a {@code tun_metadataN}.
     */
    public static boolean needsNx(ByteBuf b) {
        int end = Math.min(b.writerIndex(), b.getUnsignedShort(2));
        for (int at = MOD_FIXED; at + BUCKET_FIXED <= end; ) {
            int len = b.getUnsignedShort(at);
            if (len < BUCKET_FIXED || at + len > end) {
                return false;
            }
            if (NxFlowModWire.actionsNeedNx(b, at + BUCKET_FIXED, at + len) || setsTunMetadata(b, at + BUCKET_FIXED,
                    at + len)) {
                return true;
            }
            at += len;
        }
        return false;
    }

    private static boolean setsTunMetadata(ByteBuf b, int from, int to) {
        for (int p = from; p + 8 <= to; ) {
            int len = b.getUnsignedShort(p + 2);
            if (len < 8 || p + len > to) {
                return false;
            }
            if (b.getUnsignedShort(p) == 25 && NxTunSetField.isTunMetadata(b.getUnsignedInt(p + 4))
                    || NxTunSetField.isRegLoad2(b, p, len)) {
                return true;
            }
            p += len;
        }
        return false;
    }

    /**
     * Decodes a whole OpenFlow 1.3 or 1.4 {@code OFPT_GROUP_MOD} message.
     *
     * @throws OfCodecException with the OpenFlow error to answer
     */
    public static GroupMod decodeMod(ByteBuf m) {
        int end = Math.min(m.readableBytes(), m.getUnsignedShort(2));
        if (end < MOD_FIXED) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "group mod of " + end + " bytes");
        }
        int command = m.getUnsignedShort(HEADER);
        int type = m.getUnsignedByte(HEADER + 2);
        long id = m.getUnsignedInt(HEADER + 4);
        if (command == 2) {
            return GroupMod.delete(id);
        }
        if (command > 1) {
            throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_COMMAND, "group command " + command);
        }
        GroupType groupType = Group15Wire.groupType(type);
        try {
            List<Bucket> buckets = new ArrayList<>();
            for (int at = MOD_FIXED; at < end; ) {
                if (at + BUCKET_FIXED > end) {
                    throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_BUCKET, "truncated bucket");
                }
                int len = m.getUnsignedShort(at);
                if (len < BUCKET_FIXED || at + len > end || len % 8 != 0) {
                    throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_BUCKET, "bucket length " + len);
                }
                long port = m.getUnsignedInt(at + 4);
                int watchPort = port == ANY ? OfPorts.NONE
                        : OfPortNumbers.from(org.projectfloodlight.openflow.types.OFPort.of((int) port));
                List<OfAction> actions = NxActionWire.decode(m, at + BUCKET_FIXED, at + len);
                buckets.add(new Bucket(buckets.size(), groupType == GroupType.SELECT ? m.getUnsignedShort(at + 2)
                        : Bucket.DEFAULT_WEIGHT, watchPort, m.getUnsignedInt(at + 8), actions));
                at += len;
            }
            Group g = Group.of(id, groupType, buckets);
            return command == 0 ? GroupMod.add(g) : GroupMod.modify(g);
        } catch (IllegalArgumentException e) {
            throw Group15Wire.refused(e);
        }
    }

    /** True if openflowj's encoding would lose part of a bucket of one of {@code groups}. */
    public static boolean descNeedsNx(List<Group> groups) {
        for (Group g : groups) {
            for (Bucket k : g.buckets()) {
                if (NxFlowWriter.bucketNeeded(k.actions())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The OpenFlow {@code version} (4 or 5) group description reply for {@code groups}, in as many
     * messages as needed.
     */
    public static List<ByteBuf> descReply(int version, long xid, List<Group> groups) {
        OFFactory factory = OFFactories.getFactory(version == 4 ? OFVersion.OF_13 : OFVersion.OF_14);
        List<ByteBuf> bodies = new ArrayList<>(groups.size());
        for (Group g : groups) {
            ByteBuf b = Unpooled.buffer(128);
            b.writeShort(0).writeByte(g.type().ordinal()).writeByte(0).writeInt((int) g.groupId());
            for (Bucket k : g.buckets()) {
                int start = b.writerIndex();
                b.writeShort(0).writeShort(g.type() == GroupType.SELECT ? k.weight() : 0)
                        .writeInt(k.watchesPort() ? OfPortNumbers.to(k.watchPort()).getPortNumber() : (int) ANY)
                        .writeInt((int) k.watchGroup()).writeZero(4);
                try {
                    NxFlowWriter.actions(b, k.actions(), version);
                } catch (IllegalArgumentException unwritable) {
                    // As Group15Wire: what the Nicira writer cannot write, openflowj writes as it can.
                    b.writerIndex(start + BUCKET_FIXED);
                    for (org.projectfloodlight.openflow.protocol.action.OFAction a : ActionCodec.encode(k.actions(),
                            Match.ANY, factory)) {
                        a.writeTo(b);
                    }
                }
                b.setShort(start, b.writerIndex() - start);
            }
            b.setShort(0, b.readableBytes());
            bodies.add(b);
        }
        return MultipartWire.chunk(version, xid, OFPMP_GROUP_DESC, bodies);
    }
}
