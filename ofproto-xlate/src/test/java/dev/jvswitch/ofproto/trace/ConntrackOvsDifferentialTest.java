package dev.jvswitch.ofproto.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.testkit.ovs.MegaflowMatch;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.ovs.OvsOracleExtension;

/**
 * Connection tracking flows traced by jvswitch and by OVS 3.1: every pass of the trace (the
 * first, and each one after {@code ct(table=N)}, tracked as {@code --ct-next} says) must give the
 * same {@code Megaflow:} (as a set of matches) and {@code Datapath actions:}, recirculation ids
 * aside (each side numbers its own; they are compared by order of appearance), and the same pass
 * titles. Also the flows as {@code ovs-ofctl dump-flows} prints them. Without OVS the test is
 * skipped, or fails where CI requires the peers ({@code Needs}).
 *
 * <p>Rules that overlap have different priorities here: with equal priorities OVS stops at the
 * first subtable that matches while jvswitch's classifier also looks at the others of that
 * priority, which unwildcards more (a classifier difference, not one of ct).
 */
class ConntrackOvsDifferentialTest {
    private static final List<String> FIREWALL = List.of(
            "table=0,priority=10,ip,ct_state=-trk,actions=ct(table=1,zone=1)",
            "table=0,priority=1,actions=drop",
            "table=1,priority=11,in_port=1,ip,ct_state=+trk+new,actions=ct(commit,zone=1,exec(set_field:0x5->ct_mark)),output:2",
            "table=1,priority=10,ip,ct_state=+trk+est,actions=output:1,output:2",
            "table=1,priority=1,actions=drop");
    private static final List<String> OVN_ZONE = List.of(
            "table=0,priority=10,ip,actions=load:0x7->NXM_NX_REG13[0..15],ct(table=1,zone=NXM_NX_REG13[0..15])",
            "table=1,priority=20,ip,ct_state=+trk+est,ct_zone=7,ct_mark=0x5/0xff,actions=output:2",
            "table=1,priority=10,ip,ct_state=+trk+new,actions=ct(commit,zone=NXM_NX_REG13[0..15],exec(set_field:0x5->ct_mark,set_field:0x1->ct_label)),output:2",
            "table=1,priority=5,ip,ct_state=+trk+inv,actions=drop",
            "table=1,priority=1,actions=output:3");
    private static final List<String> TUPLE = List.of(
            "table=0,priority=10,ip,ct_state=-trk,actions=ct(table=1)",
            "table=1,priority=10,ip,ct_state=+est+trk,ct_nw_src=10.0.0.1,ct_nw_proto=17,ct_tp_dst=53,actions=ct_clear,output:2",
            "table=1,priority=8,ip,ct_state=+est+trk,ct_label=0x1/0x1,actions=output:3",
            "table=1,priority=5,ip,ct_state=+new+trk,actions=ct(commit,force),output:2");
    private static final List<String> SNAT = List.of(
            "table=0,priority=10,ip,ct_state=-trk,actions=ct(table=1,zone=5,nat)",
            "table=1,priority=20,in_port=1,ip,ct_state=+trk+new,actions=ct(commit,zone=5,nat(src=192.0.2.10-192.0.2.20:32768-65535,random)),output:2",
            "table=1,priority=15,in_port=1,tcp,ct_state=+trk+new,actions=ct(commit,zone=5,nat(src=192.0.2.30,persistent)),output:2",
            "table=1,priority=10,ip,ct_state=+trk+est,actions=output:1,output:2",
            "table=1,priority=5,ip,ct_state=+trk+rel,actions=ct(zone=5,nat),output:1",
            "table=1,priority=1,actions=drop");
    private static final List<String> DNAT = List.of(
            "table=0,priority=10,ip,ct_state=-trk,actions=ct(table=1,nat)",
            "table=0,priority=10,ipv6,ct_state=-trk,actions=ct(table=1,zone=2,nat)",
            "table=1,priority=20,tcp,nw_dst=192.0.2.1,tp_dst=80,ct_state=+trk+new,actions=ct(commit,nat(dst=10.0.0.5:8080),exec(set_field:0x1->ct_mark)),output:2",
            "table=1,priority=20,tcp6,ct_state=+trk+new,actions=ct(commit,zone=2,nat(dst=[fd00::5]-[fd00::6]:8080-8081,hash)),output:2",
            "table=1,priority=15,udp6,ct_state=+trk+new,actions=ct(commit,zone=2,nat(src=fd00::9)),output:2",
            "table=1,priority=10,ip,ct_state=+trk+est+dnat,actions=output:2",
            "table=1,priority=9,ip,ct_state=+trk+est+snat,actions=output:1",
            "table=1,priority=1,actions=drop");
    private static final String UDP_OUT = "in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.0.0.2,udp_src=1000,udp_dst=53";
    private static final String UDP_BACK = "in_port=2,udp,nw_src=10.0.0.2,nw_dst=10.0.0.1,udp_src=53,udp_dst=1000";
    private static final String TCP_OUT = "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_src=1000,tcp_dst=80";

    @RegisterExtension
    static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2, 3);

    @Test
    void statefulFirewall() {
        check(FIREWALL, UDP_OUT, null);
        check(FIREWALL, UDP_OUT, "trk,est");
        check(FIREWALL, UDP_BACK, "trk,est,rpl");
        check(FIREWALL, UDP_BACK, "trk,new");
        check(FIREWALL, TCP_OUT, "trk,inv");
        check(FIREWALL, "in_port=1,arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.2", null);
    }

    @Test
    void zoneFromARegisterMarkAndLabel() {
        check(OVN_ZONE, UDP_OUT, null);
        check(OVN_ZONE, UDP_OUT, "trk,est");
        check(OVN_ZONE, UDP_OUT, "trk,inv");
        check(OVN_ZONE, TCP_OUT, "trk,rel");
    }

    @Test
    void originalTupleMatchesAndCtClear() {
        check(TUPLE, UDP_OUT, "trk,est");
        check(TUPLE, UDP_OUT, null);
        check(TUPLE, TCP_OUT, "trk,est");
    }

    @Test
    void sourceNatWithRangesAndRelated() {
        check(SNAT, UDP_OUT, null);
        check(SNAT, TCP_OUT, null);
        check(SNAT, UDP_BACK, "trk,est,rpl,dnat");
        check(SNAT, UDP_BACK, "trk,rel,rpl");
    }

    @Test
    void destinationNatIpv4AndIpv6() {
        check(DNAT, "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=192.0.2.1,tcp_src=1000,tcp_dst=80", null);
        check(DNAT, "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=192.0.2.1,tcp_src=1000,tcp_dst=80", "trk,est,dnat");
        check(DNAT, "in_port=2,tcp,nw_src=10.0.0.5,nw_dst=10.0.0.1,tcp_src=8080,tcp_dst=1000", "trk,est,rpl,snat");
        check(DNAT, "in_port=1,tcp6,ipv6_src=fd00::1,ipv6_dst=fd00::100,tcp_src=1000,tcp_dst=80", null);
        check(DNAT, "in_port=1,udp6,ipv6_src=fd00::1,ipv6_dst=fd00::100,udp_src=1000,udp_dst=53", null);
    }

    @Test
    void flowsPrintAsOvsDumpsThem() {
        for (List<String> table : List.of(FIREWALL, OVN_ZONE, TUPLE, SNAT, DNAT)) {
            OVS.oracle().replaceFlows(table);
            List<String> expected = new ArrayList<>();
            for (String l : OVS.oracle().ofctl("dump-flows", OvsOracle.BRIDGE, "--no-stats").split("\n")) {
                if (!l.isBlank() && !l.startsWith("NXST_FLOW")) {
                    expected.add(l.trim());
                }
            }
            List<String> ours = new ArrayList<>();
            for (String f : table) {
                ours.add(FlowSyntax.format(FlowSyntax.parseAdd(f)).replace("cookie=0x0, ", "").replace("table=0, ", ""));
            }
            assertThat(ours).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static void check(List<String> flows, String flow, String ctNext) {
        OVS.oracle().replaceFlows(flows);
        String o = ctNext == null ? OVS.oracle().appctl("ofproto/trace", OvsOracle.BRIDGE, flow)
                : OVS.oracle().appctl("ofproto/trace", OvsOracle.BRIDGE, flow, "--ct-next", ctNext);
        Ofproto jvs = OvsTwin.of(flows);
        FlowKey key = Trace.parseFlow(flow);
        String j = jvs.tracer().trace(OvsOracle.BRIDGE, key, null, ctNext == null ? List.of() : List.of(ctNext));
        List<String[]> op = passes(o);
        List<String[]> jp = passes(j);
        String both = "\n--- OVS:\n" + o + "\n--- jvswitch:\n" + j;
        assertThat(jp).as("passes" + both).hasSameSizeAs(op);
        for (int i = 0; i < op.size(); i++) {
            assertThat(jp.get(i)[0]).as("pass %d title%s", i, both).isEqualTo(op.get(i)[0]);
            assertThat(MegaflowMatch.parse(jp.get(i)[1])).as("pass %d megaflow%s", i, both)
                    .isEqualTo(MegaflowMatch.parse(op.get(i)[1]));
            assertThat(jp.get(i)[2]).as("pass %d actions%s", i, both).isEqualTo(op.get(i)[2]);
        }
    }

    /** Each pass's title, Megaflow and Datapath actions, recirc ids renumbered by first appearance. */
    private static List<String[]> passes(String text) {
        Map<String, String> ids = new LinkedHashMap<>();
        Matcher m = Pattern.compile("recirc(?:_id=|\\()(0x[0-9a-f]+)").matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String id = ids.computeIfAbsent(m.group(1), k -> "#" + (ids.size() + 1));
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group().replace(m.group(1), id)));
        }
        m.appendTail(sb);
        List<String[]> out = new ArrayList<>();
        String title = "";
        String megaflow = null;
        for (String line : sb.toString().split("\n")) {
            if (line.startsWith("recirc(")) {
                title = line;
            } else if (line.startsWith("Megaflow: ")) {
                megaflow = line.substring(10).trim();
            } else if (line.startsWith("Datapath actions: ")) {
                out.add(new String[] {title, megaflow, line.substring(18).trim()});
            }
        }
        return out;
    }
}
