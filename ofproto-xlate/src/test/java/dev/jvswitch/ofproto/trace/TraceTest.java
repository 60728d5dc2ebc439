package dev.jvswitch.ofproto.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.xlate.TestSwitch;

/**
 * {@code ofproto/trace} against golden outputs (in {@code src/test/resources/trace}) written in
 * OVS's layout: tables, rules and actions, resubmits nested, NORMAL's reasoning, a dp_hash select
 * group continued through its recirculation, patch ports into a second bridge, and the closing
 * {@code Final flow}, {@code Megaflow} and {@code Datapath actions} lines.
 */
class TraceTest {
    private TestSwitch sw;
    private Trace trace;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 4, 0);
        Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=dp_hash,bucket=actions=output:2,"
                + "bucket=actions=output:3,bucket=actions=mod_dl_dst:00:00:00:00:00:99,output:4");
        sw.flows("br0", "priority=100,in_port=1,tcp,nw_dst=10.0.0.2,tp_dst=80,actions=resubmit(,1),output:3",
                "table=1,priority=10,ip,actions=mod_nw_tos:32,output:2",
                "priority=90,in_port=1,udp,actions=group:1",
                "priority=80,in_port=2,actions=NORMAL",
                "priority=70,in_port=3,ip,actions=dec_ttl,output:4",
                "priority=60,in_port=4,actions=resubmit(,0)");
        trace = sw.ofproto.tracer();
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = TraceTest.class.getResourceAsStream("/trace/" + name + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aVlanInFlowSyntaxIsAn8021qTagAsOnTheFrame() {
        sw.flows("br0", "priority=200,in_port=1,dl_vlan=10,actions=mod_vlan_vid:20,mod_vlan_pcp:3,output:2");
        String out = trace.trace("br0", "in_port=1,dl_vlan=10,dl_vlan_pcp=0,ip");
        assertThat(out).endsWith("Datapath actions: pop_vlan,push_vlan(vid=20,pcp=3),2\n");
    }

    @Test
    void tablesResubmitsAndActions() throws IOException {
        assertThat(trace.trace("br0", "in_port=1,tcp,nw_dst=10.0.0.2,tp_dst=80")).isEqualTo(golden("basic"));
    }

    @Test
    void dpHashSelectGroupContinuesThroughTheRecirculation() throws IOException {
        assertThat(trace.trace("br0", "in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1234,tp_dst=53"))
                .isEqualTo(golden("dp-hash-recirc"));
    }

    @Test
    void normalExplainsItself() throws IOException {
        assertThat(trace.trace("br0", "in_port=2,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff"))
                .isEqualTo(golden("normal-flood"));
        assertThat(sw.ofproto.macTable("br0").size()).as("a trace learns nothing").isZero();
    }

    @Test
    void decTtlException() throws IOException {
        assertThat(trace.trace("br0", "in_port=3,ip,nw_ttl=1")).isEqualTo(golden("dec-ttl"));
    }

    @Test
    void aPacketInHexIsParsedLikeTheDatapathWould() throws IOException {
        String hex = Frames.hex(Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(40000, 80).build());
        assertThat(trace.trace("br0", "in_port=1", hex)).isEqualTo(golden("packet-hex"));
    }

    @Test
    void patchPortsNestTheOtherBridge() throws IOException {
        try (TestSwitch two = new TestSwitch()) {
            two.bridge(new BridgeConfig("br0", List.of(OfPort.trunk(1, 1, "p1"), OfPort.patch(2, "patch-0", "patch-1"))));
            two.bridge(new BridgeConfig("br1", List.of(OfPort.patch(1, "patch-1", "patch-0"),
                    OfPort.access(2, 5, "p5", 10), OfPort.trunk(3, 6, "p6"))));
            two.flows("br0", "priority=10,ip,actions=set_field:10.1.1.1->nw_dst,output:2,output:1");
            two.flows("br1", "priority=10,in_port=1,actions=NORMAL");
            assertThat(two.ofproto.tracer().trace("br0",
                    "in_port=1,ip,nw_dst=10.0.0.2,dl_dst=00:00:00:00:00:05,dl_src=00:00:00:00:00:06"))
                    .isEqualTo(golden("patch-ports"));
        }
    }

    @Test
    void aFailedTranslationSaysWhy() {
        String out = trace.trace("br0", "in_port=4,ip");
        assertThat(out).contains("     >>>> over max translation depth 64 <<<<\n")
                .endsWith("Datapath actions: drop\nTranslation failed (Recursion too deep), packet is dropped.\n");
    }

    @Test
    void badInputGetsOneLineMessages() {
        assertThatThrownBy(() -> trace.trace("br9", "in_port=1")).hasMessage("br9: unknown bridge");
        assertThatThrownBy(() -> trace.trace("br0", "in_port=1,nw_dsst=1"))
                .hasMessage("Bad openflow flow syntax: flow syntax error at column 11: unknown field 'nw_dsst'");
        assertThatThrownBy(() -> trace.trace("br0", "tcp")).hasMessage("in_port 0 is not a port of bridge br0");
        assertThatThrownBy(() -> trace.trace("br0", "in_port=1", "0x")).hasMessageContaining("hex");
    }
}
