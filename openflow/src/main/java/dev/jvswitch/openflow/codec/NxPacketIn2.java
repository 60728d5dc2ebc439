package dev.jvswitch.openflow.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.xlate.ControllerOutput;
import dev.jvswitch.ofproto.xlate.FrozenState;

/**
 * Nicira's {@code NXT_PACKET_IN2} and {@code NXT_RESUME} (OVS's {@code ofputil_put_packet_in_private}
 * and {@code ofputil_decode_packet_in_private}): a Nicira header, then properties, each type (16) |
 * len (16) | body, padded to 8:
 *
 * <pre>
 *  PACKET 0 (bytes) | FULL_LEN 1 (32, when cut) | TABLE_ID 3 (8) | COOKIE 4 (4 pad, 64) | REASON 5 (8)
 *  | METADATA 6 (OXM/NXM entries: in_port, pkt_mark, tunnel, metadata, registers, ct fields that
 *  are not zero) | USERDATA 7 (bytes) | CONTINUATION 8 (4 pad, nested properties)
 * </pre>
 *
 * <p>The continuation is opaque to the controller, which sends it back unchanged in NXT_RESUME
 * with the packet and metadata it may have changed. Like OVS's it carries the whole frozen state,
 * so the switch keeps nothing per paused packet: the bridge (OVS's {@code NXCPT_BRIDGE}, here a
 * UUID made from its name, and the name), the table and the actions of the innermost frame
 * ({@code NXCPT_TABLE_ID}, {@code NXCPT_ACTIONS} as OpenFlow 1.5 actions), then jvswitch's own
 * properties for the outer frames, the in_port when it froze and the push/pop stack.
 *
 * <p>Stateless.
 */
public final class NxPacketIn2 {
    public static final int NXT_RESUME = 28;
    public static final int NXT_PACKET_IN2 = 30;

    private static final int NXPINT_PACKET = 0;
    private static final int NXPINT_FULL_LEN = 1;
    private static final int NXPINT_TABLE_ID = 3;
    private static final int NXPINT_COOKIE = 4;
    private static final int NXPINT_REASON = 5;
    private static final int NXPINT_METADATA = 6;
    private static final int NXPINT_USERDATA = 7;
    private static final int NXPINT_CONTINUATION = 8;
    private static final int NXCPT_BRIDGE = 0x8000;
    private static final int NXCPT_TABLE_ID = 0x8004;
    private static final int NXCPT_ACTIONS = 0x8006;
    /** jvswitch's continuation properties (OVS ignores unknown ones when it prints a continuation). */
    private static final int JVS_FRAME = 0xfe00;
    private static final int JVS_BRIDGE_NAME = 0xfe01;
    private static final int JVS_IN_PORT = 0xfe02;
    private static final int JVS_STACK = 0xfe03;

    /** The fields OVS's packet-in metadata carries ({@code flow_get_metadata}), when not zero. */
    private static final List<FlowField> METADATA;

    static {
        List<FlowField> m = new ArrayList<>(List.of(FlowField.TUN_ID, FlowField.TUN_SRC, FlowField.TUN_DST,
                FlowField.TUN_IPV6_SRC, FlowField.TUN_IPV6_DST, FlowField.METADATA));
        for (int i = 0; i < 16; i++) {
            m.add(FlowField.valueOf("REG" + i));
        }
        m.addAll(List.of(FlowField.SKB_MARK, FlowField.CT_STATE, FlowField.CT_ZONE, FlowField.CT_MARK,
                FlowField.CT_LABEL, FlowField.CT_NW_PROTO, FlowField.CT_NW_SRC, FlowField.CT_NW_DST,
                FlowField.CT_IPV6_SRC, FlowField.CT_IPV6_DST, FlowField.CT_TP_SRC, FlowField.CT_TP_DST));
        METADATA = List.copyOf(m);
    }

    private NxPacketIn2() {
    }

    /** What an NXT_RESUME asks: the packet, its metadata, and the frozen state (null: none). */
    public record Resume(byte[] packet, Match metadata, FrozenState state) {
    }

    /** An NXT_PACKET_IN2 of {@code data} (the first bytes of a packet of {@code totalLen}). */
    public static ByteBuf encode(ByteBufAllocator alloc, int version, long xid, ControllerOutput out, byte[] data,
            int totalLen) {
        ByteBuf b = alloc.buffer(64 + data.length);
        b.writeByte(version).writeByte(4).writeShort(0).writeInt((int) xid);
        b.writeInt((int) NxmTable.NX_VENDOR).writeInt(NXT_PACKET_IN2);
        prop(b, NXPINT_PACKET, data);
        if (data.length != totalLen) {
            b.writeShort(NXPINT_FULL_LEN).writeShort(8).writeInt(totalLen);
        }
        b.writeShort(NXPINT_TABLE_ID).writeShort(5).writeByte(out.tableId()).writeZero(3);
        b.writeShort(NXPINT_COOKIE).writeShort(16).writeInt(0).writeLong(out.cookie());
        b.writeShort(NXPINT_REASON).writeShort(5).writeByte(out.reason()).writeZero(3);
        ControllerOutput.Pin pin = out.pin();
        int start = b.writerIndex();
        b.writeShort(NXPINT_METADATA).writeShort(0);
        metadata(b, out);
        end(b, start);
        if (pin != null && pin.userdata().length > 0) {
            prop(b, NXPINT_USERDATA, pin.userdata());
        }
        if (pin != null && pin.continuation() != null) {
            continuation(b, pin.continuation());
        }
        b.setShort(2, b.writerIndex());
        return b;
    }

    private static void metadata(ByteBuf b, ControllerOutput out) {
        FlowKey flow = out.pin() == null ? null : out.pin().flow();
        Match.Builder m = Match.builder().set(FlowField.IN_PORT, out.inPort());
        if (flow != null) {
            for (FlowField f : METADATA) {
                if (f.is128()) {
                    long h = flow.getHigh(f);
                    long l = flow.getLow(f);
                    if ((h | l) != 0) {
                        m.set128(f, h, l);
                    }
                } else if (flow.get(f) != 0) {
                    m.set(f, flow.get(f));
                }
            }
        }
        ByteBuf tmp = Unpooled.buffer();
        NxFlowWriter.match(tmp, m.buildUnchecked());
        int len = tmp.getUnsignedShort(2);
        b.writeBytes(tmp, 4, len - 4);
    }

    private static void continuation(ByteBuf b, FrozenState s) {
        int start = b.writerIndex();
        b.writeShort(NXPINT_CONTINUATION).writeShort(0).writeInt(0);
        UUID uuid = UUID.nameUUIDFromBytes(s.bridge().getBytes(StandardCharsets.UTF_8));
        b.writeShort(NXCPT_BRIDGE).writeShort(20).writeLong(uuid.getMostSignificantBits())
                .writeLong(uuid.getLeastSignificantBits()).writeZero(4);
        prop(b, JVS_BRIDGE_NAME, s.bridge().getBytes(StandardCharsets.UTF_8));
        b.writeShort(JVS_IN_PORT).writeShort(8).writeInt(s.ofInPort());
        List<FrozenState.Frame> frames = s.frames();
        b.writeShort(NXCPT_TABLE_ID).writeShort(5).writeByte(frames.get(0).tableId()).writeZero(3);
        int p = b.writerIndex();
        b.writeShort(NXCPT_ACTIONS).writeShort(0).writeInt(0);
        NxFlowWriter.actions(b, frames.get(0).actions());
        end(b, p);
        for (int i = 1; i < frames.size(); i++) {
            p = b.writerIndex();
            b.writeShort(JVS_FRAME).writeShort(0).writeByte(frames.get(i).tableId()).writeZero(3);
            NxFlowWriter.actions(b, frames.get(i).actions());
            end(b, p);
        }
        long[] stack = s.stack();
        if (stack.length > 0) {
            p = b.writerIndex();
            b.writeShort(JVS_STACK).writeShort(0).writeInt(0);
            for (long w : stack) {
                b.writeLong(w);
            }
            end(b, p);
        }
        end(b, start);
    }

    /**
     * Reads an NXT_RESUME's properties (the bytes after its 16-byte Nicira header). A packet is
     * required; a continuation that does not parse, or names another bridge than {@code bridge},
     * is refused.
     */
    public static Resume decodeResume(byte[] body, String bridge) {
        ByteBuf b = Unpooled.wrappedBuffer(body);
        byte[] packet = null;
        Match metadata = Match.ANY;
        FrozenState state = null;
        int p = 0;
        while (p + 4 <= body.length) {
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 4 || p + len > body.length) {
                throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "resume property " + type + " of length " + len);
            }
            switch (type) {
                case NXPINT_PACKET -> {
                    packet = new byte[len - 4];
                    b.getBytes(p + 4, packet);
                }
                case NXPINT_METADATA -> metadata = NxMatchWire.entries(b, p + 4, p + len);
                case NXPINT_CONTINUATION -> state = frozen(b, p + 8, p + len, bridge);
                default -> {
                    // table_id, cookie, reason, userdata, full_len, buffer_id: the continuation says it all.
                }
            }
            p += (len + 7) & ~7;
        }
        if (packet == null) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "resume without a packet");
        }
        return new Resume(packet, metadata, state);
    }

    private static FrozenState frozen(ByteBuf b, int from, int to, String bridge) {
        String name = null;
        int inPort = dev.jvswitch.ofproto.port.OfPorts.NONE;
        List<FrozenState.Frame> frames = new ArrayList<>();
        int table0 = 0;
        List<dev.jvswitch.ofproto.action.OfAction> actions0 = null;
        long[] stack = new long[0];
        int p = from;
        while (p + 4 <= to) {
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 4 || p + len > to) {
                throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "continuation property of length " + len);
            }
            switch (type) {
                case JVS_BRIDGE_NAME -> name = b.toString(p + 4, len - 4, StandardCharsets.UTF_8);
                case JVS_IN_PORT -> inPort = b.getInt(p + 4);
                case NXCPT_TABLE_ID -> table0 = b.getUnsignedByte(p + 4);
                case NXCPT_ACTIONS -> actions0 = NxActionWire.decode(b, p + 8, p + len);
                case JVS_FRAME -> frames.add(new FrozenState.Frame(b.getUnsignedByte(p + 4),
                        NxActionWire.decode(b, p + 8, p + len)));
                case JVS_STACK -> {
                    stack = new long[(len - 8) / 8 & ~1];
                    for (int i = 0; i < stack.length; i++) {
                        stack[i] = b.getLong(p + 8 + 8 * i);
                    }
                }
                default -> {
                    // NXCPT_BRIDGE and the rest: the name above is what counts.
                }
            }
            p += (len + 7) & ~7;
        }
        if (name == null || actions0 == null) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "not a continuation of this switch");
        }
        if (!name.equals(bridge)) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_PACKET, "continuation of bridge " + name);
        }
        frames.add(0, new FrozenState.Frame(table0, actions0));
        return new FrozenState(name, inPort, frames, FrozenState.zeroPipeline(), stack);
    }

    /**
     * Puts the metadata's fields into {@code key} (a packet parsed afresh): in_port is the
     * caller's, the rest OVS's {@code flow_get_metadata} fields.
     */
    public static void applyMetadata(Match metadata, FlowKey key) {
        for (FlowField f : METADATA) {
            if (metadata.isWildcard(f)) {
                continue;
            }
            if (f.is128()) {
                key.set(f, metadata.valueHigh(f), metadata.valueLow(f));
            } else {
                key.set(f, metadata.value(f));
            }
        }
    }

    private static void prop(ByteBuf b, int type, byte[] body) {
        int start = b.writerIndex();
        b.writeShort(type).writeShort(4 + body.length).writeBytes(body);
        pad(b, start);
    }

    /** Sets the property's length from {@code start} and pads it to 8. */
    private static void end(ByteBuf b, int start) {
        b.setShort(start + 2, b.writerIndex() - start);
        pad(b, start);
    }

    private static void pad(ByteBuf b, int start) {
        int len = b.writerIndex() - start;
        b.writeZero(((len + 7) & ~7) - len);
    }
}
