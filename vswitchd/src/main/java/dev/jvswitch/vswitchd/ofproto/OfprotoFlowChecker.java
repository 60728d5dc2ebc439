package dev.jvswitch.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.syntax.MeterSyntax;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.tnl.TlvMap;

/**
 * What config validation asks of the flow and group lines, answered by ofproto: the text parses
 * (ovs-ofctl syntax, the message names the column) and ofproto can apply the result (the message
 * names the instruction it cannot do yet), and a table's prefix fields are ones it tracks.
 * Checked before anything starts, so the config error names the file and line.
 *
 * <p><b>Parsed once.</b> In the daemon's checker ({@link OfprotoService#flowChecker()}) the add a
 * flow line parses to is kept until {@link #forget()}: {@link ConfigFlows} takes it from here
 * when the config is applied, so a million-line {@code @file} is parsed once per load, not once to
 * check and again to apply. The loader announces each list of flow lines before it checks it
 * ({@link #expectFlows}), and checks line i of it with {@link #checkFlow(String, int)}: the add is
 * kept in slot i of that list's store, beside the very string the loaded config holds, and found
 * again by position and identity ({@link #parsedFlow(int, String)}): no hashing of a million
 * texts, no map to grow. (A line the loader did not check because the running config has it
 * already has nothing kept; it is parsed when applied, if its bridge's flows changed at all.) The
 * loader forgets at the start of a load and when it fails; the daemon forgets once it applied the
 * config.
 *
 * <p><b>Thread-safety:</b> one load at a time (the main thread at start, the change thread for a
 * reload; the daemon's start sequence and its change queue order them). {@link #expectFlows},
 * {@link #forget()} and the lookups' setup run on the loading thread; {@link #checkFlow} and
 * {@link #checkGroup} run on the loader's workers too, at once, each writing only the slots of
 * its own lines in the store {@link #expectFlows} opened before the workers started (a volatile
 * field, set before they start). The loader joins its workers before the store is read
 * ({@link ConfigFlows}, whose own workers start after that and only read it).
 */
public final class OfprotoFlowChecker implements FlowChecker {
    private final boolean keep;
    /** The stores of the current generation, one per list announced. Loading thread only. */
    private final List<Kept> lists = new ArrayList<>();
    /** The store of the list being checked, or null. */
    private volatile Kept current;
    /**
     * The tlv-map of the bridge whose flows are checked ({@link #expectTlvMap}): set on the
     * loading thread before the workers start, read by them.
     */
    private volatile TlvMap tlvMap = TlvMap.EMPTY;
    /**
     * The ids of the meters of the bridge whose flows are checked, or null when its config has no
     * {@code meters} key ({@link #expectMeters}): set on the loading thread before the workers
     * start, read by them.
     */
    private volatile java.util.Set<Long> meterIds;
    /** The adds by text, made for {@link #parsedFlow(String)} on first use. */
    private Map<String, FlowMod> byText;

    /** Per line of one list: its text (the config's string) and the add it parsed to. */
    private record Kept(String[] texts, FlowMod[] mods) {
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
        return checkFlow(flow, -1);
    }

    @Override
    public void expectFlows(int lines) {
        if (keep) {
            Kept k = new Kept(new String[lines], new FlowMod[lines]);
            lists.add(k);
            byText = null;
            current = k;
        }
    }

    @Override
    public void expectTlvMap(List<String> mappings) {
        TlvMap map = TlvMap.EMPTY;
        try {
            map = mappings.isEmpty() ? TlvMap.EMPTY : TlvMap.EMPTY.add(TlvMap.parseAll(mappings));
        } catch (IllegalArgumentException e) {
            // checkTlvMap reports it; the flows are read as if there were no map
        }
        tlvMap = map;
    }

    @Override
    public void expectMeters(java.util.Set<Long> ids) {
        meterIds = ids;
    }

    @Override
    public String checkFlow(String flow, int index) {
        try {
            FlowMod fm = FlowSyntax.parseAdd(flow, tlvMap);
            Ofproto.validate(fm);
            java.util.Set<Long> meters = meterIds;
            if (meters != null) {
                for (dev.jvswitch.ofproto.action.OfAction a : Rule.actionsOf(fm.instructions())) {
                    if (a instanceof dev.jvswitch.ofproto.action.OfAction.Meter m && !meters.contains(m.meterId())) {
                        return "meter " + m.meterId() + " is not among the bridge's meters";
                    }
                }
            }
            Kept k = current;
            if (keep && k != null && index >= 0 && index < k.texts.length) {
                k.mods[index] = fm;
                k.texts[index] = flow;
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
    public String checkMeter(String meter) {
        try {
            MeterSyntax.parseAdd(meter).meter().check();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public long meterId(String meter) {
        try {
            return MeterSyntax.parseAdd(meter).meterId();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    @Override
    public String checkVlans() {
        return null;
    }

    @Override
    public String checkTlvMap(List<String> mappings) {
        try {
            TlvMap.EMPTY.add(TlvMap.parseAll(mappings));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
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
            current = null;
            lists.clear();
            byText = null;
        }
    }

    /**
     * The add {@link #checkFlow} kept for line {@code index} of a list announced since the last
     * {@link #forget()}, if its text is {@code text} (that very string), or null. Reads only: any
     * thread may call it once the load that checked the lines returned.
     */
    FlowMod parsedFlow(int index, String text) {
        for (int k = 0; k < lists.size(); k++) {
            Kept kept = lists.get(k);
            if (index < kept.texts.length && kept.texts[index] == text) {
                return kept.mods[index];
            }
        }
        return null;
    }

    /** The add {@link #checkFlow} kept for {@code text} (that very string) since the last {@link #forget()}, or null. */
    FlowMod parsedFlow(String text) {
        if (!keep) {
            return null;
        }
        if (byText == null) {
            byText = new IdentityHashMap<>();
            for (Kept kept : lists) {
                for (int i = 0; i < kept.texts.length; i++) {
                    if (kept.texts[i] != null) {
                        byText.put(kept.texts[i], kept.mods[i]);
                    }
                }
            }
        }
        return byText.get(text);
    }
}
