package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;

/**
 * The tuple space classifier against a linear scan, and the megaflow property of the wildcards it
 * records. Rules and keys draw field values from small pools so that rules overlap, masks repeat
 * (several rules per subtable) and keys hit often; fields spread over every lookup stage.
 */
class ClassifierPropertyTest {
    /** A field and the values (and masks) rules and keys draw from. */
    private record Pool(FlowField field, long[] values, long[] masks) {
    }

    private static final Pool[] POOLS = {
        new Pool(FlowField.IN_PORT, new long[] {1, 2, 3}, new long[] {0xffffffffL}),
        new Pool(FlowField.TUN_ID, new long[] {0, 5, 6}, new long[] {-1L, 0xffL}),
        new Pool(FlowField.ETH_SRC, new long[] {0x0000_5e00_5301L, 0x0000_5e00_5302L}, new long[] {0xffff_ffff_ffffL}),
        new Pool(FlowField.ETH_TYPE, new long[] {0x0800, 0x86dd}, new long[] {0xffff}),
        new Pool(FlowField.VLAN_TCI, new long[] {0, 0x100a, 0x300b}, new long[] {0xffff, 0x1fff, 0x1000}),
        new Pool(FlowField.NW_SRC, new long[] {0x0a000001L, 0x0a000101L, 0x0a010001L, 0xc0a80001L},
                new long[] {0xff000000L, 0xffff0000L, 0xffffff00L, 0xffffffffL}),
        new Pool(FlowField.NW_DST, new long[] {0x0a000002L, 0x0a000202L, 0x14000002L},
                new long[] {0xffff0000L, 0xffffffffL}),
        new Pool(FlowField.NW_PROTO, new long[] {6, 17}, new long[] {0xff}),
        new Pool(FlowField.TP_DST, new long[] {22, 80, 443, 0x1f90}, new long[] {0xffff, 0xff00}),
        new Pool(FlowField.TCP_FLAGS, new long[] {0x2, 0x12}, new long[] {0x2, 0xfff}),
        new Pool(FlowField.ARP_SHA, new long[] {1, 2}, new long[] {0xffff_ffff_ffffL}),
    };

    private static final class Naive {
        final List<Rule> rules = new ArrayList<>();

        Rule lookup(FlowKey k) {
            Rule best = null;
            for (Rule r : rules) {
                if (r.match().matches(k) && (best == null || r.priority() > best.priority())) {
                    best = r;
                }
            }
            return best;
        }

        void add(Rule r) {
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).sameSlot(r)) {
                    rules.set(i, r); // a replacement keeps the old rule's age
                    return;
                }
            }
            rules.add(r);
        }
    }

    private static Match randomMatch(Random rnd) {
        Match.Builder b = Match.builder();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            Pool p = POOLS[rnd.nextInt(POOLS.length)];
            long m = p.masks[rnd.nextInt(p.masks.length)];
            b.set(p.field, p.values[rnd.nextInt(p.values.length)] & m, m);
        }
        if (rnd.nextInt(10) == 0) {
            b.set128(FlowField.IPV6_SRC, 0x20010db8L << 32, rnd.nextInt(2), -1L, rnd.nextBoolean() ? -1L : 0);
        }
        return b.buildUnchecked();
    }

    private static FlowKey randomKey(Random rnd) {
        FlowKey k = new FlowKey();
        for (Pool p : POOLS) {
            if (rnd.nextInt(8) == 0) {
                k.set(p.field, rnd.nextLong() & p.field.valueMask());
            } else {
                k.set(p.field, p.values[rnd.nextInt(p.values.length)]);
            }
        }
        k.set(FlowField.IPV6_SRC, 0x20010db8L << 32, rnd.nextInt(3));
        return k;
    }

    private static Rule rule(Random rnd, int id) {
        return Rule.builder().priority(rnd.nextInt(rnd.nextBoolean() ? 4 : 100)).match(randomMatch(rnd))
                .actions(List.of(new OfAction.Output(1 + id))).build();
    }

    @Property(tries = 300)
    void sameWinnerAsLinearScanAndMegaflowHolds(@ForAll long seed) {
        Random rnd = new Random(seed);
        Naive naive = new Naive();
        OfTablesHolder holder = new OfTablesHolder();
        int n = 1 + rnd.nextInt(60);
        for (int i = 0; i < n; i++) {
            Rule r = rule(rnd, i);
            naive.add(r);
            holder.addFlow(r);
            if (rnd.nextInt(6) == 0) {
                Rule gone = naive.rules.remove(rnd.nextInt(naive.rules.size()));
                assertThat(holder.deleteFlows(new FlowFilter(0, gone.match(), gone.priority(), 0, 0), true))
                        .containsExactly(gone);
            }
        }
        OfTables tables = holder.current();
        assertThat(tables.ruleCount(0)).isEqualTo(naive.rules.size());
        for (int i = 0; i < 200; i++) {
            FlowKey k = randomKey(rnd);
            FlowMask wc = new FlowMask();
            Rule got = tables.lookup(0, k, wc);
            assertThat(got).as("key %s", k).isSameAs(naive.lookup(k));
            long[] w = wc.words();
            for (int j = 0; j < 10; j++) {
                FlowKey other = randomKey(rnd);
                long[] o = other.words();
                long[] kw = k.words();
                for (int x = 0; x < FlowKey.WORDS; x++) {
                    o[x] = (kw[x] & w[x]) | (o[x] & ~w[x]);
                }
                FlowMask wc2 = new FlowMask();
                assertThat(tables.lookup(0, other, wc2)).as("key %s inside the megaflow of %s", other, k)
                        .isSameAs(got);
                assertThat(naive.lookup(other)).isSameAs(got);
            }
        }
    }

    @Property(tries = 100)
    void rulesAreListedInLookupOrder(@ForAll long seed) {
        Random rnd = new Random(seed);
        OfTables.Transaction tx = OfTables.empty().edit();
        Naive naive = new Naive();
        for (int i = 0; i < 40; i++) {
            Rule r = rule(rnd, i);
            tx.add(r);
            naive.add(r);
        }
        List<Rule> expected = new ArrayList<>(naive.rules);
        expected.sort((a, b) -> Integer.compare(b.priority(), a.priority())); // stable: age breaks ties
        assertThat(tx.build().rules(0)).containsExactlyElementsOf(expected);
    }
}
