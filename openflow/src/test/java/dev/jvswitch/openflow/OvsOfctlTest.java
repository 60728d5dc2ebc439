package dev.jvswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.OfTarget;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.openflow.channel.OfBridge;
import dev.jvswitch.testkit.env.Needs;

/**
 * {@code ovs-ofctl -O OpenFlow13} (Open vSwitch's own client) against the listener: flows added,
 * modified and deleted come back from dump-flows as sent, in ovs-ofctl's own text; errors are
 * the ones ovs-ofctl names. Skipped where ovs-ofctl is missing, except in CI, which installs openvswitch-common.
 */
class OvsOfctlTest {
    @TempDir
    Path dir;
    private TestBackend backend;
    private OpenFlowChannels channels;
    private String target;
    private Path mgmt;

    static boolean haveOvsOfctl() {
        return Files.isExecutable(Path.of("/usr/bin/ovs-ofctl"));
    }

    @BeforeEach
    void start() {
        Needs.that(haveOvsOfctl(), "ovs-ofctl (openvswitch-common)");
        backend = new TestBackend("br0", 3);
        channels = new OpenFlowChannels();
        mgmt = dir.resolve("br0.mgmt");
        OpenFlowSettings s = new OpenFlowSettings(List.of(), List.of(
                OfTarget.parse("ptcp:0", false, p -> p), OfTarget.parse("punix:" + mgmt, false, p -> p)),
                OpenFlowSettings.DEFAULT_PROTOCOLS, OpenFlowSettings.FailMode.SECURE,
                OpenFlowSettings.DERIVED_DATAPATH_ID, 0, 0, 5_000);
        channels.configure("br0", s, backend);
        OfBridge b = channels.bridge("br0");
        String l = b.listening().get(0); // ptcp:PORT:127.0.0.1
        target = "tcp:127.0.0.1:" + l.split(":")[1];
    }

    @AfterEach
    void stop() {
        if (channels != null) {
            channels.close();
            backend.close();
        }
    }

    record Result(int exit, String out, String err) {
    }

    private Result ofctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-ofctl " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()).trim(),
                new String(p.getErrorStream().readAllBytes()).trim());
    }

    private List<String> flows(String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("--no-stats", "dump-flows", target));
        a.addAll(List.of(extra));
        Result r = ofctl(a.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank() && !line.contains("reply")) {
                out.add(line.trim());
            }
        }
        return out;
    }

    private void ok(String... args) throws Exception {
        Result r = ofctl(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }

    @Test
    void showAndFeatures() throws Exception {
        Result r = ofctl("show", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OFPT_FEATURES_REPLY (OF1.3)").contains("dpid:0000020000000001")
                .contains("n_tables:254").contains("1(p1): addr:02:00:00:00:00:01");
    }

    @Test
    void addDumpModifyDelete() throws Exception {
        ok("add-flow", target, "priority=100,ip,nw_dst=10.0.0.0/8,actions=output:2");
        ok("add-flow", target, "table=0,cookie=0x10,priority=200,tcp,tp_dst=80,actions=output:3");
        ok("add-flow", target, "priority=300,in_port=1,dl_src=00:11:22:33:44:55,actions=drop");
        assertThat(flows()).containsExactlyInAnyOrder(
                "cookie=0x10, priority=200,tcp,tp_dst=80 actions=output:3",
                "priority=100,ip,nw_dst=10.0.0.0/8 actions=output:2",
                "priority=300,in_port=1,dl_src=00:11:22:33:44:55 actions=drop");
        ok("mod-flows", target, "tcp,tp_dst=80,actions=output:1");
        assertThat(flows("tcp")).containsExactly("cookie=0x10, priority=200,tcp,tp_dst=80 actions=output:1");
        ok("del-flows", target, "cookie=0x10/-1");
        assertThat(flows()).hasSize(2);
        ok("--strict", "del-flows", target, "priority=100,ip,nw_dst=10.0.0.0/8");
        assertThat(flows()).containsExactly("priority=300,in_port=1,dl_src=00:11:22:33:44:55 actions=drop");
        ok("del-flows", target);
        assertThat(flows()).isEmpty();
    }

    @Test
    void openFlow15DumpFlows() throws Exception {
        ok("add-flow", target, "priority=7,tcp,tp_dst=80,actions=output:1");
        Result r = ofctl("-O", "OpenFlow15", "dump-flows", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OFPST_FLOW reply (OF1.5)").contains("priority=7,tcp,tp_dst=80 actions=output:1");
    }

    @Test
    void openFlow15TablesFlowsAndAggregates() throws Exception {
        ok("-O", "OpenFlow15", "add-flow", target, "priority=7,tcp,tp_dst=80,actions=output:1");
        Path file = dir.resolve("flows15.txt");
        Files.writeString(file, "priority=1,in_port=1,actions=output:2\npriority=1,in_port=2,actions=output:1\n");
        ok("-O", "OpenFlow15", "add-flows", target, file.toString());
        Result r = ofctl("-O", "OpenFlow15", "dump-aggregate", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("packet_count=0 byte_count=0 flow_count=3");
        r = ofctl("-O", "OpenFlow15", "dump-flows", target, "in_port=2");
        assertThat(r.out()).contains("n_packets=0, n_bytes=0,").contains("priority=1,in_port=2 actions=output:1");
        r = ofctl("-O", "OpenFlow15", "dump-table-features", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("table 0:").contains("tables 1...252: ditto").contains("table 253:");
        r = ofctl("-O", "OpenFlow15", "dump-tables", target);
        assertThat(r.out()).contains("active=3");
        ok("-O", "OpenFlow15", "del-flows", target, "in_port=1");
        assertThat(flows()).hasSize(2);
    }

    @Test
    void theManagementSocketWorksAsOvsOpensIt() throws Exception {
        ok("add-flow", "unix:" + mgmt, "priority=5,actions=NORMAL");
        Result r = ofctl("dump-flows", "unix:" + mgmt);
        assertThat(r.out()).contains("priority=5 actions=NORMAL");
    }

    @Test
    void finTimeoutRoundTripsAsNiciraFinTimeout() throws Exception {
        ok("add-flow", target, "priority=10,tcp,actions=fin_timeout(idle_timeout=5,hard_timeout=9),output:1");
        ok("-O", "OpenFlow15", "add-flow", target, "priority=20,tcp,tp_dst=80,actions=fin_timeout(hard_timeout=3),"
                + "output:2");
        assertThat(flows()).containsExactlyInAnyOrder(
                "priority=10,tcp actions=fin_timeout(idle_timeout=5,hard_timeout=9),output:1",
                "priority=20,tcp,tp_dst=80 actions=fin_timeout(hard_timeout=3),output:2");
        Result r = ofctl("-O", "OpenFlow15", "--no-stats", "dump-flows", target, "tcp,tp_dst=80");
        assertThat(r.out()).contains("actions=fin_timeout(hard_timeout=3),output:2");
    }

    @Test
    void unsupportedThingsGetTheRightError() throws Exception {
        Result r = ofctl("add-meter", target, "meter=1,kbps,band=type=dscp_remark,rate=100,prec_level=1");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).as("the userspace datapath runs drop bands only").contains("OFPMMFC_BAD_BAND");
        // A match on tun_metadataN without a TLV map entry is NXFMFC_INVALID_TLV_FIELD, as OVS
        // answers (OvsOfctlTlvTest); registers and metadata are read (below).
        r = ofctl("-O", "OpenFlow15", "add-flow", target, "priority=7,tun_metadata0=1,actions=output:1");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("NXFMFC_INVALID_TLV_FIELD");
    }

    @Test
    void niciraFieldsAndActionsAsOvnSendsThem() throws Exception {
        // Registers, metadata and the Nicira actions OVN's flows use, over 1.3 and 1.5, dumped back as sent.
        List<String> sent = List.of(
                "priority=5,metadata=0x1 actions=drop",
                "priority=6,reg0=0x1,reg9=0x3/0xff actions=set_field:0x2->reg15,resubmit(,8)",
                "table=8, priority=7,ip,reg14=0x2,metadata=0x1 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
                        + "push:NXM_OF_IN_PORT[],set_field:ANY->in_port,resubmit(,9),pop:NXM_OF_IN_PORT[]",
                "table=9, priority=8,ct_state=+est+trk,ip actions=ct(commit,zone=NXM_NX_REG13[0..15],"
                        + "exec(set_field:0x1/0x1->ct_mark)),ct_clear,output:1",
                "table=9, priority=9,xreg1=0x2,conj_id=7 actions=conjunction(12,1/2),note:00.01",
                "table=10, priority=3,udp,reg1=0x4 actions=set_field:53->udp_src,set_field:0x10/0xf0->reg2");
        for (String version : List.of("OpenFlow13", "OpenFlow15")) {
            ok("del-flows", target);
            for (String f : sent) {
                ok("-O", version, "add-flow", target, f);
            }
            // Dumped in every version: OVS writes Nicira fields and actions in 1.3 and 1.4 too.
            for (String dumpVersion : List.of("OpenFlow13", "OpenFlow14", "OpenFlow15")) {
                Result dump = ofctl("-O", dumpVersion, "--no-stats", "dump-flows", target);
                assertThat(dump.exit()).as(dump.err()).isZero();
                assertThat(dump.out()).as(version + " dumped in " + dumpVersion).contains(
                        "priority=5,metadata=0x1 actions=drop",
                        "reg0=0x1,reg9=0x3/0xff", "set_field:0x2->reg15,resubmit(,8)",
                        "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]",
                        "push:NXM_OF_IN_PORT[],set_field:ANY->in_port,resubmit(,9),pop:NXM_OF_IN_PORT[]",
                        "ct_state=+est+trk", "ct(commit,zone=NXM_NX_REG13[0..15],exec(set_field:0x1/0x1->ct_mark))",
                        "ct_clear", "conjunction(12,1/2)", "conj_id=7",
                        // As OVS prints them: an xreg as its two registers, a note with the wire's padding.
                        "reg2=0,reg3=0x2", "note:00.01.00.00.00.00",
                        "udp,reg1=0x4 actions=set_field:53->udp_src,set_field:0x10/0xf0->reg2");
            }
        }
        // OVN's multicast groups: buckets of register writes and resubmits (1.5 group mods).
        ok("-O", "OpenFlow15", "add-group", target,
                "group_id=7,type=all,bucket=set_field:0x1->reg15,resubmit(,37),bucket=set_field:0x2->reg15,resubmit(,37)");
        Result groups = ofctl("-O", "OpenFlow15", "dump-groups", target);
        assertThat(groups.out()).as(groups.err()).contains("group_id=7,type=all",
                "actions=set_field:0x1->reg15,resubmit(,37)", "actions=set_field:0x2->reg15,resubmit(,37)");
    }

    @Test
    void bundleOfFlowsIsOneTransaction() throws Exception {
        Path file = dir.resolve("flows.txt");
        Files.writeString(file, "priority=1,in_port=1,actions=output:2\npriority=1,in_port=2,actions=output:1\n");
        ok("-O", "OpenFlow14", "--bundle", "add-flows", target, file.toString());
        assertThat(flows()).hasSize(2);
        Files.writeString(file, "priority=2,in_port=3,actions=output:1\npriority=2,actions=group:42\n");
        Result r = ofctl("-O", "OpenFlow14", "--bundle", "add-flows", target, file.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("OFPBAC_BAD_OUT_GROUP");
        assertThat(flows()).as("nothing of the failed bundle").hasSize(2);

        // OpenFlow 1.3: the ONF extension's bundle messages, its errors as ONF experimenter errors.
        r = ofctl("--bundle", "add-flows", target, file.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("OFPBAC_BAD_OUT_GROUP", "OFPBFC_MSG_FAILED");
        assertThat(flows()).as("nothing of the failed 1.3 bundle").hasSize(2);
        Files.writeString(file, "priority=2,in_port=3,actions=output:1\npriority=2,in_port=1,actions=output:3\n");
        ok("--bundle", "add-flows", target, file.toString());
        assertThat(flows()).hasSize(4);
        ok("--bundle", "del-flows", target, "in_port=3");
        assertThat(flows()).hasSize(3);

        // OpenFlow 1.5's bundle add, decoded by hand, with a group mod among the flow mods.
        Files.writeString(file, "priority=3,in_port=3,actions=output:1\npriority=3,in_port=1,actions=output:3\n");
        ok("-O", "OpenFlow15", "--bundle", "add-flows", target, file.toString());
        assertThat(flows()).hasSize(5);
        Files.writeString(file, "priority=4,in_port=3,actions=output:2\npriority=4,actions=group:42\n");
        r = ofctl("-O", "OpenFlow15", "--bundle", "add-flows", target, file.toString());
        assertThat(r.err()).contains("OFPBAC_BAD_OUT_GROUP");
        assertThat(flows()).as("nothing of the failed 1.5 bundle").hasSize(5);
        ok("-O", "OpenFlow15", "--bundle", "add-group", target, "group_id=42,type=all,bucket=output:1");
        ok("-O", "OpenFlow15", "--bundle", "add-flows", target, file.toString());
        assertThat(flows()).hasSize(7);
    }

    /** Meters as OVS 3.1's userspace datapath answers them (the text is what ovs-ofctl printed against it). */
    @Test
    void metersAsOvsAnswersThem() throws Exception {
        Result r = ofctl("meter-features", target);
        assertThat(r.out()).contains("max_meter:262144 max_bands:8 max_color:0", "band_types: drop",
                "capabilities: kbps pktps burst stats");
        for (String v : List.of("OpenFlow13", "OpenFlow14", "OpenFlow15")) {
            ok("-O", v, "add-meter", target, "meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5");
            ok("-O", v, "add-meter", target, "meter=2,kbps,bands=type=drop,rate=1000");
            r = ofctl("-O", v, "dump-meters", target);
            assertThat(r.out()).endsWith("meter=1 pktps burst stats bands=\ntype=drop rate=10 burst_size=5\n\n"
                    + "meter=2 kbps bands=\ntype=drop rate=1000");
            ok("-O", v, "add-flow", target, "in_port=1,actions=meter:1,output:2");
            assertThat(ofctl("-O", v, "--no-stats", "dump-flows", target).out())
                    .as("1.3/1.4 write the meter instruction, 1.5 the meter action").contains(
                            "in_port=1 actions=meter:1,output:2");
            r = ofctl("-O", v, "meter-stats", target, "meter=1");
            assertThat(r.out()).containsPattern("meter:1 flow_count:1 packet_in_count:0 byte_in_count:0 duration:"
                    + "[0-9.]+s bands:\n0: packet_count:0 byte_count:0");
            r = ofctl("-O", v, "add-meter", target, "meter=1,pktps,bands=type=drop,rate=10");
            assertThat(r.err()).contains("OFPMMFC_METER_EXISTS");
            r = ofctl("-O", v, "mod-meter", target, "meter=9,pktps,bands=type=drop,rate=10");
            assertThat(r.err()).contains("OFPMMFC_UNKNOWN_METER");
            r = ofctl("-O", v, "add-flow", target, "in_port=2,actions=meter:7,output:1");
            assertThat(r.err()).contains("OFPMMFC_INVALID_METER");
            ok("-O", v, "del-meters", target, "meter=1");
            assertThat(flows()).as("deleting a meter deletes the flows that use it").isEmpty();
            ok("-O", v, "del-meters", target);
            assertThat(ofctl("-O", v, "dump-meters", target).out()).doesNotContain("meter=");
        }
    }

    @Test
    void groups() throws Exception {
        ok("add-group", target, "group_id=1,type=all,bucket=output:1,bucket=output:2");
        ok("add-group", target, "group_id=2,type=select,bucket=weight:10,output:1,bucket=weight:20,output:2");
        ok("add-flow", target, "priority=5,actions=group:1");
        Result r = ofctl("dump-groups", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2")
                .contains("group_id=2,type=select,bucket=weight:10,actions=output:1");
        ok("mod-group", target, "group_id=1,type=all,bucket=output:3");
        assertThat(ofctl("dump-groups", target).out()).contains("group_id=1,type=all,bucket=actions=output:3");
        r = ofctl("dump-group-stats", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("group_id=1,duration=").contains("ref_count=1");
        r = ofctl("add-group", target, "group_id=1,type=all,bucket=output:1");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("OFPGMFC_GROUP_EXISTS");
        ok("del-groups", target, "group_id=2");
        assertThat(ofctl("dump-groups", target).out()).doesNotContain("group_id=2");
        ok("del-groups", target);
        assertThat(ofctl("dump-groups", target).out()).doesNotContain("group_id=1");
        assertThat(flows()).as("deleting a group deletes the flows that send to it").isEmpty();
        r = ofctl("dump-group-features", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Group table:");
    }

    @Test
    void openFlow15GroupsAndPacketOut() throws Exception {
        ok("-O", "OpenFlow15", "add-group", target, "group_id=1,type=all,bucket=output:1,bucket=output:2");
        ok("-O", "OpenFlow15", "add-group", target, "group_id=2,type=select,selection_method=dp_hash,"
                + "bucket=weight:10,actions=output:1,bucket=weight:20,actions=output:2");
        ok("-O", "OpenFlow15", "add-group", target, "group_id=3,type=ff,bucket=watch_port:1,actions=output:1,"
                + "bucket=watch_port:2,actions=output:2");
        Result r = ofctl("-O", "OpenFlow15", "dump-groups", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("group_id=1,type=all,bucket=bucket_id:0,actions=output:1,"
                + "bucket=bucket_id:1,actions=output:2")
                .contains("group_id=2,type=select,selection_method=dp_hash,bucket=bucket_id:0,weight:10,"
                        + "actions=output:1,bucket=bucket_id:1,weight:20,actions=output:2")
                .contains("group_id=3,type=ff,bucket=bucket_id:0,watch_port:1,actions=output:1,"
                        + "bucket=bucket_id:1,watch_port:2,actions=output:2");
        assertThat(ofctl("dump-groups", target).out()).as("the same groups over 1.3")
                .contains("group_id=2,type=select,bucket=weight:10,actions=output:1");
        ok("-O", "OpenFlow15", "mod-group", target, "group_id=1,type=all,bucket=output:3");
        r = ofctl("-O", "OpenFlow15", "dump-group-stats", target);
        assertThat(r.out()).contains("group_id=1,duration=").contains("bucket0:packet_count=0");
        r = ofctl("-O", "OpenFlow15", "add-group", target, "group_id=1,type=all,bucket=output:1");
        assertThat(r.err()).contains("OFPGMFC_GROUP_EXISTS");
        ok("-O", "OpenFlow15", "del-groups", target, "group_id=2");
        assertThat(ofctl("-O", "OpenFlow15", "dump-groups", target).out()).doesNotContain("group_id=2");
        ok("-O", "OpenFlow15", "packet-out", target, "in_port=1,packet=ffffffffffff00000000000108060001080006040001"
                + "00000000000a0000010000000000000a000002,actions=output:2");
        assertThat(backend.packetOuts).hasSize(1);
    }

    @Test
    void packetOutAndPortMod() throws Exception {
        ok("packet-out", target, "1", "output:2",
                "ffffffffffff0000000000010806000108000604000100000000000a0000010000000000000a000002");
        assertThat(backend.packetOuts).hasSize(1);
        // An in_port the bridge does not have: OVS runs it too.
        ok("packet-out", target, "9", "output:2", "ffffffffffff00000000000108060001");
        assertThat(backend.packetOuts).hasSize(2);
        Result r = ofctl("mod-port", target, "7", "down");
        assertThat(r.exit()).isNotZero();
    }

    @Test
    void modPortDownAndUpIsKeptShownAndAnnounced() throws Exception {
        try (OfTestClient watcher = OfTestClient.connect(Integer.parseInt(target.split(":")[2]),
                org.projectfloodlight.openflow.protocol.OFVersion.OF_13)) {
            ok("mod-port", target, "2", "down");
            assertThat(backend.ofproto.portConfig("br0", 2)).isEqualTo(1);
            Result r = ofctl("dump-ports-desc", target);
            assertThat(r.out()).contains(" 2(p2): addr:02:00:00:00:00:02\n     config:     PORT_DOWN\n"
                    + "     state:      LINK_DOWN").contains(" 1(p1): addr:02:00:00:00:00:01\n     config:     0\n");
            org.projectfloodlight.openflow.protocol.OFMessage m = watcher.read();
            assertThat(m).isInstanceOf(org.projectfloodlight.openflow.protocol.OFPortStatus.class);
            org.projectfloodlight.openflow.protocol.OFPortStatus ps = (org.projectfloodlight.openflow.protocol.OFPortStatus) m;
            assertThat(ps.getReason()).isEqualTo(org.projectfloodlight.openflow.protocol.OFPortReason.MODIFY);
            assertThat(ps.getDesc().getPortNo().getPortNumber()).isEqualTo(2);
            assertThat(ps.getDesc().getConfig()).containsExactly(org.projectfloodlight.openflow.protocol.OFPortConfig.PORT_DOWN);

            ok("-O", "OpenFlow15", "mod-port", target, "2", "up");
            ok("-O", "OpenFlow15", "mod-port", target, "3", "no-forward");
            ok("mod-port", target, "1", "no-receive");
            r = ofctl("-O", "OpenFlow15", "dump-ports-desc", target);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains(" 2(p2): addr:02:00:00:00:00:02\n     config:     0\n     state:      LIVE")
                    .contains(" 3(p3): addr:02:00:00:00:00:03\n     config:     NO_FWD\n")
                    .contains(" 1(p1): addr:02:00:00:00:00:01\n     config:     NO_RECV\n");
            r = ofctl("show", target);
            assertThat(r.out()).contains("config:     NO_FWD");
            ok("mod-port", target, "3", "forward");
            assertThat(backend.ofproto.portConfig("br0", 3)).isZero();
        }
    }

    @Test
    void aggregateTablesPorts() throws Exception {
        ok("add-flow", target, "priority=1,actions=output:1");
        Result r = ofctl("dump-aggregate", target);
        assertThat(r.out()).contains("flow_count=1");
        r = ofctl("dump-ports-desc", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("2(p2): addr:02:00:00:00:00:02");
        r = ofctl("dump-tables", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("table 0:").contains("active=1");
        r = ofctl("dump-ports", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("port  3: rx pkts=1, bytes=60");
    }
}
