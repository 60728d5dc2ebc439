package dev.jvswitch.ofproto.xlate;

import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.table.Rule;

/**
 * {@code fin_timeout} (OVS's {@code xlate_fin_timeout}): the megaflow matches {@code nw_proto}
 * exactly (the action's effect depends on the packet being TCP; OVS unwildcards it, and not
 * {@code tcp_flags}: a FIN that hits the megaflow is seen in its pushed statistics instead).
 * Inside a rule (not a packet-out, not the pass after a recirculation) it records an entry for
 * the ukey ({@link FinTimeouts}), and, when translation may have side effects (an upcall, not a
 * trace or a revalidation) and the packet is TCP with FIN or RST, lowers the rule's timeouts at
 * once.
 *
 * <p>One per {@link XlateContext}: the entries of a translation are kept in an array reset, not
 * made anew, per translation, so an upcall makes no garbage for them unless the flow is installed.
 */
final class FinTimeoutXlate {
    private long[] entries = new long[2];
    private int count;

    void clear() {
        count = 0;
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
            if (tcp && ((int) f.get(FlowField.TCP_FLAGS) & FinTimeouts.FIN_OR_RST) != 0) {
                rule.reduceTimeouts(a.idleTimeout(), a.hardTimeout());
            }
        }
        if (count == entries.length) {
            entries = Arrays.copyOf(entries, 2 * count);
        }
        entries[count++] = FinTimeouts.pack(c.ruleIndex, a.idleTimeout(), a.hardTimeout());
    }

    /** A copy of the entries of the last translation ({@link FinTimeouts#NONE} if none). */
    long[] entries() {
        return count == 0 ? FinTimeouts.NONE : Arrays.copyOf(entries, count);
    }
}
