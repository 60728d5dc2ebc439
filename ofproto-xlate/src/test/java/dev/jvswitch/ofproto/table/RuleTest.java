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
