package dev.jvswitch.ofproto.table;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;

/**
 * The rules of one version looked up by slot (table, match, priority), one probe each: what a
 * replace asks of the old tables for every add. Each table's subtables are indexed by mask once,
 * on first use.
 *
 * <p><b>Thread-safety:</b> not thread-safe; one transaction uses it while it replaces.
 */
final class RuleSlots {
    private final OfTables tables;
    @SuppressWarnings("unchecked")
    private final Map<Match.Shape, Subtable>[] index = new Map[Rule.TABLE_COUNT];
    private final long[] seqOut = new long[1];
    /** The age of the rule the last {@link #get} found, or -1. */
    long seq;

    RuleSlots(OfTables tables) {
        this.tables = tables;
    }

    /** The rule in slot (t, m, priority), or null; its age is then in {@link #seq}. */
    Rule get(int t, Match m, int priority) {
        FlowTable table = tables.tables[t];
        if (table.ruleCount == 0) {
            return null;
        }
        if (index[t] == null) {
            index[t] = table.byShape();
        }
        Subtable st = index[t].get(m.shape());
        Rule r = st == null ? null : st.get(m, priority, seqOut);
        seq = r == null ? -1 : seqOut[0];
        return r;
    }

    /**
     * True if {@code adds} (as many as this version has rules) name every rule of it, each once
     * and each with its own definition: a replace that changes nothing. Marks the ages it met in
     * {@code named} and clears them again when it says no.
     */
    boolean nameAll(List<FlowMod> adds, BitSet named) {
        for (FlowMod fm : adds) {
            Rule was = get(fm.tableId(), fm.match(), fm.priority());
            if (was == null || !was.sameDefinition(fm) || named.get((int) seq)) {
                named.clear();
                return false;
            }
            named.set((int) seq);
        }
        return true;
    }
}
