package dev.jvswitch.ofproto.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.ovs.OvsOracleExtension;
import dev.jvswitch.testkit.sh.Await;

/**
 * What {@code learn} writes, against OVS: the same learning flows and the same frames on both
 * sides (OVS receives them on its dummy ports, so its handler really learns; jvswitch translates
 * them as an upcall does and applies what was learned), then the learned flows' {@code dump-flows}
 * text must be the same but for the times and counters. Skipped without OVS, as the corpus test.
 */
class LearnOvsDifferentialTest {
    @RegisterExtension
    static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2, 3);

    /** One case: learning flows (all in table 0), and frames received on a port. */
    private record Case(String name, List<String> flows, int port, List<byte[]> frames) {
    }

    private static final String MAC_LEARN = "table=0,priority=10,actions=learn(table=10,idle_timeout=30,"
            + "hard_timeout=60,priority=5,cookie=0x12,NXM_OF_VLAN_TCI[0..11],"
            + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],"
            + "output:NXM_OF_IN_PORT[]),resubmit(,10)";

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        out.add(new Case("mac-learning", List.of(MAC_LEARN), 1, List.of(
                Frames.udp4().src("00:00:00:00:00:05").dst("00:00:00:00:00:06").ports(1000, 2000).build(),
                Frames.udp4().src("00:00:00:00:00:07").dst("00:00:00:00:00:06").vlan(9).ports(1000, 2000).build())));
        out.add(new Case("tcp-reverse", List.of("table=0,priority=10,tcp,actions=learn(table=11,eth_type=0x800,"
                + "nw_proto=6,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],"
                + "NXM_OF_TCP_DST[]=NXM_OF_TCP_SRC[],load:NXM_OF_TCP_SRC[]->NXM_NX_REG6[0..15],load:0->NXM_NX_REG1[],"
                + "output:NXM_OF_IN_PORT[]),output:3"), 2, List.of(
                Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(100, 200).build())));
        out.add(new Case("udp-immediates", List.of("table=0,priority=10,udp,actions=learn(table=12,"
                + "eth_dst=00:00:00:00:00:01,eth_type=0x800,nw_src=10.0.0.1,nw_proto=17,udp_dst=53,reg1=5,"
                + "NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],NXM_NX_REG2[0..7]=0x12,load:0x5->NXM_NX_REG3[],"
                + "load:NXM_OF_UDP_SRC[0..7]->NXM_NX_REG4[8..15]),output:2"), 1, List.of(
                Frames.udp4().ip("10.0.0.9", "10.0.0.2").ports(0x1234, 53).build())));
        out.add(new Case("metadata-and-tos", List.of("table=0,priority=10,ip,actions=learn(table=13,cookie=0x7,"
                + "delete_learned,eth_type=0x800,NXM_NX_IP_TTL[],OXM_OF_METADATA[0..15]=NXM_OF_ETH_SRC[0..15],"
                + "NXM_OF_ETH_SRC[]=NXM_OF_ETH_DST[],load:NXM_OF_IP_SRC[]->NXM_NX_REG7[]),output:2"), 3, List.of(
                Frames.icmp4().src("00:00:00:00:ab:cd").tos(0x20).build())));
        out.add(new Case("fin-timeouts", List.of("table=0,priority=10,tcp,actions=learn(table=14,idle_timeout=60,"
                + "fin_idle_timeout=5,fin_hard_timeout=10,eth_type=0x800,nw_proto=6,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],"
                + "NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],output:NXM_OF_IN_PORT[]),output:3",
                "table=0,priority=5,actions=learn(table=15,fin_hard_timeout=3,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]),output:3"),
                2, List.of(Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(100, 200).build(),
                Frames.udp4().src("00:00:00:00:00:05").build())));
        return out;
    }

    /**
     * A FIN through a flow learned with fin timeouts: OVS's upcall lowers the learned flow's
     * timeouts, and so must jvswitch's (dump-flows shows the timeouts in force).
     */
    @Test
    void aFinLowersTheLearnedFlowAsInOvs() {
        List<String> flows = List.of(
                "table=0,priority=10,in_port=1,tcp,actions=learn(table=1,idle_timeout=60,hard_timeout=90,"
                        + "fin_idle_timeout=5,fin_hard_timeout=10,eth_type=0x800,nw_proto=6,"
                        + "NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],"
                        + "output:NXM_OF_IN_PORT[]),output:2",
                "table=0,priority=10,in_port=2,actions=resubmit(,1)",
                "table=1,priority=0,actions=drop");
        byte[] syn = Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(100, 200).tcpFlags(0x02).build();
        byte[] fin = Frames.tcp4().ip("10.0.0.2", "10.0.0.1").ports(200, 100).tcpFlags(0x11).build();
        OVS.oracle().replaceFlows(flows);
        OVS.oracle().receive(1, List.of(HexFormat.of().formatHex(syn)));
        Await.until(Duration.ofSeconds(10), () -> ovsFlows().size() > flows.size(), () -> "OVS learned " + ovsFlows());
        OVS.oracle().receive(2, List.of(HexFormat.of().formatHex(fin)));
        Await.until(Duration.ofSeconds(10), () -> ovsFlows().toString().contains("idle_timeout=5"),
                () -> "OVS lowered nothing: " + ovsFlows());
        List<String> fromOvs = learned(ovsFlows());

        Ofproto jvs = OvsTwin.of(flows);
        jvs.learn(jvs.xlate().translate(jvs.snapshot(), Trace.parsePacket(new FlowKey(), syn, 1), true, jvs.nowNs(),
                null).learned());
        jvs.xlate().translate(jvs.snapshot(), Trace.parsePacket(new FlowKey(), fin, 2), true, jvs.nowNs(), null);
        List<String> fromJvs = new ArrayList<>();
        for (FlowStats fs : jvs.flowStats(OvsOracle.BRIDGE)) {
            fromJvs.add(FlowSyntax.dumpFlow(fs));
        }
        assertThat(learned(fromJvs)).containsExactlyInAnyOrderElementsOf(fromOvs);
    }

    @TestFactory
    Stream<DynamicTest> learnedFlowsAgreeWithOvs() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    private static void run(Case c) {
        OVS.oracle().replaceFlows(c.flows());
        List<String> hex = new ArrayList<>();
        for (byte[] f : c.frames()) {
            hex.add(HexFormat.of().formatHex(f));
        }
        OVS.oracle().receive(c.port(), hex);
        int expected = c.flows().size() + c.frames().size();
        Await.until(Duration.ofSeconds(10), () -> ovsFlows().size() >= expected,
                () -> "OVS learned " + ovsFlows());
        List<String> fromOvs = learned(ovsFlows());

        Ofproto jvs = OvsTwin.of(c.flows());
        for (byte[] f : c.frames()) {
            FlowKey key = Trace.parsePacket(new FlowKey(), f, c.port());
            XlateResult r = jvs.xlate().translate(jvs.snapshot(), key, true, jvs.nowNs(), null);
            assertThat(r.error()).isNull();
            jvs.learn(r.learned());
        }
        List<String> fromJvs = new ArrayList<>();
        for (FlowStats fs : jvs.flowStats(OvsOracle.BRIDGE)) {
            fromJvs.add(FlowSyntax.dumpFlow(fs));
        }
        assertThat(learned(fromJvs)).as("learned flows of %s", c.name()).containsExactlyInAnyOrderElementsOf(fromOvs);
    }

    private static List<String> ovsFlows() {
        List<String> out = new ArrayList<>();
        for (String l : OVS.oracle().ofctl("dump-flows", OvsOracle.BRIDGE).split("\n")) {
            if (l.startsWith(" cookie=")) {
                out.add(l.trim());
            }
        }
        return out;
    }

    /** The flows outside table 0 without their times and counters. */
    private static List<String> learned(List<String> dump) {
        List<String> out = new ArrayList<>();
        for (String l : dump) {
            if (l.contains(" table=0,")) {
                continue;
            }
            out.add(l.replaceAll("duration=[0-9.]+s, ", "").replaceAll("n_packets=\\d+, n_bytes=\\d+, ", "")
                    .replaceAll("idle_age=\\d+, ", "").replaceAll("hard_age=\\d+, ", ""));
        }
        return out;
    }
}
