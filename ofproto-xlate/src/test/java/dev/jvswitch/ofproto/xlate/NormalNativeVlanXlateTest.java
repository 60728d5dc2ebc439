package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.bridge.VlanMode;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * NORMAL with OVS's native VLAN modes: port 1 an access port of VLAN 10, port 2 native-untagged
 * with native VLAN 10 (every VLAN trunked), port 3 native-tagged with native VLAN 10 and trunk
 * VLAN 20, port 4 a trunk of every VLAN. The expected actions are what OVS's
 * {@code xvlan_input_translate} and {@code xvlan_output_translate} give.
 */
class NormalNativeVlanXlateTest {
    private static final String A = "00:00:00:00:00:0a";
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";

    private TestSwitch sw;

    @BeforeEach
    void setUp() {
        List<OfPort> ports = List.of(OfPort.access(1, 1, "p1", 10),
                new OfPort(2, 2, "p2", 10, Set.of(), null, VlanMode.NATIVE_UNTAGGED),
                new OfPort(3, 3, "p3", 10, Set.of(20), null, VlanMode.NATIVE_TAGGED), OfPort.trunk(4, 4, "p4"));
        sw = new TestSwitch().bridge(new BridgeConfig("br0", ports));
        sw.flows("br0", "priority=0,actions=NORMAL");
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private String flood(FrameBuilder f, int port) {
        return sw.upcall(sw.key(f.build(), port)).actions().toString();
    }

    private static FrameBuilder broadcast() {
        return Frames.udp4().src(A).dst(BROADCAST);
    }

    @Test
    void untaggedFramesOnANativePortAreInItsNativeVlan() {
        assertThat(flood(broadcast(), 2)).as("native-untagged: into VLAN 10; tagged on the native-tagged port")
                .isEqualTo("1,push_vlan(vid=10,pcp=0),3,4");
        assertThat(flood(broadcast(), 3)).as("native-tagged: into VLAN 10; untagged on the native-untagged port")
                .isEqualTo("1,2,push_vlan(vid=10,pcp=0),4");
    }

    @Test
    void taggedFramesOnANativePortAreTrunked() {
        assertThat(flood(broadcast().vlan(20), 2)).isEqualTo("3,4");
        assertThat(flood(broadcast().vlan(30), 2)).as("every VLAN trunked on port 2").isEqualTo("4");
        assertThat(flood(broadcast().vlan(30), 3)).as("port 3 trunks 10 and 20 only").isEqualTo("drop");
        assertThat(flood(broadcast().vlan(10), 3)).as("its native VLAN, tagged").isEqualTo("pop_vlan,1,2,push_vlan(vid=10,pcp=0),4");
    }

    @Test
    void theNativeVlanLeavesUntaggedOnlyOnANativeUntaggedPort() {
        assertThat(flood(broadcast().vlan(10, 3), 4)).isEqualTo("pop_vlan,1,2,push_vlan(vid=10,pcp=3),3");
        assertThat(flood(broadcast(), 4)).as("VLAN 0 is not carried by ports whose native VLAN is 10").isEqualTo("drop");
        OfPort p2 = sw.ofproto.bridgeConfig("br0").byOfPort(2);
        assertThat(p2.carriesVlan(0)).isFalse();
        assertThat(p2.sendsUntagged(10)).isTrue();
        assertThat(p2.sendsUntagged(20)).isFalse();
        assertThat(sw.ofproto.bridgeConfig("br0").byOfPort(3).sendsUntagged(10)).isFalse();
    }
}
