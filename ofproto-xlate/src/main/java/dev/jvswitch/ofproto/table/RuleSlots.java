package dev.jvswitch.ofproto.table;

import java.util.Map;

import dev.jvswitch.ofproto.match.Match;

/**
 * The rules of one version looked up by slot (table, match, priority), one probe each: what a
 * replace asks of the old tables for every add. Each table's subtables are indexed by mask once,
 * on first use.
 *
 * <p><b>Thread-safety:</b> not thread-safe: each thread of a replace has one of its own (the
 * version it reads is immutable).
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
}
