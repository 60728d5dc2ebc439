package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;

/**
 * Reads an OpenFlow 1.2+ {@code ofp_match} (type OXM) whose entries may be any header of
 * {@link NxmTable}: OXM, NXM_OF, NXM_NX (registers, {@code metadata}, {@code ct_*},
 * {@code conj_id}, ...) and the experimenter fields OVS uses, into ofproto's {@link Match}, with
 * OpenFlow's errors: an unknown header {@code OFPBMC_BAD_FIELD}, a header twice
 * {@code OFPBMC_DUP_FIELD}, a value wider than its field {@code OFPBMC_BAD_VALUE}, a field
 * without its eth_type/ip_proto {@code OFPBMC_BAD_PREREQ}.
 *
 * <pre>
 *  ofp_match: type 1 (16) | length (16, without padding) | entries | pad to 8
 *  entry:     header (32) [| experimenter (32)] | value [| mask]
 * </pre>
 *
 * <p>Stateless.
 */
public final class NxMatchWire {
    private NxMatchWire() {
    }

    /** A decoded match and the bytes it took, padding included. */
    public record Decoded(Match match, int paddedLength) {
    }

    /** Reads the {@code ofp_match} at {@code at} of {@code b} (absolute index; the buffer ends at its writer index). */
    public static Decoded decode(ByteBuf b, int at) {
        int end = b.writerIndex();
        if (at + 4 > end) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_LEN, "match truncated");
        }
        int type = b.getUnsignedShort(at);
        int len = b.getUnsignedShort(at + 2);
        if (type != 1) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_TYPE, "match type " + type);
        }
        int padded = (len + 7) & ~7;
        if (len < 4 || at + padded > end) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_LEN, "match length " + len);
        }
        return new Decoded(entries(b, at + 4, at + len), padded);
    }

    /** Reads bare OXM/NXM entries from {@code from} to {@code to} (absolute indexes). */
    public static Match entries(ByteBuf b, int from, int to) {
        Map<FlowField, long[]> acc = new EnumMap<>(FlowField.class);
        Set<NxmTable.Field> seen = new HashSet<>();
        List<NxTunMetadata.Entry> tun = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (p + 4 > to) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_LEN, "match entry header truncated");
            }
            long header = b.getUnsignedInt(p);
            int cls = (int) (header >>> 16);
            int number = (int) (header >>> 9) & 0x7f;
            boolean masked = (header & 0x100) != 0;
            int len = (int) (header & 0xff);
            int valueAt = p + 4;
            long exp = 0;
            if (cls == NxmTable.EXPERIMENTER) {
                if (len < 4 || valueAt + 4 > to) {
                    throw new OfCodecException(OfError.BAD_MATCH_BAD_LEN, "experimenter match entry truncated");
                }
                exp = b.getUnsignedInt(valueAt);
                valueAt += 4;
                len -= 4;
            }
            if (valueAt + len > to) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_LEN, "match entry overruns the match");
            }
            NxmTable.Field f = NxmTable.find(cls, exp, number);
            if (f == null) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_FIELD, "match field "
                        + NxmTable.describe(cls, exp, number) + " is not supported");
            }
            if (f.field().isTunnelMetadata()) {
                // Variable-length, as in OVS: ovs-ofctl sends the fewest bytes, OVN the mapped length.
                if (!seen.add(f)) {
                    throw new OfCodecException(OfError.BAD_MATCH_DUP_FIELD, "match field " + f.name() + " given twice");
                }
                tun.add(NxTunMetadata.entry(b, valueAt, len, masked, f.number() - NxTunMetadata.FIELD_0));
                p = valueAt + len;
                continue;
            }
            if (len != (masked ? 2 * f.bytes() : f.bytes())) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_LEN, f.name() + " with " + len + " bytes");
            }
            if (!seen.add(f)) {
                throw new OfCodecException(OfError.BAD_MATCH_DUP_FIELD, "match field " + f.name() + " given twice");
            }
            take(b, valueAt, f, masked, acc);
            p = valueAt + len;
        }
        Match.Builder mb = Match.builder();
        for (NxTunMetadata.Entry e : tun) {
            e.applyTo(mb);
        }
        for (Map.Entry<FlowField, long[]> e : acc.entrySet()) {
            long[] v = e.getValue();
            if (e.getKey().is128()) {
                mb.set128(e.getKey(), v[0] & v[2], v[1] & v[3], v[2], v[3]);
            } else {
                mb.set(e.getKey(), v[1] & v[3], v[3]);
            }
        }
        Match out = mb.buildUnchecked();
        for (NxmTable.Field f : seen) {
            if (!contextHolds(out, f)) {
                throw new OfCodecException(OfError.BAD_MATCH_BAD_PREREQ, "match field " + f.name()
                        + " without its prerequisite (eth_type/ip_proto)");
            }
        }
        try {
            out.checkPrerequisites();
        } catch (PrerequisiteException ex) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_PREREQ, ex.getMessage());
        }
        return out;
    }

    /** Accumulates one entry into {@code acc}: per field {valueHigh, valueLow, maskHigh, maskLow}. */
    private static void take(ByteBuf b, int at, NxmTable.Field f, boolean masked, Map<FlowField, long[]> acc) {
        // Not computeIfAbsent, as MatchCodec's Acc: EnumMap takes Map's shared default one.
        long[] a = acc.get(f.field());
        if (a == null) {
            a = new long[4];
            acc.put(f.field(), a);
        }
        int n = f.bytes();
        if (n == 16) {
            a[0] = b.getLong(at);
            a[1] = b.getLong(at + 8);
            a[2] = masked ? b.getLong(at + 16) : -1L;
            a[3] = masked ? b.getLong(at + 24) : -1L;
            return;
        }
        long value = read(b, at, n);
        long mask = masked ? read(b, at + n, n) : -1L >>> (64 - 8 * n);
        long fv;
        long fm;
        switch (f.conv()) {
            case PORT32 -> {
                if (masked && mask != 0xffffffffL) {
                    throw new OfCodecException(OfError.BAD_MATCH_BAD_MASK, f.name() + " cannot be masked");
                }
                int port = OfPortNumbers.from(org.projectfloodlight.openflow.types.OFPort.ofInt((int) value));
                if (port < 0) {
                    throw new OfCodecException(OfError.BAD_MATCH_BAD_VALUE, f.name() + " " + value
                            + " names no port");
                }
                fv = port;
                fm = 0xffffffffL;
            }
            case PORT16 -> {
                fv = value;
                fm = mask == 0xffff ? 0xffffffffL : mask;
            }
            case VID -> {
                fv = value & 0x1fff;
                fm = mask & 0x1fff;
            }
            default -> {
                long widthMask = f.width() >= 64 ? -1L : (1L << f.width()) - 1;
                if ((value & mask & ~widthMask) != 0) {
                    throw new OfCodecException(OfError.BAD_MATCH_BAD_VALUE, f.name() + " value 0x"
                            + Long.toHexString(value) + " is wider than the field");
                }
                fv = value & widthMask;
                fm = mask & widthMask;
            }
        }
        // A value bit outside its mask is dropped, as OVS's match_set_*_masked do.
        long inPlaceMask = f.fieldMask();
        a[1] = (a[1] & ~inPlaceMask) | (fv << f.shift()) | f.implied();
        a[3] = (a[3] & ~inPlaceMask) | (fm << f.shift()) | f.implied();
    }

    private static long read(ByteBuf b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | b.getUnsignedByte(at + i);
        }
        return v;
    }

    /** True if {@code m} has the eth_type and ip_proto field {@code f} needs. */
    static boolean contextHolds(Match m, NxmTable.Field f) {
        return MatchCodec.contextHolds(m, f.ethType(), f.ipProto());
    }
}
