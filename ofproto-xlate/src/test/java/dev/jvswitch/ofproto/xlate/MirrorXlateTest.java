package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.Mirror;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/** Port mirrors on a bridge of ports 1..4 (datapath numbers equal), port 4 the mirrors' output. */
class MirrorXlateTest {
    private static final String A = "00:00:00:00:00:0a";
    private static final String B = "00:00:00:00:00:0b";
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";

    private TestSwitch sw;

    private void bridge(Mirror... mirrors) {
        List<OfPort> ports = List.of(OfPort.trunk(1, 1, "p1"), OfPort.trunk(2, 2, "p2"), OfPort.trunk(3, 3, "p3"),
                OfPort.trunk(4, 4, "p4"));
        sw = new TestSwitch().bridge(new BridgeConfig("br0", ports, BridgeConfig.DEFAULT_MAC_TABLE_SIZE,
                BridgeConfig.DEFAULT_MAC_AGING_SEC, Map.of(), List.of(), List.of(mirrors)));
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FrameBuilder frame(String src, String dst) {
        return Frames.udp4().src(src).dst(dst);
    }

    private String upcall(FrameBuilder f, int port) {
        return sw.upcall(sw.key(f.build(), port)).actions().toString();
    }

    @Test
    void receivedPacketsAreCopiedFirstSentOnesAfterAndTheOutputPortIsTheMirrorsAlone() {
        bridge(new Mirror("m0", false, new int[] {1}, new int[] {1}, 4));
        sw.flows("br0", "priority=0,actions=NORMAL");
        assertThat(upcall(frame(A, BROADCAST), 1)).as("ingress copy, then a flood that skips port 4")
                .isEqualTo("4,2,3");
        assertThat(upcall(frame(B, A), 2)).as("to port 1, then its copy").isEqualTo("1,4");
        assertThat(upcall(frame(B, BROADCAST), 4)).as("nothing enters through a mirror output")
                .isEqualTo(DpActions.DROP.toString());
        assertThat(upcall(frame(B, A), 3)).isEqualTo("1,4");
    }

    @Test
    void oneCopyPerMirrorAndNoneBackToTheInputPort() {
        bridge(new Mirror("m0", false, new int[] {1}, new int[] {2, 3}, 4), new Mirror("all", true, new int[0],
                new int[0], 3));
        sw.flows("br0", "priority=0,actions=output:2,output:3");
        // m0 once for 1's packet though it also goes to 2; "all" copies to 3, which is an output too.
        assertThat(upcall(frame(A, B), 1)).isEqualTo("4,3,2,3");
        assertThat(upcall(frame(A, B), 3)).as("all: not back to 3, where it came from; m0 for 2")
                .isEqualTo("2,4");
    }
}
