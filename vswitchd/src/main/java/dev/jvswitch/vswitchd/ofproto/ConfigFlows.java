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
 * ({@link OfprotoFlowChecker}); a failure here still names the file and line.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class ConfigFlows {
    private ConfigFlows() {
    }

    /** Each flow line as an add. */
    public static List<FlowMod> flows(List<FlowLine> lines) throws OfprotoException {
        List<FlowMod> out = new ArrayList<>(lines.size());
        for (FlowLine l : lines) {
            try {
                out.add(FlowSyntax.parseAdd(l.text()));
            } catch (IllegalArgumentException e) {
                throw new OfprotoException(l.error(e.getMessage()));
            }
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
