package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

class OfTablesTest {
    private final OfTablesHolder holder = new OfTablesHolder();

    private static Rule flow(String text) {
        return Rule.of(FlowSyntax.parseAdd(text), 0);
    }

    private static FlowKey tcp(int dstPort) {
        return new FlowKey().set(FlowField.IN_PORT, 1).set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_PROTO, 6)
                .set(FlowField.NW_DST, 0x0a000005L).set(FlowField.TP_DST, dstPort);
    }

    private static FlowKey udp(int dstPort) {
        return tcp(dstPort).set(FlowField.NW_PROTO, 17);
    }

    private Rule lookup(FlowKey k) {
        return holder.current().lookup(0, k, new FlowMask());
    }

    @Test
    void higherPriorityWinsAndMissReturnsNull() {
        holder.addFlow(flow("priority=10,ip,actions=output:1"));
        holder.addFlow(flow("priority=20,tcp,tp_dst=80,actions=output:2"));
        assertThat(lookup(tcp(80)).actions()).containsExactly(new OfAction.Output(2));
        assertThat(lookup(tcp(81)).actions()).containsExactly(new OfAction.Output(1));
        assertThat(holder.current().lookup(0, new FlowKey(), new FlowMask())).isNull();
        assertThat(holder.current().miss(0)).isEqualTo(TableMiss.DROP);
    }

    @Test
    void stagedLookupLeavesUnusedL4FieldsOutOfTheMegaflow() {
        holder.addFlow(flow("priority=20,tcp,tp_dst=80,actions=output:2"));
        holder.addFlow(flow("priority=10,ip,actions=output:1"));
        FlowMask wc = new FlowMask();
        Rule r = holder.current().lookup(0, udp(80), wc);
        assertThat(r.priority()).isEqualTo(10);
        assertThat(wc.isExact(FlowField.NW_PROTO)).isTrue();
        assertThat(wc.isWildcard(FlowField.TP_DST)).as("a UDP packet never needed tp_dst").isTrue();
        FlowMask wcTcp = new FlowMask();
        holder.current().lookup(0, tcp(22), wcTcp);
        assertThat(wcTcp.get(FlowField.TP_DST)).as("the ports trie: 22 leaves 80 at bit 0x40")
                .isEqualTo(0xffc0);
        assertThat(wcTcp.isWildcard(FlowField.NW_DST)).isTrue();
        FlowMask wcHit = new FlowMask();
        holder.current().lookup(0, tcp(80), wcHit);
        assertThat(wcHit.isExact(FlowField.TP_DST)).isTrue();
    }

    @Test
    void lookupStopsBeforeSubtablesThatCannotWin() {
        holder.addFlow(flow("priority=100,in_port=1,actions=output:2"));
        holder.addFlow(flow("priority=5,tcp,tp_dst=80,actions=output:3"));
        FlowMask wc = new FlowMask();
        assertThat(holder.current().lookup(0, tcp(80), wc).priority()).isEqualTo(100);
        assertThat(wc.isWildcard(FlowField.TP_DST)).isTrue();
        assertThat(wc.isWildcard(FlowField.ETH_TYPE)).isTrue();
        assertThat(wc.isExact(FlowField.IN_PORT)).isTrue();
    }

    @Test
    void addReplacesTheRuleWithTheSameMatchAndPriorityWithFreshCounters() {
        Rule first = flow("priority=10,tcp,actions=output:1");
        holder.addFlow(first);
        first.stats().add(5, 500, 1);
        Rule second = flow("priority=10,tcp,actions=output:2");
        assertThat(holder.addFlow(second)).isSameAs(first);
        assertThat(holder.current().ruleCount()).isEqualTo(1);
        assertThat(lookup(tcp(1))).isSameAs(second);
        assertThat(lookup(tcp(1)).stats().packets()).isZero();
        holder.addFlow(flow("priority=11,tcp,actions=output:3"));
        assertThat(holder.current().ruleCount()).isEqualTo(2);
    }

    @Test
    void equalPrioritiesGoToTheOlderRule() {
        holder.addFlow(flow("priority=10,tcp,actions=output:1"));
        holder.addFlow(flow("priority=10,in_port=1,actions=output:2"));
        assertThat(lookup(tcp(1)).actions()).containsExactly(new OfAction.Output(1));
        // Replacing keeps the slot's age.
        holder.addFlow(flow("priority=10,tcp,actions=output:3"));
        assertThat(lookup(tcp(1)).actions()).containsExactly(new OfAction.Output(3));
    }

    @Test
    void modifyNonStrictChangesEveryRuleWithinTheMatchAndKeepsCounters() {
        Rule a = flow("priority=10,tcp,tp_dst=80,actions=output:1");
        Rule b = flow("priority=20,tcp,tp_dst=81,actions=output:1");
        Rule c = flow("priority=30,udp,actions=output:1");
        holder.addFlow(a);
        holder.addFlow(b);
        holder.addFlow(c);
        a.stats().add(2, 200, 7);
        List<Rule> changed = holder.modifyFlows(FlowFilter.of(FlowSyntax.parseModify("tcp,actions=output:9")),
                List.of(new OfAction.Output(9)), false);
        assertThat(changed).hasSize(2);
        assertThat(lookup(tcp(80)).actions()).containsExactly(new OfAction.Output(9));
        assertThat(lookup(tcp(80)).stats().packets()).isEqualTo(2);
        assertThat(lookup(tcp(81)).actions()).containsExactly(new OfAction.Output(9));
        assertThat(lookup(udp(5)).actions()).containsExactly(new OfAction.Output(1));
    }

    @Test
    void strictSelectionNeedsExactMatchAndPriority() {
        holder.addFlow(flow("priority=10,tcp,tp_dst=80,actions=output:1"));
        FlowFilter loose = FlowFilter.of(FlowSyntax.parseDelete("tcp"));
        assertThat(holder.deleteFlows(loose.withPriority(10), true)).isEmpty();
        FlowFilter exact = FlowFilter.of(FlowSyntax.parseDelete("priority=10,tcp,tp_dst=80", true));
        assertThat(holder.modifyFlows(exact.withPriority(11), List.of(), true)).isEmpty();
        assertThat(holder.deleteFlows(exact, true)).hasSize(1);
        assertThat(holder.current().ruleCount()).isZero();
    }

    @Test
    void deleteByCookieMaskAndTable() {
        holder.addFlow(flow("cookie=0x11,table=0,priority=1,ip,actions=drop"));
        holder.addFlow(flow("cookie=0x21,table=0,priority=2,ip,actions=drop"));
        holder.addFlow(flow("cookie=0x12,table=1,priority=3,ip,actions=drop"));
        assertThat(holder.deleteFlows(FlowFilter.of(FlowSyntax.parseDelete("cookie=0x1/0xf")), false))
                .extracting(Rule::priority).containsExactlyInAnyOrder(1, 2);
        assertThat(holder.deleteFlows(FlowFilter.of(FlowSyntax.parseDelete("table=0")), false)).isEmpty();
        assertThat(holder.deleteFlows(FlowFilter.all(), false)).extracting(Rule::tableId).containsExactly(1);
    }

    @Test
    void aReaderKeepsItsVersion() {
        holder.addFlow(flow("priority=10,tcp,actions=output:1"));
        OfTables old = holder.current();
        long seq = holder.revalSeq();
        holder.addFlow(flow("priority=20,tcp,actions=output:2"));
        holder.deleteFlows(FlowFilter.of(FlowSyntax.parseDelete("priority=10,tcp", true)), true);
        assertThat(old.lookup(0, tcp(1), new FlowMask()).actions()).containsExactly(new OfAction.Output(1));
        assertThat(old.ruleCount()).isEqualTo(1);
        assertThat(lookup(tcp(1)).actions()).containsExactly(new OfAction.Output(2));
        assertThat(holder.revalSeq()).isEqualTo(seq + 2);
        assertThat(holder.current().version()).isEqualTo(old.version() + 2);
    }

    @Test
    void aChangeThatChangesNothingPublishesNothing() {
        long seq = holder.revalSeq();
        OfTables before = holder.current();
        assertThat(holder.deleteFlows(FlowFilter.all(), false)).isEmpty();
        assertThat(holder.current()).isSameAs(before);
        assertThat(holder.revalSeq()).isEqualTo(seq);
    }

    @Test
    void aTransactionIsAtomicAndRefusedIfAnotherCommittedFirst() {
        OfTables.Transaction tx = holder.begin();
        tx.add(flow("priority=1,ip,actions=drop"));
        tx.add(flow("priority=2,ip,actions=drop"));
        assertThat(holder.current().ruleCount()).isZero();
        holder.addFlow(flow("priority=3,ip,actions=drop"));
        assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class)
                .hasMessage("tables changed from version 0 to 1 since the transaction began");
        OfTables.Transaction tx2 = holder.begin();
        tx2.add(flow("priority=1,ip,actions=drop"));
        tx2.add(flow("priority=2,ip,actions=drop"));
        assertThat(tx2.commit().ruleCount()).isEqualTo(3);
        assertThatThrownBy(tx2::commit).hasMessage("transaction already committed");
    }

    @Test
    void groupsAreCheckedAndDeletingOneDeletesItsRules() {
        Group g = Group.of(7, GroupType.ALL, List.of(Bucket.of(0, List.of(new OfAction.Output(1)))));
        assertThatThrownBy(() -> holder.addFlow(flow("ip,actions=group:7"))).hasMessage("group 7 does not exist");
        holder.addGroup(g);
        assertThatThrownBy(() -> holder.addGroup(g)).hasMessage("group 7 already exists");
        holder.addFlow(flow("priority=1,ip,actions=group:7"));
        holder.addFlow(flow("priority=2,tcp,actions=output:3"));
        Group g2 = Group.of(7, GroupType.ALL, List.of(Bucket.of(0, List.of(new OfAction.Output(2)))));
        holder.modifyGroup(g2);
        assertThat(holder.current().group(7)).isEqualTo(g2);
        assertThatThrownBy(() -> holder.modifyGroup(Group.of(8, GroupType.ALL, List.of())))
                .hasMessage("group 8 does not exist");
        assertThat(holder.deleteGroup(7)).isEqualTo(g2);
        assertThat(holder.current().groups()).isEmpty();
        assertThat(holder.current().rules()).extracting(Rule::priority).containsExactly(2);
        assertThat(holder.deleteGroup(7)).isNull();
    }

    @Test
    void groupsInsideCloneCountAndBucketsMayNameMissingGroups() {
        // As OVS (OFPACT_FOR_EACH_FLATTENED): a group named inside clone must exist, and deleting
        // it deletes the rule; a bucket may chain to a group that does not exist yet.
        assertThatThrownBy(() -> holder.addFlow(flow("ip,actions=clone(group:7)"))).hasMessage("group 7 does not exist");
        holder.addGroup(Group.of(9, GroupType.ALL, List.of(Bucket.of(0, List.of(new OfAction.GroupAction(7))))));
        holder.addGroup(Group.of(7, GroupType.ALL, List.of(Bucket.of(0, List.of(new OfAction.Output(2))))));
        holder.addFlow(flow("priority=1,ip,actions=clone(group:7)"));
        holder.addFlow(flow("priority=2,ip,actions=group:9"));
        holder.deleteGroup(7);
        assertThat(holder.current().rules()).extracting(Rule::priority).containsExactly(2);
        assertThat(holder.current().group(9)).isNotNull();
    }

    @Test
    void tableMissIsConfigurable() {
        holder.setMiss(3, TableMiss.CONTINUE);
        assertThat(holder.current().miss(3)).isEqualTo(TableMiss.CONTINUE);
        assertThat(holder.current().miss(4)).isEqualTo(TableMiss.DROP);
        assertThat(TableMiss.find("continue")).isEqualTo(TableMiss.CONTINUE);
    }

    @Test
    void expireRemovesIdleAndHardTimedOutRules() {
        long s = 1_000_000_000L;
        holder.addFlow(Rule.of(FlowSyntax.parseAdd("priority=1,idle_timeout=10,ip,actions=drop"), 0));
        holder.addFlow(Rule.of(FlowSyntax.parseAdd("priority=2,hard_timeout=20,ip,actions=drop"), 0));
        holder.addFlow(Rule.of(FlowSyntax.parseAdd("priority=3,ip,actions=drop"), 0));
        holder.current().rules().get(2).stats().touch(5 * s); // priority 1 (rules run high to low), used at 5 s
        OfTables.Transaction tx = holder.begin();
        assertThat(tx.expire(14 * s)).isEmpty();
        assertThat(tx.expire(15 * s)).extracting(Rule::priority).containsExactly(1);
        assertThat(tx.expire(20 * s)).extracting(Rule::priority).containsExactly(2);
        assertThat(tx.commit().rules()).extracting(Rule::priority).containsExactly(3);
    }

    @Test
    void tablesAreIndependent() {
        holder.addFlow(flow("table=1,priority=1,ip,actions=output:5"));
        assertThat(holder.current().lookup(0, tcp(1), new FlowMask())).isNull();
        assertThat(holder.current().lookup(1, tcp(1), new FlowMask()).actions()).containsExactly(new OfAction.Output(5));
        assertThat(holder.current().ruleCount(1)).isEqualTo(1);
        assertThat(holder.current().subtableCount(1)).isEqualTo(1);
    }
}
