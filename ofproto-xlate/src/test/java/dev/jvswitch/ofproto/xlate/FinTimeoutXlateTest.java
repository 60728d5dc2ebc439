package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * The translation of {@code fin_timeout} (OVS's {@code xlate_fin_timeout}): {@code nw_proto} exact
 * in the megaflow, {@code tcp_flags} not (FINs share the megaflow of the other packets and are seen
 * in its statistics), no datapath action, a cache entry for the rule that runs it, and the rule
 * lowered only by an upcall of a FIN or RST.
 */
class FinTimeoutXlateTest {
    private static final int FIN = 0x01;
    private static final int ACK = 0x10;

    private TestSwitch sw;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 3, 0).flows("br0",
                "table=0,priority=10,in_port=1,actions=resubmit(,1),fin_timeout(idle_timeout=7),output:2",
                "table=1,idle_timeout=60,actions=fin_timeout(idle_timeout=5,hard_timeout=9),output:3");
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FrameBuilder tcp(int flags) {
        return Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(1234, 80).tcpFlags(flags);
    }

    private Rule rule(int table) {
        for (Rule r : sw.ofproto.rules("br0")) {
            if (r.tableId() == table) {
                return r;
            }
        }
        throw new AssertionError("no rule in table " + table);
    }

    @Test
    void theMegaflowMatchesNwProtoButNotTcpFlagsAndTheActionsAreUnchanged() {
        XlateResult r = sw.xlate(sw.key(tcp(FIN | ACK).build(), 1));
        assertThat(r.actions()).hasToString("3,2");
        assertThat(r.mask().get(FlowField.NW_PROTO)).isEqualTo(0xff);
        assertThat(r.mask().get(FlowField.TCP_FLAGS)).isZero();
        assertThat(FlowPrinter.format(sw.key(tcp(FIN).build(), 1), r.mask()))
                .isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(proto=6,frag=no)");
        XlateResult udp = sw.xlate(sw.key(Frames.udp4().build(), 1));
        assertThat(udp.mask().get(FlowField.NW_PROTO)).as("a UDP packet's too").isEqualTo(0xff);
    }

    @Test
    void eachRunRecordsItsOwnRuleEvenAfterAResubmit() {
        XlateResult r = sw.xlate(sw.key(tcp(ACK).build(), 1));
        long[] e = r.finTimeouts();
        assertThat(e).hasSize(2);
        assertThat(r.rules().get(FinTimeouts.ruleIndex(e[0]))).isSameAs(rule(1));
        assertThat(new int[] {FinTimeouts.idleTimeout(e[0]), FinTimeouts.hardTimeout(e[0])}).containsExactly(5, 9);
        assertThat(r.rules().get(FinTimeouts.ruleIndex(e[1]))).isSameAs(rule(0));
        assertThat(new int[] {FinTimeouts.idleTimeout(e[1]), FinTimeouts.hardTimeout(e[1])}).containsExactly(7, 0);
    }

    @Test
    void onlyAnUpcallOfAFinOrRstLowersTheRule() {
        sw.xlate(sw.key(tcp(FIN).build(), 1));
        assertThat(rule(1).idleTimeoutInForceSec()).as("translation without side effects").isEqualTo(60);
        sw.upcall(sw.key(tcp(ACK).build(), 1));
        assertThat(rule(1).idleTimeoutInForceSec()).as("no FIN").isEqualTo(60);
        sw.upcall(sw.key(tcp(FIN | ACK).build(), 1));
        assertThat(rule(1).idleTimeoutInForceSec()).isEqualTo(5);
        assertThat(rule(1).hardTimeoutInForceSec()).isEqualTo(9);
        assertThat(rule(0).idleTimeoutInForceSec()).isEqualTo(7);
        assertThat(rule(1).idleTimeoutSec()).as("the definition keeps its own").isEqualTo(60);
    }

    @Test
    void aCacheEntryLowersOnlyForFinOrRst() {
        XlateResult r = sw.xlate(sw.key(tcp(ACK).build(), 1));
        FinTimeouts.onTcpFlags(r.rules(), r.finTimeouts(), ACK | 0x02);
        assertThat(rule(1).idleTimeoutInForceSec()).isEqualTo(60);
        FinTimeouts.onTcpFlags(r.rules(), r.finTimeouts(), 0x04 | ACK);
        assertThat(rule(1).idleTimeoutInForceSec()).isEqualTo(5);
    }
}
