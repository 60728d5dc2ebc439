package dev.jvswitch.ofproto.action;

import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrereq;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;

/**
 * OVS's {@code ofpacts_check_consistency} for a flow mod that came over OpenFlow: the actions a
 * rule's match makes meaningless, which OVS refuses with {@code OFPBAC_MATCH_INCONSISTENT}.
 *
 * <p>Two kinds, as in OVS:
 * <ul>
 *   <li><b>Always refused</b> (the ovs-ofctl syntax refuses them too, as it parses): a field
 *       written or read whose prerequisite the match does not establish ({@code set_field},
 *       {@code load}, {@code move}, {@code push}/{@code pop}, {@code output:reg}, a
 *       {@code learn}'s source fields), and {@link CtCheck}'s {@code ct} problems, also inside
 *       {@code ct(exec(...))} and {@code clone(...)}. The caller passes each of a flow mod's
 *       apply-actions and write-actions lists (the channel's {@code RequestChecks}).</li>
 *   <li><b>Refused in OpenFlow 1.1 and later</b> (OVS's {@code inconsistent_match}: only OpenFlow
 *       1.0 would carry them, and this channel speaks 1.3 to 1.5): {@code strip_vlan} without a
 *       VLAN, IPv4 address writes without IPv4, TOS/TTL writes and {@code dec_ttl} without IP,
 *       port writes without TCP, UDP or SCTP, {@code fin_timeout} without TCP.</li>
 * </ul>
 * As in OVS the walk follows what earlier actions in the same list did to the VLAN header
 * ({@code push_vlan}, {@code strip_vlan}, a {@code vlan_tci} write); a nested list starts from
 * its parent's state and does not change it.
 *
 * <p>A packet-out's actions are checked against the packet's own headers ({@link #packetProblem},
 * OVS's {@code match_wc_init} of the packet's flow: every field exact). A group's buckets are
 * checked against nothing, as in OVS.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class ActionCheck {
    private static final int VLAN_CFI = 0x1000;
    /** The mask of a match on every bit of a packet's key ({@code Match.ofWords} copies it). */
    private static final long[] EVERY_BIT = new long[FlowKey.ALL_WORDS];

    static {
        java.util.Arrays.fill(EVERY_BIT, -1L);
    }

    private ActionCheck() {
    }

    /**
     * The first inconsistency of {@code actions} (a flow mod's apply-actions or write-actions)
     * with {@code match} as OVS finds it for an OpenFlow 1.1+ flow mod, as a one-line message, or
     * null when there is none.
     */
    public static String wireProblem(Match match, List<OfAction> actions) {
        return walk(match, actions, hasVlan(match));
    }

    /**
     * The first inconsistency of a packet-out's {@code actions} with the packet whose flow key is
     * {@code packet} (parsed, in_port and metadata set), as OVS's {@code ofproto_packet_out_init}
     * finds it, or null when there is none.
     */
    public static String packetProblem(FlowKey packet, List<OfAction> actions) {
        return wireProblem(Match.ofWords(packet.words(), EVERY_BIT), actions);
    }

    /**
     * {@code actions} with the lists nested in {@code clone} and {@code ct(exec)} spliced in after
     * their action, in order (OVS's {@code OFPACT_FOR_EACH_FLATTENED}): what OVS looks through
     * for the groups and meters a rule names and the ports it outputs to. The list itself when
     * nothing is nested.
     */
    public static List<OfAction> flattened(List<OfAction> actions) {
        boolean nested = false;
        for (OfAction a : actions) {
            nested |= a instanceof OfAction.Clone || a instanceof OfAction.Ct;
        }
        if (!nested) {
            return actions;
        }
        List<OfAction> out = new java.util.ArrayList<>();
        for (OfAction a : actions) {
            out.add(a);
            if (a instanceof OfAction.Clone c) {
                out.addAll(flattened(c.actions()));
            } else if (a instanceof OfAction.Ct ct) {
                out.addAll(flattened(ct.exec()));
            }
        }
        return out;
    }

    private static boolean hasVlan(Match m) {
        return (m.value(FlowField.VLAN_TCI) & m.mask(FlowField.VLAN_TCI) & VLAN_CFI) != 0;
    }

    private static String walk(Match m, List<OfAction> actions, boolean vlan) {
        for (OfAction a : actions) {
            String p = one(m, a, vlan);
            if (p != null) {
                return p;
            }
            if (a instanceof OfAction.PushVlan || a instanceof OfAction.ModVlanVid || a instanceof OfAction.ModVlanPcp) {
                vlan = true;
            } else if (a instanceof OfAction.StripVlan) {
                // The inner tag, if the match names one, becomes the outer.
                vlan = (m.value(FlowField.VLAN_TCI1) & m.mask(FlowField.VLAN_TCI1) & VLAN_CFI) != 0;
            } else if (a instanceof OfAction.SetField s && s.field() == FlowField.VLAN_TCI && (s.mask() & VLAN_CFI) != 0) {
                vlan = (s.value() & VLAN_CFI) != 0;
            }
        }
        return null;
    }

    private static String one(Match m, OfAction a, boolean vlan) {
        if (a instanceof OfAction.SetField s) {
            return field(m, "set_field", s.field());
        } else if (a instanceof OfAction.Load l) {
            return field(m, "load", l.dst().field());
        } else if (a instanceof OfAction.Move mv) {
            String p = field(m, "move", mv.src().field());
            return p != null ? p : field(m, "move", mv.dst().field());
        } else if (a instanceof OfAction.StackPush sp) {
            return field(m, "push", sp.src().field());
        } else if (a instanceof OfAction.StackPop sp) {
            return field(m, "pop", sp.dst().field());
        } else if (a instanceof OfAction.OutputReg o) {
            return field(m, "output", o.src().field());
        } else if (a instanceof OfAction.Learn l) {
            for (LearnSpec s : l.specs()) {
                String p = s.src() == null ? null : field(m, "learn", s.src().field());
                if (p != null) {
                    return p;
                }
            }
            return null;
        } else if (a instanceof OfAction.Ct ct) {
            CtCheck.Problem p = CtCheck.problem(m, a);
            if (p != null) {
                return p.message();
            }
            String z = ct.zoneSrc() == null ? null : field(m, "ct zone", ct.zoneSrc().field());
            return z != null ? z : walk(m, ct.exec(), vlan);
        } else if (a instanceof OfAction.Clone c) {
            return walk(m, c.actions(), vlan);
        }
        return wireOnly(m, a, vlan);
    }

    /** OVS's {@code inconsistent_match} cases: refused when the flow mod is not OpenFlow 1.0. */
    private static String wireOnly(Match m, OfAction a, boolean vlan) {
        if (a instanceof OfAction.StripVlan && !vlan) {
            return need("strip_vlan", "a VLAN header (dl_vlan or vlan_tci with its CFI bit, or an earlier push_vlan)");
        } else if ((a instanceof OfAction.ModNwSrc || a instanceof OfAction.ModNwDst) && !m.establishes(FlowPrereq.IPV4)) {
            return need(a instanceof OfAction.ModNwSrc ? "mod_nw_src" : "mod_nw_dst", "ip");
        } else if ((a instanceof OfAction.ModNwTos || a instanceof OfAction.ModNwTtl || a instanceof OfAction.DecTtl)
                && !m.establishes(FlowPrereq.IP_ANY)) {
            return need(a instanceof OfAction.ModNwTos ? "mod_nw_tos" : a instanceof OfAction.DecTtl ? "dec_ttl"
                    : "mod_nw_ttl", "ip or ipv6");
        } else if ((a instanceof OfAction.ModTpSrc || a instanceof OfAction.ModTpDst) && !m.establishes(FlowPrereq.TP_PORTS)) {
            return need(a instanceof OfAction.ModTpSrc ? "mod_tp_src" : "mod_tp_dst", "tcp, udp or sctp");
        } else if (a instanceof OfAction.FinTimeout && !m.establishes(FlowPrereq.TCP)) {
            return need("fin_timeout", "tcp");
        }
        return null;
    }

    private static String field(Match m, String what, FlowField f) {
        return m.establishes(f.prereq()) ? null
                : need(what + " " + f.ovsName(), PrerequisiteException.describe(f.prereq()));
    }

    private static String need(String subject, String what) {
        return subject + " needs " + what + CtCheck.OVS_SAYS;
    }
}
