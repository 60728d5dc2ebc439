package dev.jvswitch.ofproto.table;

import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;

/**
 * A table lookup that honours conjunctive flows ({@code conjunction(id,k/n)}), with OVS's
 * semantics ({@code classifier_lookup__}):
 *
 * <ol>
 *   <li>Every subtable gives its best matching rule. A non-conjunctive one is a <i>hard</i> match
 *       (the best so far wins, as in a plain lookup); a conjunctive one is a <i>soft</i> match.
 *   <li>While some soft match has a priority above the hard match's: among the soft matches of the
 *       highest such priority, collect the clauses each conjunction id has. The first id whose
 *       {@code n} clauses are all there sets {@code conj_id} to the id for a second lookup that
 *       ignores conjunctive flows; the rule it finds, if any, is the answer.
 *   <li>Otherwise those soft matches drop back to the next lower-priority rule with the same
 *       match: a conjunctive one stays soft, any other may become the hard match.
 *   <li>The answer is the hard match.
 * </ol>
 *
 * <p>Every subtable visited ORs what it compared into the wildcards, as a plain lookup does; the
 * {@code conj_id} bits are pipeline bits, which never reach a megaflow.
 *
 * <p><b>Garbage.</b> None once the thread is warm: the soft matches and the clauses per id live in
 * a per-thread {@link Scratch} (the second lookup, which ignores conjunctive flows, never touches
 * them), grown when a lookup meets more soft matches or ids than any before it.
 *
 * <p><b>Thread-safety:</b> the scratch is per thread; the key is changed during the second lookup
 * and restored.
 */
final class ConjunctiveLookup {
    private static final int CONJ_WORD = FlowField.CONJ_ID.word();
    private static final long CONJ_MASK = FlowField.CONJ_ID.wordMask();
    private static final int CONJ_SHIFT = FlowField.CONJ_ID.shift();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ConjunctiveLookup() {
    }

    /** A thread's soft matches and clauses; reused by every lookup on the thread. */
    private static final class Scratch {
        Rule[] soft = new Rule[4];
        Subtable[] softSt = new Subtable[4];
        final Clauses clauses = new Clauses();
    }

    static Rule lookup(FlowTable t, long[] key, long[] wc, boolean allowConjunctive) {
        Rule hard = null;
        Subtable hardSt = null;
        int hardPri = -1;
        Scratch scratch = null;
        Rule[] soft = null;
        Subtable[] softSt = null;
        int nSoft = 0;
        int softPri = -1;
        TrieLookup tries = t.useTries ? TrieLookup.start() : null;
        for (int si = 0; si < t.subtables.length; si++) {
            Subtable st = t.subtables[si];
            if (st.maxPriority < hardPri) {
                break;
            }
            Rule r = st.find(key, wc, tries, t.prefixes, t.triePlens[si]);
            if (r == null) {
                continue;
            }
            int p = r.priority();
            if (p < hardPri) {
                continue;
            }
            if (!r.isConjunctive()) {
                if (p > hardPri || st.seqOf(r) < hardSt.seqOf(hard)) {
                    hard = r;
                    hardPri = p;
                    hardSt = st;
                }
            } else if (allowConjunctive) {
                if (scratch == null) {
                    scratch = SCRATCH.get();
                    soft = scratch.soft;
                    softSt = scratch.softSt;
                }
                if (nSoft == soft.length) {
                    soft = Arrays.copyOf(soft, nSoft * 2);
                    softSt = Arrays.copyOf(softSt, nSoft * 2);
                    scratch.soft = soft;
                    scratch.softSt = softSt;
                }
                soft[nSoft] = r;
                softSt[nSoft++] = st;
                softPri = Math.max(softPri, p);
            }
        }
        int filled = nSoft;
        if (softPri <= hardPri) {
            clear(soft, softSt, filled);
            return hard;
        }
        for (;;) {
            int n = 0;
            for (int i = 0; i < nSoft; i++) {
                if (soft[i] != null && soft[i].priority() > hardPri) {
                    soft[n] = soft[i];
                    softSt[n++] = softSt[i];
                }
            }
            nSoft = n;
            if (nSoft == 0) {
                break;
            }
            softPri = -1;
            int nSoftPri = 0;
            for (int i = 0; i < nSoft; i++) {
                int p = soft[i].priority();
                if (p > softPri) {
                    softPri = p;
                    nSoftPri = 1;
                } else if (p == softPri) {
                    nSoftPri++;
                }
            }
            Clauses clauses = scratch.clauses.reset();
            for (int i = 0; i < nSoft; i++) {
                if (soft[i].priority() != softPri) {
                    continue;
                }
                long id = clauses.addAndFindComplete(soft[i].conjunctions(), nSoftPri);
                if (id >= 0) {
                    long saved = key[CONJ_WORD];
                    key[CONJ_WORD] = (saved & ~CONJ_MASK) | (id << CONJ_SHIFT);
                    Rule rule = lookup(t, key, wc, false);
                    key[CONJ_WORD] = saved;
                    if (rule != null) {
                        clear(soft, softSt, filled);
                        return rule;
                    }
                }
            }
            // No conjunction completed at softPri: fall back to lower priorities of the same matches.
            for (int i = 0; i < nSoft; i++) {
                if (soft[i].priority() != softPri) {
                    continue;
                }
                Rule next = softSt[i].below(soft[i]);
                if (next != null && next.isConjunctive()) {
                    soft[i] = next;
                } else {
                    // Equal priorities go to the older rule, as in the plain lookup (OpenFlow
                    // leaves the tie undefined; OVS keeps the first found).
                    if (next != null && (next.priority() > hardPri || (next.priority() == hardPri
                            && softSt[i].seqOf(next) < hardSt.seqOf(hard)))) {
                        hard = next;
                        hardPri = next.priority();
                        hardSt = softSt[i];
                    }
                    soft[i] = null;
                }
            }
        }
        clear(soft, softSt, filled);
        return hard;
    }

    /** Drops the scratch's references to rules, so that a deleted rule is not kept alive by it. */
    private static void clear(Rule[] soft, Subtable[] softSt, int n) {
        for (int i = 0; i < n; i++) {
            soft[i] = null;
            softSt[i] = null;
        }
    }

    /** The clauses seen so far per conjunction id, at one priority (OVS's {@code conjunctive_match}). */
    private static final class Clauses {
        private long[] ids = new long[4];
        private long[] bits = new long[4];
        private int n;

        Clauses reset() {
            n = 0;
            return this;
        }

        /**
         * Adds the clauses of one soft match; returns the first id they complete, or -1. As in OVS,
         * a conjunction with more clauses than there are soft matches at this priority cannot
         * complete and is skipped.
         */
        long addAndFindComplete(OfAction.Conjunction[] conjunctions, int softMatches) {
            for (OfAction.Conjunction c : conjunctions) {
                if (c.nClauses() > softMatches) {
                    continue;
                }
                int i = indexOf(c.id());
                bits[i] |= 1L << (c.clause() - 1);
                long all = c.nClauses() == 64 ? -1L : (1L << c.nClauses()) - 1;
                if (bits[i] == all) {
                    return c.id();
                }
            }
            return -1;
        }

        private int indexOf(long id) {
            for (int i = 0; i < n; i++) {
                if (ids[i] == id) {
                    return i;
                }
            }
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
                bits = Arrays.copyOf(bits, n * 2);
            }
            ids[n] = id;
            bits[n] = 0;
            return n++;
        }
    }
}
