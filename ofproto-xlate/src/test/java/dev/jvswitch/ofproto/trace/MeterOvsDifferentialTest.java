package dev.jvswitch.ofproto.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.syntax.MeterSyntax;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.ovs.OvsOracleExtension;
import dev.jvswitch.testkit.ovs.OvsTrace;

/**
 * Meters and dec_ttl's packet-ins in {@code ofproto/trace}, against OVS's: a {@code meter:N}
 * action is the datapath's {@code meter(id)} with OVS's datapath ids, a metered packet-in is
 * OVS 3.1's {@code sample(sample=100.0%,actions(meter(id),userspace(...)))}, the controller meter
 * meters what names no meter of its own, and {@code dec_ttl(ids)} at TTL 1 sends a packet-in with
 * reason invalid_ttl to each id.
 */
class MeterOvsDifferentialTest {
    @RegisterExtension
    static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2, 3);

    private static final List<String> METERS = List.of(
            "meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5",
            "meter=2,kbps,bands=type=drop,rate=1000");

    @AfterEach
    void clean() {
        OVS.oracle().ofctl("del-flows", OvsOracle.BRIDGE);
        OVS.oracle().ofctl("-O", "OpenFlow15", "del-meters", OvsOracle.BRIDGE);
    }

    private void same(List<String> meters, List<String> flows, List<String> packets) {
        OVS.oracle().ofctl("del-flows", OvsOracle.BRIDGE);
        OVS.oracle().ofctl("-O", "OpenFlow15", "del-meters", OvsOracle.BRIDGE);
        for (String m : meters) {
            OVS.oracle().ofctl("-O", "OpenFlow15", "add-meter", OvsOracle.BRIDGE, m);
        }
        for (String f : flows) {
            OVS.oracle().ofctl("-O", "OpenFlow15", "add-flow", OvsOracle.BRIDGE, f);
        }
        Ofproto jvs = OvsTwin.of(List.of());
        for (String m : meters) {
            jvs.apply(OvsOracle.BRIDGE, MeterSyntax.parseAdd(m));
        }
        for (String f : flows) {
            jvs.apply(OvsOracle.BRIDGE, dev.jvswitch.ofproto.syntax.FlowSyntax.parseAdd(f));
        }
        for (String p : packets) {
            OvsTrace o = OVS.oracle().trace(p);
            OvsTrace j = OvsTrace.parse(jvs.tracer().trace(OvsOracle.BRIDGE, p));
            assertThat(OvsTrace.comparable(j.datapathActions())).as("%s\n--- OVS ---\n%s\n--- jvswitch ---\n%s", p,
                    o.text(), j.text()).isEqualTo(OvsTrace.comparable(o.datapathActions()));
            assertThat(j.megaflow()).as(p).isEqualTo(o.megaflow());
        }
    }

    @Test
    void meterActionsRunTheDatapathMeter() {
        same(METERS, List.of("priority=5,in_port=1,actions=meter:2,output:2",
                "priority=5,ip,in_port=2,actions=meter:1,mod_nw_dst:10.0.0.9,output:3"),
                List.of("in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2",
                        "in_port=2,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2"));
    }

    @Test
    void packetInsPassTheirMeterOrTheControllerMeter() {
        List<String> flows = List.of("priority=5,in_port=1,actions=controller(meter_id=2)",
                "priority=5,in_port=2,actions=controller",
                "priority=5,ip,in_port=3,actions=dec_ttl(1,2),output:2");
        List<String> packets = List.of("in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2",
                "in_port=2,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2",
                "in_port=3,udp,nw_ttl=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2",
                "in_port=3,udp,nw_ttl=9,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1,udp_dst=2");
        same(METERS, flows, packets);
        List<String> withControllerMeter = new java.util.ArrayList<>(METERS);
        withControllerMeter.add("meter=controller,pktps,bands=type=drop,rate=100");
        same(withControllerMeter, flows, packets);
    }
}
