package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowPrinter;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.ofproto.Ofctl;

/**
 * Translation of single actions on bridge br0 (trunk ports 1..4 on datapath ports 1..4): the
 * datapath program each gives, in OVS's syntax, and the fields it puts into the megaflow.
 */
class XlateActionsTest {
    private TestSwitch sw;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 4, 0);
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FrameBuilder tcp() {
        return Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(1234, 80).ttl(64);
    }

    /** Installs {@code flows} and translates a TCP packet from port 1. */
    private XlateResult run(String... flows) {
        return run(tcp(), flows);
    }

    private XlateResult run(FrameBuilder packet, String... flows) {
        sw.flows("br0", flows);
        return sw.xlate(sw.key(packet.build(), 1));
    }

    private String actions(String... flows) {
        return run(flows).actions().toString();
    }

    private String megaflow(XlateResult r) {
        return FlowPrinter.format(sw.key(tcp().build(), 1), r.mask());
    }

    // ------------------------------------------------------------------ outputs

    @Test
    void outputMatchesOnlyWhatWasLookedAt() {
        XlateResult r = run("in_port=1,actions=output:2");
        assertThat(r.actions()).hasToString("2");
        assertThat(megaflow(r)).isEqualTo("recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)");
        assertThat(r.rules()).hasSize(1);
    }

    @Test
    void outputToTheInputPortOnlyThroughInPort() {
        assertThat(actions("actions=output:1,output:2")).isEqualTo("2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(actions("actions=in_port")).isEqualTo("1");
    }

    @Test
    void floodAndAllSkipTheInputPort() {
        assertThat(actions("actions=flood")).isEqualTo("2,3,4");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(actions("actions=all")).isEqualTo("2,3,4");
    }

    @Test
    void nonexistentPortsAndTableMissesDrop() {
        assertThat(actions("actions=output:9")).isEqualTo("drop");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(actions("table=1,actions=output:2")).isEqualTo("drop");
    }

    @Test
    void controllerIsCountedAndKeepsTheFlowInTheSlowPath() {
        XlateResult r = run("actions=controller,output:2");
        assertThat(r.slowPath()).isTrue();
        assertThat(r.actions()).hasToString("2");
    }

    // ------------------------------------------------------------------ field changes

    @Test
    void setFieldCommitsBeforeOutputOnlyWhatDiffers() {
        assertThat(actions("ip,actions=set_field:10.0.0.9->nw_dst,output:2")).isEqualTo("set(ipv4(dst=10.0.0.9)),2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        XlateResult same = run("ip,actions=set_field:10.0.0.2->nw_dst,output:2");
        assertThat(same.actions()).hasToString("2");
        // The set bits are matched: the "no change" is only true for this destination.
        assertThat(same.mask().isExact(FlowField.NW_DST)).isTrue();
    }

    @Test
    void aChangeUndoneBeforeOutputIsNeverEmitted() {
        assertThat(actions("ip,actions=set_field:10.0.0.9->nw_dst,set_field:10.0.0.2->nw_dst,output:2"))
                .isEqualTo("2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(actions("ip,actions=set_field:10.0.0.9->nw_dst")).isEqualTo("drop");
    }

    @Test
    void modActionsAndMaskedSets() {
        assertThat(actions("actions=mod_nw_tos:32,mod_dl_src:00:00:00:00:00:aa,mod_tp_dst:8080,output:2"))
                .isEqualTo("set(eth(src=00:00:00:00:00:aa)),set(ipv4(tos=0x20/0xfc)),set(tcp(dst=8080)),2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(run(Frames.udp4().ports(1, 2), "actions=mod_tp_src:99,output:2").actions())
                .hasToString("set(udp(src=99)),2");
    }

    @Test
    void loadAndMove() {
        XlateResult r = run("ip,actions=move:nw_src[]->nw_dst[],load:0x5->nw_tos[2..7],output:2");
        assertThat(r.actions()).hasToString("set(ipv4(dst=10.0.0.1,tos=0x14/0xfc)),2");
        assertThat(r.mask().isExact(FlowField.NW_SRC)).isTrue();
        assertThat(r.mask().isExact(FlowField.NW_DST)).isTrue();
    }

    @Test
    void ipv6AndTunnelMetadata() {
        assertThat(run(Frames.udp6().ip("2001:db8::1", "2001:db8::2"),
                "ipv6,actions=set_field:2001:db8::9->ipv6_dst,output:2").actions())
                .hasToString("set(ipv6(dst=2001:db8::9)),2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(actions("actions=set_tunnel:0x5,output:2")).startsWith("set(tunnel(tun_id=0x5").endsWith(",2");
    }

    @Test
    void actionsOnAHeaderThePacketLacksDoNothing() {
        assertThat(run(Frames.arp(), "actions=mod_nw_dst:10.0.0.9,dec_ttl,mod_tp_dst:1,output:2").actions())
                .hasToString("2");
    }

    @Test
    void decTtlDecrementsOrEndsTheActionList() {
        assertThat(actions("actions=dec_ttl,output:2")).isEqualTo("set(ipv4(ttl=63)),2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        XlateResult expiring = run(tcp().ttl(1), "actions=resubmit(,1),output:4", "table=1,actions=output:3,dec_ttl,output:2");
        // Table 1's list stops at dec_ttl; the resubmitting rule goes on.
        assertThat(expiring.actions()).hasToString("3,4");
        assertThat(expiring.mask().isExact(FlowField.NW_TTL)).isTrue();
        assertThat(expiring.slowPath()).as("OVS sends it to the controller: reason invalid_ttl").isTrue();
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(run(tcp().ttl(2), "actions=dec_ttl,output:2").slowPath()).isFalse();
    }

    // ------------------------------------------------------------------ VLANs

    @Test
    void vlanPushPopAndRewrite() {
        assertThat(actions("actions=mod_vlan_vid:10,output:2")).isEqualTo("push_vlan(vid=10,pcp=0),2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(run(tcp().vlan(10), "actions=strip_vlan,output:2").actions()).hasToString("pop_vlan,2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(run(tcp().vlan(10), "actions=mod_vlan_pcp:5,output:2").actions())
                .hasToString("pop_vlan,push_vlan(vid=10,pcp=5),2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(run(tcp().vlan(10), "actions=push_vlan:0x88a8,mod_vlan_vid:20,output:2").actions())
                .hasToString("push_vlan(tpid=0x88a8,vid=20,pcp=0),2");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        XlateResult none = run(tcp().vlan(10), "actions=mod_vlan_vid:10,output:2");
        assertThat(none.actions()).hasToString("2");
    }

    // ------------------------------------------------------------------ pipeline

    @Test
    void resubmitGotoAndTableMissContinue() {
        assertThat(actions("actions=resubmit(,1),output:4", "table=1,tcp,actions=output:2", "table=1,priority=0,actions=drop"))
                .isEqualTo("2,4");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        assertThat(actions("actions=goto_table:2", "table=2,actions=output:3")).isEqualTo("3");
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        sw.ofproto.setTableMiss("br0", 0, dev.jvswitch.ofproto.table.TableMiss.CONTINUE);
        assertThat(actions("table=1,actions=output:2")).isEqualTo("2");
    }

    @Test
    void resubmitWithAnInPortLooksUpWithItButOutputsAsBefore() {
        assertThat(actions("in_port=1,actions=resubmit(3,1)", "table=1,in_port=3,actions=output:3,in_port"))
                .isEqualTo("3,1");
    }

    @Test
    void recursionAndResubmitLimitsFailTheFlowToADrop() {
        XlateResult loop = run("actions=output:2,resubmit(,0)");
        assertThat(loop.error()).isEqualTo(XlateError.RECURSION_TOO_DEEP);
        assertThat(loop.actions().isDrop()).isTrue();
        Ofctl.delFlows(sw.ofproto, "br0", "", false);
        String[] fanOut = new String[13];
        for (int t = 0; t < 13; t++) {
            fanOut[t] = "table=" + t + ",actions=resubmit(," + (t + 1) + "),resubmit(," + (t + 1) + ")";
        }
        XlateResult wide = run(fanOut);
        assertThat(wide.error()).isEqualTo(XlateError.TOO_MANY_RESUBMITS);
    }

    @Test
    void tooManyDatapathActionsFailTheFlow() {
        StringBuilder sb = new StringBuilder("actions=");
        for (int i = 0; i < 150; i++) {
            sb.append("output:2,output:3,");
        }
        sb.setLength(sb.length() - 1);
        XlateResult r = run(sb.toString());
        assertThat(r.error()).isEqualTo(XlateError.TOO_MANY_ACTIONS);
        assertThat(r.actions().isDrop()).isTrue();
    }

    @Test
    void unknownPortsAndRecircIdsAreErrors() {
        sw.flows("br0", "actions=output:2");
        assertThat(sw.xlate(sw.key(tcp().build(), 77)).error()).isEqualTo(XlateError.BRIDGE_NOT_FOUND);
        FlowKey k = sw.key(tcp().build(), 1);
        k.set(FlowField.RECIRC_ID, 0x1234);
        assertThat(sw.xlate(k).error()).isEqualTo(XlateError.NO_RECIRCULATION_CONTEXT);
    }

    @Test
    void patchPortsContinueInThePeerOnACopyOfTheFlow() {
        sw.ofproto.reconfigureBridge(new dev.jvswitch.ofproto.bridge.BridgeConfig("br0", List.of(
                dev.jvswitch.ofproto.bridge.OfPort.trunk(1, 1, "br0-p1"), dev.jvswitch.ofproto.bridge.OfPort.trunk(2, 2, "br0-p2"),
                dev.jvswitch.ofproto.bridge.OfPort.patch(5, "patch-a", "patch-b"))));
        sw.bridge(new dev.jvswitch.ofproto.bridge.BridgeConfig("br1", List.of(
                dev.jvswitch.ofproto.bridge.OfPort.patch(1, "patch-b", "patch-a"),
                dev.jvswitch.ofproto.bridge.OfPort.trunk(2, 12, "br1-p2"))));
        sw.flows("br1", "ip,in_port=1,actions=set_field:10.0.0.9->nw_dst,output:2");
        XlateResult r = run("in_port=1,actions=output:5,output:2");
        assertThat(r.actions()).hasToString("set(ipv4(dst=10.0.0.9)),12,set(ipv4(dst=10.0.0.2)),2");
        assertThat(r.rules()).hasSize(2);
    }

    @Test
    void theTunnelHookOwnsOutputsToTunnelPorts() {
        TestSwitch tsw = new TestSwitch();
        try (Packets packets = new Packets()) {
            dev.jvswitch.ofproto.Ofproto of = new dev.jvswitch.ofproto.Ofproto(tsw.clockNs::get, PortLiveness.ALL_LIVE,
                    (ctx, port) -> {
                        if (!port.name().equals("vx")) {
                            return false;
                        }
                        ctx.wc().exact(FlowField.TUN_ID);
                        ctx.actions().output(100 + (int) ctx.flow().get(FlowField.TUN_ID));
                        return true;
                    });
            of.addBridge(new dev.jvswitch.ofproto.bridge.BridgeConfig("br0", List.of(
                    dev.jvswitch.ofproto.bridge.OfPort.trunk(1, 1, "p1"), dev.jvswitch.ofproto.bridge.OfPort.trunk(2, 50, "vx"))));
            Ofctl.addFlow(of, "br0", "actions=set_tunnel:7,output:2");
            XlateResult r = of.xlate().translate(of.snapshot(), packets.key(tcp().build(), 1), false, 0, null);
            assertThat(r.actions()).hasToString("107");
        } finally {
            tsw.close();
        }
    }
}
