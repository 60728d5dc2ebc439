package dev.jvswitch.ofproto.table;

import static dev.jvswitch.ofproto.table.Subtable.COUNTED;
import static dev.jvswitch.ofproto.table.Subtable.portsOf;
import static dev.jvswitch.ofproto.table.Subtable.priorityHash;
import static dev.jvswitch.ofproto.table.Subtable.ruleIn;
import static dev.jvswitch.ofproto.table.Subtable.slots;

import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.table.Subtable.Entry;
import dev.jvswitch.ofproto.table.Subtable.RuleVisitor;

/**
 * Changes to one subtable, in chunks the builder owns: {@link #add}, {@link #remove},
 * {@link #replace}, then {@link #freeze()}. Each method sees the changes made before it.
 *
 * <p><b>Thread-safety:</b> confined to one thread; unusable after {@link #freeze()}.
 */
final class SubtableBuilder {
    private final Subtable base;
    private final ChunkTable.Editor entries;
    private final ChunkTable.Editor[] stages;
    private final ChunkTable.Editor priorities;
    private final long[] stage;
    private int ruleCount;
    private int maxPriority;
    /** The top priority lost its last rule: {@link #freeze()} finds the next. */
    private boolean maxStale;
    /** Leading port bits the mask covers (0: no ports trie). */
    private final int portsLen;
    /** The ports trie being changed, or null while untouched. */
    private PrefixTrie.Edit ports;
    /** Values a bulk build said were coming ({@link #presize}); 0 once the stages were sized, or for no bulk build. */
    private int expectedValues;
    /** New values put since {@link #presize}. */
    private int newValues;
    /** Values a bulk build puts before it sizes the stages' tables. */
    static final int STAGE_SAMPLE = 4096;

    SubtableBuilder(Subtable base) {
        this.base = base;
        this.entries = base.entries.edit();
        this.stages = new ChunkTable.Editor[base.stageHashes.length];
        for (int s = 0; s < stages.length; s++) {
            stages[s] = base.stageHashes[s].edit();
        }
        this.priorities = base.priorities.edit();
        this.stage = new long[stages.length];
        this.ruleCount = base.ruleCount;
        this.maxPriority = base.maxPriority;
        this.portsLen = base.portsMaskLen();
    }

    /** A masked value entered the subtable: its ports enter the ports trie. */
    private void valueAdded(Match m) {
        if (portsLen > 0) {
            if (ports == null) {
                ports = new PrefixTrie.Edit(base.portsTrie);
            }
            ports.add(portsOf(m), 0, portsLen);
        }
    }

    /** A masked value left the subtable. */
    private void valueRemoved(Match m) {
        if (portsLen > 0) {
            if (ports == null) {
                ports = new PrefixTrie.Edit(base.portsTrie);
            }
            ports.remove(portsOf(m), 0, portsLen);
        }
    }

    Match.Shape shape() {
        return base.shape;
    }

    /** Before a bulk build into this empty subtable: room for about {@code values} masked values. */
    void presize(int values) {
        entries.presize(values);
        expectedValues = values;
    }

    /**
     * A bulk build's values seen so far: after {@value #STAGE_SAMPLE} of them each stage's table
     * is made for the share of distinct partial hashes the sample had, so that a stage as
     * selective as the full mask (a /32 source in the 5-tuple rules) does not split its chunks
     * thousands of times on the way to a million.
     */
    private void valueCounted() {
        if (expectedValues > 0 && ++newValues == STAGE_SAMPLE) {
            for (ChunkTable.Editor s : stages) {
                long estimate = (long) expectedValues * s.size() / newValues;
                s.reserve((int) Math.min(expectedValues, estimate + estimate / 4));
            }
            expectedValues = 0;
        }
    }

    int ruleCount() {
        return ruleCount;
    }

    /** The rule with match {@code m} (of this mask) and {@code priority}, or null. */
    Rule get(Match m, int priority) {
        long h = base.hashes(m, null);
        ChunkTable.Chunk c = entries.chunk(h);
        int i = base.indexIn(c, h, m);
        return i < 0 ? null : ruleIn(c.items[i], priority);
    }

    /**
     * Puts {@code r} in its slot: replacing the rule there (which keeps its age; returned), or
     * added with age {@code seq} (null returned). One probe when the value is new.
     */
    Rule put(Rule r, long seq) {
        Match m = r.match();
        long h = base.hashes(m, stage);
        int i = base.indexIn(entries.chunk(h), h, m);
        if (i < 0) {
            entries.insert(h, r, seq);
            for (int s = 0; s < stages.length; s++) {
                count(stages[s], stage[s], 1);
            }
            valueAdded(m);
            valueCounted();
            added(r);
            return null;
        }
        ChunkTable.Chunk c = entries.writable(h); // a copy keeps slot positions
        Object item = c.items[i];
        Rule old = ruleIn(item, r.priority());
        if (old != null) {
            if (item instanceof Entry e) {
                entries.set(c, i, e.with(e.indexOf(r.priority()), r), 0);
            } else {
                entries.set(c, i, r, c.aux[i]);
            }
            return old;
        }
        Entry e = item instanceof Entry x ? x : new Entry(new Rule[] {(Rule) item}, new long[] {c.aux[i]});
        entries.set(c, i, e.plus(r, seq), 0);
        added(r);
        return null;
    }

    private void added(Rule r) {
        countPriority(r.priority(), 1);
        ruleCount++;
        if (r.priority() > maxPriority) {
            maxPriority = r.priority();
        }
    }

    /** Adds {@code r} (of this mask; its slot must be free) with age {@code seq}. */
    void add(Rule r, long seq) {
        Match m = r.match();
        long h = base.hashes(m, stage);
        int i = base.indexIn(entries.chunk(h), h, m);
        if (i >= 0) {
            ChunkTable.Chunk c = entries.writable(h); // a copy keeps slot positions
            Object item = c.items[i];
            Entry e = item instanceof Entry x ? x : new Entry(new Rule[] {(Rule) item}, new long[] {c.aux[i]});
            entries.set(c, i, e.plus(r, seq), 0);
        } else {
            entries.insert(h, r, seq);
            for (int s = 0; s < stages.length; s++) {
                count(stages[s], stage[s], 1);
            }
            valueAdded(m);
            valueCounted();
        }
        countPriority(r.priority(), 1);
        ruleCount++;
        if (r.priority() > maxPriority) {
            maxPriority = r.priority();
        }
    }

    /** Removes the rule with match {@code m} and {@code priority}, which must be here; returns it. */
    Rule remove(Match m, int priority) {
        long h = base.hashes(m, stage);
        ChunkTable.Chunk c = entries.writable(h);
        int i = base.indexIn(c, h, m);
        Rule gone = i < 0 ? null : ruleIn(c.items[i], priority);
        if (gone == null) {
            throw new IllegalStateException("no rule with priority " + priority + " and " + m);
        }
        if (c.items[i] instanceof Entry e) {
            Entry rest = e.minus(e.indexOf(priority));
            if (rest.rules.length == 1) {
                entries.set(c, i, rest.rules[0], rest.seqs[0]);
            } else {
                entries.set(c, i, rest, 0);
            }
        } else {
            entries.removeAt(c, i);
            for (int s = 0; s < stages.length; s++) {
                count(stages[s], stage[s], -1);
            }
            valueRemoved(m);
        }
        if (countPriority(priority, -1) == 0 && priority == maxPriority) {
            maxStale = true;
        }
        ruleCount--;
        return gone;
    }

    /** Puts {@code r} in the slot of the rule with its match and priority, keeping that rule's age. */
    void replace(Rule r) {
        Match m = r.match();
        long h = base.hashes(m, null);
        ChunkTable.Chunk c = entries.writable(h);
        int i = base.indexIn(c, h, m);
        if (i < 0 || ruleIn(c.items[i], r.priority()) == null) {
            throw new IllegalStateException("no rule to replace for " + r);
        }
        if (c.items[i] instanceof Entry e) {
            entries.set(c, i, e.with(e.indexOf(r.priority()), r), 0);
        } else {
            entries.set(c, i, r, c.aux[i]);
        }
    }

    /** Adds {@code delta} to the count of hash {@code h} (a slot of its own while not 0). */
    private static void count(ChunkTable.Editor t, long h, int delta) {
        ChunkTable.Chunk c = t.chunk(h);
        for (int i = c.home(h); c.items[i] != null; i = c.next(i)) {
            if (c.hashes[i] == h) {
                c = t.writable(h); // a copy keeps slot positions
                long n = c.aux[i] + delta;
                if (n == 0) {
                    t.removeAt(c, i);
                } else {
                    t.set(c, i, COUNTED, n);
                }
                return;
            }
        }
        t.insert(h, COUNTED, delta);
    }

    /** Adds {@code delta} to the rules counted at {@code priority}; returns the new count. */
    private int countPriority(int priority, int delta) {
        long h = priorityHash(priority);
        ChunkTable.Chunk c = priorities.chunk(h);
        for (int i = c.home(h); c.items[i] != null; i = c.next(i)) {
            if (c.hashes[i] == h && (int) (c.aux[i] >>> 32) == priority) {
                c = priorities.writable(h); // a copy keeps slot positions
                int n = (int) c.aux[i] + delta;
                if (n == 0) {
                    priorities.removeAt(c, i);
                } else {
                    priorities.set(c, i, COUNTED, (long) priority << 32 | n);
                }
                return n;
            }
        }
        priorities.insert(h, COUNTED, (long) priority << 32 | delta);
        return delta;
    }

    /** Calls {@code v} for every rule now here with its age; {@code v} must not change the subtable. */
    void forEachRuleWithSeq(RuleVisitor v) {
        entries.forEach(slots(v));
    }

    /** The subtable as it is now. */
    Subtable freeze() {
        ChunkTable[] sets = new ChunkTable[stages.length];
        for (int s = 0; s < stages.length; s++) {
            sets[s] = stages[s].freeze();
        }
        ChunkTable pr = priorities.freeze();
        int max = maxPriority;
        if (ruleCount == 0) {
            max = -1;
        } else if (maxStale) {
            int[] top = {-1};
            pr.forEach((h, item, aux) -> top[0] = Math.max(top[0], (int) (aux >>> 32)));
            max = top[0];
        }
        PrefixTrie pt = ports == null ? base.portsTrie : ports.freeze();
        return new Subtable(base.shape, base.mask, base.words, base.stageWordEnd, base.stageIds, pt, sets,
                entries.freeze(), pr, max, ruleCount);
    }
}
