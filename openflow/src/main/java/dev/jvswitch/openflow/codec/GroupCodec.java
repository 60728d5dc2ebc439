package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFBucketCounter;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupCapabilities;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupFeaturesStatsReply;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortMod;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.U64;

import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.PortMod;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * Group mods and group multipart replies (desc, stats, features), and port mods, to and from
 * ofproto's model. OpenFlow 1.3 buckets have no ids: a bucket's id is its position.
 *
 * <p>Stateless.
 */
public final class GroupCodec {
    /** Groups per type a controller is told this switch holds. */
    private static final long MAX_GROUPS = 1_000_000;
    /** OFPAT_OUTPUT, GROUP, SET_FIELD, PUSH_VLAN, POP_VLAN, DEC_NW_TTL, SET_NW_TTL as OpenFlow 1.3 bits. */
    private static final long ACTIONS = 1L << 0 | 1L << 22 | 1L << 25 | 1L << 17 | 1L << 18 | 1L << 24 | 1L << 23;

    private GroupCodec() {
    }

    public static GroupMod decode(OFGroupMod m) {
        long id = m.getGroup().getGroupNumber() & 0xffffffffL;
        try {
            switch (m.getCommand()) {
                case DELETE:
                    return GroupMod.delete(id);
                case ADD:
                case MODIFY:
                    GroupType type = switch (m.getGroupType()) {
                        case ALL -> GroupType.ALL;
                        case SELECT -> GroupType.SELECT;
                        case INDIRECT -> GroupType.INDIRECT;
                        case FF -> GroupType.FAST_FAILOVER;
                    };
                    List<Bucket> buckets = new ArrayList<>();
                    for (OFBucket b : m.getBuckets()) {
                        int watchPort = OfPortNumbers.from(b.getWatchPort());
                        long watchGroup = b.getWatchGroup().getGroupNumber() & 0xffffffffL;
                        if (type == GroupType.FAST_FAILOVER && watchPort == OfPorts.ANY
                                && watchGroup == Bucket.WATCH_NONE) {
                            // As OVS: a fast failover bucket without a liveness check.
                            throw new OfCodecException(OfError.GROUP_MOD_FAILED_INVALID_GROUP, "group " + id
                                    + ": a fast failover bucket needs watch_port or watch_group");
                        }
                        buckets.add(new Bucket(buckets.size(), type == GroupType.SELECT ? b.getWeight()
                                : Bucket.DEFAULT_WEIGHT, watchPort == OfPorts.ANY ? OfPorts.NONE : watchPort,
                                watchGroup, ActionCodec.decode(b.getActions(), false)));
                    }
                    Group g = Group.of(id, type, buckets);
                    return m.getCommand() == org.projectfloodlight.openflow.protocol.OFGroupModCommand.ADD
                            ? GroupMod.add(g) : GroupMod.modify(g);
                default:
                    throw new OfCodecException(OfError.GROUP_MOD_FAILED_BAD_COMMAND, "group command "
                            + m.getCommand());
            }
        } catch (IllegalArgumentException e) {
            throw new OfCodecException(e.getMessage() != null && e.getMessage().contains("watch")
                    ? OfError.GROUP_MOD_FAILED_BAD_WATCH : OfError.GROUP_MOD_FAILED_INVALID_GROUP, e.getMessage());
        }
    }

    /** The OpenFlow error for ofproto's refusal of a group mod. */
    public static OfError error(String message) {
        String s = message == null ? "" : message;
        if (s.contains("already exists")) {
            return OfError.GROUP_MOD_FAILED_GROUP_EXISTS;
        } else if (s.contains("does not exist")) {
            return OfError.GROUP_MOD_FAILED_UNKNOWN_GROUP;
        } else if (s.contains("bucket")) {
            return OfError.GROUP_MOD_FAILED_BAD_BUCKET;
        }
        return OfError.GROUP_MOD_FAILED_INVALID_GROUP;
    }

    public static OFGroupDescStatsEntry desc(Group g, OFFactory f) {
        List<OFBucket> buckets = new ArrayList<>();
        for (Bucket b : g.buckets()) {
            buckets.add(f.buildBucket().setWeight(g.type() == GroupType.SELECT ? b.weight() : 0)
                    .setWatchPort(b.watchPort() == OfPorts.NONE ? org.projectfloodlight.openflow.types.OFPort.ANY
                            : OfPortNumbers.to(b.watchPort()))
                    .setWatchGroup(OFGroup.of((int) b.watchGroup())).setActions(ActionCodec.encode(b.actions(),
                            Match.ANY, f)).build());
        }
        return f.buildGroupDescStatsEntry().setGroupType(type(g.type())).setGroup(OFGroup.of((int) g.groupId()))
                .setBuckets(buckets).build();
    }

    public static OFGroupStatsEntry stats(Group g, long refCount, OFFactory f) {
        List<OFBucketCounter> counters = new ArrayList<>();
        dev.jvswitch.ofproto.group.GroupStats st = g.stats();
        for (int i = 0; i < g.buckets().size(); i++) {
            counters.add(f.buildBucketCounter().setPacketCount(U64.of(st.bucketPackets(i)))
                    .setByteCount(U64.of(st.bucketBytes(i))).build());
        }
        long ns = Math.max(0, System.nanoTime() - st.createdNs());
        return f.buildGroupStatsEntry().setGroup(OFGroup.of((int) g.groupId())).setRefCount(refCount)
                .setPacketCount(U64.of(st.packets())).setByteCount(U64.of(st.bytes())).setBucketStats(counters)
                .setDurationSec(ns / 1_000_000_000L).setDurationNsec(ns % 1_000_000_000L).build();
    }

    public static OFGroupFeaturesStatsReply features(long xid, OFFactory f) {
        return f.buildGroupFeaturesStatsReply().setXid(xid).setTypes(0xf)
                .setCapabilities(EnumSet.of(OFGroupCapabilities.SELECT_WEIGHT, OFGroupCapabilities.SELECT_LIVENESS,
                        OFGroupCapabilities.CHAINING))
                .setMaxGroupsAll(MAX_GROUPS).setMaxGroupsSelect(MAX_GROUPS).setMaxGroupsIndirect(MAX_GROUPS)
                .setMaxGroupsFf(MAX_GROUPS).setActionsAll(ACTIONS).setActionsSelect(ACTIONS)
                .setActionsIndirect(ACTIONS).setActionsFf(ACTIONS).build();
    }

    private static OFGroupType type(GroupType t) {
        return switch (t) {
            case ALL -> OFGroupType.ALL;
            case SELECT -> OFGroupType.SELECT;
            case INDIRECT -> OFGroupType.INDIRECT;
            case FAST_FAILOVER -> OFGroupType.FF;
        };
    }

    /** A port mod: the config bits under its mask (OpenFlow 1.3 numbers: down, no-recv, no-fwd, no-packet-in). */
    public static PortMod decode(OFPortMod m) {
        int port = OfPortNumbers.from(m.getPortNo());
        if (port < 0 || (!OfPorts.isPhysical(port) && port != OfPorts.LOCAL)) {
            throw new OfCodecException(OfError.PORT_MOD_FAILED_BAD_PORT, "port " + m.getPortNo());
        }
        Set<PortMod.Config> config = EnumSet.noneOf(PortMod.Config.class);
        Set<PortMod.Config> mask = EnumSet.noneOf(PortMod.Config.class);
        bits(m.getConfig(), config);
        bits(m.getMask(), mask);
        config.retainAll(mask);
        return new PortMod(port, PortMod.ANY_HW_ADDR, config, mask);
    }

    private static void bits(Set<OFPortConfig> in, Set<PortMod.Config> out) {
        for (OFPortConfig c : in) {
            switch (c) {
                case PORT_DOWN -> out.add(PortMod.Config.PORT_DOWN);
                case NO_RECV -> out.add(PortMod.Config.NO_RECV);
                case NO_FWD -> out.add(PortMod.Config.NO_FWD);
                case NO_PACKET_IN -> out.add(PortMod.Config.NO_PACKET_IN);
                case NO_STP -> out.add(PortMod.Config.NO_STP);
                case NO_RECV_STP -> out.add(PortMod.Config.NO_RECV_STP);
                case NO_FLOOD -> out.add(PortMod.Config.NO_FLOOD);
                default -> throw new OfCodecException(OfError.PORT_MOD_FAILED_BAD_CONFIG, "port config " + c);
            }
        }
    }
}
