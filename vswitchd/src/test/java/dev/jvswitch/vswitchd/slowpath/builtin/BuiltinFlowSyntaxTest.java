package dev.jvswitch.vswitchd.slowpath.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The built-in slow path's flow syntax: what it reads, how it prints, every error class. */
class BuiltinFlowSyntaxTest {
    @Test
    void readsTheSubsetAndPrintsItAsOvsOfctlDoes() {
        BuiltinRule r = BuiltinFlowSyntax.parseRule(
                "table=0, priority=100,in_port=1,dl_dst=02:00:00:00:00:0A ip actions=output:2,3", 0);
        assertThat(r.priority).isEqualTo(100);
        assertThat(r.match).isEqualTo(new BuiltinMatch(1, BuiltinMatch.ANY, 0x02000000000aL, 0x0800));
        assertThat(r.actions).containsExactly(RuleAction.output(2), RuleAction.output(3));
        assertThat(r.flowText()).isEqualTo("priority=100,ip,in_port=1,dl_dst=02:00:00:00:00:0a actions=output:2,output:3");
        assertThat(BuiltinFlowSyntax.parseRule("actions=NORMAL", 0).flowText()).isEqualTo("actions=NORMAL");
        assertThat(BuiltinFlowSyntax.parseRule("priority=0,actions=normal", 0).flowText())
                .isEqualTo("priority=0 actions=NORMAL");
    }

    @Test
    void dumpFlowsOutputParsesBack() {
        BuiltinRule r = BuiltinFlowSyntax.parseRule(" cookie=0x0, duration=3.175s, table=0, n_packets=4, n_bytes=0, "
                + "idle_age=3, priority=5,in_port=1 actions=output:2", 0);
        assertThat(r.flowText()).isEqualTo("priority=5,in_port=1 actions=output:2");
    }

    @Test
    void everyErrorNamesItsColumn() {
        assertError("in_port=1,nw_dst=10.0.0.1,actions=drop", "flow syntax error at column 11: unknown field 'nw_dst'"
                + " (the built-in slow path matches in_port, dl_src, dl_dst and dl_type only)");
        assertError("in_port=1,actions=output:2,goto_table:1", "flow syntax error at column 28: unknown action "
                + "'goto_table:1' (the built-in slow path knows output, normal, flood, all, in_port and drop)");
        assertError("in_port=1", "flow syntax error at column 10: missing actions= (e.g. actions=normal)");
        assertError("table=1,actions=drop", "flow syntax error at column 7: table 1: the built-in slow path has "
                + "table 0 only");
        assertError("dl_src=02:00:00:00:00,actions=drop", "flow syntax error at column 8: '02:00:00:00:00' is not an "
                + "Ethernet address for dl_src (like 02:00:00:00:00:01)");
        assertError("in_port=x,actions=drop", "flow syntax error at column 9: 'x' is not a number for in_port");
        assertError("priority=70000,actions=drop", "flow syntax error at column 10: priority 70000 is outside 0..65535");
        assertError("actions=drop,output:1", "flow syntax error at column 9: drop must be the only action");
        assertError("actions=output:1,", "flow syntax error at column 18: empty action");
        assertThatThrownBy(() -> BuiltinFlowSyntax.parseMatch("in_port=1 actions=drop"))
                .hasMessage("flow syntax error at column 11: actions are not allowed here (this selects flows)");
    }

    @Test
    void nonStrictSelection() {
        BuiltinMatch sel = BuiltinFlowSyntax.parseMatch("in_port=1");
        assertThat(sel.selects(BuiltinFlowSyntax.parseRule("in_port=1,dl_dst=02:00:00:00:00:01,actions=drop", 0).match))
                .isTrue();
        assertThat(sel.selects(BuiltinFlowSyntax.parseRule("in_port=2,actions=drop", 0).match)).isFalse();
        assertThat(sel.selects(BuiltinFlowSyntax.parseRule("actions=normal", 0).match)).isFalse();
        assertThat(BuiltinMatch.ALL.selects(BuiltinFlowSyntax.parseRule("actions=normal", 0).match)).isTrue();
    }

    private static void assertError(String flow, String message) {
        assertThatThrownBy(() -> BuiltinFlowSyntax.parseRule(flow, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
