package dev.jvswitch.openflow.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFTableFeatureProp;
import org.projectfloodlight.openflow.protocol.OFTableFeatures;
import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.mod.FlowStats;

/**
 * The multipart replies written by hand, because openflowj 3.2.1 writes them wrong in OpenFlow
 * 1.5: a table-features property is not padded to 8 bytes (ovs-ofctl refuses the whole reply as
 * OFPBRC_BAD_LEN), and OXS statistics (aggregate and flow stats) come out with the wrong lengths
 * (ovs-ofctl prints a flow count of 2^32-1). The same writer serves 1.3 and 1.4, where the
 * library is right, so a golden test holds the two to the same bytes.
 *
 * <pre>
 *  multipart reply:  version | type=19 | length      | xid
 *                    mp type (16)     | flags (16) | pad (32)            16 bytes, then the body
 *  table features:   length (16) | table id | 1.5: command, else pad | 1.5: features (32), else pad
 *                    name [32] | metadata_match (64) | metadata_write (64)
 *                    1.5: capabilities, else config (32) | max_entries (32)    64 bytes, then properties
 *  property:         type (16) | length (16, unpadded) | body | zeros to a multiple of 8
 *  ofp_stats (1.5):  reserved (16) | length (16, unpadded) | OXS fields | zeros to a multiple of 8
 *  OXS field:        class 0x8002 (16) | field (7) | hasmask (1) | length (8) | value
 * </pre>
 *
 * <p>Stateless.
 */
public final class MultipartWire {
    /** Largest body in one reply (the length field is 16 bits); the rest follows flagged REPLY_MORE. */
    public static final int MAX_BODY_BYTES = 60_000;
    private static final int OFPT_MULTIPART_REPLY = 19;
    private static final int OFPMP_FLOW = 1;
    private static final int OFPMP_AGGREGATE = 2;
    private static final int OFPMP_METER_FEATURES = 11;
    private static final int OFPMP_TABLE_FEATURES = 12;
    private static final int REPLY_MORE = 1;
    private static final int OXS_CLASS = 0x8002;
    private static final int OXS_DURATION = 0;
    private static final int OXS_IDLE_TIME = 1;
    private static final int OXS_FLOW_COUNT = 3;
    private static final int OXS_PACKET_COUNT = 4;
    private static final int OXS_BYTE_COUNT = 5;
    private static final long NS = 1_000_000_000L;

    private MultipartWire() {
    }

    /** The table-features reply for {@code tables}, in as many messages as its size needs. */
    public static List<ByteBuf> tableFeatures(int version, long xid, List<OFTableFeatures> tables) {
        List<ByteBuf> bodies = new ArrayList<>(tables.size());
        for (OFTableFeatures t : tables) {
            bodies.add(tableFeatures(version, t));
        }
        return chunk(version, xid, OFPMP_TABLE_FEATURES, bodies);
    }

    /** One table's {@code ofp_table_features}. */
    static ByteBuf tableFeatures(int version, OFTableFeatures t) {
        ByteBuf b = Unpooled.buffer(1024);
        b.writeShort(0).writeByte(t.getTableId().getValue());
        if (version >= 6) {
            b.writeByte(0).writeInt(0); // command REPLACE, no features flags
        } else {
            b.writeZero(5);
        }
        byte[] name = t.getName().getBytes(StandardCharsets.US_ASCII);
        b.writeBytes(name, 0, Math.min(name.length, 31)).writeZero(32 - Math.min(name.length, 31));
        b.writeLong(t.getMetadataMatch().getValue()).writeLong(t.getMetadataWrite().getValue());
        b.writeInt(version >= 6 ? 0 : (int) t.getConfig()).writeInt((int) t.getMaxEntries());
        ByteBuf scratch = Unpooled.buffer(512);
        for (OFTableFeatureProp p : t.getProperties()) {
            // The library writes each property's type, length and ids right; only its padding is wrong.
            scratch.clear();
            p.writeTo(scratch);
            int len = scratch.getUnsignedShort(2);
            b.writeBytes(scratch, 0, len).writeZero(pad8(len));
        }
        b.setShort(0, b.readableBytes());
        return b;
    }

    /**
     * The meter features reply (1.3-1.5: {@code ofp_meter_features}, 16 bytes), what OVS's
     * userspace datapath says: max_meter, drop bands only, kbps/pktps/burst/stats, max_bands,
     * max_color 0. openflowj writes 1.5's body 8 bytes too long.
     */
    public static ByteBuf meterFeatures(int version, long xid) {
        ByteBuf b = Unpooled.buffer(32);
        b.writeByte(version).writeByte(OFPT_MULTIPART_REPLY).writeShort(32).writeInt((int) xid);
        b.writeShort(OFPMP_METER_FEATURES).writeShort(0).writeInt(0);
        b.writeInt((int) dev.jvswitch.ofproto.meter.Meter.MAX_METERS)
                .writeInt(1 << dev.jvswitch.ofproto.meter.MeterBand.DROP)
                .writeInt(dev.jvswitch.ofproto.meter.Meter.SUPPORTED_FLAGS)
                .writeByte(dev.jvswitch.ofproto.meter.Meter.MAX_BANDS).writeByte(0).writeShort(0);
        return b;
    }

    /** An OpenFlow 1.5 aggregate reply: {@code ofp_stats} with flow count, packet count, byte count. */
    public static ByteBuf aggregate15(long xid, long flows, long packets, long bytes) {
        ByteBuf body = Unpooled.buffer(40);
        int start = beginStats(body);
        oxs(body, OXS_FLOW_COUNT, 4).writeInt((int) flows);
        oxs(body, OXS_PACKET_COUNT, 8).writeLong(packets);
        oxs(body, OXS_BYTE_COUNT, 8).writeLong(bytes);
        endStats(body, start);
        return chunk(6, xid, OFPMP_AGGREGATE, List.of(body)).get(0);
    }

    /** The OpenFlow 1.5 flow stats reply for {@code flows}, in as many messages as its size needs. */
    public static List<ByteBuf> flowStats15(long xid, List<FlowStats> flows, OFFactory f) {
        List<ByteBuf> bodies = new ArrayList<>(flows.size());
        for (FlowStats s : flows) {
            bodies.add(flowStats15(s, f));
        }
        return chunk(6, xid, OFPMP_FLOW, bodies);
    }

    /** One OpenFlow 1.5 {@code ofp_flow_stats}; match and instructions are the library's (right in 1.5). */
    static ByteBuf flowStats15(FlowStats s, OFFactory f) {
        if (f.getVersion() != OFVersion.OF_15) {
            throw new IllegalArgumentException("an OpenFlow 1.5 factory is needed, not " + f.getVersion());
        }
        if (NxFlowWriter.needed(s.match(), s.instructions())) {
            try {
                return flowStatsNx(s);
            } catch (IllegalArgumentException unwritable) {
                // an action with no 1.5 encoding here: the library's encoding, which leaves it out
            }
        }
        OFFlowStatsEntry e = FlowModCodec.encode(s, f);
        ByteBuf b = Unpooled.buffer(256);
        b.writeShort(0).writeShort(0).writeByte(s.tableId()).writeByte(0).writeShort(s.priority())
                .writeShort(s.idleTimeoutSec()).writeShort(s.hardTimeoutSec());
        b.writeShort(flagBits(e.getFlags())).writeShort(0).writeLong(s.cookie());
        e.getMatch().writeTo(b); // ofp_match pads itself to 8
        int start = beginStats(b);
        oxs(b, OXS_DURATION, 8).writeLong(oxsTime(s.durationNs()));
        oxs(b, OXS_IDLE_TIME, 8).writeLong(oxsTime(s.idleAgeNs()));
        oxs(b, OXS_PACKET_COUNT, 8).writeLong(s.packets());
        oxs(b, OXS_BYTE_COUNT, 8).writeLong(s.bytes());
        endStats(b, start);
        int instructions = b.writerIndex();
        for (org.projectfloodlight.openflow.protocol.instruction.OFInstruction i : e.getInstructions()) {
            i.writeTo(b);
        }
        NxFinTimeoutWire.fromStandIns(b, instructions, b.writerIndex());
        NxTunSetField.fromStandIns(b, instructions, b.writerIndex(), 6);
        b.setShort(0, b.readableBytes());
        return b;
    }

    /**
     * The OpenFlow 1.3 or 1.4 flow stats reply for {@code flows}: openflowj's encoding, except that
     * a rule it would write without its Nicira fields or actions is written by {@link NxFlowWriter}
     * (OVS writes NXM fields and Nicira actions in every version).
     */
    public static List<ByteBuf> flowStats13(long xid, List<FlowStats> flows, OFFactory f) {
        int version = f.getVersion().getWireVersion();
        if (version != 4 && version != 5) {
            throw new IllegalArgumentException("an OpenFlow 1.3 or 1.4 factory is needed, not " + f.getVersion());
        }
        List<ByteBuf> bodies = new ArrayList<>(flows.size());
        for (FlowStats s : flows) {
            bodies.add(flowStats13(s, f, version));
        }
        return chunk(version, xid, OFPMP_FLOW, bodies);
    }

    /** True if openflowj's 1.3/1.4 encoding would leave out part of one of {@code flows}. */
    public static boolean needsNx(List<FlowStats> flows) {
        for (FlowStats s : flows) {
            if (NxFlowWriter.needed(s.match(), s.instructions())) {
                return true;
            }
        }
        return false;
    }

    /** One 1.3/1.4 {@code ofp_flow_stats} (48 fixed bytes, the match, the instructions). */
    private static ByteBuf flowStats13(FlowStats s, OFFactory f, int version) {
        if (NxFlowWriter.needed(s.match(), s.instructions())) {
            ByteBuf b = Unpooled.buffer(512);
            try {
                b.writeShort(0).writeByte(s.tableId()).writeByte(0);
                b.writeInt((int) (s.durationNs() / 1_000_000_000L)).writeInt((int) (s.durationNs() % 1_000_000_000L));
                b.writeShort(s.priority()).writeShort(s.idleTimeoutSec()).writeShort(s.hardTimeoutSec());
                b.writeShort(modFlags(s)).writeInt(0).writeLong(s.cookie()).writeLong(s.packets()).writeLong(s.bytes());
                NxFlowWriter.match(b, s.match());
                NxFlowWriter.instructions(b, s.instructions(), s.match(), version);
                b.setShort(0, b.readableBytes());
                return b;
            } catch (IllegalArgumentException unwritable) {
                b.release(); // an action with no encoding here: openflowj's, which leaves it out
            }
        }
        ByteBuf b = Unpooled.buffer(256);
        FlowModCodec.encode(s, f).writeTo(b);
        int match = 48;
        int instructions = match + ((b.getUnsignedShort(match + 2) + 7) & ~7);
        NxFinTimeoutWire.fromStandIns(b, instructions, b.writerIndex());
        NxTunSetField.fromStandIns(b, instructions, b.writerIndex(), version);
        return b;
    }

    /** One {@code ofp_flow_stats} with Nicira fields and actions ({@link NxFlowWriter}). */
    private static ByteBuf flowStatsNx(FlowStats s) {
        ByteBuf b = Unpooled.buffer(512);
        int flags = modFlags(s);
        b.writeShort(0).writeShort(0).writeByte(s.tableId()).writeByte(0).writeShort(s.priority())
                .writeShort(s.idleTimeoutSec()).writeShort(s.hardTimeoutSec());
        b.writeShort(flags).writeShort(0).writeLong(s.cookie());
        NxFlowWriter.match(b, s.match());
        int start = beginStats(b);
        oxs(b, OXS_DURATION, 8).writeLong(oxsTime(s.durationNs()));
        oxs(b, OXS_IDLE_TIME, 8).writeLong(oxsTime(s.idleAgeNs()));
        oxs(b, OXS_PACKET_COUNT, 8).writeLong(s.packets());
        oxs(b, OXS_BYTE_COUNT, 8).writeLong(s.bytes());
        endStats(b, start);
        NxFlowWriter.instructions(b, s.instructions(), s.match());
        b.setShort(0, b.readableBytes());
        return b;
    }

    /** The rule's flow-mod flag bits. */
    private static int modFlags(FlowStats s) {
        int flags = 0;
        for (dev.jvswitch.ofproto.mod.FlowMod.Flag fl : s.flags()) {
            flags |= switch (fl) {
                case SEND_FLOW_REM -> 1;
                case CHECK_OVERLAP -> 2;
                case RESET_COUNTS -> 4;
                case NO_PACKET_COUNTS -> 8;
                case NO_BYTE_COUNTS -> 16;
                default -> 0;
            };
        }
        return flags;
    }

    /** OpenFlow's flow-mod flag bits (the same in 1.3 to 1.5). */
    private static int flagBits(java.util.Set<org.projectfloodlight.openflow.protocol.OFFlowModFlags> flags) {
        int bits = 0;
        for (org.projectfloodlight.openflow.protocol.OFFlowModFlags fl : flags) {
            bits |= switch (fl) {
                case SEND_FLOW_REM -> 1;
                case CHECK_OVERLAP -> 2;
                case RESET_COUNTS -> 4;
                case NO_PKT_COUNTS -> 8;
                case NO_BYT_COUNTS -> 16;
                default -> 0;
            };
        }
        return bits;
    }

    private static int beginStats(ByteBuf b) {
        int start = b.writerIndex();
        b.writeShort(0).writeShort(0);
        return start;
    }

    private static void endStats(ByteBuf b, int start) {
        int len = b.writerIndex() - start;
        b.setShort(start + 2, len);
        b.writeZero(pad8(len));
    }

    private static ByteBuf oxs(ByteBuf b, int field, int length) {
        return b.writeInt(OXS_CLASS << 16 | field << 9 | length);
    }

    /** OXS time: seconds in the high 32 bits, nanoseconds in the low. */
    private static long oxsTime(long ns) {
        return (ns / NS) << 32 | (ns % NS);
    }

    private static int pad8(int len) {
        return (8 - (len & 7)) & 7;
    }

    /**
     * Frames {@code bodies} (each released here) as multipart replies of at most
     * {@link #MAX_BODY_BYTES}, all but the last flagged REPLY_MORE; an empty list is one empty reply.
     */
    static List<ByteBuf> chunk(int version, long xid, int type, List<ByteBuf> bodies) {
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf cur = header(version, xid, type);
        for (ByteBuf body : bodies) {
            if (cur.readableBytes() > 16 && cur.readableBytes() - 16 + body.readableBytes() > MAX_BODY_BYTES) {
                cur.setShort(10, REPLY_MORE);
                out.add(finish(cur));
                cur = header(version, xid, type);
            }
            cur.writeBytes(body);
            body.release();
        }
        out.add(finish(cur));
        return out;
    }

    private static ByteBuf header(int version, long xid, int type) {
        ByteBuf b = Unpooled.buffer(MAX_BODY_BYTES / 4);
        b.writeByte(version).writeByte(OFPT_MULTIPART_REPLY).writeShort(0).writeInt((int) xid);
        b.writeShort(type).writeShort(0).writeInt(0);
        return b;
    }

    private static ByteBuf finish(ByteBuf b) {
        b.setShort(2, b.readableBytes());
        return b;
    }
}
