package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/** Conjunctive matches as OVN installs them for ACLs with address sets, with OVS's semantics. */
class ConjunctionXlateTest {
    private static final String[] ACL = {
        "priority=100,ip,nw_src=10.0.0.1,actions=conjunction(7,1/2)",
        "priority=100,ip,nw_src=10.0.0.2,actions=conjunction(7,1/2)",
        "priority=100,tcp,tp_dst=80,actions=conjunction(7,2/2)",
        "priority=100,tcp,tp_dst=443,actions=conjunction(7,2/2)",
        "priority=100,conj_id=7,ip,actions=output:2",
        "priority=50,ip,actions=output:3"};

    private TestSwitch sw;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 4, 0);
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FrameBuilder tcp(String src, int dport) {
        return Frames.tcp4().ip(src, "10.0.9.9").ports(1234, dport).ttl(64);
    }

    private String actions(FrameBuilder p) {
        return sw.xlate(sw.key(p.build(), 1)).actions().toString();
    }

    @Test
    void aPacketMeetingEveryClauseTakesTheConjIdFlow() {
        sw.flows("br0", ACL);
        assertThat(actions(tcp("10.0.0.1", 80))).isEqualTo("2");
        assertThat(actions(tcp("10.0.0.2", 443))).isEqualTo("2");
        assertThat(actions(tcp("10.0.0.1", 22))).as("one clause only").isEqualTo("3");
        assertThat(actions(tcp("10.0.0.3", 80))).as("the other clause only").isEqualTo("3");
    }

    @Test
    void theMegaflowHoldsTheFieldsOfEveryClauseButNoConjId() {
        sw.flows("br0", ACL);
        FrameBuilder p = tcp("10.0.0.1", 80);
        XlateResult r = sw.xlate(sw.key(p.build(), 1));
        assertThat(FlowPrinter.format(sw.key(p.build(), 1), r.mask())).isEqualTo(
                "recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.1,proto=6,frag=no),tcp(dst=80)");
    }

    @Test
    void anUnfinishedConjunctionFallsBackToALowerFlowWithTheSameMatch() {
        sw.flows("br0", ACL);
        sw.flows("br0", "priority=90,ip,nw_src=10.0.0.1,actions=output:4");
        assertThat(actions(tcp("10.0.0.1", 22))).isEqualTo("4");
        assertThat(actions(tcp("10.0.0.1", 80))).isEqualTo("2");
    }

    @Test
    void aHigherOrdinaryFlowWinsAndAConjIdWithoutItsFlowIsNoMatch() {
        sw.flows("br0", ACL);
        sw.flows("br0", "priority=200,tcp,tp_dst=443,actions=output:4");
        assertThat(actions(tcp("10.0.0.1", 443))).isEqualTo("4");
        sw.flows("br0", "priority=100,ip,nw_src=10.0.0.9,actions=conjunction(8,1/2)",
                "priority=100,tcp,tp_dst=80,actions=conjunction(8,2/2)");
        assertThat(actions(tcp("10.0.0.9", 80))).as("conjunction 8 has no conj_id flow").isEqualTo("3");
    }

    @Test
    void conjunctionSharesAFlowOnlyWithNote() {
        assertThat(FlowSyntax.formatInstructions(FlowSyntax.parseAdd(
                "ip,actions=conjunction(1,1/3),note:01,conjunction(2,2/2)").instructions()))
                .isEqualTo("conjunction(1,1/3),note:01,conjunction(2,2/2)");
        assertThatThrownBy(() -> FlowSyntax.parseAdd("ip,actions=conjunction(1,1/2),output:2"))
                .hasMessage("flow syntax error at column 31: 'output:2' is not allowed with conjunction (only note is)");
        assertThatThrownBy(() -> FlowSyntax.parseAdd("ip,actions=conjunction(1,3/2)"))
                .hasMessageContaining("expected id,k/n with 1 <= k <= n and 2 <= n <= 64");
    }
}
