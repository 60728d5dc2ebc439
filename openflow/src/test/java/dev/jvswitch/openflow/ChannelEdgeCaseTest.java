package dev.jvswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFErrorType;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFRoleReply;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFRoleRequestFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;


/**
 * The channel's edge cases with a Java client on the same codec: many flow mods then a barrier
 * (all applied, in order, one reply), malformed and unknown messages (an error each, the
 * connection and the others unharmed; an unframeable one closes only its own connection),
 * version negotiation (1.5 only, as ovn-controller offers; none in common), and two controllers
 * with roles (a slave is refused writes, a stale generation is refused), and the Nicira messages
 * and meter probes ovn-controller sends, answered as OVS answers them.
 */
class ChannelEdgeCaseTest {
    private TestChannel ch;

    @BeforeEach
    void start() {
        ch = TestChannel.start(2);
    }

    @AfterEach
    void stop() {
        ch.close();
    }

    private static List<OFFlowAdd> adds(OfTestClient c, int n) {
        List<OFFlowAdd> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(c.f.buildFlowAdd().setXid(100 + i).setPriority(100).setMatch(c.f.buildMatch()
                    .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                    .setExact(MatchField.IPV4_DST, IPv4Address.of(0x0a000000 + i)).build())
                    .setInstructions(List.of(c.f.instructions().applyActions(List.of(
                            c.f.actions().output(OFPort.of(2), 0))))).build());
        }
        return out;
    }

    private static OFMessage next(OfTestClient c, OFType type) throws Exception {
        for (int i = 0; i < 100_000; i++) {
            OFMessage m = c.read();
            assertThat(m).as("connection closed while waiting for " + type).isNotNull();
            if (m.getType() == type) {
                return m;
            }
        }
        throw new AssertionError("no " + type);
    }

    @Test
    void tenThousandFlowModsThenABarrier() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_13)) {
            long t0 = System.nanoTime();
            c.sendAll(adds(c, 10_000));
            c.send(c.f.buildBarrierRequest().setXid(7).build());
            OFMessage m = c.read();
            long ns = System.nanoTime() - t0;
            assertThat(m).isInstanceOf(OFBarrierReply.class);
            assertThat(m.getXid()).isEqualTo(7);
            assertThat(ch.backend.ofproto.flowStats("br0")).hasSize(10_000);
            System.out.printf("openflow: 10000 flow mods + barrier in %.1f ms (%.0f mods/s)%n", ns / 1e6,
                    10_000 / (ns / 1e9));
        }
    }

    @Test
    void malformedMessagesGetAnErrorAndHarmNothingElse() throws Exception {
        try (OfTestClient a = OfTestClient.connect(ch.port, OFVersion.OF_13);
                OfTestClient b = OfTestClient.connect(ch.port, OFVersion.OF_13)) {
            // unknown type 99
            a.sendRaw(new byte[] {4, 99, 0, 8, 0, 0, 0, 9});
            OFErrorMsg e = (OFErrorMsg) a.read();
            assertThat(e.getErrType()).isEqualTo(OFErrorType.BAD_REQUEST);
            assertThat(((OFBadRequestErrorMsg) e).getCode().name()).isEqualTo("BAD_TYPE");
            assertThat(e.getXid()).isEqualTo(9);
            // a flow mod whose match claims more bytes than it has (truncated OXM)
            byte[] fm = new byte[56 + 8];
            fm[0] = 4;
            fm[1] = 14;
            fm[3] = (byte) fm.length;
            fm[7] = 10;
            fm[48] = 0; fm[49] = 1; fm[50] = 0; fm[51] = 40; // match type OXM, length 40 > what follows
            a.sendRaw(fm);
            e = (OFErrorMsg) a.read();
            assertThat(e.getXid()).isEqualTo(10);
            // still serving: echo
            a.send(a.f.buildEchoRequest().setXid(11).setData(new byte[] {1, 2}).build());
            assertThat(a.read().getXid()).isEqualTo(11);
            // an unframeable length closes only this connection
            a.sendRaw(new byte[] {4, 2, 0, 4, 0, 0, 0, 12});
            assertThat(a.read()).isInstanceOf(OFErrorMsg.class);
            assertThat(a.closedBySwitch()).isTrue();
            b.send(b.f.buildEchoRequest().setXid(13).setData(new byte[0]).build());
            assertThat(b.read().getXid()).isEqualTo(13);
        }
    }

    @Test
    void aNiciraActionShorterThanItsFieldsIsRefusedAndTheConnectionStays() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_15)) {
            // A 1.5 flow mod matching reg0 (read by the Nicira codec) whose only action is an
            // NXAST_REG_LOAD that says 16 bytes where its fields need 24: the value would be read
            // past the message.
            String fixed = "060e0058" + "00000015" + "0000000000000000" + "0000000000000000"
                    + "00" + "00" + "0000" + "0000" + "0064" + "ffffffff" + "ffffffff" + "ffffffff" + "0000" + "0000";
            String match = "0001000c" + "00010004" + "00000001" + "00000000";
            String apply = "00040018" + "00000000" + "ffff0010" + "00002320" + "0007" + "001f" + "00010004";
            c.sendRaw(java.util.HexFormat.of().parseHex(fixed + match + apply));
            OFErrorMsg e = (OFErrorMsg) c.read();
            assertThat(e.getXid()).isEqualTo(0x15);
            assertThat(e.getErrType()).isEqualTo(OFErrorType.BAD_ACTION);
            c.send(c.f.buildEchoRequest().setXid(0x16).setData(new byte[] {1}).build());
            assertThat(c.read().getXid()).isEqualTo(0x16);
        }
    }

    @Test
    void versionNegotiation() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_15)) {
            c.send(c.f.buildFeaturesRequest().setXid(3).build());
            OFMessage m = c.read();
            assertThat(m.getVersion()).isEqualTo(OFVersion.OF_15);
            assertThat(m.getType()).isEqualTo(OFType.FEATURES_REPLY);
        }
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_10)) {
            OFMessage m = c.read();
            assertThat(m).isInstanceOf(OFErrorMsg.class);
            assertThat(((OFErrorMsg) m).getErrType()).isEqualTo(OFErrorType.HELLO_FAILED);
            assertThat(c.closedBySwitch()).isTrue();
        }
    }

    @Test
    void bundlesCommitAllOrNothing() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_14)) {
            org.projectfloodlight.openflow.types.BundleId id = org.projectfloodlight.openflow.types.BundleId.of(1);
            java.util.Set<org.projectfloodlight.openflow.protocol.OFBundleFlags> atomic =
                    java.util.EnumSet.of(org.projectfloodlight.openflow.protocol.OFBundleFlags.ATOMIC,
                            org.projectfloodlight.openflow.protocol.OFBundleFlags.ORDERED);
            c.send(c.f.buildBundleCtrlMsg().setXid(1).setBundleId(id).setFlags(atomic).setBundleCtrlType(
                    org.projectfloodlight.openflow.protocol.OFBundleCtrlType.OPEN_REQUEST).build());
            assertThat(c.read().getType()).isEqualTo(OFType.BUNDLE_CONTROL);
            for (OFFlowAdd a : adds(c, 3)) {
                c.send(c.f.buildBundleAddMsg().setXid(a.getXid()).setBundleId(id).setFlags(atomic).setData(a)
                        .build());
            }
            assertThat(ch.backend.ofproto.flowStats("br0")).as("nothing before the commit").isEmpty();
            c.send(c.f.buildBundleCtrlMsg().setXid(2).setBundleId(id).setFlags(atomic).setBundleCtrlType(
                    org.projectfloodlight.openflow.protocol.OFBundleCtrlType.COMMIT_REQUEST)
                    .build());
            org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg reply =
                    (org.projectfloodlight.openflow.protocol.OFBundleCtrlMsg) c.read();
            assertThat(reply.getBundleCtrlType()).isEqualTo(org.projectfloodlight.openflow.protocol.OFBundleCtrlType
                    .COMMIT_REPLY);
            assertThat(ch.backend.ofproto.flowStats("br0")).hasSize(3);

            // A bundle whose second mod names a group that does not exist: the whole bundle is refused.
            OFFlowAdd good = adds(c, 4).get(3);
            OFFlowAdd bad = c.f.buildFlowAdd().setXid(77).setPriority(5).setMatch(c.f.buildMatch().build())
                    .setInstructions(List.of(c.f.instructions().applyActions(List.of(
                            c.f.actions().group(org.projectfloodlight.openflow.types.OFGroup.of(99)))))).build();
            org.projectfloodlight.openflow.types.BundleId id2 = org.projectfloodlight.openflow.types.BundleId.of(2);
            for (OFFlowAdd a : List.of(good, bad)) {
                c.send(c.f.buildBundleAddMsg().setXid(a.getXid()).setBundleId(id2).setFlags(atomic).setData(a)
                        .build());
            }
            c.send(c.f.buildBundleCtrlMsg().setXid(3).setBundleId(id2).setFlags(atomic).setBundleCtrlType(
                    org.projectfloodlight.openflow.protocol.OFBundleCtrlType.COMMIT_REQUEST)
                    .build());
            OFErrorMsg first = (OFErrorMsg) c.read();
            assertThat(first.getXid()).isEqualTo(77);
            OFErrorMsg second = (OFErrorMsg) c.read();
            assertThat(second.getXid()).isEqualTo(3);
            assertThat(second.getErrType()).isEqualTo(OFErrorType.BUNDLE_FAILED);
            assertThat(ch.backend.ofproto.flowStats("br0")).as("nothing of the failed bundle").hasSize(3);
        }
    }

    /** A bundle's meter mod and the flow naming the meter commit as one; a meter error fails the whole bundle. */
    @Test
    void bundlesCarryMeterModsWithTheirFlows() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_14)) {
            java.util.Set<org.projectfloodlight.openflow.protocol.OFBundleFlags> atomic =
                    java.util.EnumSet.of(org.projectfloodlight.openflow.protocol.OFBundleFlags.ATOMIC);
            org.projectfloodlight.openflow.protocol.OFMeterMod meter = c.f.buildMeterMod().setXid(10)
                    .setCommand(org.projectfloodlight.openflow.protocol.OFMeterModCommand.ADD).setMeterId(4)
                    .setFlags(java.util.Set.of(org.projectfloodlight.openflow.protocol.OFMeterFlags.PKTPS))
                    .setBands(List.of(c.f.meterBands().buildDrop().setRate(100).build())).build();
            OFFlowAdd flow = c.f.buildFlowAdd().setXid(11).setPriority(5).setMatch(c.f.buildMatch().build())
                    .setInstructions(List.of(c.f.instructions().buildMeter().setMeterId(4).build(),
                            c.f.instructions().applyActions(List.of(c.f.actions().output(
                                    org.projectfloodlight.openflow.types.OFPort.of(2), 0))))).build();
            for (long bundle = 1; bundle <= 2; bundle++) {
                org.projectfloodlight.openflow.types.BundleId id =
                        org.projectfloodlight.openflow.types.BundleId.of((int) bundle);
                List<org.projectfloodlight.openflow.protocol.OFMessage> inner = bundle == 1 ? List.of(meter, flow)
                        : List.of(meter.createBuilder().setXid(12).setMeterId(5).build(), meter);
                for (org.projectfloodlight.openflow.protocol.OFMessage m : inner) {
                    c.send(c.f.buildBundleAddMsg().setXid(m.getXid()).setBundleId(id).setFlags(atomic).setData(m)
                            .build());
                }
                assertThat(ch.backend.ofproto.meters("br0")).as("nothing before the commit").hasSize((int) bundle - 1);
                c.send(c.f.buildBundleCtrlMsg().setXid(20 + bundle).setBundleId(id).setFlags(atomic)
                        .setBundleCtrlType(org.projectfloodlight.openflow.protocol.OFBundleCtrlType.COMMIT_REQUEST)
                        .build());
                if (bundle == 1) {
                    assertThat(c.read().getType()).isEqualTo(OFType.BUNDLE_CONTROL);
                    assertThat(ch.backend.ofproto.flowStats("br0")).singleElement()
                            .satisfies(f -> assertThat(f.instructions().toString()).contains("Meter[meterId=4]"));
                } else {
                    OFErrorMsg first = (OFErrorMsg) c.read();
                    assertThat(first.getXid()).as("the second add of meter 4: METER_EXISTS").isEqualTo(10);
                    assertThat(first.getErrType()).isEqualTo(OFErrorType.METER_MOD_FAILED);
                    assertThat(((OFErrorMsg) c.read()).getErrType()).isEqualTo(OFErrorType.BUNDLE_FAILED);
                    assertThat(ch.backend.ofproto.meters("br0")).as("meter 5 went with the bundle").hasSize(1);
                }
            }
        }
    }

    @Test
    void twoControllersWithRoles() throws Exception {
        try (OfTestClient a = OfTestClient.connect(ch.port, OFVersion.OF_13);
                OfTestClient b = OfTestClient.connect(ch.port, OFVersion.OF_13)) {
            a.send(a.f.buildRoleRequest().setXid(1).setRole(OFControllerRole.ROLE_MASTER)
                    .setGenerationId(U64.of(5)).build());
            assertThat(((OFRoleReply) a.read()).getRole()).isEqualTo(OFControllerRole.ROLE_MASTER);
            b.send(b.f.buildRoleRequest().setXid(2).setRole(OFControllerRole.ROLE_SLAVE)
                    .setGenerationId(U64.of(5)).build());
            assertThat(((OFRoleReply) b.read()).getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
            b.send(adds(b, 1).get(0));
            OFErrorMsg e = (OFErrorMsg) b.read();
            assertThat(((OFBadRequestErrorMsg) e).getCode().name()).isEqualTo("IS_SLAVE");
            // Nor may it touch a bundle (as OVS): 1.3's ONF bundle control, and 1.4's.
            org.projectfloodlight.openflow.protocol.OFMessage open = org.projectfloodlight.openflow.protocol.OFFactories
                    .getFactory(OFVersion.OF_14).buildBundleCtrlMsg().setXid(7)
                    .setBundleId(org.projectfloodlight.openflow.types.BundleId.of(1)).setFlags(java.util.Set.of())
                    .setBundleCtrlType(org.projectfloodlight.openflow.protocol.OFBundleCtrlType.OPEN_REQUEST).build();
            b.sendRaw(OnfBundleOvsDifferentialTest.toOf13(open));
            assertThat(((OFBadRequestErrorMsg) b.read()).getCode().name()).isEqualTo("IS_SLAVE");
            try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_14)) {
                c.send(c.f.buildRoleRequest().setXid(2).setRole(OFControllerRole.ROLE_SLAVE)
                        .setGenerationId(U64.of(5)).build());
                assertThat(((OFRoleReply) c.read()).getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
                c.send(open);
                assertThat(((OFBadRequestErrorMsg) c.read()).getCode().name()).isEqualTo("IS_SLAVE");
            }
            // stale generation
            b.send(b.f.buildRoleRequest().setXid(3).setRole(OFControllerRole.ROLE_MASTER)
                    .setGenerationId(U64.of(4)).build());
            assertThat(b.read()).isInstanceOf(OFRoleRequestFailedErrorMsg.class);
            // b takes over: a becomes slave
            b.send(b.f.buildRoleRequest().setXid(4).setRole(OFControllerRole.ROLE_MASTER)
                    .setGenerationId(U64.of(6)).build());
            assertThat(((OFRoleReply) b.read()).getRole()).isEqualTo(OFControllerRole.ROLE_MASTER);
            a.send(a.f.buildRoleRequest().setXid(5).setRole(OFControllerRole.ROLE_NOCHANGE)
                    .setGenerationId(U64.ZERO).build());
            assertThat(((OFRoleReply) a.read()).getRole()).isEqualTo(OFControllerRole.ROLE_SLAVE);
            b.send(adds(b, 1).get(0));
            b.send(b.f.buildBarrierRequest().setXid(9).build());
            assertThat(next(b, OFType.BARRIER_REPLY).getXid()).isEqualTo(9);
            assertThat(ch.backend.ofproto.flowStats("br0")).hasSize(1);
        }
    }

    /** The raw messages until a barrier reply with {@code xid}, which the client sends after them. */
    private static List<byte[]> untilBarrier(OfTestClient c, long xid) throws Exception {
        c.send(c.f.buildBarrierRequest().setXid(xid).build());
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] m = c.readRaw();
            assertThat(m).as("connection closed before barrier " + xid).isNotNull();
            if (m[1] == 21 && java.nio.ByteBuffer.wrap(m).getInt(4) == (int) xid) {
                return out;
            }
            out.add(m);
        }
        throw new AssertionError("no barrier reply " + xid);
    }

    private static byte[] nicira(int xid, int subtype, String bodyHex) {
        byte[] body = java.util.HexFormat.of().parseHex(bodyHex);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + body.length);
        b.put((byte) 6).put((byte) 4).putShort((short) (16 + body.length)).putInt(xid).putInt(0x2320).putInt(subtype)
                .put(body);
        return b.array();
    }

    @Test
    void ovnControllersProbesAndNiciraMessagesGetOvssAnswers() throws Exception {
        try (OfTestClient c = OfTestClient.connect(ch.port, OFVersion.OF_15)) {
            // NXT_SET_PACKET_IN_FORMAT: standard and nxt_packet_in2 accepted; the old nxt_packet_in
            // (not sent) refused with EPERM.
            c.sendRaw(nicira(1, 16, "00000000"));
            c.sendRaw(nicira(1, 16, "00000002"));
            c.sendRaw(nicira(2, 16, "00000001"));
            // NXT_CT_FLUSH_ZONE zone 7, and an unknown Nicira subtype.
            c.sendRaw(nicira(3, 29, "0000000000000007"));
            c.sendRaw(nicira(4, 99, ""));
            // NXT_SET_CONTROLLER_ID 5 (pinctrl's packet-ins come by id): accepted without a reply.
            c.sendRaw(nicira(9, 20, "0000000000000005"));
            // METER_FEATURES, then a delete of every meter (ovn-controller's first acts) and an add.
            c.sendRaw(java.util.HexFormat.of().parseHex("06120010000000050000000000000000".replace("0000000500000000",
                    "00000005000b0000")));
            c.send(c.f.buildMeterMod().setXid(6).setCommand(org.projectfloodlight.openflow.protocol.OFMeterModCommand
                    .DELETE).setMeterId(0xffffffffL).setBands(List.of()).build());
            c.send(c.f.buildMeterMod().setXid(7).setCommand(org.projectfloodlight.openflow.protocol.OFMeterModCommand
                    .ADD).setMeterId(1).setBands(List.of(c.f.meterBands().buildDrop().setRate(100).build()))
                    .build());
            List<byte[]> replies = untilBarrier(c, 8);
            java.util.Map<Integer, String> byXid = new java.util.TreeMap<>();
            for (byte[] m : replies) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m);
                int xid = b.getInt(4);
                byXid.put(xid, m[1] == 1 ? "error " + b.getShort(8) + "," + b.getShort(10)
                        : "type " + m[1] + " len " + m.length + (m[1] == 19 ? " mp " + b.getShort(8) : ""));
            }
            assertThat(byXid).containsExactly(
                    java.util.Map.entry(2, "error 1,5"),        // OFPBRC_EPERM
                    java.util.Map.entry(4, "error 1,4"),        // OFPBRC_BAD_SUBTYPE
                    java.util.Map.entry(5, "type 19 len 32 mp 11")); // 16-byte ofp_meter_features; the add succeeds
            assertThat(ch.backend.flushedZones).containsExactly(7);
        }
    }
}
