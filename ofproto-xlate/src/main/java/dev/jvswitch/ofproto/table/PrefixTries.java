package dev.jvswitch.ofproto.table;

import java.util.List;
import java.util.function.Consumer;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrefixFields;

/**
 * The prefix tries of one table (OVS's {@code cls->tries}): for each tracked field
 * ({@link PrefixFields}), a {@link PrefixTrie} of the prefixes the table's rules match on it,
 * one entry per rule whose mask on the field is a non-empty prefix. A lookup asks them, through
 * {@link TrieLookup}, whether a subtable can hold a rule for the packet's address at all before
 * it hashes that subtable's address stage.
 *
 * <p><b>Thread-safety:</b> immutable once frozen; an {@link Edit} is used by one thread.
 */
final class PrefixTries {
    static final PrefixTries DEFAULT = of(PrefixFields.DEFAULT);

    final PrefixFields config;
    final PrefixField[] fields;
    final PrefixTrie[] tries;

    private PrefixTries(PrefixFields config, PrefixField[] fields, PrefixTrie[] tries) {
        this.config = config;
        this.fields = fields;
        this.tries = tries;
    }

    /** Empty tries for {@code config}. */
    static PrefixTries of(PrefixFields config) {
        List<FlowField> fs = config.fields();
        PrefixField[] fields = new PrefixField[fs.size()];
        PrefixTrie[] tries = new PrefixTrie[fs.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = PrefixField.of(fs.get(i));
            tries[i] = PrefixTrie.EMPTY;
        }
        return new PrefixTries(config, fields, tries);
    }

    /** True when no trie holds a rule: lookups have nothing to ask. */
    boolean isEmpty() {
        for (PrefixTrie t : tries) {
            if (!t.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The prefix length of {@code mask} on each tracked field (0 where it has none or a mask that
     * is not a prefix), or null if it is 0 on every one: what a subtable of that mask is
     * checked against (OVS's {@code subtable->trie_plen}).
     */
    int[] plens(long[] mask) {
        int[] out = null;
        for (int i = 0; i < fields.length; i++) {
            int n = fields[i].prefixLen(mask);
            if (n > 0) {
                if (out == null) {
                    out = new int[fields.length];
                }
                out[i] = n;
            }
        }
        return out;
    }

    Edit edit() {
        return new Edit(this);
    }

    /** A change to a table's tries; not thread-safe. */
    static final class Edit {
        private final PrefixTries base;
        private final PrefixTrie.Edit[] edits;

        Edit(PrefixTries base) {
            this.base = base;
            this.edits = new PrefixTrie.Edit[base.fields.length];
        }

        private PrefixTrie.Edit trie(int i) {
            if (edits[i] == null) {
                edits[i] = new PrefixTrie.Edit(base.tries[i]);
            }
            return edits[i];
        }

        void add(Match m) {
            PrefixField[] fields = base.fields;
            for (int i = 0; i < fields.length; i++) {
                int n = fields[i].prefixLen(m);
                if (n > 0) {
                    trie(i).add(fields[i].valueHi(m), fields[i].valueLo(m), n);
                }
            }
        }

        void remove(Match m) {
            PrefixField[] fields = base.fields;
            for (int i = 0; i < fields.length; i++) {
                int n = fields[i].prefixLen(m);
                if (n > 0) {
                    trie(i).remove(fields[i].valueHi(m), fields[i].valueLo(m), n);
                }
            }
        }

        PrefixTries freeze() {
            PrefixTrie[] tries = base.tries.clone();
            boolean changed = false;
            for (int i = 0; i < tries.length; i++) {
                if (edits[i] != null) {
                    tries[i] = edits[i].freeze();
                    changed = true;
                }
            }
            return changed ? new PrefixTries(base.config, base.fields, tries) : base;
        }
    }

    /** Tries for {@code config} holding the rules {@code forEachRule} gives. */
    static PrefixTries build(PrefixFields config, Consumer<Consumer<Rule>> forEachRule) {
        Edit e = of(config).edit();
        forEachRule.accept(r -> e.add(r.match()));
        return e.freeze();
    }
}
