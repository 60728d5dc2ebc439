package dev.jvswitch.flowcache.actions;

import java.nio.ByteBuffer;

/**
 * The datapath {@code ct} action's operands, text and parser (OVS's
 * {@code OVS_ACTION_ATTR_CT} as {@code format_odp_conntrack_action} prints it):
 * {@code ct}, or {@code ct(commit|force_commit,zone=N,mark=V/M,label=V[/M])} with only the parts present.
 *
 * <pre>
 *   a: flags (bits 16-17: commit, force) | zone (bits 0-15)
 *   b: mark value (high 32 bits) | mark mask (low 32 bits); mask 0 = no mark
 *   data: null, or 32 bytes: label value (16, big-endian) then label mask (16)
 * </pre>
 */
public final class DpCt {
    public static final int COMMIT = 1;
    public static final int FORCE = 2;
    private static final int FLAGS_SHIFT = 16;

    private DpCt() {
    }

    static int a(int zone, int flags) {
        if (zone < 0 || zone > 0xffff) {
            throw new IllegalArgumentException("ct: zone " + zone + " out of range 0..65535");
        }
        return zone | (flags & (COMMIT | FORCE)) << FLAGS_SHIFT;
    }

    static long b(int mark, int markMask) {
        return ((long) (mark & markMask) << 32) | (markMask & 0xffff_ffffL);
    }

    static byte[] label(long hi, long lo, long maskHi, long maskLo) {
        if ((maskHi | maskLo) == 0) {
            return null;
        }
        return ByteBuffer.allocate(32).putLong(hi & maskHi).putLong(lo & maskLo).putLong(maskHi).putLong(maskLo).array();
    }

    public static int zone(DpActions p, int i) {
        return p.a(i) & 0xffff;
    }

    public static int flags(DpActions p, int i) {
        return p.a(i) >>> FLAGS_SHIFT;
    }

    public static int mark(DpActions p, int i) {
        return (int) (p.b(i) >>> 32);
    }

    public static int markMask(DpActions p, int i) {
        return (int) p.b(i);
    }

    /** Word {@code k} of the label operand: 0 value high, 1 value low, 2 mask high, 3 mask low; 0 without label. */
    public static long labelWord(DpActions p, int i, int k) {
        byte[] d = p.data(i);
        if (d == null) {
            return 0;
        }
        long v = 0;
        for (int j = k * 8; j < k * 8 + 8; j++) {
            v = v << 8 | (d[j] & 0xff);
        }
        return v;
    }

    static void format(DpActions p, int i, StringBuilder sb) {
        int start = sb.length();
        sb.append("ct(");
        int mark = sb.length();
        int flags = flags(p, i);
        if ((flags & FORCE) != 0) {
            sb.append("force_commit,");
        } else if ((flags & COMMIT) != 0) {
            sb.append("commit,");
        }
        if (zone(p, i) != 0) {
            sb.append("zone=").append(zone(p, i)).append(',');
        }
        if (markMask(p, i) != 0) {
            sb.append("mark=");
            InetText.altHex(sb, mark(p, i) & 0xffff_ffffL);
            sb.append('/');
            InetText.altHex(sb, markMask(p, i) & 0xffff_ffffL);
            sb.append(',');
        }
        if (p.data(i) != null) {
            sb.append("label=");
            u128(sb, labelWord(p, i, 0), labelWord(p, i, 1));
            long mh = labelWord(p, i, 2);
            long ml = labelWord(p, i, 3);
            if ((mh & ml) != -1L) {
                sb.append('/');
                u128(sb, mh, ml);
            }
            sb.append(',');
        }
        if (sb.length() == mark) {
            sb.setLength(start);
            sb.append("ct");
        } else {
            sb.setCharAt(sb.length() - 1, ')');
        }
    }

    private static void u128(StringBuilder sb, long hi, long lo) {
        if (hi == 0) {
            InetText.altHex(sb, lo);
        } else {
            sb.append("0x").append(Long.toHexString(hi)).append(String.format("%016x", lo));
        }
    }

    /** Reads what follows the word {@code ct}: nothing, or {@code (args)}. */
    static void parse(TextCursor in, DpActionsBuilder b) {
        int zone = 0;
        int flags = 0;
        int mark = 0;
        int markMask = 0;
        long[] label = {0, 0, 0, 0};
        if (in.tryConsume("(")) {
            do {
                String word = in.word();
                switch (word) {
                    case "commit" -> flags |= COMMIT;
                    case "force_commit" -> flags |= COMMIT | FORCE;
                    case "zone" -> {
                        in.expect("=");
                        zone = (int) in.unsigned("ct zone", 0xffff);
                    }
                    case "mark" -> {
                        in.expect("=");
                        mark = (int) in.unsigned("ct mark", 0xffff_ffffL);
                        markMask = in.tryConsume("/") ? (int) in.unsigned("ct mark mask", 0xffff_ffffL) : -1;
                    }
                    case "label" -> {
                        in.expect("=");
                        long[] v = in.u128("ct label");
                        long[] m = in.tryConsume("/") ? in.u128("ct label mask") : new long[] {-1L, -1L};
                        label = new long[] {v[0], v[1], m[0], m[1]};
                    }
                    default -> throw in.error("ct: unknown argument '" + word + "'");
                }
            } while (in.tryConsume(","));
            in.expect(")");
        }
        b.ct(zone, flags, mark, markMask, label[0], label[1], label[2], label[3]);
    }
}
