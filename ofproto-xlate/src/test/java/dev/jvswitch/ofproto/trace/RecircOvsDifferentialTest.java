package dev.jvswitch.ofproto.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.ovs.OvsOracleExtension;
import dev.jvswitch.testkit.sh.Await;

/**
 * What the pass after a recirculation does, against OVS's datapath: OVS's trace cannot follow a
 * {@code dp_hash} recirculation here, so OVS receives a real frame on a dummy port and its
 * megaflows ({@code dpctl/dump-flows}) give the recirculated pass's actions. The state frozen
 * with the translation (registers, the push/pop stack) must come back in that pass on both sides.
 */
class RecircOvsDifferentialTest {
    @RegisterExtension
    static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2, 3);

    private static final List<String> GROUPS = List.of("group_id=1,type=select,selection_method=dp_hash,"
            + "bucket=bucket_id=1,actions=resubmit(,1),bucket=bucket_id=2,actions=resubmit(,1)");

    @Test
    void theStackAndRegistersComeBackAfterTheRecirculation() {
        List<String> flows = List.of(
                "table=0,in_port=1,udp,actions=load:5->NXM_NX_REG0[],push:NXM_NX_REG0[],load:0->NXM_NX_REG0[],"
                        + "load:9->NXM_NX_REG2[],push:NXM_OF_UDP_SRC[],group:1",
                "table=1,actions=pop:NXM_NX_REG3[0..15],pop:NXM_NX_REG1[],resubmit(,2)",
                "table=2,priority=10,reg1=5,reg2=9,reg3=1234,actions=output:2",
                "table=2,priority=5,reg1=5,actions=output:1",
                "table=2,priority=0,actions=output:3");
        byte[] frame = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1234, 53).build();

        OVS.oracle().replaceFlows(flows, GROUPS);
        OVS.oracle().delFlows();
        OVS.oracle().receive(1, List.of(HexFormat.of().formatHex(frame)));
        Await.until(Duration.ofSeconds(10), () -> recirculated(OVS.oracle().dumpFlows()) != null,
                () -> "OVS megaflows: " + OVS.oracle().dumpFlows());
        String fromOvs = recirculated(OVS.oracle().dumpFlows());

        Ofproto jvs = OvsTwin.of(GROUPS, flows, java.util.Map.of(), 1, 2, 3);
        FlowKey key = Trace.parsePacket(new FlowKey(), frame, 1);
        XlateResult first = jvs.xlate().translate(jvs.snapshot(), key, false, jvs.nowNs(), null);
        assertThat(first.recircPoints()).hasSize(1);
        XlateResult second = jvs.xlate().translate(jvs.snapshot(),
                TestSwitch.recirculated(key, first.recircPoints().get(0)), false, jvs.nowNs(), null);

        assertThat(fromOvs).isEqualTo("2");
        assertThat(second.actions().toString()).isEqualTo(fromOvs);
    }

    /** The actions of the megaflow with a non-zero recirc_id, or null if there is none yet. */
    private static String recirculated(List<String> megaflows) {
        for (String l : megaflows) {
            if (l.startsWith("recirc_id(0x")) {
                return l.substring(l.indexOf("actions:") + "actions:".length()).trim();
            }
        }
        return null;
    }
}
