package dev.jvswitch.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.config.FlowLine;

/**
 * The config's flow and group lines as the model the ofproto service takes: the edge where
 * config text is parsed. The lines were checked when the config was loaded
 * ({@link OfprotoFlowChecker}), which kept the adds it parsed: those are taken as they are, and
 * only a line it did not check is parsed here. A failure here still names the file and line.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class ConfigFlows {
    private ConfigFlows() {
    }

    /** Each flow line as an add. */
    public static List<FlowMod> flows(List<FlowLine> lines) throws OfprotoException {
        return flows(lines, null);
    }

    /** Each flow line as an add: the one {@code checked} kept for it, else parsed now. */
    public static List<FlowMod> flows(List<FlowLine> lines, OfprotoFlowChecker checked) throws OfprotoException {
        List<FlowMod> out = new ArrayList<>(lines.size());
        for (FlowLine l : lines) {
            FlowMod fm = checked == null ? null : checked.parsedFlow(l.text());
            if (fm == null) {
                try {
                    fm = FlowSyntax.parseAdd(l.text());
                } catch (IllegalArgumentException e) {
                    throw new OfprotoException(l.error(e.getMessage()));
                }
            }
            out.add(fm);
        }
        return out;
    }

    /** Each group line as an add. */
    public static List<GroupMod> groups(List<FlowLine> lines) throws OfprotoException {
        List<GroupMod> out = new ArrayList<>(lines.size());
        for (FlowLine l : lines) {
            try {
                out.add(GroupSyntax.parseAdd(l.text()));
            } catch (IllegalArgumentException e) {
                throw new OfprotoException(l.error(e.getMessage()));
            }
        }
        return out;
    }
}
