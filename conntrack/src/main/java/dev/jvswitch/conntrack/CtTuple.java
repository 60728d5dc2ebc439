package dev.jvswitch.conntrack;

/**
 * The {@code ct-orig-tuple} argument of {@code dpctl/flush-conntrack} in OVS's syntax
 * ({@code ct_dpif_parse_tuple}): {@code ct_nw_src=A,ct_nw_dst=B,ct_nw_proto=P,ct_tp_src=S,ct_tp_dst=D}
 * (or {@code ct_ipv6_src}/{@code ct_ipv6_dst}; {@code icmp_type}, {@code icmp_code},
 * {@code icmp_id} for ICMP), read into the key of the connection's original direction in a zone.
 * Every field of the 5-tuple must be there ({@link CtMatch} takes partial tuples). Control path
 * only: it allocates.
 */
public final class CtTuple {
    private CtTuple() {
    }

    /**
     * The original-direction key {@code text} names in {@code zone}.
     *
     * @throws IllegalArgumentException with OVS's one-line message
     */
    public static CtKey parse(String text, int zone) {
        CtMatch m = new CtMatch();
        m.parseTuple(text, m.orig);
        CtMatch.Tuple t = m.orig;
        boolean icmp = m.proto == CtPacket.ICMP || m.proto == CtPacket.ICMPV6;
        if (!t.hasSrc || !t.hasDst || m.proto == 0 || !icmp && (m.proto == CtPacket.TCP || m.proto == CtPacket.UDP)
                && (t.tpSrc == 0 || t.tpDst == 0)) {
            throw new IllegalArgumentException("at least one of the conntrack 5-tuple fields is missing.");
        }
        return m.key(zone);
    }
}
