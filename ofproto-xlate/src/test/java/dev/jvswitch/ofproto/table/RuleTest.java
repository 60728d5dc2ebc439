package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.action.OfAction;

class RuleTest {
    @Test
    void withActionsKeepsCountersAndCreationTime() {
        Rule r = Rule.builder().priority(10).createdNs(5).actions(List.of(new OfAction.Output(1))).build();
        r.stats().add(3, 300, 20);
        Rule m = r.withActions(List.of(new OfAction.Output(2)));
        m.stats().add(1, 100, 10);
        assertThat(m.stats()).isSameAs(r.stats());
        assertThat(m.stats().packets()).isEqualTo(4);
        assertThat(m.stats().bytes()).isEqualTo(400);
        assertThat(m.stats().lastUsedNs()).as("last used never goes back").isEqualTo(20);
        assertThat(m.createdNs()).isEqualTo(5);
        assertThat(m).isNotEqualTo(r);
        assertThat(m.sameSlot(r)).isTrue();
    }

    @Test
    void everyVersionOfARuleCountsIntoTheFirstOnesCounters() {
        Rule r = Rule.builder().priority(10).createdNs(5).actions(List.of(new OfAction.Output(1))).build();
        assertThat(r.stats()).as("a first version holds its own counters").isSameAs(r);
        Rule m = r.withActions(List.of(new OfAction.Output(2)));
        Rule n = m.withDefinitionOf(Rule.builder().cookie(9).actions(List.of(new OfAction.Output(3))).build());
        n.add(2, 20, 30);
        m.touch(40);
        m.refresh(50);
        n.reduceTimeouts(7, 8, 0, 0);
        for (RuleStats s : List.of(r, m, n, m.stats(), n.stats())) {
            assertThat(s.packets()).isEqualTo(2);
            assertThat(s.bytes()).isEqualTo(20);
            assertThat(s.lastUsedNs()).isEqualTo(40);
            assertThat(s.refreshedNs()).isEqualTo(50);
            assertThat(s.idleTimeoutSec(0)).isEqualTo(7);
            assertThat(s.hardTimeoutSec(0)).isEqualTo(8);
        }
        assertThat(n.stats()).isSameAs(r);
        assertThat(r.idleTimeoutInForceSec()).isEqualTo(7);
        // reset_counts: counters of its own, which its own later versions share in turn.
        Rule f = n.withActionsAndFreshCounters(List.of());
        assertThat(f.stats()).isNotSameAs(r).isNotSameAs(f);
        assertThat(f.packets()).isZero();
        assertThat(f.lastUsedNs()).as("the idle time still runs from the last use").isEqualTo(40);
        f.withActions(List.of(new OfAction.Output(4))).add(1, 1, 60);
        assertThat(f.packets()).isEqualTo(1);
        assertThat(r.packets()).isEqualTo(2);
    }

    @Test
    void equalityIsTheDefinitionNotTheCounters() {
        Rule a = Rule.builder().tableId(3).cookie(7).build();
        Rule b = Rule.builder().tableId(3).cookie(7).createdNs(99).build();
        b.stats().add(1, 1, 100);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void rangesAreChecked() {
        assertThatThrownBy(() -> Rule.builder().tableId(255)).hasMessage("table 255 out of range 0..254");
        assertThatThrownBy(() -> Rule.builder().priority(65536)).hasMessage("priority 65536 out of range 0..65535");
        assertThatThrownBy(() -> Rule.builder().idleTimeoutSec(-1)).hasMessage("idle_timeout -1 out of range 0..65535");
    }
}
