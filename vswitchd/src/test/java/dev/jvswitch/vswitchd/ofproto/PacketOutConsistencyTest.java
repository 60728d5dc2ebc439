package dev.jvswitch.vswitchd.ofproto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadActionErrorMsg;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

import dev.jvswitch.openflow.OfTestClient;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * The daemon's packet-out checks its actions against the packet's own headers, as OVS's
 * {@code ofproto_packet_out_init} does: a {@code dec_ttl} on an ARP frame is
 * {@code OFPBAC_MATCH_INCONSISTENT} and sends nothing; on an IPv4 frame it runs. (The channel's
 * answers against OVS's are {@code RequestErrorsOvsDifferentialTest}, over a test backend.)
 */
class PacketOutConsistencyTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aPacketOutsActionsAreCheckedAgainstItsPacket() throws Exception {
        String tag = "poc" + ProcessHandle.current().pid() + "x";
        Path socket = dir.resolve("br0.mgmt");
        String yaml = """
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 512
                bridges:
                  br0:
                    ports:
                      %1$s1: {type: ring, ofport: 1, options: {peer: %1$s2}}
                      %1$s2: {type: ring, ofport: 2, options: {peer: %1$s1}}
                    flows:
                      - priority=0,actions=drop
                    listen: punix:%2$s
                control:
                  socket: ctl.sock
                """.formatted(tag, socket);
        ExecutorService change = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-change"));
        try (TestSwitch s = TestSwitch.start(dir, yaml, false)) {
            OpenFlowBarrierTest.startOpenFlow(s, change);
            Await.until(WAIT, () -> socket.toFile().exists(), () -> "br0's OpenFlow listener " + socket);
            try (OfTestClient c = OfTestClient.connect(socket, OFVersion.OF_13)) {
                c.send(decTtlOut(c, 1, Frames.arp().build()));
                c.send(c.f.buildBarrierRequest().setXid(2).build());
                OFMessage m = c.read();
                assertThat(m).isInstanceOfSatisfying(OFBadActionErrorMsg.class, e -> {
                    assertThat(e.getXid()).isEqualTo(1);
                    assertThat(e.getCode()).isEqualTo(OFBadActionCode.MATCH_INCONSISTENT);
                });
                assertThat(c.read()).isInstanceOf(OFBarrierReply.class);
                assertThat(OpenFlowBarrierTest.tx(s, tag + "1")).as("the refused packet-out sent nothing").isZero();

                c.send(decTtlOut(c, 3, Frames.udp4().build()));
                c.send(c.f.buildBarrierRequest().setXid(4).build());
                assertThat(c.read()).as("no error for an IPv4 frame").isInstanceOf(OFBarrierReply.class);
                assertThat(OpenFlowBarrierTest.tx(s, tag + "1")).isEqualTo(1);
            }
        } finally {
            change.shutdownNow();
        }
    }

    private static OFPacketOut decTtlOut(OfTestClient c, long xid, byte[] frame) {
        return c.f.buildPacketOut().setXid(xid).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(c.f.actions().decNwTtl(), c.f.actions().output(OFPort.of(1), 0)))
                .setData(frame).build();
    }
}
