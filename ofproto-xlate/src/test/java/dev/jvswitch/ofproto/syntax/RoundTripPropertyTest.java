package dev.jvswitch.ofproto.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.testing.RandomRules;

/**
 * text -> model -> text at the model level: every flow mod, flow stats line and group mod the
 * model can hold survives printing and parsing, and prints the same text again.
 */
class RoundTripPropertyTest {
    @Property(tries = 3000)
    void flowModSurvivesPrintAndParse(@ForAll long seed) {
        FlowMod fm = new RandomRules(new Random(seed)).flowMod();
        String text = FlowSyntax.format(fm);
        FlowMod back = FlowSyntax.parse(text, fm.command());
        assertThat(back).as(text).isEqualTo(fm);
        assertThat(FlowSyntax.format(back)).isEqualTo(text);
    }

    @Property(tries = 500)
    void dumpFlowsOutputParsesBackToTheAddThatMakesTheRule(@ForAll long seed) {
        Rule r = new RandomRules(new Random(seed)).rule();
        FlowStats fs = r.flowStats(5_000_000_000L);
        String line = FlowSyntax.dumpFlow(fs);
        FlowMod add = FlowSyntax.parseAdd(line);
        assertThat(add).as(line).isEqualTo(fs.toAdd());
        assertThat(Rule.of(add, 0)).isEqualTo(r);
    }

    @Property(tries = 2000)
    void groupSurvivesPrintAndParse(@ForAll long seed) {
        Group g = new RandomRules(new Random(seed)).group();
        String text = GroupSyntax.format(g);
        Group back = GroupSyntax.parse(text);
        assertThat(back).as(text).isEqualTo(g);
        assertThat(GroupSyntax.format(back)).isEqualTo(text);
        assertThat(GroupSyntax.parseModify(GroupSyntax.format(GroupMod.modify(g)))).isEqualTo(GroupMod.modify(g));
        GroupMod del = GroupMod.delete(g.groupId());
        assertThat(GroupSyntax.parseDelete(GroupSyntax.format(del))).isEqualTo(del);
    }
}
