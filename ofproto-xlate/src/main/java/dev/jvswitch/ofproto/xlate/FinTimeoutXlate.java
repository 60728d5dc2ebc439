package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.table.Rule;

/**
 * {@code fin_timeout} (OVS's {@code xlate_fin_timeout}): the megaflow matches {@code nw_proto}
 * exactly (the action's effect depends on the packet being TCP; OVS unwildcards it, and not
 * {@code tcp_flags}: a FIN that hits the megaflow is seen in its pushed statistics instead).
 * Inside a rule (not a packet-out, not the pass after a recirculation) it records a
 * {@link FinTimeoutEntry} for the ukey, and, when translation may have side effects (an upcall,
 * not a trace or a revalidation) and the packet is TCP with FIN or RST, lowers the rule's
 * timeouts at once.
 *
 * <p>One per {@link XlateContext}: the entries of a translation are kept in two lists cleared,
 * not made anew, per translation, so an upcall makes no garbage for them unless the flow is
 * installed.
 */
final class FinTimeoutXlate {
    private final ArrayList<Rule> rules = new ArrayList<>(2);
    private final ArrayList<OfAction.FinTimeout> actions = new ArrayList<>(2);

    void clear() {
        rules.clear();
        actions.clear();
    }

    void run(XlateContext c, OfAction.FinTimeout a) {
        c.wc.exact(FlowField.NW_PROTO);
        Rule rule = c.rule;
        if (rule == null) {
            return;
        }
        if (c.mayLearn) {
            FlowKey f = c.flow;
            boolean tcp = (f.isIpv4() || f.isIpv6()) && f.nwProto() == FlowKey.IPPROTO_TCP;
            if (tcp && ((int) f.get(FlowField.TCP_FLAGS) & FinTimeoutEntry.FIN_OR_RST) != 0) {
                rule.reduceTimeouts(a.idleTimeout(), a.hardTimeout());
            }
        }
        rules.add(rule);
        actions.add(a);
    }

    /** A copy of the entries of the last translation (the shared empty list if none). */
    List<FinTimeoutEntry> entries() {
        int n = rules.size();
        if (n == 0) {
            return List.of();
        }
        FinTimeoutEntry[] out = new FinTimeoutEntry[n];
        for (int i = 0; i < n; i++) {
            OfAction.FinTimeout a = actions.get(i);
            out[i] = new FinTimeoutEntry(rules.get(i), a.idleTimeout(), a.hardTimeout());
        }
        return List.of(out);
    }
}
