package dev.jvswitch.flowcache.key;

import static dev.jvswitch.flowcache.key.FlowField.CT_IPV6_DST;
import static dev.jvswitch.flowcache.key.FlowField.CT_IPV6_SRC;
import static dev.jvswitch.flowcache.key.FlowField.CT_LABEL;
import static dev.jvswitch.flowcache.key.FlowField.CT_MARK;
import static dev.jvswitch.flowcache.key.FlowField.CT_NW_DST;
import static dev.jvswitch.flowcache.key.FlowField.CT_NW_PROTO;
import static dev.jvswitch.flowcache.key.FlowField.CT_NW_SRC;
import static dev.jvswitch.flowcache.key.FlowField.CT_STATE;
import static dev.jvswitch.flowcache.key.FlowField.CT_TP_DST;
import static dev.jvswitch.flowcache.key.FlowField.CT_TP_SRC;
import static dev.jvswitch.flowcache.key.FlowField.CT_ZONE;

/**
 * The connection tracking attributes of a datapath flow, which OVS puts first:
 * {@code ct_state(+new-est+trk),ct_zone(0x1),ct_mark(0x5/0xff),ct_label(0/0x1),ct_tuple4(proto=17)}.
 * With a mask, an attribute appears when any of its bits is matched; {@code ct_state} is always
 * in the {@code +flag-flag} form, as OVS's 32-bit mask never covers it whole. For a key alone,
 * the attributes appear only for a tracked packet (non-zero {@code ct_state}). Part of
 * {@link FlowPrinter}; slow path only.
 */
final class CtAttrPrinter {
    private CtAttrPrinter() {
    }

    /** Appends the attributes (each followed by nothing; separated by commas); true if any. */
    static boolean append(StringBuilder sb, FlowKey key, FlowMask mask) {
        if (mask == null && key.get(CT_STATE) == 0) {
            return false;
        }
        int start = sb.length();
        long stateMask = m(key, mask, CT_STATE);
        if (stateMask != 0) {
            sep(sb, start).append("ct_state(");
            FlagNames.appendMaskedFlags(sb, FlagNames.CT_STATE, (int) key.get(CT_STATE), (int) stateMask, -1);
            sb.append(')');
        }
        masked(sb, start, "ct_zone", key.get(CT_ZONE), m(key, mask, CT_ZONE), 0xffff);
        masked(sb, start, "ct_mark", key.get(CT_MARK), m(key, mask, CT_MARK), 0xffff_ffffL);
        long lmHi = mask == null ? -1L : mask.getHigh(CT_LABEL);
        long lmLo = mask == null ? -1L : mask.getLow(CT_LABEL);
        if ((lmHi | lmLo) != 0) {
            sep(sb, start).append("ct_label(");
            CtMatchText.u128(sb, key.getHigh(CT_LABEL), key.getLow(CT_LABEL));
            if ((lmHi & lmLo) != -1L) {
                sb.append('/');
                CtMatchText.u128(sb, lmHi, lmLo);
            }
            sb.append(')');
        }
        if (key.isIpv4()) {
            tuple4(sb, start, key, mask);
        } else if (key.isIpv6()) {
            tuple6(sb, start, key, mask);
        }
        return sb.length() > start;
    }

    private static void tuple4(StringBuilder sb, int start, FlowKey key, FlowMask mask) {
        if (!any(key, mask, CT_NW_SRC, CT_NW_DST, CT_NW_PROTO, CT_TP_SRC, CT_TP_DST)) {
            return;
        }
        sep(sb, start).append("ct_tuple4(");
        int at = sb.length();
        long m = m(key, mask, CT_NW_SRC);
        if (m != 0) {
            Addresses.appendIpv4(sb.append("src="), (int) key.get(CT_NW_SRC));
            ipMask(sb, m);
        }
        m = m(key, mask, CT_NW_DST);
        if (m != 0) {
            Addresses.appendIpv4(fieldSep(sb, at).append("dst="), (int) key.get(CT_NW_DST));
            ipMask(sb, m);
        }
        tupleTail(sb, at, key, mask);
        sb.append(')');
    }

    private static void tuple6(StringBuilder sb, int start, FlowKey key, FlowMask mask) {
        boolean addr = mask == null || (mask.getHigh(CT_IPV6_SRC) | mask.getLow(CT_IPV6_SRC) | mask.getHigh(CT_IPV6_DST)
                | mask.getLow(CT_IPV6_DST)) != 0;
        if (!addr && !any(key, mask, CT_NW_PROTO, CT_TP_SRC, CT_TP_DST)) {
            return;
        }
        sep(sb, start).append("ct_tuple6(");
        int at = sb.length();
        if (mask == null || (mask.getHigh(CT_IPV6_SRC) | mask.getLow(CT_IPV6_SRC)) != 0) {
            Addresses.appendIpv6(sb.append("src="), key.getHigh(CT_IPV6_SRC), key.getLow(CT_IPV6_SRC));
        }
        if (mask == null || (mask.getHigh(CT_IPV6_DST) | mask.getLow(CT_IPV6_DST)) != 0) {
            Addresses.appendIpv6(fieldSep(sb, at).append("dst="), key.getHigh(CT_IPV6_DST), key.getLow(CT_IPV6_DST));
        }
        tupleTail(sb, at, key, mask);
        sb.append(')');
    }

    private static void tupleTail(StringBuilder sb, int at, FlowKey key, FlowMask mask) {
        long m = m(key, mask, CT_NW_PROTO);
        if (m != 0) {
            fieldSep(sb, at).append("proto=").append(key.get(CT_NW_PROTO));
            if (m != 0xff) {
                CtMatchText.hex(sb.append('/'), m);
            }
        }
        m = m(key, mask, CT_TP_SRC);
        if (m != 0) {
            fieldSep(sb, at).append("tp_src=").append(key.get(CT_TP_SRC));
            if (m != 0xffff) {
                CtMatchText.hex(sb.append('/'), m);
            }
        }
        m = m(key, mask, CT_TP_DST);
        if (m != 0) {
            fieldSep(sb, at).append("tp_dst=").append(key.get(CT_TP_DST));
            if (m != 0xffff) {
                CtMatchText.hex(sb.append('/'), m);
            }
        }
    }

    private static void ipMask(StringBuilder sb, long m) {
        if (m != 0xffff_ffffL) {
            Addresses.appendIpv4(sb.append('/'), (int) m);
        }
    }

    private static boolean any(FlowKey key, FlowMask mask, FlowField... fields) {
        for (FlowField f : fields) {
            if (m(key, mask, f) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void masked(StringBuilder sb, int start, String name, long value, long m, long full) {
        if (m == 0) {
            return;
        }
        sep(sb, start).append(name).append('(');
        CtMatchText.hex(sb, value);
        if (m != full) {
            CtMatchText.hex(sb.append('/'), m);
        }
        sb.append(')');
    }

    private static long m(FlowKey key, FlowMask mask, FlowField f) {
        return mask == null ? f.valueMask() : mask.get(f);
    }

    private static StringBuilder sep(StringBuilder sb, int start) {
        return sb.length() > start ? sb.append(',') : sb;
    }

    private static StringBuilder fieldSep(StringBuilder sb, int at) {
        return sb.length() > at ? sb.append(',') : sb;
    }
}
