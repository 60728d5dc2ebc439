package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.pmd.port.PortOptions;
import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;

/**
 * Translation in the built-in slow path: the first rule of the bridge's table that matches
 * decides; {@code normal} is a plain L2 learning switch, the stand-in for OVS's NORMAL until the
 * OpenFlow slow path lands (learn the source address on the input port; a known unicast
 * destination goes to its port, anything else floods every other port of the bridge; nothing is
 * sent back out of its input port; no VLANs).
 *
 * <p>The megaflow mask is the union of the fields every rule examined looked at (so any packet in
 * the megaflow meets the same rule), plus source and destination address when {@code normal}
 * ran; the datapath adds in_port and recirc_id.
 *
 * <p><b>Thread-safety:</b> stateless; called by PMD threads (upcalls) and the control thread
 * (revalidation, trace) at once. Learning goes to the bridge's concurrent MAC table.
 */
final class BuiltinXlate {
    /**
     * The answer.
     *
     * @param actions      datapath actions
     * @param rule         the rule that matched, or null (table miss)
     * @param macsChanged  whether learning changed where an address goes
     */
    record Result(DpActions actions, BuiltinRule rule, boolean macsChanged) {
    }

    private BuiltinXlate() {
    }

    /**
     * Translates {@code key} (from datapath port {@code key.in_port}, which must belong to
     * {@code b}), ORing the fields looked at into {@code mask}.
     *
     * @param learn whether {@code normal} may learn (upcalls do; revalidation and trace do not)
     * @param trace where to append OVS-style trace lines, or null
     */
    static Result translate(BridgeState b, FlowKey key, FlowMask mask, boolean learn, long nowMs, StringBuilder trace) {
        int inDp = (int) key.get(FlowField.IN_PORT);
        PortView in = b.byDpPort(inDp);
        int inOf = in == null ? -1 : in.ofport();
        BuiltinRule hit = null;
        for (BuiltinRule r : b.rules) {
            r.match.orInto(mask);
            if (r.match.matches(inOf, key)) {
                hit = r;
                break;
            }
        }
        if (hit == null) {
            line(trace, " 0. No match.\n    drop");
            return new Result(DpActions.DROP, null, false);
        }
        if (trace != null) {
            String m = hit.match.toString();
            trace.append(" 0. ").append(m.isEmpty() ? "" : m + ", ").append("priority ").append(hit.priority).append('\n');
        }
        Set<Integer> out = new LinkedHashSet<>();
        boolean changed = false;
        for (RuleAction a : hit.actions) {
            if (trace != null) {
                line(trace, "    " + a);
            }
            switch (a.kind()) {
                case OUTPUT -> {
                    PortView p = b.byOfport(a.port());
                    if (p == null) {
                        if (trace != null) {
                            line(trace, "     -> no port " + a.port() + " in bridge " + b.name + ", skipping");
                        }
                    } else if (p.dpPort() == inDp) {
                        line(trace, "     -> skipping output to input port");
                    } else {
                        out.add(p.dpPort());
                    }
                }
                case IN_PORT -> out.add(inDp);
                case FLOOD, ALL -> flood(b, inDp, out);
                case NORMAL -> changed |= normal(b, key, mask, inDp, learn, nowMs, out, trace);
                case DROP -> {
                }
                default -> throw new IllegalStateException("action " + a);
            }
        }
        if (out.isEmpty()) {
            return new Result(DpActions.DROP, hit, changed);
        }
        DpActionsBuilder actions = DpActions.builder();
        for (int port : out) {
            actions.output(port);
        }
        return new Result(actions.build(), hit, changed);
    }

    private static boolean normal(BridgeState b, FlowKey key, FlowMask mask, int inDp, boolean learn, long nowMs,
            Set<Integer> out, StringBuilder trace) {
        mask.exact(FlowField.ETH_SRC);
        mask.exact(FlowField.ETH_DST);
        long src = key.get(FlowField.ETH_SRC);
        long dst = key.get(FlowField.ETH_DST);
        boolean changed = false;
        if (learn && !isMulticast(src)) {
            changed = b.macs.learn(src, inDp, nowMs);
        }
        if (isMulticast(dst)) {
            if (trace != null) {
                line(trace, "     -> " + (dst == 0xffff_ffff_ffffL ? "broadcast" : "multicast") + ", flooding");
            }
            flood(b, inDp, out);
            return changed;
        }
        int port = b.macs.lookup(dst);
        PortView p = port < 0 ? null : b.byDpPort(port);
        if (p == null) {
            if (trace != null) {
                line(trace, "     -> no learned MAC for " + PortOptions.formatMac(dst) + ", flooding");
            }
            flood(b, inDp, out);
        } else if (port == inDp) {
            line(trace, "     -> learned port is input port, dropping");
        } else {
            if (trace != null) {
                line(trace, "     -> forwarding to learned port " + p.ofport());
            }
            out.add(port);
        }
        return changed;
    }

    private static void flood(BridgeState b, int inDp, Set<Integer> out) {
        List<PortView> ports = b.ports;
        for (int i = 0; i < ports.size(); i++) {
            int dp = ports.get(i).dpPort();
            if (dp != inDp) {
                out.add(dp);
            }
        }
    }

    /** The group bit: the least significant bit of the first octet. */
    static boolean isMulticast(long mac) {
        return (mac & (1L << 40)) != 0;
    }

    private static void line(StringBuilder trace, String s) {
        if (trace != null) {
            trace.append(s).append('\n');
        }
    }
}
