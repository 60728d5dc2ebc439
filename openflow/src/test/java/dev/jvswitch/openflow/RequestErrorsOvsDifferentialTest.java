package dev.jvswitch.openflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * Requests other than flow, group, meter and bundle mods that go wrong (and a few that do not),
 * answered as OVS answers them ({@link OfDifferential}), at OpenFlow 1.3: port mods, packet-outs,
 * multipart requests naming what does not exist, and an experimenter message (Big Switch's) neither knows.
 */
class RequestErrorsOvsDifferentialTest extends OfDifferential {
    private static byte[] frame() {
        byte[] f = new byte[60];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        f[6] = 2;
        f[11] = 1;
        f[12] = 0x08;
        f[13] = 0x06;
        return f;
    }

    /** A 60-byte IPv4/UDP frame (10.0.0.1 -> 10.0.0.2). */
    private static byte[] ipv4Frame() {
        byte[] f = frame();
        f[0] = 2;
        f[12] = 0x08;
        f[13] = 0x00;
        f[14] = 0x45;
        f[17] = 46; // total length
        f[22] = 64; // ttl
        f[23] = 17; // udp
        f[26] = 10;
        f[29] = 1;
        f[30] = 10;
        f[33] = 2;
        f[35] = 53; // source port
        f[37] = 53; // destination port
        f[39] = 26; // udp length
        return f;
    }

    /**
     * A packet-out's actions are checked against the packet's own headers, as a flow mod's against
     * its match: an IPv4 address write or a dec_ttl on an ARP frame is inconsistent; the same on
     * an IPv4 frame runs.
     */
    @Test
    void packetOutActionsAreCheckedAgainstThePacket() throws Exception {
        List<Step> s = new ArrayList<>();
        for (byte[] data : List.of(frame(), ipv4Frame())) {
            s.add(f -> List.of(f.buildPacketOut().setXid(1).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                    .setActions(List.of(f.actions().setField(f.oxms().ipv4Dst(
                            org.projectfloodlight.openflow.types.IPv4Address.of("10.0.0.9"))), f.actions().output(OFPort.of(2), 0)))
                    .setData(data).build()));
            s.add(f -> List.of(f.buildPacketOut().setXid(2).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                    .setActions(List.of(f.actions().decNwTtl(), f.actions().output(OFPort.of(2), 0)))
                    .setData(data).build()));
        }
        assertSameAsOvs(OFVersion.OF_13, s);
    }

    @Test
    void requestsAnsweredAsOvsAnswersThem() throws Exception {
        List<Step> s = new ArrayList<>();
        // Port mods: a port that does not exist, a wrong hardware address.
        s.add(f -> List.of(f.buildPortMod().setXid(1).setPortNo(OFPort.of(9)).setHwAddr(MacAddress.of(1))
                .setConfig(Set.of(OFPortConfig.NO_FWD)).setMask(Set.of(OFPortConfig.NO_FWD)).setAdvertise(0).build()));
        s.add(f -> List.of(f.buildPortMod().setXid(2).setPortNo(OFPort.of(1)).setHwAddr(MacAddress.of(1))
                .setConfig(Set.of()).setMask(Set.of()).setAdvertise(0).build()));
        // Packet-outs: a good one, one from a port the bridge does not have (OVS runs it), one with
        // a buffer id, one naming a group that does not exist.
        s.add(f -> List.of(f.buildPacketOut().setXid(4).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(9))
                .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(frame()).build()));
        s.add(f -> List.of(f.buildPacketOut().setXid(22).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.ANY)
                .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(frame()).build()));
        s.add(f -> List.of(f.buildPacketOut().setXid(23).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(0xff00))
                .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(frame()).build()));
        s.add(f -> List.of(f.buildPacketOut().setXid(3).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(frame()).build()));
        s.add(f -> List.of(f.buildPacketOut().setXid(5).setBufferId(OFBufferId.of(7)).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(new byte[0]).build()));
        s.add(f -> List.of(f.buildPacketOut().setXid(6).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(f.actions().group(OFGroup.of(55)))).setData(frame()).build()));
        // Multipart requests naming what does not exist.
        s.add(f -> List.of(f.buildPortStatsRequest().setXid(7).setPortNo(OFPort.of(9)).build()));
        s.add(f -> List.of(f.buildGroupStatsRequest().setXid(8).setGroup(OFGroup.of(9)).build()));
        s.add(f -> List.of(f.buildMeterStatsRequest().setXid(9).setMeterId(9).build()));
        s.add(f -> List.of(f.buildMeterConfigStatsRequest().setXid(10).setMeterId(9).build()));
        s.add(f -> List.of(f.buildQueueStatsRequest().setXid(11).setPortNo(OFPort.of(9)).setQueueId(0).build()));
        s.add(f -> List.of(f.buildQueueStatsRequest().setXid(19).setPortNo(OFPort.of(1)).setQueueId(0).build(),
                f.buildQueueStatsRequest().setXid(20).setPortNo(OFPort.of(1)).setQueueId(0xffffffffL).build(),
                f.buildQueueStatsRequest().setXid(21).setPortNo(OFPort.ANY).setQueueId(0xffffffffL).build()));
        s.add(f -> List.of(f.buildFlowStatsRequest().setXid(12).setTableId(TableId.of(200)).setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY).setMatch(f.buildMatch().build()).build()));
        // A table mod, a switch config, an echo, and messages of an experimenter nobody knows.
        s.add(f -> List.of(f.buildTableMod().setXid(13).setTableId(TableId.of(1)).setConfig(0).build()));
        s.add(f -> List.of(f.buildSetConfig().setXid(14).setMissSendLen(128).build(),
                f.buildGetConfigRequest().setXid(15).build(), f.buildEchoRequest().setXid(16).build()));
        s.add(f -> List.of(f.buildBsnTimeRequest().setXid(17).build()));
        s.add(f -> List.of(f.buildRoleRequest().setXid(18).setRole(org.projectfloodlight.openflow.protocol
                .OFControllerRole.ROLE_NOCHANGE).setGenerationId(org.projectfloodlight.openflow.types.U64.ZERO)
                .build()));
        assertSameAsOvs(OFVersion.OF_13, s);
    }

    /** 1.5 carries a packet-out's in_port in a match, which OVS requires. */
    @Test
    void packetOuts15AnsweredAsOvsAnswersThem() throws Exception {
        List<Step> s = new ArrayList<>();
        for (OFPort in : List.of(OFPort.of(1), OFPort.of(9), OFPort.ANY, OFPort.CONTROLLER, OFPort.of(0xff00))) {
            s.add(f -> List.of(f.buildPacketOut().setXid(1).setBufferId(OFBufferId.NO_BUFFER)
                    .setMatch(f.buildMatch().setExact(org.projectfloodlight.openflow.protocol.match.MatchField.IN_PORT, in)
                            .build())
                    .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(frame()).build()));
        }
        s.add(f -> List.of(f.buildPacketOut().setXid(2).setBufferId(OFBufferId.NO_BUFFER).setMatch(f.buildMatch().build())
                .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(frame()).build()));
        assertSameAsOvs(OFVersion.OF_15, s);
    }
}
