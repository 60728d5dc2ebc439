package dev.jvswitch.vswitchd.ofproto;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

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
 * flow line parses to is kept, by the identity of the line's text (the very string the loaded
 * config holds), until {@link #forget()}: {@link ConfigFlows}
 * takes it from here when the config is applied, so a million-line {@code @file} is parsed once
 * per load, not once to check and again to apply. (A line the loader did not check because the
 * running config has it already has nothing kept; it is parsed when applied, if its bridge's
 * flows changed at all.) The loader forgets at the start of a load and when it fails; the daemon
 * forgets once it applied the config.
 *
 * <p><b>Thread-safety:</b> one load at a time (the main thread at start, the change thread for a
 * reload; the daemon's start sequence and its change queue order them), but {@link #checkFlow}
 * and {@link #checkGroup} run on the loader's workers too, at once. Each thread keeps its adds in
 * a map of its own (an identity map: no hashing of a million texts, no contention), registered in
 * a concurrent queue of the current generation; {@link #parsedFlow} reads every map of the
 * generation, on the loading thread once the loader joined its workers, which orders their
 * writes before its reads. {@link #forget()} starts a new generation: the maps of the old one are
 * dropped, and a thread that still holds one makes a new map at its next add.
 */
public final class OfprotoFlowChecker implements FlowChecker {
    private final boolean keep;
    /** The maps of the current generation, one per thread that kept an add in it. */
    private volatile Queue<Map<String, FlowMod>> parsed = new ConcurrentLinkedQueue<>();
    /** Each thread's map and the generation it belongs to. */
    private final ThreadLocal<Kept> kept = new ThreadLocal<>();

    private record Kept(Queue<Map<String, FlowMod>> generation, Map<String, FlowMod> map) {
    }

    /** A checker that keeps nothing: for a config that is only checked. */
    public OfprotoFlowChecker() {
        this(false);
    }

    /** {@code keep}: keep each add parsed until {@link #forget()} (the daemon's, see {@link OfprotoService#flowChecker()}). */
    OfprotoFlowChecker(boolean keep) {
        this.keep = keep;
    }

    @Override
    public String checkFlow(String flow) {
        try {
            FlowMod fm = FlowSyntax.parseAdd(flow);
            Ofproto.validate(fm);
            if (keep) {
                keptHere().put(flow, fm);
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
        if (keep) {
            Queue<Map<String, FlowMod>> old = parsed;
            parsed = new ConcurrentLinkedQueue<>();
            // The loading thread's map would live on in its thread-local until its next add.
            kept.remove();
            old.forEach(Map::clear);
        }
    }

    /** The calling thread's map of the current generation, made and registered on first need. */
    private Map<String, FlowMod> keptHere() {
        Queue<Map<String, FlowMod>> generation = parsed;
        Kept k = kept.get();
        if (k == null || k.generation() != generation) {
            k = new Kept(generation, new IdentityHashMap<>());
            generation.add(k.map());
            kept.set(k);
        }
        return k.map();
    }

    /** The add {@link #checkFlow} made of {@code text} (that very string) since the last {@link #forget()}, or null. */
    FlowMod parsedFlow(String text) {
        if (!keep) {
            return null;
        }
        for (Map<String, FlowMod> m : parsed) {
            FlowMod fm = m.get(text);
            if (fm != null) {
                return fm;
            }
        }
        return null;
    }
}
