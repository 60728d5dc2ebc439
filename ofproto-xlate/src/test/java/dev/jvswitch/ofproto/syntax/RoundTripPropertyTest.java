package dev.jvswitch.ofproto.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.testing.RandomRules;

/** print(parse(s)) == s at the model level: every rule and group the model can hold survives text. */
class RoundTripPropertyTest {
    @Property(tries = 3000)
    void ruleSurvivesPrintAndParse(@ForAll long seed) {
        Rule r = new RandomRules(new Random(seed)).rule();
        String text = FlowSyntax.format(r);
        Rule back = FlowSyntax.parseRule(text);
        assertThat(back).as(text).isEqualTo(r);
        assertThat(FlowSyntax.format(back)).isEqualTo(text);
    }

    @Property(tries = 500)
    void dumpFlowsOutputParsesBack(@ForAll long seed) {
        Rule r = new RandomRules(new Random(seed)).rule();
        assertThat(FlowSyntax.parseRule(FlowSyntax.dumpFlow(r, 5_000_000_000L))).isEqualTo(r);
    }

    @Property(tries = 2000)
    void groupSurvivesPrintAndParse(@ForAll long seed) {
        Group g = new RandomRules(new Random(seed)).group();
        String text = GroupSyntax.format(g);
        Group back = GroupSyntax.parse(text);
        assertThat(back).as(text).isEqualTo(g);
        assertThat(GroupSyntax.format(back)).isEqualTo(text);
    }
}
