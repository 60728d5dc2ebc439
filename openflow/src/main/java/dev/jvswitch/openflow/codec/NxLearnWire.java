package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.LearnSpec;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;

/**
 * Nicira's {@code learn} action on the wire, both ways ({@code NXAST_LEARN} and
 * {@code NXAST_LEARN2}, as OVS's {@code ofp-actions.c} reads and writes them): ovn-controller
 * sends it for the load balancers' hairpin tables and MAC bindings, and a dump must give it back.
 *
 * <pre>
 *  learn:   0xffff | len | 0x2320 | subtype 16 | idle (16) | hard (16) | priority (16) | cookie (64)
 *           | flags (16) | table (8) | pad (8) | fin_idle (16) | fin_hard (16) | specs | zeros to 8
 *  learn2:  the 32 bytes of learn, subtype 45 | limit (32) | result_dst_ofs (16) | pad (16)
 *           [| result_dst header when flags has WRITE_RESULT] | specs | zeros to 8
 *  spec:    header: 00 | src (1: immediate) | dst (2: match, load, output) | n_bits (10)
 *           | src: field header and ofs (16), or the value in 2*ceil(n_bits/16) bytes, right-aligned
 *           | dst (match, load): field header and ofs (16)
 * </pre>
 *
 * A zero spec header ends the specs; what follows must be zero. Every read is checked against
 * the action's end first: a short action is {@code OFPBAC_BAD_LEN}. As OVS's {@code learn_check},
 * a field the learned flow matches or loads needs its prerequisites among the immediate values
 * before it ({@code OFPBMC_BAD_PREREQ}).
 *
 * <p>Stateless.
 */
public final class NxLearnWire {
    static final int NXAST_LEARN = 16;
    static final int NXAST_LEARN2 = 45;
    private static final int FIXED = 32;
    private static final int FIXED2 = 40;
    private static final int F_SEND_FLOW_REM = 1;
    private static final int F_DELETE_LEARNED = 2;
    private static final int F_WRITE_RESULT = 4;
    private static final int N_BITS_MASK = 0x3ff;
    private static final int SRC_IMMEDIATE = 1 << 13;
    private static final int DST_SHIFT = 11;
    private static final int DST_MATCH = 0;
    private static final int DST_LOAD = 1;
    private static final int DST_OUTPUT = 2;
    /** The widest immediate value {@link LearnSpec} holds. */
    private static final int MAX_IMMEDIATE_BITS = 128;

    private NxLearnWire() {
    }

    /** The learn action at {@code p} (its type), {@code end} its end; {@code subtype} 16 or 45. */
    static OfAction decode(ByteBuf b, int p, int end, int subtype) {
        boolean two = subtype == NXAST_LEARN2;
        if (end - p < (two ? FIXED2 : FIXED)) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "learn action of " + (end - p) + " bytes");
        }
        int idle = b.getUnsignedShort(p + 10);
        int hard = b.getUnsignedShort(p + 12);
        int priority = b.getUnsignedShort(p + 14);
        long cookie = b.getLong(p + 16);
        int flags = b.getUnsignedShort(p + 24);
        int table = b.getUnsignedByte(p + 26);
        int finIdle = b.getUnsignedShort(p + 28);
        int finHard = b.getUnsignedShort(p + 30);
        if (b.getUnsignedByte(p + 27) != 0) {
            throw bad("learn: padding is not zero");
        }
        if ((flags & ~(F_SEND_FLOW_REM | F_DELETE_LEARNED | F_WRITE_RESULT)) != 0
                || !two && (flags & F_WRITE_RESULT) != 0) {
            throw bad("learn: flags 0x" + Integer.toHexString(flags));
        }
        if (table == 0xff) {
            throw bad("learn: table 255");
        }
        int limit = 0;
        FieldRef resultDst = null;
        int at = p + FIXED;
        if (two) {
            long lim = b.getUnsignedInt(p + 32);
            if (lim > Integer.MAX_VALUE) {
                throw bad("learn: limit " + lim);
            }
            limit = (int) lim;
            int resultOfs = b.getUnsignedShort(p + 36);
            at = p + FIXED2;
            if ((flags & F_WRITE_RESULT) != 0) {
                NxmTable.Field f = NxActionWire.header(b, at, end);
                at += NxActionWire.headerLength(b, at);
                resultDst = NxActionWire.ref(f, resultOfs, 1);
            } else if (resultOfs != 0) {
                throw bad("learn: result_dst_ofs without result_dst");
            }
        }
        List<LearnSpec> specs = new ArrayList<>();
        Match.Builder learned = Match.builder();
        while (at + 2 <= end) {
            int header = b.getUnsignedShort(at);
            if (header == 0) {
                break;
            }
            at += 2;
            at = spec(b, at, end, header, specs, learned);
        }
        for (int i = at; i < end; i++) {
            if (b.getByte(i) != 0) {
                throw bad("learn: bytes after the specs are not zero");
            }
        }
        return new OfAction.Learn(table, idle, hard, finIdle, finHard, priority, cookie,
                (flags & F_SEND_FLOW_REM) != 0, (flags & F_DELETE_LEARNED) != 0, limit, resultDst, specs);
    }

    /** Reads the spec whose header was at {@code at - 2}; returns where the next starts. */
    private static int spec(ByteBuf b, int at, int end, int header, List<LearnSpec> specs, Match.Builder learned) {
        int nBits = header & N_BITS_MASK;
        boolean immediate = (header & SRC_IMMEDIATE) != 0;
        int dst = (header >>> DST_SHIFT) & 3;
        if (dst == 3 || dst == DST_OUTPUT && immediate || nBits == 0) {
            throw bad("learn: spec header 0x" + Integer.toHexString(header));
        }
        FieldRef src = null;
        long high = 0;
        long low = 0;
        if (immediate) {
            int bytes = 2 * ((nBits + 15) / 16);
            if (at + bytes > end) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "learn: immediate value truncated");
            }
            for (int i = 0; i < bytes; i++) {
                int v = b.getUnsignedByte(at + i);
                int fromEnd = bytes - 1 - i;
                if (fromEnd >= MAX_IMMEDIATE_BITS / 8) {
                    if (v != 0) {
                        throw bad("learn: an immediate value wider than 128 bits");
                    }
                } else if (fromEnd >= 8) {
                    high |= (long) v << (8 * (fromEnd - 8));
                } else {
                    low |= (long) v << (8 * fromEnd);
                }
            }
            at += bytes;
        } else {
            NxmTable.Field f = NxActionWire.header(b, at, end);
            at += NxActionWire.headerLength(b, at);
            src = NxActionWire.ref(f, ofs(b, at, end), nBits);
            at += 2;
        }
        FieldRef to = null;
        if (dst != DST_OUTPUT) {
            NxmTable.Field f = NxActionWire.header(b, at, end);
            at += NxActionWire.headerLength(b, at);
            to = NxActionWire.ref(f, ofs(b, at, end), nBits);
            at += 2;
            checkPrereq(to.field(), learned);
        }
        LearnSpec spec;
        if (dst == DST_OUTPUT) {
            spec = LearnSpec.fromField(LearnSpec.Kind.OUTPUT, src, null);
        } else {
            LearnSpec.Kind kind = dst == DST_MATCH ? LearnSpec.Kind.MATCH : LearnSpec.Kind.LOAD;
            if (immediate) {
                if (nBits < 64) {
                    low &= (1L << nBits) - 1;
                    high = 0;
                } else if (nBits < 128) {
                    high &= (1L << (nBits - 64)) - 1;
                }
                spec = LearnSpec.immediate(kind, high, low, to);
                if (kind == LearnSpec.Kind.MATCH) {
                    learned.setBits(to.field(), to.start(), to.nBits(), high, low);
                }
            } else {
                spec = LearnSpec.fromField(kind, src, to);
            }
        }
        specs.add(spec);
        return at;
    }

    private static int ofs(ByteBuf b, int at, int end) {
        if (at + 2 > end) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_LEN, "learn: field offset truncated");
        }
        return b.getUnsignedShort(at);
    }

    /** OVS's learn_check: the learned flow's match must establish {@code f}'s prerequisites. */
    private static void checkPrereq(FlowField f, Match.Builder learned) {
        if (!learned.buildUnchecked().establishes(f.prereq())) {
            throw new OfCodecException(OfError.BAD_MATCH_BAD_PREREQ, "learn: " + f.ovsName() + " needs "
                    + PrerequisiteException.describe(f.prereq()) + " earlier in the learn");
        }
    }

    private static OfCodecException bad(String why) {
        return new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, why);
    }

    /**
     * Writes {@code l} as OVS's {@code encode_LEARN}: {@code NXAST_LEARN}, or {@code NXAST_LEARN2}
     * when it has a limit or a result_dst. Fields are named as OVS names them there (its
     * {@code nx_put_header} for OpenFlow 1.0): the NXM header where the field has one, else
     * {@code wire}'s; a port field by the protocol of the learning rule ({@code ruleProto}, for
     * sources) or of the learned flow so far (for destinations).
     */
    static void encode(ByteBuf b, OfAction.Learn l, int ruleProto, Function<FieldRef, NxmTable.Field> wire) {
        int start = b.writerIndex();
        boolean two = l.limit() != 0 || l.resultDst() != null;
        int flags = (l.sendFlowRem() ? F_SEND_FLOW_REM : 0) | (l.deleteLearned() ? F_DELETE_LEARNED : 0)
                | (l.resultDst() != null ? F_WRITE_RESULT : 0);
        b.writeShort(0xffff).writeShort(0).writeInt((int) NxmTable.NX_VENDOR).writeShort(two ? NXAST_LEARN2 : NXAST_LEARN);
        b.writeShort(l.idleTimeout()).writeShort(l.hardTimeout()).writeShort(l.priority()).writeLong(l.cookie());
        b.writeShort(flags).writeByte(l.table()).writeByte(0).writeShort(l.finIdleTimeout())
                .writeShort(l.finHardTimeout());
        if (two) {
            NxmTable.Field rf = l.resultDst() == null ? null : header(l.resultDst(), ruleProto, wire);
            b.writeInt(l.limit()).writeShort(rf == null ? 0 : l.resultDst().start() - rf.shift()).writeShort(0);
            if (rf != null) {
                header(b, rf);
            }
        }
        int learnedProto = 0;
        for (LearnSpec s : l.specs()) {
            int dst = switch (s.kind()) {
                case MATCH -> DST_MATCH;
                case LOAD -> DST_LOAD;
                case OUTPUT -> DST_OUTPUT;
            };
            int nBits = s.nBits();
            b.writeShort((s.isImmediate() ? SRC_IMMEDIATE : 0) | dst << DST_SHIFT | nBits);
            if (s.isImmediate()) {
                int bytes = 2 * ((nBits + 15) / 16);
                for (int i = bytes - 1; i >= 0; i--) {
                    long word = i >= 8 ? s.valueHigh() : s.value();
                    int shift = 8 * (i >= 8 ? i - 8 : i);
                    b.writeByte(i >= 16 ? 0 : (int) (word >>> shift) & 0xff);
                }
            } else {
                ref(b, s.src(), ruleProto, wire);
            }
            if (s.kind() != LearnSpec.Kind.OUTPUT) {
                ref(b, s.dst(), learnedProto, wire);
            }
            if (s.kind() == LearnSpec.Kind.MATCH && s.isImmediate() && s.dst().field() == FlowField.NW_PROTO
                    && s.dst().isWhole()) {
                learnedProto = (int) s.value();
            }
        }
        int len = b.writerIndex() - start;
        b.writeZero(((len + 7) & ~7) - len);
        b.setShort(start + 2, b.writerIndex() - start);
    }

    private static void ref(ByteBuf b, FieldRef r, int proto, Function<FieldRef, NxmTable.Field> wire) {
        NxmTable.Field f = header(r, proto, wire);
        header(b, f);
        b.writeShort(r.start() - f.shift());
    }

    /** The NXM header that holds {@code r} (of protocol {@code proto} where several do), else {@code wire}'s. */
    private static NxmTable.Field header(FieldRef r, int proto, Function<FieldRef, NxmTable.Field> wire) {
        NxmTable.Field any = null;
        for (NxmTable.Field f : NxmTable.all()) {
            if (f.field() != r.field() || f.cls() != NxmTable.NXM_OF && f.cls() != NxmTable.NXM_NX
                    || r.start() < f.shift() || r.start() + r.nBits() > f.shift() + f.width()) {
                continue;
            }
            if (f.ipProto() < 0 || f.ipProto() == proto) {
                return f;
            }
            any = any == null ? f : any;
        }
        return any != null ? any : wire.apply(r);
    }

    private static void header(ByteBuf b, NxmTable.Field f) {
        b.writeInt((int) f.header(false));
        if (f.cls() == NxmTable.EXPERIMENTER) {
            b.writeInt((int) f.experimenter());
        }
    }
}
