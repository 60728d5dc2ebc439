package dev.jvswitch.ofproto.match;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowPrereq;

/**
 * A match (or an action writing a field) names a field whose prerequisite the match does not
 * establish, e.g. {@code tp_dst} without {@code tcp}. The flow syntax parser turns it into a
 * message with the column of the offending token.
 */
public final class PrerequisiteException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient FlowField field;

    public PrerequisiteException(FlowField field) {
        super(field.ovsName() + " needs " + describe(field.prereq()));
        this.field = field;
    }

    /** The field whose prerequisite is missing. */
    public FlowField field() {
        return field;
    }

    /** What the match must say first, in ovs-ofctl words: {@code tcp, udp or sctp}. */
    public static String describe(FlowPrereq prereq) {
        switch (prereq) {
            case NONE:
                return "nothing";
            case ARP:
                return "arp or rarp";
            case IPV4:
                return "ip";
            case IPV6:
                return "ipv6";
            case IP_ANY:
                return "ip or ipv6";
            case TCP:
                return "tcp or tcp6";
            case TP_PORTS:
                return "tcp, udp or sctp";
            case ICMPV4:
                return "icmp";
            case ICMPV6:
                return "icmp6";
            case ND:
                return "icmp6 with icmp_type=135 or 136";
            case ND_SOLICIT:
                return "icmp6 with icmp_type=135";
            case ND_ADVERT:
                return "icmp6 with icmp_type=136";
            case CT:
                return "ct_state with +new, +est, +rel, +rpl or +trk-inv";
            default:
                throw new AssertionError(prereq);
        }
    }
}
