package dev.jvswitch.flowcache.key;

/** OVS's names for TCP flags, tunnel flags and fragment types, and its two ways of writing flags. */
final class FlagNames {
    /** Bit i named TCP[i]: fin, syn, ... as OVS's {@code packet_tcp_flag_to_string}. */
    static final String[] TCP = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns", "[200]", "[400]",
        "[800]"};
    /** Bit i named TUNNEL[i], OVS's {@code FLOW_TNL_F_*} order: oam, df, csum, key. */
    static final String[] TUNNEL = {"oam", "df", "csum", "key"};
    /** Bit i named CT_STATE[i], OVS's {@code CS_*} order: new, est, rel, rpl, inv, trk, snat, dnat. */
    static final String[] CT_STATE = {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"};

    private FlagNames() {
    }

    /** OVS's {@code format_flags}: set bits lowest first joined by {@code delimiter}, "0" if none. */
    static StringBuilder appendFlags(StringBuilder sb, String[] names, int flags, char delimiter) {
        if (flags == 0) {
            return sb.append('0');
        }
        int unknown = 0;
        boolean first = true;
        for (int bits = flags; bits != 0; bits &= bits - 1) {
            int bit = Integer.numberOfTrailingZeros(bits);
            if (bit < names.length) {
                if (!first) {
                    sb.append(delimiter);
                }
                sb.append(names[bit]);
                first = false;
            } else {
                unknown |= 1 << bit;
            }
        }
        if (unknown != 0) {
            if (!first) {
                sb.append(delimiter);
            }
            sb.append("0x").append(Integer.toHexString(unknown));
        }
        return sb;
    }

    /**
     * OVS's {@code format_flags_masked}: all-flags form when {@code mask} covers {@code maxMask},
     * otherwise {@code +name} / {@code -name} for each masked bit, lowest first.
     */
    static StringBuilder appendMaskedFlags(StringBuilder sb, String[] names, int flags, int mask, int maxMask) {
        if (mask == maxMask) {
            return appendFlags(sb, names, flags, '|');
        }
        if (mask == 0) {
            return sb.append("0/0");
        }
        for (int bits = mask; bits != 0; bits &= bits - 1) {
            int bit = Integer.numberOfTrailingZeros(bits);
            sb.append((flags & (1 << bit)) != 0 ? '+' : '-');
            sb.append(bit < names.length ? names[bit] : "[Unknown]");
        }
        return sb;
    }

    /** OVS's datapath fragment type for {@code nw_frag} bits: no, first or later. */
    static String fragType(int nwFrag) {
        if ((nwFrag & FlowKey.FRAG_ANY) == 0) {
            return "no";
        }
        return (nwFrag & FlowKey.FRAG_LATER) != 0 ? "later" : "first";
    }
}
