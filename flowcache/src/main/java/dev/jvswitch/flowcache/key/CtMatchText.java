package dev.jvswitch.flowcache.key;

/**
 * The connection tracking fields of a match in OVS's {@code match_format} text, the part that
 * follows {@code recirc_id}/{@code dp_hash} in {@code ovs-ofctl dump-flows} and in
 * {@code ofproto/trace}'s {@code Flow:} and {@code Megaflow:} lines, e.g.
 * {@code ct_state=+new+trk,ct_zone=1,ct_mark=0x5/0xff,ct_label=0x1/0x1,ct_nw_src=10.0.0.1,ct_nw_proto=17,ct_tp_src=1,}.
 * A field appears when its mask is non-zero; each is followed by a comma. {@code ct_state} is
 * written {@code new|trk} with a whole mask and {@code +new-est} otherwise. Slow path only.
 */
public final class CtMatchText {
    private CtMatchText() {
    }

    /** Appends the ct fields of {@code value} under {@code mask}. */
    public static StringBuilder append(StringBuilder sb, FlowKey value, FlowMask mask) {
        long m = mask.get(FlowField.CT_STATE);
        if (m != 0) {
            sb.append("ct_state=");
            FlagNames.appendMaskedFlags(sb, FlagNames.CT_STATE, (int) value.get(FlowField.CT_STATE), (int) m, 0xff);
            sb.append(',');
        }
        m = mask.get(FlowField.CT_ZONE);
        if (m != 0) {
            sb.append("ct_zone=").append(value.get(FlowField.CT_ZONE));
            if (m != 0xffff) {
                hex(sb.append('/'), m);
            }
            sb.append(',');
        }
        hexField(sb, "ct_mark", value.get(FlowField.CT_MARK), mask.get(FlowField.CT_MARK), 0xffff_ffffL);
        long lh = mask.getHigh(FlowField.CT_LABEL);
        long ll = mask.getLow(FlowField.CT_LABEL);
        if ((lh | ll) != 0) {
            sb.append("ct_label=");
            u128(sb, value.getHigh(FlowField.CT_LABEL), value.getLow(FlowField.CT_LABEL));
            if ((lh & ll) != -1L) {
                u128(sb.append('/'), lh, ll);
            }
            sb.append(',');
        }
        ipv4(sb, "ct_nw_src", value, mask, FlowField.CT_NW_SRC);
        ipv4(sb, "ct_nw_dst", value, mask, FlowField.CT_NW_DST);
        ipv6(sb, "ct_ipv6_src", value, mask, FlowField.CT_IPV6_SRC);
        ipv6(sb, "ct_ipv6_dst", value, mask, FlowField.CT_IPV6_DST);
        m = mask.get(FlowField.CT_NW_PROTO);
        if (m != 0) {
            sb.append("ct_nw_proto=").append(value.get(FlowField.CT_NW_PROTO)).append(',');
        }
        port(sb, "ct_tp_src", value.get(FlowField.CT_TP_SRC), mask.get(FlowField.CT_TP_SRC));
        port(sb, "ct_tp_dst", value.get(FlowField.CT_TP_DST), mask.get(FlowField.CT_TP_DST));
        return sb;
    }

    /** Makes {@code mask} exact on every ct field {@code flow} has non-zero (OVS's flow_format shows those). */
    public static void exactWhereSet(FlowKey flow, FlowMask mask) {
        for (FlowField f : new FlowField[] {FlowField.CT_STATE, FlowField.CT_ZONE, FlowField.CT_MARK,
            FlowField.CT_NW_SRC, FlowField.CT_NW_DST, FlowField.CT_NW_PROTO, FlowField.CT_TP_SRC,
            FlowField.CT_TP_DST}) {
            if (flow.get(f) != 0) {
                mask.exact(f);
            }
        }
        for (FlowField f : new FlowField[] {FlowField.CT_LABEL, FlowField.CT_IPV6_SRC, FlowField.CT_IPV6_DST}) {
            if ((flow.getHigh(f) | flow.getLow(f)) != 0) {
                mask.exact(f);
            }
        }
    }

    private static void hexField(StringBuilder sb, String name, long v, long m, long full) {
        if (m == 0) {
            return;
        }
        hex(sb.append(name).append('='), v);
        if (m != full) {
            hex(sb.append('/'), m);
        }
        sb.append(',');
    }

    private static void port(StringBuilder sb, String name, long v, long m) {
        if (m == 0) {
            return;
        }
        sb.append(name).append('=');
        if (m == 0xffff) {
            sb.append(v);
        } else {
            sb.append("0x").append(Long.toHexString(v)).append("/0x").append(Long.toHexString(m));
        }
        sb.append(',');
    }

    private static void ipv4(StringBuilder sb, String name, FlowKey v, FlowMask mask, FlowField f) {
        long m = mask.get(f);
        if (m == 0) {
            return;
        }
        Addresses.appendIpv4(sb.append(name).append('='), (int) v.get(f));
        int m32 = (int) m;
        if (m32 != -1) {
            int ones = Integer.numberOfLeadingZeros(~m32);
            if (m32 << ones == 0) {
                sb.append('/').append(ones);
            } else {
                Addresses.appendIpv4(sb.append('/'), m32);
            }
        }
        sb.append(',');
    }

    private static void ipv6(StringBuilder sb, String name, FlowKey v, FlowMask mask, FlowField f) {
        long mh = mask.getHigh(f);
        long ml = mask.getLow(f);
        if ((mh | ml) == 0) {
            return;
        }
        Addresses.appendIpv6(sb.append(name).append('='), v.getHigh(f), v.getLow(f));
        if ((mh & ml) != -1L) {
            Addresses.appendIpv6(sb.append('/'), mh, ml);
        }
        sb.append(',');
    }

    /** {@code v} as OVS prints a ct mark or label word: 0, or 0x and lowercase hex. */
    static void hex(StringBuilder sb, long v) {
        if (v == 0) {
            sb.append('0');
        } else {
            sb.append("0x").append(Long.toHexString(v));
        }
    }

    /** A 128-bit ct label as OVS prints it: hex without leading zeros. */
    static void u128(StringBuilder sb, long hi, long lo) {
        if (hi == 0) {
            hex(sb, lo);
        } else {
            sb.append("0x").append(Long.toHexString(hi)).append(String.format("%016x", lo));
        }
    }
}
