package dev.jvswitch.ofproto.action;

import dev.jvswitch.flowcache.actions.DpCt;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowPrereq;
import dev.jvswitch.ofproto.match.Match;

/**
 * OVS's {@code check_CT} and {@code check_NAT}: what makes a {@code ct} action inconsistent with
 * its flow's match, which OVS refuses with {@code OFPBAC_MATCH_INCONSISTENT} because the datapath
 * would refuse the megaflow. A {@code ct} needs a match on IP or IPv6; a commit must not match
 * {@code ct_state=+inv}; a {@code nat} with an address needs the match on that address's family;
 * {@code alg=ftp} needs TCP, {@code alg=tftp} UDP.
 * Every producer of flows (the ovs-ofctl syntax, the OpenFlow codec) asks this one place.
 */
public final class CtCheck {
    /** What OVS says, appended to every problem. */
    public static final String OVS_SAYS = " (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)";

    /** OVS's {@code CS_INVALID} bit of {@code ct_state}. */
    private static final long CT_INV = 0x10;

    /** A problem: the subject (what is refused) and what it needs or may not have. */
    public record Problem(String subject, String need, boolean notAllowed) {
        /** The one-line message, e.g. {@code ct needs ip or ipv6 (OVS: ...)}. */
        public String message() {
            return subject + (notAllowed ? " is not allowed " : " needs ") + need + OVS_SAYS;
        }
    }

    private CtCheck() {
    }

    /** The first problem of {@code ct} under {@code match}, or null when they are consistent. */
    public static Problem problem(Match match, boolean commit, DpCt.Nat nat, int alg) {
        if (!match.establishes(FlowPrereq.IP_ANY)) {
            return new Problem(nat != null ? "ct with nat" : "ct", "ip or ipv6", false);
        }
        if (commit && (match.value(FlowField.CT_STATE) & match.mask(FlowField.CT_STATE) & CT_INV) != 0) {
            return new Problem("ct(commit)", "with ct_state=+inv", true);
        }
        if (nat != null && nat.hasAddr() && !match.establishes(nat.ipv6() ? FlowPrereq.IPV6 : FlowPrereq.IPV4)) {
            return new Problem("nat with an " + (nat.ipv6() ? "IPv6" : "IPv4") + " address", nat.ipv6() ? "ipv6" : "ip",
                    false);
        }
        int proto = alg == OfAction.Ct.ALG_FTP ? 6 : alg == OfAction.Ct.ALG_TFTP ? 17 : -1;
        if (proto >= 0 && !(match.isExact(FlowField.NW_PROTO) && match.value(FlowField.NW_PROTO) == proto)) {
            return new Problem(proto == 6 ? "ct with alg=ftp" : "ct with alg=tftp", proto == 6 ? "tcp" : "udp", false);
        }
        return null;
    }

    /** {@link #problem} for an action ({@code null} for any other action than {@code ct}). */
    public static Problem problem(Match match, OfAction a) {
        return a instanceof OfAction.Ct ct ? problem(match, ct.commit(), ct.nat(), ct.alg()) : null;
    }
}
