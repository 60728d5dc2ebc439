package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;

/**
 * 100 000 rules in one subtable, published one commit per rule: with copy-on-write of whole tables
 * this would copy ~5e9 entries; the persistent tries keep it to O(n log n). The timeout is generous
 * for a loaded 2-core machine and still far below what a quadratic publish would need.
 */
class TableScaleTest {
    private static final int N = 100_000;

    private static Rule rule(int i) {
        Match m = Match.builder().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_DST, 0x0a000000L + i).build();
        return Rule.builder().priority(100).match(m).actions(List.of(new OfAction.Output(1 + i % 100))).build();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void publishing100kRulesOneAtATimeIsNotQuadratic() {
        OfTablesHolder holder = new OfTablesHolder();
        for (int i = 0; i < N; i++) {
            holder.addFlow(rule(i));
        }
        OfTables t = holder.current();
        assertThat(t.ruleCount()).isEqualTo(N);
        assertThat(t.version()).isEqualTo(N);
        assertThat(holder.revalSeq()).isEqualTo(N);
        FlowKey k = new FlowKey().set(FlowField.ETH_TYPE, 0x0800);
        for (int i = 0; i < N; i += 997) {
            k.set(FlowField.NW_DST, 0x0a000000L + i);
            assertThat(t.lookup(0, k, new FlowMask()).actions()).containsExactly(new OfAction.Output(1 + i % 100));
        }
        OfTables.Transaction tx = holder.begin();
        for (int i = 0; i < N; i += 2) {
            tx.delete(new FlowFilter(0, rule(i).match(), 100, 0, 0), true);
        }
        assertThat(tx.commit().ruleCount()).isEqualTo(N / 2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneTransactionOf100kRules() {
        OfTables.Transaction tx = OfTables.empty().edit();
        for (int i = 0; i < N; i++) {
            tx.add(rule(i));
        }
        OfTables t = tx.build();
        assertThat(t.ruleCount()).isEqualTo(N);
        assertThat(t.version()).isEqualTo(1);
        assertThat(t.subtableCount(0)).isEqualTo(1);
    }
}
