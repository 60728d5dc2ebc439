package dev.jvswitch.vswitchd.ofproto;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;

/**
 * What config validation asks of the flow and group lines, answered by ofproto: the text parses
 * (ovs-ofctl syntax, the message names the column) and ofproto can apply the result (the message
 * names the instruction it cannot do yet), and a table's prefix fields are ones it tracks.
 * Checked before anything starts, so the config error names the file and line.
 *
 * <p><b>Parsed once.</b> In the daemon's checker ({@link OfprotoService#flowChecker()}) the add a
 * flow line parses to is kept, by the identity of the line's
 * text (the very string the loaded config holds), until {@link #forget()}: {@link ConfigFlows}
 * takes it from here when the config is applied, so a million-line {@code @file} is parsed once
 * per load, not once to check and again to apply. The loader forgets at the start of a load and
 * when it fails; the daemon forgets once it applied the config.
 *
 * <p><b>Thread-safety:</b> confined to the thread that loads a config and applies it (the main
 * thread at start, the change thread for a reload), one load at a time; the daemon's start
 * sequence and its change queue order one load after the other.
 */
public final class OfprotoFlowChecker implements FlowChecker {
    /** Null: a checker that keeps nothing (config checks alone, tests). */
    private final Map<String, FlowMod> parsed;

    /** A checker that keeps nothing: for a config that is only checked. */
    public OfprotoFlowChecker() {
        this(false);
    }

    /** {@code keep}: keep each add parsed until {@link #forget()} (the daemon's, see {@link OfprotoService#flowChecker()}). */
    OfprotoFlowChecker(boolean keep) {
        this.parsed = keep ? new IdentityHashMap<>() : null;
    }

    @Override
    public String checkFlow(String flow) {
        try {
            FlowMod fm = FlowSyntax.parseAdd(flow);
            Ofproto.validate(fm);
            if (parsed != null) {
                parsed.put(flow, fm);
            }
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

    @Override
    public void forget() {
        if (parsed != null) {
            parsed.clear();
        }
    }

    /** The add {@link #checkFlow} made of {@code text} (that very string) since the last {@link #forget()}, or null. */
    FlowMod parsedFlow(String text) {
        return parsed == null ? null : parsed.get(text);
    }
}
