package dev.jvswitch.vswitchd.ofproto;

import java.util.List;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.config.FlowChecker;

/**
 * What config validation asks of the flow and group lines, answered by ofproto: the text parses
 * (ovs-ofctl syntax, the message names the column) and ofproto can apply the result (the message
 * names the instruction it cannot do yet), and a table's prefix fields are ones it tracks. Checked before anything starts, so the config error
 * names the file and line.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class OfprotoFlowChecker implements FlowChecker {
    @Override
    public String checkFlow(String flow) {
        try {
            Ofproto.validate(FlowSyntax.parseAdd(flow));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String checkGroup(String group) {
        try {
            GroupSyntax.parseAdd(group);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String checkVlans() {
        return null;
    }

    @Override
    public String checkPrefixes(List<String> fields) {
        try {
            PrefixFields.parse(fields);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
