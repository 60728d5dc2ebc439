package dev.jvswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.OfTarget;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.openflow.channel.OfBridge;
import dev.jvswitch.testkit.env.Needs;

/**
 * Geneve options on the OpenFlow wire against OVS's own client: {@code ovs-ofctl add-tlv-map},
 * {@code del-tlv-map} and {@code dump-tlv-map} (Nicira's {@code NXT_TLV_TABLE_*}) edit and read
 * the same TLV map as the control socket, with OVS's errors; flows that match
 * {@code tun_metadataN} (OVS's variable-length {@code NXM_NX_TUN_METADATA<N>}) and
 * {@code tun_flags} go in and come back from dump-flows as OVS prints them, in OpenFlow 1.3 and 1.5.
 */
class OvsOfctlTlvTest {
    private static final String OVN = "{class=0x102,type=0x80,len=4}->tun_metadata0";
    private static final String OVN_INGRESS = "priority=100,tun_id=0x1,tun_metadata0=0x10000/0x7fff0000 "
            + "actions=move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14],"
            + "move:NXM_NX_TUN_METADATA0[0..15]->NXM_NX_REG15[0..15],resubmit(,33)";
    private static final String OVN_EGRESS = "table=32, priority=100,reg15=0x2,metadata=0x1 "
            + "actions=set_field:0x1/0xffffff->tun_id,set_field:0x2->tun_metadata0,"
            + "move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:3";

    @TempDir
    Path dir;
    private TestBackend backend;
    private OpenFlowChannels channels;
    private String target;

    @BeforeEach
    void start() {
        Needs.that(OvsOfctlTest.haveOvsOfctl(), "ovs-ofctl (openvswitch-common)");
        backend = new TestBackend("br0", 3);
        channels = new OpenFlowChannels();
        OpenFlowSettings s = new OpenFlowSettings(List.of(), List.of(OfTarget.parse("ptcp:0", false, p -> p)),
                OpenFlowSettings.DEFAULT_PROTOCOLS, OpenFlowSettings.FailMode.SECURE,
                OpenFlowSettings.DERIVED_DATAPATH_ID, 0, 0, 5_000);
        channels.configure("br0", s, backend);
        OfBridge b = channels.bridge("br0");
        target = "tcp:127.0.0.1:" + b.listening().get(0).split(":")[1];
    }

    @AfterEach
    void stop() {
        if (channels != null) {
            channels.close();
            backend.close();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private Result ofctl(String version, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", version));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-ofctl " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()).trim(),
                new String(p.getErrorStream().readAllBytes()).trim());
    }

    private void ok(String version, String... args) throws Exception {
        Result r = ofctl(version, args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }

    private String fails(String version, String... args) throws Exception {
        Result r = ofctl(version, args);
        assertThat(r.exit()).as(String.join(" ", args)).isNotZero();
        return r.err();
    }

    private List<String> flows(String version, String... filter) throws Exception {
        List<String> a = new ArrayList<>(List.of("--no-stats", "dump-flows", target));
        a.addAll(List.of(filter));
        Result r = ofctl(version, a.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank() && !line.contains("reply")) {
                out.add(line.trim());
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow15"})
    void tlvMapsAreEditedAndDumpedOverOpenFlow(String v) throws Exception {
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=0x3,len=4}->tun_metadata7");
        assertThat(backend.tlvMaps().get("br0").mappings()).containsExactly(
                new TlvMap.Mapping(0x102, 0x80, 4, 0), new TlvMap.Mapping(0xffff, 3, 4, 7));
        Result r = ofctl(v, "dump-tlv-map", target);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("NXT_TLV_TABLE_REPLY").contains(" max option space=256 max fields=64")
                .contains(" allocated option space=8").contains("  class  type  length  match field")
                .contains("  0x102  0x80       4  tun_metadata0").contains(" 0xffff   0x3       4  tun_metadata7");
        // The reply is the one the control socket's ofctl/dump-tlv-map prints, from its first line on.
        String dump = backend.tlvMaps().get("br0").dump();
        assertThat(r.out().substring(r.out().indexOf(" max option")).trim())
                .isEqualTo(dump.substring(dump.indexOf(" max option")).trim());

        ok(v, "del-tlv-map", target, "{class=0xffff,type=0x3,len=4}->tun_metadata7");
        assertThat(backend.tlvMaps().get("br0").mappings()).containsExactly(new TlvMap.Mapping(0x102, 0x80, 4, 0));
        ok(v, "del-tlv-map", target);
        assertThat(backend.tlvMaps().get("br0").size()).isZero();
        assertThat(ofctl(v, "dump-tlv-map", target).out()).contains(" allocated option space=0");
    }

    @Test
    void refusedEditsGetOvsErrorsAndChangeNothing() throws Exception {
        String v = "OpenFlow13";
        ok(v, "add-tlv-map", target, OVN);
        assertThat(fails(v, "add-tlv-map", target, "{class=0xffff,type=0,len=4}->tun_metadata0"))
                .contains("NXTTMFC_ALREADY_MAPPED");
        assertThat(fails(v, "add-tlv-map", target, "{class=0x102,type=0x80,len=4}->tun_metadata1"))
                .contains("NXTTMFC_DUP_ENTRY");
        assertThat(fails(v, "add-tlv-map", target, "{class=0xffff,type=1,len=4}->tun_metadata2,"
                + "{class=0xffff,type=2,len=5}->tun_metadata3")).contains("NXTTMFC_BAD_OPT_LEN");
        assertThat(fails(v, "add-tlv-map", target, "{class=0xffff,type=1,len=4}->tun_metadata64"))
                .contains("NXTTMFC_BAD_FIELD_IDX");
        assertThat(backend.tlvMaps().get("br0").mappings()).containsExactly(new TlvMap.Mapping(0x102, 0x80, 4, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow15"})
    void flowsMatchingTunMetadataAndTunFlagsRoundTrip(String v) throws Exception {
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=0x3,len=4}->tun_metadata7");
        ok(v, "add-flow", target, "priority=10,tun_metadata0=0x10002,actions=output:1");
        ok(v, "add-flow", target, "priority=20,tun_metadata0=0x1/0xff,tun_metadata7=0,actions=output:2");
        ok(v, "add-flow", target, "priority=21,tun_metadata0=0x1/0xff00ff,actions=output:2");
        ok(v, "add-flow", target, "priority=30,tun_flags=+oam,actions=drop");
        ok(v, "add-flow", target, "priority=40,tun_id=0x5,tun_metadata7=0xabcdef01,tun_flags=-oam,actions=output:3");
        assertThat(flows(v)).containsExactlyInAnyOrder(
                "priority=10,tun_metadata0=0x10002 actions=output:1",
                // OVS's own switch prints this rule so too: ovs-ofctl shows the mask only where the value's bytes
                // are not all matched.
                "priority=20,tun_metadata0=0x1,tun_metadata7=0 actions=output:2",
                "priority=21,tun_metadata0=0x1/0xff00ff actions=output:2",
                "priority=30,tun_flags=+oam actions=drop",
                "priority=40,tun_id=0x5,tun_flags=-oam,tun_metadata7=0xabcdef01 actions=output:3");
        assertThat(flows(v, "tun_metadata0=0x10002")).containsExactly(
                "priority=10,tun_metadata0=0x10002 actions=output:1");
        ok(v, "--strict", "del-flows", target, "priority=20,tun_metadata0=0x1/0xff,tun_metadata7=0");
        assertThat(flows(v)).hasSize(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow15"})
    void setFieldIntoTunMetadataRoundTrips(String v) throws Exception {
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=0x3,len=4}->tun_metadata7");
        ok(v, "add-flow", target, "priority=1,actions=set_field:0x1234->tun_metadata0,output:1");
        ok(v, "add-flow", target, "priority=3,actions=load:0xabcdef01->tun_metadata7[],output:1");
        ok(v, "add-flow", target, "priority=4,actions=set_field:0x10/0xff0->tun_metadata7,output:1");
        ok(v, "add-flow", target, "priority=5,actions=load:0x1->tun_metadata0[8],output:1");
        // What OVS 3.1's own switch prints for these, in both versions.
        List<String> expected = List.of("priority=1 actions=set_field:0x1234->tun_metadata0,output:1",
                "priority=3 actions=set_field:0xabcdef01->tun_metadata7,output:1",
                "priority=4 actions=set_field:0x10/0xff0->tun_metadata7,output:1",
                "priority=5 actions=set_field:0x100/0x100->tun_metadata0,output:1");
        assertThat(flows("OpenFlow15")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(flows("OpenFlow13")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(fails(v, "add-flow", target, "priority=6,actions=set_field:0x101/0x101->tun_metadata0"))
                .contains("OFPBAC_BAD_SET_ARGUMENT");
    }

    /**
     * ovn-controller's Geneve flows: {@code tun_metadata0} beside Nicira actions (move, resubmit),
     * so the whole flow mod goes through the Nicira codec, match and actions alike.
     */
    @Test
    void ovnFlowsWithNiciraActionsCarryTunMetadata() throws Exception {
        String v = "OpenFlow15";
        ok(v, "add-tlv-map", target, OVN);
        ok(v, "add-flow", target, "table=0,priority=100,tun_id=0x1,tun_metadata0=0x10000/0x7fff0000 "
                + "actions=move:NXM_NX_TUN_METADATA0[16..30]->NXM_NX_REG14[0..14],"
                + "move:NXM_NX_TUN_METADATA0[0..15]->NXM_NX_REG15[0..15],resubmit(,33)");
        ok(v, "add-flow", target, "table=32,priority=100,reg15=0x2,metadata=0x1 "
                + "actions=load:0x1->NXM_NX_TUN_ID[0..23],set_field:0x2->tun_metadata0,"
                + "move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:3");
        ok(v, "add-flow", target, "table=33,priority=100,tun_metadata0=0x10002 actions=resubmit(,34)");
        assertThat(flows(v)).containsExactlyInAnyOrder(
                OVN_INGRESS,
                OVN_EGRESS,
                "table=33, priority=100,tun_metadata0=0x10002 actions=resubmit(,34)");
        assertThat(fails(v, "add-flow", target, "table=33,priority=5,tun_metadata3=1 actions=resubmit(,34)"))
                .contains("NXFMFC_INVALID_TLV_FIELD");
    }

    /**
     * Longer options are mapped as OVS maps them, and matched whole: ovs-ofctl sends the field
     * with the map's length, the switch lays it into the option's slots, and dump-flows prints
     * it back as OVS 3.1 prints it (on the openflowj path and, beside Nicira actions, the Nicira
     * one).
     */
    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow15"})
    void longerOptionsAreMappedAndMatchedWhole(String v) throws Exception {
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=2,len=8}->tun_metadata2,"
                + "{class=0xffff,type=0x83,len=12}->tun_metadata3,{class=0xffff,type=4,len=112}->tun_metadata4");
        assertThat(ofctl(v, "dump-tlv-map", target).out()).contains(" allocated option space=136")
                .contains(" 0xffff   0x4     112  tun_metadata4");
        List<String> rules = List.of("priority=10,tun_metadata2=0x1122334455667788 actions=output:1",
                "priority=11,tun_metadata3=0xaabbccdd00000000000000ff/0xffffffff00000000000000ff actions=output:2",
                "priority=12,tun_metadata2=0x1 actions=output:1",
                "priority=13,tun_metadata4=0x1020304050607080900000000000000000000000000000000000000000000000000000000"
                        + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                        + "0000000000000000000000000000000000000000000000000042 actions=output:3",
                "priority=14,tun_metadata2=0x1122334455667788,tun_metadata3=0x1 actions="
                        + "move:NXM_NX_TUN_METADATA2[0..15]->NXM_NX_REG15[0..15],resubmit(,33)");
        for (String r : rules) {
            ok(v, "add-flow", target, r);
        }
        assertThat(flows(v)).containsExactlyInAnyOrderElementsOf(rules);
        assertThat(flows(v, "tun_metadata2=0x1")).containsExactly("priority=12,tun_metadata2=0x1 actions=output:1");
        assertThat(fails(v, "add-tlv-map", target, "{class=0xffff,type=5,len=124}->tun_metadata5"))
                .contains("NXTTMFC_TABLE_FULL");
    }

    /**
     * A whole longer option set over OpenFlow: ovs-ofctl sends the set-field with the fewest bytes
     * that hold the value (and mask), the switch reads it as wide as the map makes the option and
     * writes it back with the option's length; dump-flows prints what went in, in 1.3 (a masked
     * one as Nicira's {@code reg_load2}) and 1.5, added alone or in a bundle.
     */
    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow15"})
    void longerOptionsAreSetWholeOverOpenFlow(String v) throws Exception {
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=2,len=8}->tun_metadata2,"
                + "{class=0xffff,type=3,len=12}->tun_metadata3,{class=0xffff,type=4,len=16}->tun_metadata4,"
                + "{class=0xffff,type=5,len=64}->tun_metadata5");
        String long64 = "0x1" + "0".repeat(30) + "23456789abcdef" + "0".repeat(80) + "ff";
        List<String> rules = List.of("priority=1 actions=set_field:0x102030405060708->tun_metadata2,output:1",
                "priority=2 actions=set_field:0x1->tun_metadata2,output:1",
                "priority=3 actions=set_field:0x1122334455667788990011->tun_metadata3,output:2",
                "priority=4 actions=set_field:0xaabbccdd000000000000000000000001->tun_metadata4,output:2",
                "priority=5 actions=set_field:" + long64 + "->tun_metadata5,output:3",
                "priority=6 actions=set_field:0x1100000000000000002200/0xff0000000000000000ff00->tun_metadata3,output:1",
                "priority=7,tun_metadata5=0x42 actions=set_field:0x1->tun_metadata5,"
                        + "move:NXM_NX_TUN_METADATA2[0..15]->NXM_NX_REG15[0..15],resubmit(,33)");
        for (String r : rules) {
            ok(v, "add-flow", target, r.replace(" actions", ",actions"));
        }
        assertThat(flows(v)).containsExactlyInAnyOrderElementsOf(rules);
        assertThat(flows("OpenFlow15".equals(v) ? "OpenFlow13" : "OpenFlow15"))
                .containsExactlyInAnyOrderElementsOf(rules);
        // The 64-byte option takes 16 slots of the key.
        assertThat(backend.tlvMaps().get("br0").slotsOf(5)).hasSize(16);
    }

    @Test
    void longerOptionsAreSetWholeInABundle() throws Exception {
        String v = "OpenFlow15";
        ok(v, "add-tlv-map", target, "{class=0xffff,type=3,len=12}->tun_metadata3,"
                + "{class=0xffff,type=5,len=64}->tun_metadata5");
        String long64 = "0xabcdef" + "0".repeat(119) + "7";
        List<String> rules = List.of("priority=1 actions=set_field:0x1122334455667788990011->tun_metadata3,output:2",
                "priority=2 actions=set_field:" + long64 + "->tun_metadata5,output:3");
        Path file = dir.resolve("flows.txt");
        java.nio.file.Files.writeString(file, String.join("\n", rules.stream()
                .map(r -> r.replace(" actions", ",actions")).toList()) + "\n");
        ok(v, "--bundle", "add-flows", target, file.toString());
        assertThat(flows(v)).containsExactlyInAnyOrderElementsOf(rules);
    }

    /**
     * Group buckets that set options, of 4, 8 and 64 bytes (whole, masked, beside Nicira and plain
     * actions): dump-groups prints what add-group sent, in 1.3, 1.4 and 1.5, and read back in the
     * other versions; mod-group too, and a group mod in a bundle (1.4's or 1.5's).
     */
    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow14", "OpenFlow15"})
    void longerOptionsAreSetWholeInGroupBuckets(String v) throws Exception {
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=2,len=8}->tun_metadata2,"
                + "{class=0xffff,type=5,len=64}->tun_metadata5");
        String long64 = "0x1" + "0".repeat(30) + "23456789abcdef" + "0".repeat(80) + "ff";
        String g1 = "group_id=1,type=all,bucket=set_field:0x102030405060708->tun_metadata2,output:1,"
                + "bucket=set_field:" + long64 + "->tun_metadata5,output:2";
        String g2 = "group_id=2,type=select,bucket=weight:10,set_field:0x2->tun_metadata0,"
                + "set_field:0x1100000000000022/0xff000000000000ff->tun_metadata2,output:1,"
                + "bucket=weight:20,set_field:0x1->reg15,set_field:0x1->tun_metadata2,resubmit(,37)";
        ok(v, "add-group", target, g1);
        ok(v, "add-group", target, g2);
        List<String> want = List.of(printed(g1, v), printed(g2, v));
        for (String other : List.of("OpenFlow13", "OpenFlow14", "OpenFlow15")) {
            assertThat(groups(other)).as("dump-groups in " + other).containsExactlyInAnyOrderElementsOf(
                    List.of(printed(g1, other), printed(g2, other)));
        }
        assertThat(groups(v)).containsExactlyInAnyOrderElementsOf(want);
        String g1b = "group_id=1,type=all,bucket=set_field:0xaabbccdd->tun_metadata2,output:3";
        ok(v, "mod-group", target, g1b);
        String g3 = "group_id=3,type=indirect,bucket=set_field:" + long64 + "->tun_metadata5,output:1";
        // Bundles are OpenFlow 1.4's (and 1.5's); 1.3's ONF extension bundles are not taken.
        ok("OpenFlow13".equals(v) ? "OpenFlow14" : v, "--bundle", "add-group", target, g3);
        assertThat(groups(v)).containsExactlyInAnyOrder(printed(g1b, v), printed(g2, v), printed(g3, v));
    }

    /** A group as dump-groups prints it in {@code version}: actions= in each bucket, 1.5's bucket ids. */
    private static String printed(String group, String version) {
        String[] parts = group.split(",bucket=");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            String weight = "";
            if (p.startsWith("weight:")) {
                weight = p.substring(0, p.indexOf(',') + 1);
                p = p.substring(p.indexOf(',') + 1);
            }
            b.append(",bucket=").append("OpenFlow15".equals(version) ? "bucket_id:" + (i - 1) + "," : "")
                    .append(weight).append("actions=").append(p);
        }
        return b.toString();
    }

    private List<String> groups(String version) throws Exception {
        Result r = ofctl(version, "dump-groups", target);
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.contains("group_id=")) {
                out.add(line.trim());
            }
        }
        return out;
    }

    /**
     * The trap: tun_metadata63 is not mapped, but its slot holds the first 4 bytes of the 8-byte
     * tun_metadata2; a write into it is refused (as OVS refuses any unmapped field), while a whole
     * set of the longer option goes in whole.
     */
    @Test
    void writesIntoAnUnmappedOptionAreRefusedAsOvsRefusesThem() throws Exception {
        String v = "OpenFlow15";
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=2,len=8}->tun_metadata2");
        for (String actions : List.of("set_field:0x1->tun_metadata63", "load:0x1->tun_metadata63[0..7]",
                "move:NXM_NX_REG0[0..7]->NXM_NX_TUN_METADATA63[0..7]")) {
            assertThat(fails(v, "add-flow", target, "priority=1,actions=" + actions + ",output:1"))
                    .as(actions).contains("NXFMFC_INVALID_TLV_FIELD");
        }
        ok(v, "add-flow", target, "priority=2,actions=load:0x1->tun_metadata2[0..7],output:1");
        ok(v, "add-flow", target, "priority=3,actions=set_field:0x1->tun_metadata2,output:1");
        assertThat(flows(v)).containsExactlyInAnyOrder("priority=2 actions=set_field:0x1/0xff->tun_metadata2,output:1",
                "priority=3 actions=set_field:0x1->tun_metadata2,output:1");
    }

    /** As OVS: a mapping a flow uses (in its match or its actions) cannot be deleted or cleared until the flow goes. */
    @Test
    void aMappingInUseCannotBeDeleted() throws Exception {
        String v = "OpenFlow15";
        ok(v, "add-tlv-map", target, OVN + ",{class=0xffff,type=2,len=8}->tun_metadata2");
        ok(v, "add-flow", target, "priority=1,tun_metadata2=0x1122334455667788,actions=output:1");
        ok(v, "add-flow", target, "priority=2,actions=move:NXM_NX_REG0[0..7]->NXM_NX_TUN_METADATA0[0..7],output:1");
        assertThat(fails(v, "del-tlv-map", target, "{class=0xffff,type=2,len=8}->tun_metadata2"))
                .contains("NXTTMFC_INVALID_TLV_DEL");
        assertThat(fails(v, "del-tlv-map", target, OVN)).contains("NXTTMFC_INVALID_TLV_DEL");
        assertThat(fails(v, "del-tlv-map", target)).contains("NXTTMFC_INVALID_TLV_DEL");
        assertThat(backend.tlvMaps().get("br0").size()).isEqualTo(2);
        ok(v, "--strict", "del-flows", target, "priority=1,tun_metadata2=0x1122334455667788");
        ok(v, "del-tlv-map", target, "{class=0xffff,type=2,len=8}->tun_metadata2");
        assertThat(backend.tlvMaps().get("br0").mappings()).containsExactly(new TlvMap.Mapping(0x102, 0x80, 4, 0));
    }

    /**
     * A mapping whose own slot holds the bytes of a longer option a flow uses would move them under
     * the flow: refused as an option with no room is ({@code NXTTMFC_TABLE_FULL}) until the flow goes.
     */
    @Test
    void aMappingThatWouldMoveAnOptionInUseIsRefused() throws Exception {
        String v = "OpenFlow15";
        ok(v, "add-tlv-map", target, "{class=0xffff,type=2,len=8}->tun_metadata2");
        int[] slots = backend.tlvMaps().get("br0").slotsOf(2);
        ok(v, "add-flow", target, "priority=1,tun_metadata2=0x1122334455667788,actions=output:1");
        String taker = "{class=0xffff,type=3,len=4}->tun_metadata" + slots[0];
        assertThat(fails(v, "add-tlv-map", target, taker)).contains("NXTTMFC_TABLE_FULL");
        assertThat(backend.tlvMaps().get("br0").slotsOf(2)).containsExactly(slots);
        assertThat(backend.tlvMaps().get("br0").size()).isEqualTo(1);
        ok(v, "add-tlv-map", target, "{class=0xffff,type=4,len=4}->tun_metadata5");
        ok(v, "--strict", "del-flows", target, "priority=1,tun_metadata2=0x1122334455667788");
        ok(v, "add-tlv-map", target, taker);
        assertThat(backend.tlvMaps().get("br0").slotsOf(2)).doesNotContain(slots[0]);
    }

    @Test
    void aFlowOnAnUnmappedOptionIsRefusedAsOvsRefusesIt() throws Exception {
        assertThat(fails("OpenFlow15", "add-flow", target, "tun_metadata3=1,actions=drop"))
                .contains("NXFMFC_INVALID_TLV_FIELD");
        assertThat(flows("OpenFlow15")).isEmpty();
    }
}
