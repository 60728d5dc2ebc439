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
 * <p><b>Thread-safety:</b> stateless; the key is changed during the second lookup and restored.
 */
final class ConjunctiveLookup {
    private static final int CONJ_WORD = FlowField.CONJ_ID.word();
    private static final long CONJ_MASK = FlowField.CONJ_ID.wordMask();
    private static final int CONJ_SHIFT = FlowField.CONJ_ID.shift();

    private ConjunctiveLookup() {
    }

    static Rule lookup(FlowTable t, long[] key, long[] wc, boolean allowConjunctive) {
        Rule hard = null;
        Subtable hardSt = null;
        int hardPri = -1;
        Rule[] soft = new Rule[4];
        Subtable[] softSt = new Subtable[4];
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
                if (nSoft == soft.length) {
                    soft = Arrays.copyOf(soft, nSoft * 2);
                    softSt = Arrays.copyOf(softSt, nSoft * 2);
                }
                soft[nSoft] = r;
                softSt[nSoft++] = st;
                softPri = Math.max(softPri, p);
            }
        }
        if (softPri <= hardPri) {
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
            Clauses clauses = new Clauses();
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
        return hard;
    }

    /** The clauses seen so far per conjunction id, at one priority (OVS's {@code conjunctive_match}). */
    private static final class Clauses {
        private long[] ids = new long[4];
        private long[] bits = new long[4];
        private int n;

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
