package dev.jvswitch.openflow.channel;

import java.util.List;

import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import dev.jvswitch.openflow.codec.OfError;

/**
 * Frames the byte stream into OpenFlow messages (8-byte header: version, type, length, xid) and
 * decodes each with openflowj's reader (a flow mod's {@code fin_timeout}s turned first into
 * stand-ins it reads, {@code codec.NxFinTimeoutWire}). HELLO is read here by hand ({@link Hello}): it must be
 * understood whatever version the peer speaks. A message the reader cannot decode becomes a
 * {@link Malformed} with the error to answer it with; a length below the header's 8 bytes makes
 * the stream unframeable, so that one is fatal (the connection is closed after the error).
 *
 * <p>Decoding happens on the channel's event loop; the frame is released once decoded (openflowj
 * copies what it keeps).
 */
final class OfFrameDecoder extends ByteToMessageDecoder {
    static final int HEADER = 8;
    /** Bytes of an offending message an error carries back (OpenFlow: at least 64). */
    static final int ERROR_DATA_BYTES = 64;
    private static final int TYPE_HELLO = 0;
    private static final int TYPE_EXPERIMENTER = 4;
    private static final int NICIRA_HEADER = 16;
    private static final long NX_VENDOR = 0x00002320L;
    private static final int TYPE_PACKET_OUT = 13;
    private static final int TYPE_EXPERIMENTER_ACTION = 0xffff;
    private static final int TYPE_FLOW_MOD = 14;
    private static final int TYPE_GROUP_MOD = 15;
    private static final int TYPE_BUNDLE_ADD = 34;
    private static final int BUNDLE_ADD_FIXED = 16;
    private static final long ONF_VENDOR = dev.jvswitch.openflow.codec.OfError.ONF_VENDOR_ID;
    /** The ONF extension's bundle messages on OpenFlow 1.3 ({@code ONFT_BUNDLE_CONTROL}, {@code _ADD_MESSAGE}). */
    static final int ONFT_BUNDLE_CONTROL = 2300;
    private static final int ONFT_BUNDLE_ADD = 2301;
    private static final int WIRE_OF13 = 4;
    /** The highest message type of each wire version (1.0 .. 1.5); above it a type is unknown. */
    private static final int[] MAX_TYPE = {0, 21, 23, 24, 29, 34, 35};

    private final OFMessageReader<OFMessage> reader = OFFactories.getGenericReader();

    /** A HELLO: the peer's header version and its version bitmap (0 if it sent none). */
    record Hello(int version, long xid, long bitmap) {
    }

    /** A message that could not be decoded, with the error to send and whether to close afterwards. */
    record Malformed(int version, int type, long xid, byte[] head, OfError error, String reason, boolean fatal) {
    }

    /**
     * A group mod decoded by hand: every OpenFlow 1.5 one ({@code codec.Group15Wire}), and a 1.3 or
     * 1.4 one whose buckets openflowj cannot read ({@code codec.Group13Wire}); the mod, or the error
     * to answer it with.
     */
    record GroupMod15(long xid, byte[] head, dev.jvswitch.ofproto.mod.GroupMod mod,
            dev.jvswitch.openflow.codec.OfCodecException error) {
    }

    /**
     * An OpenFlow 1.5 bundle add, decoded by hand (openflowj 3.2.1 has no 1.5 bundle data), a 1.4
     * one (same layout) carrying a group mod openflowj cannot read, or a 1.3 one (the ONF
     * extension's {@code ONFT_BUNDLE_ADD_MESSAGE}, the same fields after the experimenter
     * header): the bundle, the inner
     * message's xid and first bytes, and the inner message (a library message, or a group mod of
     * ours), or the error to answer; {@code flags} are the bundle add's ({@code OFPBF_*} bits).
     */
    record BundleAdd15(long xid, byte[] head, int bundleId, int flags, long innerXid, byte[] innerHead, OFMessage inner,
            dev.jvswitch.ofproto.mod.GroupMod group, dev.jvswitch.openflow.codec.OfCodecException error,
            dev.jvswitch.ofproto.mod.FlowMod flow) {
    }

    /**
     * An OpenFlow 1.3 bundle control ({@code ONFT_BUNDLE_CONTROL}: the experimenter header, then
     * 1.4's {@code ofp_bundle_ctrl_msg}): the bundle id, the control type ({@code OFPBCT_*}) and
     * flags ({@code OFPBF_*} bits).
     */
    record OnfBundleCtrl(long xid, byte[] head, int bundleId, int ctrlType, int flags) {
    }

    /** An OpenFlow 1.5 packet-out with Nicira actions or metadata, decoded by hand, or the error to answer. */
    record PacketOut15(long xid, byte[] head, dev.jvswitch.openflow.codec.PacketOut15Wire.PacketOut packetOut,
            dev.jvswitch.openflow.codec.OfCodecException error) {
    }

    /** A Nicira message ({@code OFPT_EXPERIMENTER}, vendor 0x2320): its subtype and what follows its 16-byte header. */
    record Nicira(int version, long xid, int subtype, byte[] head, byte[] body) {
    }

    /**
     * A flow mod with Nicira match fields or actions, decoded by hand ({@code codec.NxFlowModWire}):
     * the mod, or the error to answer it with.
     */
    record FlowModNx(long xid, byte[] head, dev.jvswitch.ofproto.mod.FlowMod mod,
            dev.jvswitch.openflow.codec.OfCodecException error) {
    }

    /**
     * A Nicira TLV table message, decoded by hand ({@code codec.TlvTableWire}): a mod (or the
     * error to answer it with), or a request ({@code mod} and {@code error} null).
     */
    record NxTlv(int version, long xid, byte[] head, int subtype, dev.jvswitch.openflow.codec.TlvTableWire.Mod mod,
            dev.jvswitch.openflow.codec.OfCodecException error) {
    }

    /** The bridge's TLV map, read once per frame. */
    private final java.util.function.Supplier<dev.jvswitch.ofproto.tnl.TlvMap> tlvMap;

    OfFrameDecoder() {
        this(() -> dev.jvswitch.ofproto.tnl.TlvMap.EMPTY);
    }

    OfFrameDecoder(java.util.function.Supplier<dev.jvswitch.ofproto.tnl.TlvMap> tlvMap) {
        this.tlvMap = tlvMap;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // Nicira flow mods are decoded here: a longer option's tun_metadataN through the bridge's map.
        dev.jvswitch.ofproto.tnl.TlvMapScope.run(tlvMap.get(), () -> decodeFrame(in, out));
    }

    private void decodeFrame(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER) {
            return;
        }
        int start = in.readerIndex();
        int version = in.getUnsignedByte(start);
        int type = in.getUnsignedByte(start + 1);
        int length = in.getUnsignedShort(start + 2);
        long xid = in.getUnsignedInt(start + 4);
        if (length < HEADER) {
            byte[] head = ByteBufUtil.getBytes(in, start, Math.min(in.readableBytes(), ERROR_DATA_BYTES));
            in.skipBytes(in.readableBytes());
            out.add(new Malformed(version, type, xid, head, OfError.BAD_REQUEST_BAD_LEN, "length " + length
                    + " is shorter than the header", true));
            return;
        }
        if (in.readableBytes() < length) {
            return;
        }
        ByteBuf frame = in.readRetainedSlice(length);
        try {
            if (type == TYPE_HELLO) {
                out.add(hello(frame, version, xid));
                return;
            }
            int nx = dev.jvswitch.openflow.codec.TlvTableWire.nxSubtype(frame);
            if (nx == dev.jvswitch.openflow.codec.TlvTableWire.NXT_TLV_TABLE_MOD
                    || nx == dev.jvswitch.openflow.codec.TlvTableWire.NXT_TLV_TABLE_REQUEST) {
                out.add(nxTlv(frame, version, xid, nx));
                return;
            }
            if (version == WIRE_OF13 && type == TYPE_EXPERIMENTER && length >= NICIRA_HEADER
                    && frame.getUnsignedInt(HEADER) == ONF_VENDOR) {
                Object onf = onfBundle(frame, xid);
                if (onf != null) {
                    out.add(onf);
                    return;
                }
            }
            if (version >= 2 && type == TYPE_EXPERIMENTER && length >= NICIRA_HEADER
                    && frame.getUnsignedInt(HEADER) == NX_VENDOR) {
                byte[] body = new byte[length - NICIRA_HEADER];
                frame.getBytes(NICIRA_HEADER, body);
                out.add(new Nicira(version, xid, (int) frame.getUnsignedInt(HEADER + 4),
                        ByteBufUtil.getBytes(frame, 0, Math.min(length, ERROR_DATA_BYTES)), body));
                return;
            }
            if (type == TYPE_BUNDLE_ADD && (version == 6 || version == 5 && bundledGroupModNeedsNx(frame))) {
                out.add(bundleAdd(frame, xid, HEADER));
                return;
            }
            if (type == TYPE_GROUP_MOD && (version == 6
                    || version >= 4 && dev.jvswitch.openflow.codec.Group13Wire.needsNx(frame))) {
                byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
                try {
                    out.add(new GroupMod15(xid, head, groupMod(frame, version), null));
                } catch (RuntimeException e) {
                    out.add(new GroupMod15(xid, head, null, codecError(e)));
                }
                return;
            }
            if (version == 6 && type == TYPE_PACKET_OUT && packetOutNeedsNx(frame)) {
                byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
                try {
                    out.add(new PacketOut15(xid, head, dev.jvswitch.openflow.codec.PacketOut15Wire.decode(frame), null));
                } catch (RuntimeException e) {
                    out.add(new PacketOut15(xid, head, null, codecError(e)));
                }
                return;
            }
            if (version >= 4 && type == TYPE_FLOW_MOD && needsNx(frame, version)) {
                out.add(flowModNx(frame, version, xid));
                return;
            }
            if (version >= 4 && (type == TYPE_FLOW_MOD || type == TYPE_BUNDLE_ADD && version == 5
                    && frame.readableBytes() >= BUNDLE_ADD_FIXED + HEADER
                    && frame.getUnsignedByte(BUNDLE_ADD_FIXED + 1) == TYPE_FLOW_MOD)) {
                dev.jvswitch.openflow.codec.NxFinTimeoutWire.toStandIns(frame, type == TYPE_FLOW_MOD ? 0
                        : BUNDLE_ADD_FIXED);
            }
            dev.jvswitch.openflow.codec.NxTunMetadata.Stripped tun;
            try {
                tun = stripTunMetadata(frame, version);
            } catch (RuntimeException e) {
                byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
                dev.jvswitch.openflow.codec.OfCodecException bad = codecError(e);
                out.add(new Malformed(version, type, xid, head, bad.error(), bad.getMessage(), false));
                return;
            }
            ByteBuf read = tun == null ? frame : tun.frame();
            try {
                ByteBuf loads = version >= 4 && type == TYPE_FLOW_MOD
                        ? dev.jvswitch.openflow.codec.NxTunSetField.toStandIns(read) : null;
                read = loads == null ? read : loads;
            } catch (RuntimeException e) {
                byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
                dev.jvswitch.openflow.codec.OfCodecException bad = codecError(e);
                out.add(new Malformed(version, type, xid, head, bad.error(), bad.getMessage(), false));
                if (tun != null) {
                    tun.frame().release();
                }
                return;
            }
            OFMessage m;
            try {
                m = reader.readFrom(read);
            } catch (OFParseError | RuntimeException e) {
                out.add(unreadable(read, version, type, xid, String.valueOf(e.getMessage())));
                return;
            } finally {
                // The rewritten copies are ours (openflowj copies what it keeps).
                if (read != frame) {
                    read.release();
                }
                if (tun != null && tun.frame() != read) {
                    tun.frame().release();
                }
            }
            if (m == null) {
                out.add(unreadable(read, version, type, xid, "truncated"));
            } else {
                out.add(tun == null ? m : dev.jvswitch.openflow.codec.NxTunMetadata.attach(m, tun.entries()));
            }
        } catch (RuntimeException e) {
            // A reader above that trusted a length field: the peer gets an error for this one
            // message, and the connection keeps its other messages.
            byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
            dev.jvswitch.openflow.codec.OfCodecException bad = codecError(e);
            out.add(new Malformed(version, type, xid, head, bad.error(), bad.getMessage(), false));
        } finally {
            frame.release();
        }
    }

    /** The message without its match's {@code tun_metadata} entries, which openflowj cannot read, or null. */
    private static dev.jvswitch.openflow.codec.NxTunMetadata.Stripped stripTunMetadata(ByteBuf frame, int version) {
        int at = dev.jvswitch.openflow.codec.NxTunMetadata.matchOffset(frame, version);
        return at < 0 ? null : dev.jvswitch.openflow.codec.NxTunMetadata.strip(frame, at);
    }

    private static NxTlv nxTlv(ByteBuf frame, int version, long xid, int subtype) {
        byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
        if (subtype == dev.jvswitch.openflow.codec.TlvTableWire.NXT_TLV_TABLE_REQUEST) {
            return new NxTlv(version, xid, head, subtype, null, null);
        }
        try {
            return new NxTlv(version, xid, head, subtype, dev.jvswitch.openflow.codec.TlvTableWire.decodeMod(frame),
                    null);
        } catch (RuntimeException e) {
            return new NxTlv(version, xid, head, subtype, null, codecError(e));
        }
    }

    /**
     * A 1.5 packet-out whose match holds more than in_port (OVN's packet metadata) or whose
     * actions include an experimenter one: openflowj reads neither, {@code codec.PacketOut15Wire} does.
     */
    private static boolean packetOutNeedsNx(ByteBuf frame) {
        int end = frame.writerIndex();
        if (end < 24) {
            return false;
        }
        int actionsLen = frame.getUnsignedShort(12);
        int matchLen = frame.getUnsignedShort(18);
        if (matchLen > 12) {
            return true;
        }
        int p = 16 + ((matchLen + 7) & ~7);
        int to = Math.min(end, p + actionsLen);
        while (p + 4 <= to) {
            int len = frame.getUnsignedShort(p + 2);
            if (frame.getUnsignedShort(p) == TYPE_EXPERIMENTER_ACTION) {
                return true;
            }
            if (len < 8) {
                return false;
            }
            p += len;
        }
        return false;
    }

    /**
     * Whether a flow mod needs the Nicira codec ({@code codec.NxFlowModWire}): a match field or
     * action openflowj cannot read. The match's {@code tun_metadataN} entries alone do not count
     * (the openflowj path strips them before the library reads the rest and puts them back), so
     * they are stripped before the second look; a mod that needs the codec for anything else goes
     * to it whole, and the codec reads its {@code tun_metadataN} entries too, as wide as the
     * bridge's TLV map makes each option.
     */
    private static boolean needsNx(ByteBuf frame, int version) {
        if (!dev.jvswitch.openflow.codec.NxFlowModWire.needsNx(frame, 0)) {
            return false;
        }
        dev.jvswitch.openflow.codec.NxTunMetadata.Stripped tun;
        try {
            tun = stripTunMetadata(frame, version);
        } catch (RuntimeException e) {
            return true;
        }
        if (tun == null) {
            return true;
        }
        try {
            return dev.jvswitch.openflow.codec.NxFlowModWire.needsNx(tun.frame(), 0);
        } finally {
            tun.frame().release();
        }
    }

    private static FlowModNx flowModNx(ByteBuf frame, int version, long xid) {
        byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
        try {
            return new FlowModNx(xid, head, dev.jvswitch.openflow.codec.NxFlowModWire.decode(frame, version), null);
        } catch (RuntimeException e) {
            return new FlowModNx(xid, head, null, codecError(e));
        }
    }

    /** A group mod decoded by hand: 1.5's always, 1.3's and 1.4's when openflowj cannot read its buckets. */
    private static dev.jvswitch.ofproto.mod.GroupMod groupMod(ByteBuf frame, int version) {
        return version == 6 ? dev.jvswitch.openflow.codec.Group15Wire.decodeMod(frame)
                : dev.jvswitch.openflow.codec.Group13Wire.decodeMod(frame);
    }

    /** Whether a 1.4 bundle add carries a group mod {@code codec.Group13Wire} reads (then the bundle add is read by hand). */
    private static boolean bundledGroupModNeedsNx(ByteBuf frame) {
        return frame.readableBytes() >= BUNDLE_ADD_FIXED + HEADER
                && frame.getUnsignedByte(BUNDLE_ADD_FIXED + 1) == TYPE_GROUP_MOD
                && BUNDLE_ADD_FIXED + frame.getUnsignedShort(BUNDLE_ADD_FIXED + 2) <= frame.readableBytes()
                && dev.jvswitch.openflow.codec.Group13Wire.needsNx(frame.slice(BUNDLE_ADD_FIXED,
                        frame.getUnsignedShort(BUNDLE_ADD_FIXED + 2)));
    }

    /**
     * A hand decoder's failure as the error the peer is sent: its own, or BAD_LEN for a read
     * that ran past the message (a length field that lies), so the connection stays up.
     */
    static dev.jvswitch.openflow.codec.OfCodecException codecError(RuntimeException e) {
        return e instanceof dev.jvswitch.openflow.codec.OfCodecException c ? c
                : new dev.jvswitch.openflow.codec.OfCodecException(OfError.BAD_REQUEST_BAD_LEN,
                        "malformed message (" + e.getClass().getSimpleName() + ")");
    }

    /**
     * An ONF bundle message of OpenFlow 1.3 (a control, or an add read as 1.4's with its fields 8
     * bytes later), or null for another ONF experimenter message.
     */
    private Object onfBundle(ByteBuf frame, long xid) {
        long expType = frame.getUnsignedInt(HEADER + 4);
        if (expType == ONFT_BUNDLE_ADD) {
            return bundleAdd(frame, xid, NICIRA_HEADER);
        }
        if (expType != ONFT_BUNDLE_CONTROL) {
            return null;
        }
        byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.readableBytes(), ERROR_DATA_BYTES));
        if (frame.readableBytes() < NICIRA_HEADER + 8) {
            return new Malformed(WIRE_OF13, TYPE_EXPERIMENTER, xid, head, OfError.BAD_REQUEST_BAD_LEN,
                    "bundle control of " + frame.readableBytes() + " bytes", false);
        }
        return new OnfBundleCtrl(xid, head, frame.getInt(NICIRA_HEADER), frame.getUnsignedShort(NICIRA_HEADER + 4),
                frame.getUnsignedShort(NICIRA_HEADER + 6));
    }

    /**
     * {@code ofp_bundle_add_msg}: header, bundle_id (32), pad (16), flags (16), the inner message,
     * properties; the bundle id at {@code at} (after the 8-byte header, or after the 16-byte
     * experimenter header of OpenFlow 1.3's ONF bundle add).
     */
    private BundleAdd15 bundleAdd(ByteBuf frame, long xid, int at) {
        byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
        int end = frame.readableBytes();
        int fixed = at + 8;
        int bundleId = end >= fixed ? frame.getInt(at) : 0;
        int flags = end >= fixed ? frame.getUnsignedShort(at + 6) : 0;
        if (end < fixed + HEADER) {
            return new BundleAdd15(xid, head, bundleId, flags, xid, head, null, null,
                    new dev.jvswitch.openflow.codec.OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "bundle add of "
                            + end + " bytes"), null);
        }
        int innerLen = frame.getUnsignedShort(fixed + 2);
        long innerXid = frame.getUnsignedInt(fixed + 4);
        int innerType = frame.getUnsignedByte(fixed + 1);
        int innerVersion = frame.getUnsignedByte(fixed);
        if (innerLen < HEADER || fixed + innerLen > end) {
            return new BundleAdd15(xid, head, bundleId, flags, xid, head, null, null,
                    new dev.jvswitch.openflow.codec.OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "bundled message of "
                            + innerLen + " bytes"), null);
        }
        ByteBuf inner = frame.slice(fixed, innerLen);
        byte[] innerHead = ByteBufUtil.getBytes(inner, 0, Math.min(innerLen, ERROR_DATA_BYTES));
        try {
            if (innerType == TYPE_FLOW_MOD && needsNx(inner, 6)) {
                return new BundleAdd15(xid, head, bundleId, flags, innerXid, innerHead, null, null, null,
                        dev.jvswitch.openflow.codec.NxFlowModWire.decode(inner, innerVersion));
            }
            if (innerType == TYPE_FLOW_MOD) {
                dev.jvswitch.openflow.codec.NxFinTimeoutWire.toStandIns(inner, 0);
            }
            if (innerType == TYPE_GROUP_MOD) {
                return new BundleAdd15(xid, head, bundleId, flags, innerXid, innerHead, null,
                        groupMod(inner, inner.getUnsignedByte(0)), null, null);
            }
            dev.jvswitch.openflow.codec.NxTunMetadata.Stripped tun = stripTunMetadata(inner, 6);
            ByteBuf read = tun == null ? inner : tun.frame();
            ByteBuf loads = innerType == TYPE_FLOW_MOD ? dev.jvswitch.openflow.codec.NxTunSetField.toStandIns(read)
                    : null;
            OFMessage m;
            try {
                m = reader.readFrom(loads == null ? read : loads);
            } finally {
                if (loads != null) {
                    loads.release();
                }
                if (tun != null) {
                    tun.frame().release();
                }
            }
            if (m == null) {
                throw new dev.jvswitch.openflow.codec.OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "truncated");
            }
            if (tun != null) {
                m = dev.jvswitch.openflow.codec.NxTunMetadata.attach(m, tun.entries());
            }
            return new BundleAdd15(xid, head, bundleId, flags, innerXid, innerHead, m, null, null, null);
        } catch (dev.jvswitch.openflow.codec.OfCodecException e) {
            return new BundleAdd15(xid, head, bundleId, flags, innerXid, innerHead, null, null, e, null);
        } catch (OFParseError | RuntimeException e) {
            Malformed bad = malformed(inner, 6, innerType, innerXid, String.valueOf(e.getMessage()));
            return new BundleAdd15(xid, head, bundleId, flags, innerXid, innerHead, null, null,
                    new dev.jvswitch.openflow.codec.OfCodecException(bad.error(), bad.reason()), null);
        }
    }

    /**
     * A message openflowj could not read: a flow mod whose match has a field the switch does not
     * take is answered BAD_FIELD naming it ({@code codec.OxmScan}); anything else as
     * {@link #malformed} says.
     */
    private static Malformed unreadable(ByteBuf frame, int version, int type, long xid, String reason) {
        String field = version >= 4 && type == TYPE_FLOW_MOD ? dev.jvswitch.openflow.codec.OxmScan.firstUnsupported(
                frame, dev.jvswitch.openflow.codec.OxmScan.FLOW_MOD_MATCH) : null;
        if (field == null) {
            return malformed(frame, version, type, xid, reason);
        }
        byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
        return new Malformed(version, type, xid, head, OfError.BAD_MATCH_BAD_FIELD, "match field " + field
                + " is not supported", false);
    }

    private static Malformed malformed(ByteBuf frame, int version, int type, long xid, String reason) {
        byte[] head = ByteBufUtil.getBytes(frame, 0, Math.min(frame.capacity(), ERROR_DATA_BYTES));
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        OfError error;
        if (version < 1 || version > 6) {
            error = OfError.BAD_REQUEST_BAD_VERSION;
        } else if (type > MAX_TYPE[version]) {
            error = OfError.BAD_REQUEST_BAD_TYPE;
        } else if (r.contains("stat") || r.contains("multipart")) {
            error = OfError.BAD_REQUEST_BAD_MULTIPART;
        } else if (r.contains("oxm") || r.contains("match")) {
            error = OfError.BAD_MATCH_BAD_LEN;
        } else if (r.contains("action")) {
            error = OfError.BAD_ACTION_BAD_LEN;
        } else if (r.contains("instruction")) {
            error = OfError.BAD_INSTRUCTION_UNKNOWN_INST;
        } else if (r.contains("experimenter")) {
            error = OfError.BAD_REQUEST_BAD_EXPERIMENTER;
        } else {
            error = OfError.BAD_REQUEST_BAD_LEN;
        }
        return new Malformed(version, type, xid, head, error, reason, false);
    }

    /** HELLO elements: type 1 (VERSIONBITMAP) carries 32-bit words of version bits. */
    private static Hello hello(ByteBuf frame, int version, long xid) {
        long bitmap = 0;
        int at = HEADER;
        int end = frame.readableBytes();
        while (at + 4 <= end) {
            int elemType = frame.getUnsignedShort(at);
            int elemLen = frame.getUnsignedShort(at + 2);
            if (elemLen < 4 || at + elemLen > end) {
                break;
            }
            if (elemType == 1 && elemLen >= 8) {
                bitmap |= frame.getUnsignedInt(at + 4);
            }
            at += (elemLen + 7) & ~7;
        }
        return new Hello(version, xid, bitmap);
    }
}
