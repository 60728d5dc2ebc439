package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * A replace big enough to take the parallel path ({@link BulkWorkers}, the trie thread) makes
 * exactly what adding its rules one after the other makes: the same rules in the same lookup
 * order, the same answers and the same megaflow wildcards (so the prefix tries agree), and it
 * reports the first failing add in list order.
 */
class TableReplaceTest {
    private static final int N = 3 * BulkWorkers.MIN_PARALLEL;
    private static final long NOW = 1_000_000L;

    /** Rule i of a reload: three masks over two tables, prefixes on both tracked fields, some slots given twice. */
    private static String line(int i, int plane) {
        int a = i + plane * 65536;
        String src = "10." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
        switch (i % 4) {
            case 0:
                return "table=0,priority=" + (100 + i % 7) + ",tcp,nw_src=" + src + ",nw_dst=172.16." + (i % 200)
                        + ".0/24,tp_dst=" + (1 + i % 900) + ",actions=output:" + (1 + i % 3);
            case 1:
                return "table=0,priority=50,ip,nw_dst=" + src + "/" + (16 + i % 17) + ",actions=output:2";
            case 2:
                // The slot of rule i - 2 again (a later add of one slot wins), other actions.
                return i >= 2 && (i / 4) % 5 == 0 ? line(i - 2, plane).replace("output:", "resubmit(,1),output:")
                        : "table=1,priority=" + (10 + i % 3) + ",udp,nw_src=" + src + "/28,actions=drop";
            default:
                return "table=1,priority=5,ip,nw_dst=" + src + ",actions=goto_table:2";
        }
    }

    private static List<FlowMod> adds(int plane, int n) {
        List<FlowMod> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(FlowSyntax.parseAdd(line(i, plane)));
        }
        return out;
    }

    /** The tables adding {@code adds} one by one to empty tables makes. */
    private static OfTables oneByOne(List<FlowMod> adds) {
        OfTables.Transaction tx = OfTables.empty().edit();
        for (FlowMod fm : adds) {
            tx.add(Rule.of(fm, NOW));
        }
        return tx.build();
    }

    @Test
    void aBigReplaceMakesWhatAddingOneByOneMakes() {
        List<FlowMod> adds = adds(0, N);
        OfTables.Transaction tx = OfTables.empty().edit();
        OfTables.Transaction.Replacement r = tx.replace(adds, NOW);
        OfTables replaced = tx.build();
        OfTables reference = oneByOne(adds);
        assertThat(r.added()).isEqualTo(reference.ruleCount());
        assertThat(replaced.ruleCount()).isEqualTo(reference.ruleCount()).isLessThan(N);
        for (int t = 0; t < 3; t++) {
            assertThat(replaced.rules(t)).containsExactlyElementsOf(reference.rules(t));
        }
        sameLookups(replaced, reference);
    }

    @Test
    void aBigReplaceOfABigTableKeepsWhatStaysAndAgreesWithAFreshBuild() {
        OfTables.Transaction first = OfTables.empty().edit();
        first.replace(adds(0, N), NOW);
        OfTables base = first.build();
        List<FlowMod> next = new ArrayList<>(adds(0, N / 2));
        next.addAll(adds(1, N / 2));
        OfTables.Transaction tx = base.edit();
        OfTables.Transaction.Replacement r = tx.replace(next, NOW + 1);
        OfTables replaced = tx.build();
        OfTables reference = oneByOne(next);
        assertThat(r.kept()).isPositive();
        assertThat(r.removed()).isNotEmpty();
        assertThat(replaced.ruleCount()).isEqualTo(reference.ruleCount());
        for (int t = 0; t < 3; t++) {
            assertThat(replaced.rules(t)).containsExactlyInAnyOrderElementsOf(reference.rules(t));
        }
        sameLookups(replaced, reference);

        OfTables.Transaction same = replaced.edit();
        assertThat(same.replace(next, NOW + 2).kept()).isEqualTo(replaced.ruleCount());
        assertThat(same.changed()).isFalse();
    }

    @Test
    void theFirstFailingAddInListOrderIsReported() {
        List<FlowMod> adds = new ArrayList<>(adds(0, N));
        adds.set(N - 10, FlowSyntax.parseAdd("priority=1,ip,actions=group:8"));
        adds.set(N / 2 + 3, FlowSyntax.parseAdd("priority=2,ip,actions=group:7"));
        assertThatThrownBy(() -> OfTables.empty().edit().replace(adds, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("group 7 does not exist");
    }

    /** Both give the same rule and the same wildcards for keys near the rules' values. */
    private static void sameLookups(OfTables a, OfTables b) {
        Random rnd = new Random(5);
        FlowKey k = new FlowKey();
        for (int n = 0; n < 20_000; n++) {
            int i = rnd.nextInt(N);
            int addr = 0x0a000000 + (i + rnd.nextInt(2) * 65536) + (rnd.nextInt(4) == 0 ? rnd.nextInt(64) : 0);
            k.clear();
            k.set(FlowField.ETH_TYPE, 0x0800);
            k.set(FlowField.NW_PROTO, rnd.nextBoolean() ? 6 : 17);
            k.set(FlowField.NW_SRC, addr & 0xffffffffL);
            k.set(FlowField.NW_DST, rnd.nextBoolean() ? addr & 0xffffffffL : 0xac100000L + ((i % 200) << 8));
            k.set(FlowField.TP_DST, 1 + rnd.nextInt(1000));
            int t = rnd.nextInt(2);
            FlowMask wa = new FlowMask();
            FlowMask wb = new FlowMask();
            Rule ra = a.lookup(t, k, wa);
            Rule rb = b.lookup(t, k, wb);
            assertThat(ra).as("rule for %s in table %d", k, t).isEqualTo(rb);
            assertThat(wa.words()).as("wildcards for %s in table %d", k, t).isEqualTo(wb.words());
        }
    }
}
